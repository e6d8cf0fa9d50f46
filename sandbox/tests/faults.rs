//! Fault injection: each kind, counts, path filters, clearing.

mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::json;

async fn arm(sb: &cashi_sandbox::RunningSandbox, fault: serde_json::Value) {
    let a = post(sb, "/sandbox/faults", fault.clone()).await;
    assert_eq!(a.status, 200, "{fault}: {}", a.text);
}

#[tokio::test]
async fn error_answers_an_html_page_for_count_requests() {
    let sb = start().await;
    create(&sb, json!({"amount": 15000, "order_id": "o"})).await;
    arm(
        &sb,
        json!({"kind": "error", "status": 503, "count": 2, "path": "check-status"}),
    )
    .await;
    // The control API is never faulted, and create-order does not match the path.
    assert_eq!(
        get(&sb, "/sandbox/faults").await.body["faults"][0]["count"],
        2
    );
    assert_eq!(create(&sb, json!({"amount": 15000})).await.status, 200);
    for _ in 0..2 {
        let a = status(&sb, "o").await;
        assert_eq!(a.status, 503);
        let ct = a.headers["content-type"].to_str().unwrap();
        assert!(ct.starts_with("text/html"), "{ct}");
        assert!(a.text.contains("<html>") && a.body.is_null());
    }
    assert_eq!(status(&sb, "o").await.status, 200);
    // Default status 502; nothing is created when the error is injected on create-order.
    arm(&sb, json!({"kind": "error", "path": "create-order"})).await;
    let a = create(&sb, json!({"amount": 15000, "order_id": "never"})).await;
    assert_eq!(a.status, 502);
    assert_eq!(status(&sb, "never").await.status, 404);
}

#[tokio::test]
async fn error_with_a_message_answers_json_echoing_the_key() {
    let sb = start().await;
    arm(
        &sb,
        json!({"kind": "error", "status": 401, "message": "bad key {api_key} ({api_key})"}),
    )
    .await;
    let a = create(&sb, json!({"amount": 15000, "order_id": "never"})).await;
    assert_eq!(a.status, 401);
    let key = sb.api_key();
    assert_eq!(
        a.body,
        json!({"success": false, "message": format!("bad key {key} ({key})")})
    );
    assert_eq!(status(&sb, "never").await.status, 404);
}

#[tokio::test]
async fn rate_limit_answers_429_with_retry_after() {
    let sb = start().await;
    arm(&sb, json!({"kind": "rate_limit", "retry_after": 7})).await;
    let a = create(&sb, json!({"amount": 15000})).await;
    assert_eq!(a.status, 429);
    assert_eq!(a.headers["retry-after"], "7");
    assert_eq!(a.body["success"], false);
    assert!(a.body["message"].is_string());
    assert_eq!(create(&sb, json!({"amount": 15000})).await.status, 200);
}

#[tokio::test]
async fn drop_closes_the_connection_without_an_answer() {
    let sb = start().await;
    arm(&sb, json!({"kind": "drop", "path": "create-order"})).await;
    let err = client()
        .post(format!("{}/create-order", sb.base_url()))
        .header("x-api-key", sb.api_key())
        .json(&json!({"amount": 15000, "order_id": "dropped"}))
        .send()
        .await
        .expect_err("no HTTP response");
    assert!(err.status().is_none());
    assert!(!err.is_timeout(), "{err:?}");
    // The order was created before the answer was lost: retrying blindly would be a 409.
    assert_eq!(status(&sb, "dropped").await.body["status"], "PENDING");
    assert_eq!(
        create(&sb, json!({"amount": 15000, "order_id": "dropped"}))
            .await
            .status,
        409
    );

    arm(&sb, json!({"kind": "drop"})).await;
    let err = client()
        .get(format!("{}/check-status/dropped", sb.base_url()))
        .header("x-api-key", sb.api_key())
        .send()
        .await
        .expect_err("no HTTP response");
    assert!(err.status().is_none() && !err.is_timeout(), "{err:?}");
}

#[tokio::test]
async fn truncate_cuts_the_json_body_in_half() {
    let sb = start().await;
    create(&sb, json!({"amount": 15000, "order_id": "t"})).await;
    let full = status(&sb, "t").await.text;
    arm(&sb, json!({"kind": "truncate", "path": "check-status"})).await;
    let a = status(&sb, "t").await;
    assert_eq!(a.status, 200);
    assert_eq!(a.text, full[..full.len() / 2]);
    assert!(a.body.is_null(), "not valid JSON");
    assert_eq!(
        a.headers["content-length"],
        a.text.len().to_string().as_str()
    );
}

