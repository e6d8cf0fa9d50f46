//! The shared known-answer files in `tests/vectors/`, which every binding also runs.

use base64::Engine;
use cashi::{Webhook, WebhookEvent};
use serde_json::Value;

fn load(name: &str) -> Vec<Value> {
    let path = format!("{}/../tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let doc: Value = serde_json::from_str(&text).unwrap();
    doc["cases"].as_array().unwrap().clone()
}

fn body_of(case: &Value) -> Vec<u8> {
    if let Some(text) = case["body"].as_str() {
        return text.as_bytes().to_vec();
    }
    if let Some(b64) = case["body_base64"].as_str() {
        return base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap();
    }
    let p = &case["body_pattern"];
    let times = p["times"].as_u64().unwrap() as usize;
    format!(
        "{}{}{}",
        p["prefix"].as_str().unwrap(),
        p["repeat"].as_str().unwrap().repeat(times),
        p["suffix"].as_str().unwrap()
    )
    .into_bytes()
}

fn check_event(name: &str, event: &WebhookEvent, expected: &Value) {
    assert_eq!(event.event.as_str(), expected["event"], "{name}: event");
    assert_eq!(
        event.order_id,
        expected["order_id"].as_str().unwrap(),
        "{name}: order_id"
    );
    assert_eq!(event.status.as_str(), expected["status"], "{name}: status");
    assert_eq!(
        event.amount,
        expected["amount"].as_i64().unwrap(),
        "{name}: amount"
    );
    assert_eq!(
        event.is_test(),
        expected["is_test"].as_bool().unwrap(),
        "{name}: is_test"
    );
    assert_eq!(
        event.is_settled(),
        expected["is_settled"].as_bool().unwrap(),
        "{name}: is_settled"
    );
    for optional in ["payment_method", "paid_at", "transaction_id"] {
        let got = match optional {
            "payment_method" => event.payment_method.as_deref(),
            "paid_at" => event.paid_at.as_deref(),
            _ => event.transaction_id.as_deref(),
        };
        assert_eq!(
            got,
            expected.get(optional).and_then(Value::as_str),
            "{name}: {optional}"
        );
    }
}

fn run(file: &str) -> usize {
    let cases = load(file);
    assert!(!cases.is_empty());
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let secrets: Vec<&str> = case["secrets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        let webhook = Webhook::with_secrets(&secrets).unwrap();
        let result = webhook.verify(&body_of(case), case["signature"].as_str().unwrap());
        let expect = &case["expect"];
        if expect["ok"].as_bool().unwrap() {
            let event = result.unwrap_or_else(|e| panic!("{name}: {e}"));
            check_event(name, &event, &expect["event"]);
        } else {
            let error = result.expect_err(name);
            assert_eq!(
                error.code(),
                expect["error"].as_str().unwrap(),
                "{name}: {error}"
            );
            if let Some(field) = expect["field"].as_str() {
                assert!(
                    error.message().contains(field),
                    "{name}: {error} should name {field}"
                );
            }
        }
    }
    cases.len()
}

#[test]
fn webhook_signature_vectors() {
    assert!(run("webhook_signatures.json") >= 10);
}

#[test]
fn webhook_payload_vectors() {
    assert!(run("webhook_payloads.json") >= 10);
}
