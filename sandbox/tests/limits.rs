//! Every control input is bounded and checked: a value out of range is a 400 that names
//! the field and the rule, and no request can break the sandbox for the next one.

mod common;

use common::*;
use serde_json::{json, Value};

/// POSTs `body` to `path` and expects a 400 whose message contains every `needle`.
async fn refused(sb: &cashi_sandbox::RunningSandbox, path: &str, body: Value, needles: &[&str]) {
    let a = post(sb, path, body.clone()).await;
    assert_eq!(a.status, 400, "{path} {body}: {}", a.text);
    assert_eq!(a.body["success"], false);
    let message = a.body["message"].as_str().unwrap();
    for needle in needles {
        assert!(message.contains(needle), "{path} {body}: {message}");
    }
}

#[tokio::test]
async fn a_huge_clock_advance_is_refused_and_the_sandbox_keeps_serving() {
    let sb = start().await;
    create(&sb, json!({"amount": 15000, "order_id": "before"})).await;
    refused(
        &sb,
        "/sandbox/clock/advance",
        json!({"seconds": 1e300}),
        &["seconds", "100 years"],
    )
    .await;
    // The next requests work, and the clock did not move.
    assert_eq!(get(&sb, "/sandbox/clock").await.body["offset_ms"], 0);
    assert_eq!(status(&sb, "before").await.body["status"], "PENDING");
    assert_eq!(create(&sb, json!({"amount": 15000})).await.status, 200);

    // Up to 100 years ahead in total, whatever the steps.
    let a = post(
        &sb,
        "/sandbox/clock/advance",
        json!({"seconds": 3_000_000_000u64}),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.text);
    refused(
        &sb,
        "/sandbox/clock/advance",
        json!({"seconds": 200_000_000}),
        &["seconds", "100 years", "/api/sandbox/reset"],
    )
    .await;
    assert_eq!(status(&sb, "before").await.body["status"], "EXPIRED");
    for bad in [json!(-1), json!("5"), json!(null), json!(true), json!([1])] {
        refused(
            &sb,
            "/sandbox/clock/advance",
            json!({"seconds": bad}),
            &["seconds"],
        )
        .await;
    }
}

#[tokio::test]
async fn control_inputs_out_of_range_are_refused_naming_the_field() {
    let sb = start().await;
    create(&sb, json!({"amount": 15000, "order_id": "o"})).await;
    // A payment is a whole number of rupiah from 1 to 2^53 - 1, as the SDK reads it.
    for bad in [json!(0), json!(-15000), json!(9_007_199_254_740_992i64)] {
        refused(
            &sb,
            "/sandbox/orders/o/pay",
            json!({"amount": bad}),
            &["amount", "9007199254740991"],
        )
        .await;
    }
    refused(
        &sb,
        "/sandbox/orders/o/pay",
        json!({"amount": 1.5}),
        &["amount", "whole number"],
    )
    .await;
    assert_eq!(status(&sb, "o").await.body["status"], "PENDING");

    for (fault, needles) in [
        (
            json!({"kind": "latency", "latency_ms": 600_001}),
            vec!["latency_ms", "600000"],
        ),
        (
            json!({"kind": "rate_limit", "retry_after": 86_401}),
            vec!["retry_after", "86400"],
        ),
        (
            json!({"kind": "error", "count": 1_000_001}),
            vec!["count", "1000000"],
        ),
        (json!({"kind": "error", "count": -1}), vec!["count"]),
        (
            json!({"kind": "error", "path": "x".repeat(300)}),
            vec!["path", "255"],
        ),
    ] {
        refused(&sb, "/sandbox/faults", fault, &needles).await;
    }
    assert_eq!(get(&sb, "/sandbox/faults").await.body["faults"], json!([]));

    for (body, needles) in [
        (
            json!({"webhook_url": "ftp://x/hook"}),
            vec!["webhook_url", "http"],
        ),
        (json!({"webhook_url": "not a url"}), vec!["webhook_url"]),
        (
            json!({"redirect_url": "javascript:alert(1)"}),
            vec!["redirect_url", "http"],
        ),
        (
            json!({"redirect_url": format!("http://x/{}", "a".repeat(3000))}),
            vec!["redirect_url", "2048"],
        ),
        (
            json!({"webhook_secret": "s".repeat(1025)}),
            vec!["webhook_secret", "1024"],
        ),
    ] {
        refused(&sb, "/sandbox/config", body, &needles).await;
    }
    refused(
        &sb,
        "/sandbox/test-webhook",
        json!({"url": "file:///etc/passwd"}),
        &["url", "http"],
    )
    .await;
    let config = get(&sb, "/sandbox/config").await.body["config"].clone();
    assert_eq!(config["webhook_url"], Value::Null);
    assert_eq!(config["redirect_url"], Value::Null);
}

