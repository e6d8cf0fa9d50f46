//! Signed webhook delivery with retries.
//!
//! The body is serialized once and those exact bytes are signed and stored, so the record
//! in `GET /api/sandbox/webhooks` is byte-for-byte what the merchant received. A ticker
//! sends due deliveries; retry times are on the sandbox clock, so `clock/advance` makes a
//! retry due at once.

use std::sync::Arc;
use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::clock::Millis;
use crate::delivery::{Attempt, Delivery, DeliveryState, EXCERPT_BYTES};
use crate::order::Order;
use crate::state::Sandbox;
use crate::store::{random_digits, StoreError};
use crate::time_fmt;

#[derive(Serialize)]
struct Body<'a> {
    event: &'a str,
    data: Data<'a>,
}

/// Field order follows the contract's example; serde keeps struct order.
#[derive(Serialize)]
struct Data<'a> {
    order_id: &'a str,
    status: &'a str,
    amount: i64,
    payment_method: &'a str,
    paid_at: String,
    transaction_id: &'a str,
}

/// Lower-case hex HMAC-SHA256 of `body` keyed with `secret`.
pub fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

fn body_json(order_id: &str, amount: i64, method: &str, paid_at: Millis, tx: &str) -> String {
    serde_json::to_string(&Body {
        event: "PAYMENT_SETTLED",
        data: Data {
            order_id,
            status: "SETTLED",
            amount,
            payment_method: method,
            paid_at: time_fmt::jakarta(paid_at),
            transaction_id: tx,
        },
    })
    .expect("serializing plain data cannot fail")
}

#[allow(clippy::too_many_arguments)]
fn new_delivery(
    id: u64,
    kind: &str,
    order_id: &str,
    url: &str,
    secret: &str,
    body: String,
    max_attempts: u32,
    now: Millis,
) -> Delivery {
    Delivery {
        id,
        kind: kind.to_string(),
        order_id: order_id.to_string(),
        url: url.to_string(),
        signature: sign(secret, body.as_bytes()),
        body,
        state: DeliveryState::Pending,
        attempts: Vec::new(),
        max_attempts: max_attempts.max(1),
        next_attempt_at: Some(now),
        created_at: now,
    }
}

/// Queues the PAYMENT_SETTLED webhook of a freshly settled order, if a URL is configured.
/// Called under the store lock, right after the settlement, so both are persisted together.
pub fn queue_settlement(sandbox: &Sandbox, store: &mut crate::store::Store, order: &Order) {
    let Some(url) = store.settings.webhook_url.clone() else {
        return;
    };
    let tx = order.provider_tx_id.as_deref().unwrap_or_default();
    let body = body_json(
        &order.order_id,
        order.paid_amount.unwrap_or(order.amount),
        order.channel.payment_method(),
        order.paid_at.unwrap_or(order.created_at),
        tx,
    );
    let d = new_delivery(
        store.next_delivery_id(),
        "settlement",
        &order.order_id,
        &url,
        &store.settings.webhook_secret,
        body,
        sandbox.config.webhook_max_attempts,
        sandbox.clock.now(),
    );
    store.add_delivery(d, false);
    sandbox.webhook_wake.notify_one();
}

/// Sends a dashboard-style test webhook (order id `TEST-...`) once, now, and returns its
/// record. Like the dashboard button it is not retried. `None` if no URL is known.
pub async fn send_test(sandbox: &Arc<Sandbox>, url: Option<String>) -> Option<Delivery> {
    let d = {
        let mut store = sandbox.store.lock();
        let url = url.or_else(|| store.settings.webhook_url.clone())?;
        let now = sandbox.clock.now();
        let order_id = format!("TEST-{}", random_digits(10));
        let tx = format!("TEST-{}", random_digits(11));
        let body = body_json(&order_id, 15_023, "QRIS", now, &tx);
        let d = new_delivery(
            store.next_delivery_id(),
            "test",
            &order_id,
            &url,
            &store.settings.webhook_secret,
            body,
            1,
            now,
        );
        store.add_delivery(d.clone(), true);
        d
    };
    Some(attempt(sandbox, d).await)
}

/// The delay before attempt number `n + 1`, given `n` attempts made so far (n >= 1).
fn retry_delay(schedule: &[Duration], n: usize) -> Duration {
    schedule
        .get(n - 1)
        .or(schedule.last())
        .copied()
        .unwrap_or(Duration::from_secs(60))
}

/// Sends a delivered (or failed) webhook once more, now: the same URL, body and signature,
/// as Cashi does when a merchant's 200 was lost, and as anyone holding a captured webhook
/// can (the signature has no timestamp). The attempt is recorded, marked `redelivery`; the
/// delivery's state does not change. A pending delivery is refused: its retries are due.
pub async fn redeliver(sandbox: &Arc<Sandbox>, id: u64) -> Result<Delivery, StoreError> {
    let d = {
        let store = sandbox.store.lock();
        let d = store
            .deliveries()
            .iter()
            .find(|d| d.id == id)
            .cloned()
            .ok_or_else(|| StoreError::NotFound(format!("delivery {id} not found")))?;
        if d.state == DeliveryState::Pending {
            return Err(StoreError::Conflict(format!(
                "delivery {id} is still pending (its retries are due); redeliver a delivered or failed one"
            )));
        }
        d
    };
    let mut record = send(sandbox, &d).await;
    record.redelivery = true;
    sandbox
        .store
        .lock()
        .finish_attempt(id, |stored| stored.attempts.push(record))
        .ok_or_else(|| StoreError::NotFound(format!("delivery {id} was reset meanwhile")))
}

