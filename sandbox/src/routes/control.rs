//! Sandbox-only controls under `/api/sandbox/` (authenticated like the API): pay or expire
//! an order, send a test webhook, move the clock, inspect deliveries, change settings at
//! runtime, arm faults.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::{bad_request, json_object, settle, store_error, whole_rupiah, ApiError, LimitedBody};
use crate::faults::Fault;
use crate::limits::{check_amount, check_url, MAX_CLOCK_OFFSET_MS, MAX_SECRET_LEN};
use crate::state::Sandbox;
use crate::store::{Settings, StoreError};
use crate::{time_fmt, webhooks};

/// `GET /api/sandbox/orders/{id}`: the full stored record (unique code, base amount,
/// times as epoch ms on the sandbox clock), for tests that need more than check-status.
pub async fn order(State(sandbox): State<Arc<Sandbox>>, Path(id): Path<String>) -> Response {
    let order = sandbox.store.lock().get(&id, sandbox.clock.now());
    match order {
        Some(o) => Json(json!({"success": true, "order": o})).into_response(),
        None => store_error(StoreError::NotFound(format!("order '{id}' not found"))),
    }
}

/// `POST /api/sandbox/orders/{id}/pay`, body optional `{"amount": N}` (a different amount
/// tests mismatch handling). Answers like check-status.
pub async fn pay(
    State(sandbox): State<Arc<Sandbox>>,
    Path(id): Path<String>,
    LimitedBody(body): LimitedBody,
) -> Response {
    let paid = json_object(&body, true)
        .and_then(|m| whole_rupiah(m.get("amount"), "amount"))
        .and_then(|paid| match paid {
            Some(a) => check_amount("amount", a)
                .map(|()| paid)
                .map_err(bad_request),
            None => Ok(None),
        });
    let paid = match paid {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    match settle(&sandbox, &id, paid) {
        Ok(o) => Json(o.status_json()).into_response(),
        Err(e) => store_error(e),
    }
}

/// `POST /api/sandbox/orders/{id}/expire`. Answers like check-status.
pub async fn expire(State(sandbox): State<Arc<Sandbox>>, Path(id): Path<String>) -> Response {
    let result = sandbox.store.lock().expire(&id, sandbox.clock.now());
    match result {
        Ok(o) => Json(o.status_json()).into_response(),
        Err(e) => store_error(e),
    }
}

/// `POST /api/sandbox/test-webhook`, body optional `{"url": "..."}`.
pub async fn test_webhook(
    State(sandbox): State<Arc<Sandbox>>,
    LimitedBody(body): LimitedBody,
) -> Response {
    let map = match json_object(&body, true) {
        Ok(m) => m,
        Err(e) => return e.into_response(),
    };
    let url = match map.get("url") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => match check_url("url", s) {
            Ok(()) => Some(s.clone()),
            Err(m) => return bad_request(m).into_response(),
        },
        Some(_) => return bad_request("url must be a string").into_response(),
    };
    match webhooks::send_test(&sandbox, url).await {
        Some(d) => Json(json!({"success": true, "delivery": d})).into_response(),
        None => bad_request(
            "no webhook URL: set one with POST /api/sandbox/config or pass {\"url\": ...}",
        )
        .into_response(),
    }
}

fn clock_json(sandbox: &Sandbox) -> Value {
    let now = sandbox.clock.now();
    json!({
        "success": true,
        "now": time_fmt::rfc3339(now),
        "now_jakarta": time_fmt::jakarta(now),
        "now_ms": now,
        "offset_ms": sandbox.clock.offset(),
    })
}

pub async fn clock(State(sandbox): State<Arc<Sandbox>>) -> Response {
    Json(clock_json(&sandbox)).into_response()
}

/// `POST /api/sandbox/clock/advance` `{"seconds": N}`: expiry and due retries follow at
/// once (the webhook ticker is woken).
pub async fn advance_clock(
    State(sandbox): State<Arc<Sandbox>>,
    LimitedBody(body): LimitedBody,
) -> Response {
    let map = match json_object(&body, false) {
        Ok(m) => m,
        Err(e) => return e.into_response(),
    };
    const MAX_SECONDS: f64 = (MAX_CLOCK_OFFSET_MS / 1000) as f64;
    let seconds = match map.get("seconds").and_then(Value::as_f64) {
        Some(s) if (0.0..=MAX_SECONDS).contains(&s) => s,
        _ => {
            return bad_request(format!(
                "seconds must be a number from 0 to {MAX_SECONDS} (100 years; the clock only \
                 moves forward)"
            ))
            .into_response()
        }
    };
    // In range, so the product fits; the cast rounds to whole milliseconds.
    let ms = (seconds * 1000.0).round() as i64;
    {
        let mut store = sandbox.store.lock();
        let offset = match sandbox.clock.advance(ms, MAX_CLOCK_OFFSET_MS) {
            Ok(offset) => offset,
            Err(offset) => {
                return bad_request(format!(
                    "seconds: the sandbox clock may run at most 100 years ahead of real time; \
                     it is {} s ahead, so at most {} more seconds (POST /api/sandbox/reset \
                     brings it back)",
                    offset / 1000,
                    (MAX_CLOCK_OFFSET_MS - offset) / 1000
                ))
                .into_response()
            }
        };
        store.save_clock_offset(offset);
        store.expire_due(sandbox.clock.now());
    }
    sandbox.webhook_wake.notify_one();
    Json(clock_json(&sandbox)).into_response()
}

