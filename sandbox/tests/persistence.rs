//! `--db`: a restart loses no order and no pending delivery; delivery resumes.

mod common;

use std::path::PathBuf;
use std::time::Duration;

use common::*;
use serde_json::{json, Value};

fn temp_db(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "cashi-sandbox-test-{}-{}",
        std::process::id(),
        fastrand::u64(..)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[tokio::test]
async fn restart_loses_no_order_and_no_pending_delivery() {
    let db = temp_db("sandbox.db");
    // The receiver is down during the first run: reserve a port, then free it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let hook = format!("http://127.0.0.1:{port}/hook");
    let configure = |c: &mut cashi_sandbox::SandboxConfig| {
        c.db_path = Some(db.clone());
        c.webhook_url = Some(hook.clone());
        c.webhook_retry_schedule = vec![Duration::from_millis(100)];
        c.webhook_max_attempts = 10_000;
    };

    let sb = start_with(configure).await;
    let pending = create(&sb, json!({"amount": 15000, "order_id": "keep-pending"}))
        .await
        .body;
    create(&sb, json!({"amount": 15000, "order_id": "keep-paid"})).await;
    let paid = post(&sb, "/sandbox/orders/keep-paid/pay", json!({}))
        .await
        .body;
    post(&sb, "/sandbox/clock/advance", json!({"seconds": 30})).await;
    let before = eventually(20, "a failed attempt", || async {
        let d = deliveries(&sb).await;
        (d.len() == 1 && !d[0]["attempts"].as_array().unwrap().is_empty()).then(|| d[0].clone())
    })
    .await;
    assert_eq!(before["state"], "pending");
    sb.shutdown().await;

    let sb = start_with(configure).await;
    // Orders, with their amounts, statuses and transaction id, and the clock offset.
    let s = status(&sb, "keep-pending").await.body;
    assert_eq!(s["status"], "PENDING");
    assert_eq!(s["amount"], pending["amount"]);
    assert_eq!(status(&sb, "keep-paid").await.body, paid);
    assert!(
        get(&sb, "/sandbox/clock").await.body["offset_ms"]
            .as_i64()
            .unwrap()
            >= 30_000
    );
    // Its unique code is still taken, and its id still in use.
    assert_eq!(
        create(&sb, json!({"amount": 15000, "order_id": "keep-pending"}))
            .await
            .status,
        409
    );

    // The receiver comes up: the same delivery (same bytes, same signature) arrives.
    let receiver = Receiver::default();
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .unwrap();
    receiver.serve(listener);
    let after: Value = eventually(30, "delivery after restart", || async {
        let d = deliveries(&sb).await;
        (d.len() == 1 && d[0]["state"] == "delivered").then(|| d[0].clone())
    })
    .await;
    assert_eq!(after["id"], before["id"]);
    assert!(
        after["attempts"].as_array().unwrap().len() > before["attempts"].as_array().unwrap().len()
    );
    let r = receiver.get(0);
    assert_eq!(std::str::from_utf8(&r.body).unwrap(), before["body"]);
    assert_eq!(
        r.headers["x-gateway-signature"].to_str().unwrap(),
        before["signature"]
    );
    sb.shutdown().await;

    // And a third start still knows the delivery is done.
    let sb = start_with(configure).await;
    assert_eq!(deliveries(&sb).await[0]["state"], "delivered");
    sb.shutdown().await;
    let _ = std::fs::remove_dir_all(db.parent().unwrap());
}

#[tokio::test]
async fn without_a_db_nothing_survives() {
    let sb = start().await;
    create(&sb, json!({"amount": 15000, "order_id": "gone"})).await;
    sb.shutdown().await;
    let sb = start().await;
    assert_eq!(status(&sb, "gone").await.status, 404);
}