/// One POST of a delivery to its URL; what came back (or why nothing did).
async fn send(sandbox: &Arc<Sandbox>, d: &Delivery) -> Attempt {
    let at = sandbox.clock.now();
    let started = Instant::now();
    let result = sandbox
        .http
        .post(&d.url)
        .header("content-type", "application/json")
        .header("x-gateway-signature", &d.signature)
        .body(d.body.clone())
        .timeout(sandbox.config.webhook_timeout)
        .send()
        .await;
    let (http_status, error, response_body) = match result {
        Ok(mut resp) => {
            let status = resp.status().as_u16();
            // Only the start is kept, so only the start is read, however long (or endless)
            // the answer; dropping `resp` then closes the connection.
            let mut head = Vec::new();
            while head.len() < EXCERPT_BYTES {
                match resp.chunk().await {
                    Ok(Some(chunk)) => head.extend_from_slice(&chunk),
                    Ok(None) | Err(_) => break,
                }
            }
            (Some(status), None, Some(excerpt(&head, EXCERPT_BYTES)))
        }
        Err(e) => (None, Some(describe(&e)), None),
    };
    Attempt {
        at: time_fmt::rfc3339(at),
        http_status,
        error,
        duration_ms: started.elapsed().as_millis() as u64,
        response_body,
        redelivery: false,
    }
}

/// Makes one attempt and records it.
async fn attempt(sandbox: &Arc<Sandbox>, d: Delivery) -> Delivery {
    let record = send(sandbox, &d).await;
    let ok = record.http_status == Some(200);
    let schedule = &sandbox.config.webhook_retry_schedule;
    let now = sandbox.clock.now();
    // Nobody else touches a delivery while it is in flight: the updated copy replaces it.
    let mut d = d;
    d.attempts.push(record);
    if ok {
        d.state = DeliveryState::Delivered;
        d.next_attempt_at = None;
    } else if d.attempts.len() as u32 >= d.max_attempts {
        d.state = DeliveryState::Failed;
        d.next_attempt_at = None;
    } else {
        let delay = retry_delay(schedule, d.attempts.len());
        d.next_attempt_at = Some(now + delay.as_millis() as i64);
    }
    let stored = sandbox
        .store
        .lock()
        .finish_attempt(d.id, |stored| *stored = d.clone());
    stored.unwrap_or(d)
}

/// At most `max` bytes of text from the start of `bytes`: invalid UTF-8 becomes U+FFFD and
/// the cut never splits a character.
fn excerpt(bytes: &[u8], max: usize) -> String {
    let mut out = String::new();
    let mut chunks = bytes.utf8_chunks().peekable();
    while let Some(chunk) = chunks.next() {
        let invalid = chunk.invalid();
        // A character cut short at the very end is where reading stopped, not bad data.
        let cut_short = chunks.peek().is_none()
            && std::str::from_utf8(invalid).is_err_and(|e| e.error_len().is_none());
        let replacement =
            (!invalid.is_empty() && !cut_short).then_some(char::REPLACEMENT_CHARACTER);
        for c in chunk.valid().chars().chain(replacement) {
            if out.len() + c.len_utf8() > max {
                return out;
            }
            out.push(c);
        }
    }
    out
}

/// A short reason for a failed attempt, without the URL's noise.
fn describe(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timeout"
    } else if e.is_connect() {
        "connection failed"
    } else {
        "request failed"
    };
    let mut msg = kind.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        msg = format!("{msg}: {s}");
        src = s.source();
    }
    msg
}

/// Sends due deliveries every 100 ms (or at once when woken) until `stop` flips. Attempts
/// already under way are then finished and recorded (each is bounded by the webhook
/// timeout): aborting one the merchant had answered 200 would deliver it again after a
/// restart. Only a crash can still do that, as with any at-least-once sender.
pub async fn run(sandbox: Arc<Sandbox>, mut stop: watch::Receiver<bool>) {
    let mut running = JoinSet::new();
    loop {
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(100)) => {}
            _ = sandbox.webhook_wake.notified() => {}
            _ = stop.changed() => break,
        }
        while running.try_join_next().is_some() {}
        let due = sandbox.store.lock().take_due(sandbox.clock.now());
        for d in due {
            let sandbox = sandbox.clone();
            running.spawn(async move {
                attempt(&sandbox, d).await;
            });
        }
    }
    while running.join_next().await.is_some() {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_is_compact_and_ordered() {
        let b = body_json("INV-1", 15023, "QRIS", 1_704_067_200_000, "123");
        assert_eq!(
            b,
            r#"{"event":"PAYMENT_SETTLED","data":{"order_id":"INV-1","status":"SETTLED","amount":15023,"payment_method":"QRIS","paid_at":"2024-01-01 07:00:00","transaction_id":"123"}}"#
        );
    }

    #[test]
    fn signature_known_answer() {
        // RFC 4231 test case 2.
        assert_eq!(
            sign("Jefe", b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn excerpt_cuts_at_a_character_and_marks_bad_bytes() {
        assert_eq!(excerpt(b"ok", 200), "ok");
        assert_eq!(excerpt("aé".as_bytes(), 2), "a");
        assert_eq!(excerpt(b"a\xffb", 200), "a\u{fffd}b");
        // The first byte of a two-byte character, alone at the end: the read stopped there.
        assert_eq!(excerpt(b"ab\xc3", 200), "ab");
        assert_eq!(excerpt(b"\xff\xff\xff", 4), "\u{fffd}");
    }

    #[test]
    fn last_delay_repeats() {
        let s = [Duration::from_secs(1), Duration::from_secs(5)];
        assert_eq!(retry_delay(&s, 1), Duration::from_secs(1));
        assert_eq!(retry_delay(&s, 2), Duration::from_secs(5));
        assert_eq!(retry_delay(&s, 7), Duration::from_secs(5));
    }
}