/// `GET /api/sandbox/webhooks[?order_id=...]`: every delivery with every attempt.
pub async fn webhooks(
    State(sandbox): State<Arc<Sandbox>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let store = sandbox.store.lock();
    let list: Vec<_> = store
        .deliveries()
        .iter()
        .filter(|d| q.get("order_id").map_or(true, |id| &d.order_id == id))
        .collect();
    Json(json!({"success": true, "deliveries": list})).into_response()
}

/// `POST /api/sandbox/webhooks/{id}/redeliver`: the delivered (or failed) webhook sent once
/// more, now; answers `{"success":true,"delivery":{...}}` with the new attempt last.
pub async fn redeliver(State(sandbox): State<Arc<Sandbox>>, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse::<u64>() else {
        return bad_request("the delivery id must be a number (the `id` of a delivery)")
            .into_response();
    };
    match webhooks::redeliver(&sandbox, id).await {
        Ok(d) => Json(json!({"success": true, "delivery": d})).into_response(),
        Err(e) => store_error(e),
    }
}

fn config_json(sandbox: &Sandbox) -> Value {
    json!({"success": true, "config": sandbox.store.lock().settings})
}

pub async fn get_config(State(sandbox): State<Arc<Sandbox>>) -> Response {
    Json(config_json(&sandbox)).into_response()
}

/// `POST /api/sandbox/config`: only the fields present change; `null` clears a URL.
pub async fn set_config(
    State(sandbox): State<Arc<Sandbox>>,
    LimitedBody(body): LimitedBody,
) -> Response {
    let map = match json_object(&body, false) {
        Ok(m) => m,
        Err(e) => return e.into_response(),
    };
    let url = |key: &str| -> Result<Option<Option<String>>, ApiError> {
        match map.get(key) {
            None => Ok(None),
            Some(Value::Null) => Ok(Some(None)),
            Some(Value::String(s)) if s.is_empty() => Ok(Some(None)),
            Some(Value::String(s)) => check_url(key, s)
                .map(|()| Some(Some(s.clone())))
                .map_err(bad_request),
            Some(_) => Err(bad_request(format!("{key} must be a string or null"))),
        }
    };
    let (webhook_url, redirect_url) = match (url("webhook_url"), url("redirect_url")) {
        (Ok(w), Ok(r)) => (w, r),
        (Err(e), _) | (_, Err(e)) => return e.into_response(),
    };
    let secret = match map.get("webhook_secret") {
        None => None,
        Some(Value::String(s)) if s.len() > MAX_SECRET_LEN => {
            return bad_request(format!(
                "webhook_secret is longer than {MAX_SECRET_LEN} bytes"
            ))
            .into_response()
        }
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(_) => return bad_request("webhook_secret must be a non-empty string").into_response(),
    };
    {
        let mut store = sandbox.store.lock();
        if let Some(w) = webhook_url {
            store.settings.webhook_url = w;
        }
        if let Some(r) = redirect_url {
            store.settings.redirect_url = r;
        }
        if let Some(s) = secret {
            store.settings.webhook_secret = s;
        }
    }
    Json(config_json(&sandbox)).into_response()
}

/// `POST /api/sandbox/close-idle-connections`: closes every keep-alive connection that is
/// waiting for its next request, as a server does when its keep-alive timeout passes or it
/// restarts, so that a client's reuse of a closed connection can be tested. A connection
/// with a request in flight (this one included) closes after its answer. Answers once the
/// others are closed (at most 2 s), so the client's next call comes after the close.
pub async fn close_idle_connections(State(sandbox): State<Arc<Sandbox>>) -> Response {
    sandbox
        .close_idle
        .send_modify(|generation| *generation += 1);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(2);
    loop {
        let closed = sandbox.connection_closed.notified();
        // This request's own connection stays open until its answer is written.
        if sandbox.open_connections.load(Ordering::SeqCst) <= 1 {
            break;
        }
        if tokio::time::timeout_at(deadline, closed).await.is_err() {
            break;
        }
    }
    Json(json!({"success": true})).into_response()
}

fn faults_json(sandbox: &Sandbox) -> Value {
    json!({"success": true, "faults": sandbox.faults.list()})
}

pub async fn list_faults(State(sandbox): State<Arc<Sandbox>>) -> Response {
    Json(faults_json(&sandbox)).into_response()
}

/// `POST /api/sandbox/faults`: arms one fault (see `crate::faults::Fault` for the fields).
pub async fn add_fault(
    State(sandbox): State<Arc<Sandbox>>,
    LimitedBody(body): LimitedBody,
) -> Response {
    let fault = match json_object(&body, false)
        .and_then(|m| Fault::from_json(m).map_err(|e| bad_request(format!("invalid fault: {e}"))))
    {
        Ok(f) => f,
        Err(e) => return e.into_response(),
    };
    sandbox.faults.add(fault);
    Json(faults_json(&sandbox)).into_response()
}

pub async fn clear_faults(State(sandbox): State<Arc<Sandbox>>) -> Response {
    sandbox.faults.clear();
    Json(faults_json(&sandbox)).into_response()
}

/// `POST /api/sandbox/reset`: back to a just-started sandbox (no orders, deliveries or
/// faults, real time, the start-up webhook/redirect settings), so one sandbox process can
/// serve a whole test session without unique codes running out.
pub async fn reset(State(sandbox): State<Arc<Sandbox>>) -> Response {
    {
        let mut store = sandbox.store.lock();
        store.reset();
        sandbox.clock.reset();
        store.save_clock_offset(0);
        let c = &sandbox.config;
        store.settings = Settings {
            webhook_url: c.webhook_url.clone(),
            webhook_secret: c.webhook_secret.clone(),
            redirect_url: c.redirect_url.clone(),
        };
    }
    sandbox.faults.clear();
    Json(json!({"success": true})).into_response()
}
