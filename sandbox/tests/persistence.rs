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

/// Starts with `db` and returns the refusal, failing the test if it starts.
async fn refused_db(db: &std::path::Path) -> String {
    let db = db.to_path_buf();
    match cashi_sandbox::start(cashi_sandbox::SandboxConfig {
        db_path: Some(db),
        log_requests: false,
        ..Default::default()
    })
    .await
    {
        Ok(_) => panic!("a hostile database was loaded"),
        Err(e) => e.to_string(),
    }
}

#[tokio::test]
async fn a_database_with_a_hostile_record_is_refused_clearly() {
    let db = temp_db("hostile.db");
    let configure = |c: &mut cashi_sandbox::SandboxConfig| {
        c.db_path = Some(db.clone());
        c.webhook_url = Some("http://127.0.0.1:9/hook".into());
    };
    let sb = start_with(configure).await;
    create(&sb, json!({"amount": 15000, "order_id": "INV-1"})).await;
    post(&sb, "/sandbox/orders/INV-1/pay", json!({})).await;
    eventually(20, "the delivery", || async {
        (deliveries(&sb).await.len() == 1).then_some(())
    })
    .await;
    sb.shutdown().await;
    let conn = rusqlite::Connection::open(&db).unwrap();
    let read = |sql: &str| -> Value {
        let text: String = conn.query_row(sql, [], |r| r.get(0)).unwrap();
        serde_json::from_str(&text).unwrap()
    };
    let order = read("SELECT data FROM orders WHERE order_id = 'INV-1'");
    let delivery = read("SELECT data FROM deliveries");

    // Each edit, alone, makes a record the sandbox never writes; each is refused by name.
    let edits: Vec<(&str, Value, &[&str])> = vec![
        (
            "order",
            json!({"expires_at": i64::MAX}),
            &["INV-1", "expires_at"],
        ),
        ("order", json!({"created_at": -1}), &["INV-1", "created_at"]),
        ("order", json!({"amount": i64::MIN}), &["INV-1", "amount"]),
        (
            "order",
            json!({"paid_amount": 0}),
            &["INV-1", "paid_amount"],
        ),
        (
            "order",
            json!({"unique_code": 100}),
            &["INV-1", "unique_code"],
        ),
        ("order", json!({"order_id": "OTHER"}), &["INV-1", "OTHER"]),
        ("order", json!({"paid_at": null}), &["INV-1", "paid_at"]),
        ("delivery", json!({"id": u64::MAX}), &["delivery", "id"]),
        (
            "delivery",
            json!({"max_attempts": 0}),
            &["delivery", "max_attempts"],
        ),
        (
            "delivery",
            json!({"next_attempt_at": i64::MIN}),
            &["delivery", "next_attempt_at"],
        ),
        (
            "delivery",
            json!({"signature": "zz"}),
            &["delivery", "signature"],
        ),
    ];
    for (table, edit, needles) in edits {
        let mut record = if table == "order" {
            order.clone()
        } else {
            delivery.clone()
        };
        for (k, v) in edit.as_object().unwrap() {
            record[k] = v.clone();
        }
        let (sql, other, other_sql) = if table == "order" {
            (
                "UPDATE orders SET data = ?1",
                &delivery,
                "UPDATE deliveries SET data = ?1",
            )
        } else {
            (
                "UPDATE deliveries SET data = ?1",
                &order,
                "UPDATE orders SET data = ?1",
            )
        };
        conn.execute(sql, [record.to_string()]).unwrap();
        conn.execute(other_sql, [other.to_string()]).unwrap();
        let err = refused_db(&db).await;
        assert!(err.contains(&db.display().to_string()), "{err}");
        for needle in needles {
            assert!(err.contains(needle), "{edit}: {err}");
        }
    }
    conn.execute("UPDATE orders SET data = ?1", [order.to_string()])
        .unwrap();
    conn.execute("UPDATE deliveries SET data = ?1", [delivery.to_string()])
        .unwrap();

    // Not JSON at all, and a clock offset that is not a number of milliseconds.
    conn.execute("UPDATE orders SET data = 'garbage'", [])
        .unwrap();
    let err = refused_db(&db).await;
    assert!(
        err.contains("INV-1") && err.contains("not valid JSON"),
        "{err}"
    );
    conn.execute("UPDATE orders SET data = ?1", [order.to_string()])
        .unwrap();
    for offset in ["1e300", "-5", "99999999999999999999", "soon"] {
        conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('clock_offset_ms', ?1)",
            [offset],
        )
        .unwrap();
        let err = refused_db(&db).await;
        assert!(err.contains("clock_offset_ms"), "{offset}: {err}");
    }

    // Restored, it starts again with the order intact.
    conn.execute("DELETE FROM meta", []).unwrap();
    drop(conn);
    let sb = start_with(configure).await;
    assert_eq!(status(&sb, "INV-1").await.body["status"], "SETTLED");
    sb.shutdown().await;
    let _ = std::fs::remove_dir_all(db.parent().unwrap());
}
