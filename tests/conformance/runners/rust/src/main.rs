//! The Rust runner of the cross-language conformance suite (`tests/conformance/run.py`):
//! reads one request per line on stdin, makes the call through the public API, answers one
//! normalized JSON line. Each language has a runner of the same shape.

use std::io::{BufRead, Write};
use std::time::Duration;

use base64::Engine;
use cashi::{Client, CreateOrder, Error, ErrorKind};
use serde_json::{json, Value};

/// An amount as a JSON value. Rust's type system rules out strings and booleans at compile
/// time; the runner maps them to the error other languages give at run time.
fn amount(field: &str, value: &Value) -> Result<i64, Error> {
    match value {
        Value::Object(o) if o.contains_key("$float") => {
            let f = match &o["$float"] {
                Value::String(s) => s.parse::<f64>().unwrap_or(f64::NAN),
                v => v.as_f64().unwrap_or(f64::NAN),
            };
            cashi::validate::amount_from_f64(field, f)
        }
        Value::Number(n) => match n.as_i64() {
            Some(i) => Ok(i),
            None => cashi::validate::amount_from_f64(field, n.as_f64().unwrap_or(f64::NAN)),
        },
        other => Err(Error::new(
            ErrorKind::InvalidArgument,
            format!("{field}: {other} is not a number of rupiah"),
        )),
    }
}

fn client(spec: &Value) -> Result<Client, Error> {
    let mut b = Client::builder();
    if let Some(key) = spec["api_key"].as_str() {
        b = b.api_key(key);
    }
    if let Some(url) = spec["base_url"].as_str() {
        b = b.base_url(url);
    }
    if let Some(r) = spec["max_retries"].as_u64() {
        b = b.max_retries(r as u32);
    }
    if let Some(ms) = spec["timeout_ms"].as_u64() {
        b = b.timeout(Duration::from_millis(ms));
    }
    b.build()
}

fn body(call: &Value) -> Vec<u8> {
    if let Some(text) = call["body"].as_str() {
        return text.as_bytes().to_vec();
    }
    if let Some(b64) = call["body_base64"].as_str() {
        return base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap_or_default();
    }
    let p = &call["body_pattern"];
    let repeat = p["repeat"]
        .as_str()
        .unwrap_or_default()
        .repeat(p["times"].as_u64().unwrap_or(0) as usize);
    format!(
        "{}{repeat}{}",
        p["prefix"].as_str().unwrap_or_default(),
        p["suffix"].as_str().unwrap_or_default()
    )
    .into_bytes()
}

fn secrets(call: &Value) -> Vec<String> {
    call["secrets"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| s.as_str().unwrap_or_default().to_string())
        .collect()
}

fn failure(e: &Error) -> Value {
    json!({"ok": false, "error": e.code(), "http_status": e.http_status(), "message": e.message()})
}

/// A batch's answer: each item's outcome, as a single call's, in the items' order.
fn items<T>(results: Vec<Result<T, Error>>, value: impl Fn(&T) -> Value) -> Value {
    let items: Vec<Value> = results
        .iter()
        .map(|r| match r {
            Ok(v) => json!({"ok": true, "value": value(v)}),
            Err(e) => failure(e),
        })
        .collect();
    json!({ "items": items })
}

/// A create_order call's request (`call` or one item of `requests`).
fn order_request(call: &Value) -> Result<CreateOrder, Error> {
    let mut r = CreateOrder::new(amount("amount", &call["amount"])?);
    if let Some(id) = call["order_id"].as_str() {
        r = r.order_id(id);
    }
    if let Some(ch) = call["channel"].as_str() {
        r = r.channel(ch);
    }
    if let Some(extra) = call.get("extra") {
        r = r.extra_json(extra.clone())?;
    }
    Ok(r)
}

fn order_value(o: &cashi::Order) -> Value {
    json!({"order_id": o.order_id, "amount": o.amount, "requested_amount": o.requested_amount,
           "unique_code": o.unique_code, "has_qr": o.qr_png().is_ok(), "has_checkout_url": o.checkout_url.is_some(),
           "has_expires_at": o.expires_at.is_some(), "expires_at": o.expires_at.map(|t| t.to_rfc3339()),
           "provider": o.provider, "checkout_url": o.checkout_url, "fee": o.fee,
           "expected_net": o.expected_net})
}