#[tokio::test]
async fn latency_delays_then_answers_normally() {
    let sb = start().await;
    arm(&sb, json!({"kind": "latency", "latency_ms": 300})).await;
    let started = Instant::now();
    let a = create(&sb, json!({"amount": 15000})).await;
    // A lower bound only: the delay was injected, however slow the machine is.
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(a.status, 200);
    assert_eq!(a.body["success"], true);

    // A client that gives up early loses the answer, not the order.
    arm(
        &sb,
        json!({"kind": "latency", "latency_ms": 5000, "path": "create-order"}),
    )
    .await;
    let err = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap()
        .post(format!("{}/create-order", sb.base_url()))
        .header("x-api-key", sb.api_key())
        .json(&json!({"amount": 15000, "order_id": "slow"}))
        .send()
        .await
        .expect_err("the client times out first");
    assert!(err.is_timeout());
    assert_eq!(status(&sb, "slow").await.body["status"], "PENDING");
}

#[tokio::test]
async fn patch_sets_and_removes_fields() {
    let sb = start().await;
    arm(
        &sb,
        json!({"kind": "patch", "path": "create-order", "remove": ["orderId"],
               "set": {"amount": "15023", "expires_at": "0"}}),
    )
    .await;
    let a = create(&sb, json!({"amount": 15000, "order_id": "p"})).await;
    assert_eq!(a.status, 200);
    assert!(a.body.get("orderId").is_none());
    assert_eq!(a.body["order_id"], "p");
    assert_eq!(a.body["amount"], "15023");
    assert_eq!(a.body["expires_at"], "0");

    arm(
        &sb,
        json!({"kind": "patch", "count": 2, "set": {"status": "PAID", "success": false}}),
    )
    .await;
    for _ in 0..2 {
        let a = status(&sb, "p").await;
        assert_eq!(a.status, 200);
        assert_eq!(a.body["status"], "PAID");
        assert_eq!(a.body["success"], false);
    }
    assert_eq!(status(&sb, "p").await.body["status"], "PENDING");
}

#[tokio::test]
async fn respond_serves_the_exact_text_and_does_nothing() {
    let sb = start().await;
    let text = r#"{"success":true,"order_id":"r","amount":15023.0000000000000001}"#;
    arm(
        &sb,
        json!({"kind": "respond", "path": "create-order", "body": text}),
    )
    .await;
    let a = create(&sb, json!({"amount": 15000, "order_id": "r"})).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.text, text, "byte for byte");
    assert_eq!(a.headers["content-type"], "application/json");
    assert_eq!(status(&sb, "r").await.status, 404, "no order was created");
    arm(
        &sb,
        json!({"kind": "respond", "status": 404, "body": "<html>gone</html>"}),
    )
    .await;
    let a = status(&sb, "r").await;
    assert_eq!((a.status, a.text.as_str()), (404, "<html>gone</html>"));
    // A 2xx given explicitly, as the conformance vectors arm it.
    arm(&sb, json!({"kind": "respond", "status": 200, "body": "{}"})).await;
    let a = status(&sb, "r").await;
    assert_eq!((a.status, a.text.as_str()), (200, "{}"));
}

#[tokio::test]
async fn faults_are_validated_listed_and_cleared() {
    let sb = start().await;
    for bad in [
        json!({"kind": "explode"}),
        json!({"kind": "error", "status": 200}),
        json!({"kind": "latency"}),
        json!({"kind": "patch"}),
        json!({"kind": "respond"}),
        json!({"kind": "respond", "body": "{}", "status": 700}),
        json!({"kind": "error", "count": 0}),
        json!({"kind": "error", "typo": 1}),
        json!({"kind": "drop", "message": "m"}),
    ] {
        assert_eq!(
            post(&sb, "/sandbox/faults", bad.clone()).await.status,
            400,
            "{bad}"
        );
    }
    arm(&sb, json!({"kind": "error", "count": 5})).await;
    arm(
        &sb,
        json!({"kind": "rate_limit", "path": "/api/check-status"}),
    )
    .await;
    let list = get(&sb, "/sandbox/faults").await.body["faults"].clone();
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[1]["path"], "check-status");
    let resp = client()
        .delete(format!("{}/sandbox/faults", sb.base_url()))
        .header("x-api-key", sb.api_key())
        .send()
        .await
        .unwrap();
    assert_eq!(answer(resp).await.body["faults"], json!([]));
    assert_eq!(create(&sb, json!({"amount": 15000})).await.status, 200);
}

#[tokio::test]
async fn drop_sends_not_a_single_byte() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let sb = start().await;
    arm(&sb, json!({"kind": "drop", "path": "check-status"})).await;
    let mut tcp = tokio::net::TcpStream::connect(sb.addr()).await.unwrap();
    let req = format!(
        "GET /api/check-status/x HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: {}\r\n\r\n",
        sb.api_key()
    );
    tcp.write_all(req.as_bytes()).await.unwrap();
    let mut got = Vec::new();
    // EOF or a reset, never bytes.
    let _ = tcp.read_to_end(&mut got).await;
    assert!(got.is_empty(), "{:?}", String::from_utf8_lossy(&got));
}