#[tokio::test]
async fn start_up_settings_out_of_range_are_refused() {
    use std::time::Duration;
    type Set = Box<dyn Fn(&mut cashi_sandbox::SandboxConfig)>;
    let cases: [(&str, Set); 5] = [
        ("order_ttl", Box::new(|c| c.order_ttl = Duration::MAX)),
        (
            "webhook_retry_schedule",
            Box::new(|c| c.webhook_retry_schedule = vec![Duration::from_secs(u64::MAX)]),
        ),
        (
            "webhook_max_attempts",
            Box::new(|c| c.webhook_max_attempts = 0),
        ),
        (
            "webhook_timeout",
            Box::new(|c| c.webhook_timeout = Duration::MAX),
        ),
        (
            "webhook_url",
            Box::new(|c| c.webhook_url = Some("gopher://x".into())),
        ),
    ];
    for (field, set) in cases {
        let mut cfg = cashi_sandbox::SandboxConfig {
            log_requests: false,
            ..Default::default()
        };
        set(&mut cfg);
        let err = cashi_sandbox::start(cfg)
            .await
            .err()
            .unwrap_or_else(|| panic!("{field} out of range accepted"))
            .to_string();
        assert!(err.contains(field), "{err}");
    }
}

#[tokio::test]
async fn a_request_body_over_64_kib_is_refused_before_it_is_read() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let sb = start().await;
    let padded = |id: &str| json!({"amount": 15000, "order_id": id, "pad": "x".repeat(100_000)});
    let a = create(&sb, padded("big")).await;
    assert_eq!(a.status, 413, "{}", a.text);
    assert_eq!(a.body["success"], false);
    assert!(
        a.body["message"].as_str().unwrap().contains("65536"),
        "{}",
        a.text
    );
    assert_eq!(status(&sb, "big").await.status, 404);
    let a = post(
        &sb,
        "/sandbox/faults",
        json!({"kind": "error", "set": {"pad": "x".repeat(100_000)}}),
    )
    .await;
    assert_eq!(a.status, 413, "{}", a.text);

    // Chunked, with no length announced: refused once the limit is passed.
    let mut tcp = tokio::net::TcpStream::connect(sb.addr()).await.unwrap();
    let head = format!(
        "POST /api/create-order HTTP/1.1\r\nhost: 127.0.0.1\r\nx-api-key: {}\r\n\
         transfer-encoding: chunked\r\n\r\n",
        sb.api_key()
    );
    tcp.write_all(head.as_bytes()).await.unwrap();
    let body = padded("chunked").to_string();
    for part in body.as_bytes().chunks(16 * 1024) {
        let frame = [format!("{:x}\r\n", part.len()).as_bytes(), part, b"\r\n"].concat();
        if tcp.write_all(&frame).await.is_err() {
            break;
        }
    }
    let _ = tcp.write_all(b"0\r\n\r\n").await;
    let mut answer = Vec::new();
    let _ = tcp.read_to_end(&mut answer).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert_eq!(status(&sb, "chunked").await.status, 404);

    // At the limit is fine.
    let fits = json!({"amount": 15000, "order_id": "fits", "pad": "x".repeat(60_000)});
    assert_eq!(create(&sb, fits).await.status, 200);
}