fn status_value(s: &cashi::PaymentStatus) -> Value {
    json!({"order_id": s.order_id, "status": s.state.as_str(), "amount": s.amount, "is_settled": s.is_settled(),
           "has_provider_tx_id": s.provider_tx_id.is_some(), "provider_tx_id": s.provider_tx_id,
           "amount_from_webhook": s.amount_from_webhook})
}

async fn call(request: &Value) -> Result<Value, Error> {
    let call = &request["call"];
    let text = |f: &str| call[f].as_str().unwrap_or_default().to_string();
    match call["op"].as_str().unwrap_or_default() {
        "webhook_verify" => {
            let e = cashi::Webhook::with_secrets(secrets(call))?
                .verify(&body(call), &text("signature"))?;
            Ok(
                json!({"event": e.event.as_str(), "order_id": e.order_id, "status": e.status.as_str(), "amount": e.amount,
                      "is_test": e.is_test(), "is_settled": e.is_settled(), "payment_method": e.payment_method,
                      "paid_at": e.paid_at, "transaction_id": e.transaction_id}),
            )
        }
        "create_order" => {
            let c = client(&request["client"])?;
            let r = order_request(call)?;
            Ok(order_value(&c.create_order(&r).await?))
        }
        "create_orders" => {
            let c = client(&request["client"])?;
            let list = call["requests"].as_array().cloned().unwrap_or_default();
            // A request Rust's types cannot hold (an amount of 15000.5) is that item's error;
            // the others go to the core's batch, and the outcomes are put back in order.
            let parsed: Vec<Result<CreateOrder, Error>> = list.iter().map(order_request).collect();
            let valid: Vec<CreateOrder> = parsed
                .iter()
                .filter_map(|r| r.as_ref().ok().cloned())
                .collect();
            let mut made = c.create_orders(&valid).await?.into_iter();
            let results = parsed
                .into_iter()
                .map(|r| match r {
                    Ok(_) => made.next().expect("one outcome per request"),
                    Err(e) => Err(e),
                })
                .collect();
            Ok(items(results, order_value))
        }
        "check_status" => Ok(status_value(
            &client(&request["client"])?
                .check_status(&text("order_id"))
                .await?,
        )),
        "check_statuses" => {
            let ids: Vec<String> = call["order_ids"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|id| id.as_str().unwrap_or_default().to_string())
                .collect();
            let results = client(&request["client"])?.check_statuses(&ids).await?;
            Ok(items(results, status_value))
        }
        "wait_for_payment" => {
            let timeout = Duration::from_millis(call["timeout_ms"].as_u64().unwrap_or(600_000));
            Ok(status_value(
                &client(&request["client"])?
                    .wait_for_payment(&text("order_id"), timeout)
                    .await?,
            ))
        }
        "confirm" => {
            let expected = amount("expected_amount", &call["expected_amount"])?;
            let c = client(&request["client"])?;
            let status = match call.get("event") {
                // Confirmed with the verified webhook event itself, not its order id.
                Some(event) => {
                    let verified = cashi::Webhook::with_secrets(secrets(event))?.verify(
                        &body(event),
                        event["signature"].as_str().unwrap_or_default(),
                    )?;
                    c.confirm(&verified, expected).await?
                }
                None => c.confirm(text("order_id").as_str(), expected).await?,
            };
            Ok(status_value(&status))
        }
        op => Err(Error::new(ErrorKind::Internal, format!("unknown op {op}"))),
    }
}

#[tokio::main]
async fn main() {
    let stdin = std::io::stdin();
    let mut out = std::io::stdout();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        let request: Value = serde_json::from_str(&line).unwrap_or(Value::Null);
        let answer = match call(&request).await {
            Ok(value) => json!({"ok": true, "value": value}),
            Err(e) => failure(&e),
        };
        let _ = writeln!(out, "{answer}");
        let _ = out.flush();
    }
}
