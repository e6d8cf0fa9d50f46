//! The events a listener sees: one per attempt and per call, for a success, a retried 503
//! and a timeout, and one per webhook verification; never the key or the secret.

#[allow(dead_code)] // each test file uses part of the scripted server
mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use cashi::events::Event;
use cashi::{Client, ClientBuilder, CreateOrder, Webhook};
use serde_json::Value;
use support::{MockServer, Reply};

const KEY: &str = "CASHI-EVENTSKEY01";
const SECRET: &str = "sk_events_secret_0001";
const PENDING: &str = r#"{"success":true,"status":"PENDING","amount":15023,"order_id":"A"}"#;

/// Each event as JSON and as its log line.
type Log = Arc<Mutex<Vec<(Value, String)>>>;

/// A builder whose events land, as JSON and as log lines, in the returned log.
fn listened(builder: ClientBuilder) -> (ClientBuilder, Log) {
    let log = Arc::new(Mutex::new(Vec::new()));
    let sink = log.clone();
    let builder = builder
        .on_event(move |e: &Event<'_>| sink.lock().unwrap().push((e.to_json(), e.to_string())));
    (builder, log)
}

fn base(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .api_key(KEY)
        .base_url(server.base_url())
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(5))
}

fn assert_no_secret(log: &[(Value, String)]) {
    for (json, line) in log {
        for secret in [KEY, SECRET] {
            assert!(
                !json.to_string().contains(secret) && !line.contains(secret),
                "{line}"
            );
        }
    }
}

#[tokio::test]
async fn a_success_is_one_attempt_and_one_call() {
    let server = MockServer::start().await;
    server.script([Reply::Json(200, PENDING.into())]);
    let (builder, log) = listened(base(&server));
    builder.build().unwrap().check_status("A").await.unwrap();
    let log = log.lock().unwrap();
    assert_eq!(log.len(), 2, "{log:?}");
    let (attempt, call) = (&log[0].0, &log[1].0);
    assert_eq!(attempt["type"], "attempt");
    assert_eq!(attempt["method"], "GET");
    assert_eq!(attempt["path"], "/check-status/A");
    assert_eq!(attempt["order_id"], "A");
    assert_eq!(attempt["attempt"], 1);
    assert_eq!(attempt["http_status"], 200);
    assert_eq!(attempt["error"], Value::Null);
    assert!(attempt["elapsed_ms"].as_f64().unwrap() >= 0.0);
    assert_eq!(call["type"], "call");
    assert_eq!(call["attempts"], 1);
    assert!(
        log[1].1.starts_with("GET /check-status/A order=A: 200 in "),
        "{}",
        log[1].1
    );
    assert_no_secret(&log);
}

#[tokio::test]
async fn a_retried_503_says_it_will_retry_and_why() {
    let server = MockServer::start().await;
    let unavailable = Reply::Json(503, r#"{"success":false,"message":"busy"}"#.into());
    server.script([unavailable, Reply::Json(200, PENDING.into())]);
    let (builder, log) = listened(base(&server));
    builder.build().unwrap().check_status("A").await.unwrap();
    let log = log.lock().unwrap();
    let kinds: Vec<_> = log
        .iter()
        .map(|(j, _)| j["type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["attempt", "attempt", "call"]);
    let failed = &log[0].0;
    assert_eq!(failed["http_status"], 503);
    assert_eq!(failed["error"]["code"], "server");
    assert!(failed["retry_in_ms"].as_f64().unwrap() > 0.0);
    assert!(log[0].1.contains(", retrying in "), "{}", log[0].1);
    assert_eq!(log[1].0["attempt"], 2);
    assert_eq!(log[1].0["retry_in_ms"], Value::Null);
    assert_eq!(log[2].0["attempts"], 2);
    assert_eq!(log[2].0["http_status"], 200);
    assert_no_secret(&log);
}

#[tokio::test]
async fn a_timeout_is_a_failed_attempt_and_a_failed_call() {
    let server = MockServer::start().await;
    server.fallback(Reply::Late(
        Duration::from_secs(3),
        Box::new(Reply::Json(200, PENDING.into())),
    ));
    let (builder, log) = listened(
        base(&server)
            .timeout(Duration::from_millis(100))
            .max_retries(0),
    );
    let client = builder.build().unwrap();
    client
        .create_order(&CreateOrder::new(15000).order_id("INV-T"))
        .await
        .unwrap_err();
    let log = log.lock().unwrap();
    assert_eq!(log.len(), 2, "{log:?}");
    let (attempt, call) = (&log[0].0, &log[1].0);
    assert_eq!(attempt["method"], "POST");
    assert_eq!(attempt["order_id"], "INV-T");
    assert_eq!(attempt["http_status"], Value::Null);
    assert_eq!(attempt["error"]["code"], "timeout");
    assert_eq!(attempt["retry_in_ms"], Value::Null);
    assert_eq!(call["error"]["code"], "timeout");
    assert!(log[1].1.contains(": no answer in "), "{}", log[1].1);
    assert_no_secret(&log);
}

#[test]
fn every_verification_is_reported_accepted_or_refused() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let sink = log.clone();
    let mut webhook = Webhook::new(SECRET).unwrap();
    webhook.on_event(move |e: &Event<'_>| sink.lock().unwrap().push((e.to_json(), e.to_string())));
    let body = cashi::testing::webhook_body("INV-9", 15023);
    let signature = cashi::testing::sign(SECRET, &body);
    webhook.verify(body.as_bytes(), &signature).unwrap();
    webhook
        .verify(body.as_bytes(), &"0".repeat(64))
        .unwrap_err();
    webhook
        .verify_headers(body.as_bytes(), [("content-type", "application/json")])
        .unwrap_err();
    let log = log.lock().unwrap();
    assert_eq!(log[0].0["order_id"], "INV-9");
    assert_eq!(log[0].0["is_test"], false);
    assert_eq!(log[0].1, "webhook order=INV-9 verified");
    assert_eq!(log[1].0["error"]["code"], "signature_invalid");
    assert_eq!(log[2].0["error"]["code"], "signature_invalid");
    assert!(
        log[2].1.contains("no x-gateway-signature header"),
        "{}",
        log[2].1
    );
    assert_eq!(log.len(), 3);
    assert_no_secret(&log);
}
