//! What the SDK did, for the merchant's logs: one event per HTTP attempt, per finished
//! call and per webhook verification.
//!
//! A listener is a plain function the client (or webhook verifier) calls synchronously, on
//! the thread that made the call; each binding turns it into its language's idiom (Python's
//! `logging`, Node's `EventEmitter`, a PSR-3 logger, a C callback). Events never carry the
//! API key, a webhook secret or a body: the order id, amounts, statuses and error codes
//! only. Without a listener nothing is measured or built.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};

use crate::error::Error;

/// Called with every event; must not block for long (it runs inside the call).
pub type Listener = Arc<dyn Fn(&Event<'_>) + Send + Sync>;

/// One thing the SDK did.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum Event<'a> {
    /// One HTTP request and its answer (or failure).
    Attempt(Attempt<'a>),
    /// A call finished, after all its attempts.
    Call(Call<'a>),
    /// A webhook body was verified (or refused).
    Webhook(WebhookCheck<'a>),
}

/// One HTTP attempt of a call.
#[derive(Debug, Clone, Copy)]
pub struct Attempt<'a> {
    pub method: &'a str,
    /// The API path (`/create-order`, `/check-status/INV-1`), without the base URL.
    pub path: &'a str,
    pub order_id: Option<&'a str>,
    /// 1 for the first attempt.
    pub attempt: u32,
    /// The answer's HTTP status; `None` when none arrived.
    pub http_status: Option<u16>,
    pub elapsed: Duration,
    /// Why the attempt failed, with the API key already removed.
    pub error: Option<&'a Error>,
    /// When the attempt failed and another follows: the pause before it.
    pub retry_in: Option<Duration>,
}

/// A whole call (`create_order`, `check_status`), its retries included.
#[derive(Debug, Clone, Copy)]
pub struct Call<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub order_id: Option<&'a str>,
    pub attempts: u32,
    pub http_status: Option<u16>,
    pub elapsed: Duration,
    pub error: Option<&'a Error>,
}

/// A webhook verification.
#[derive(Debug, Clone, Copy)]
pub struct WebhookCheck<'a> {
    /// The event's order id, when the body was verified and read.
    pub order_id: Option<&'a str>,
    pub is_test: Option<bool>,
    pub error: Option<&'a Error>,
}

impl Event<'_> {
    /// `attempt`, `call` or `webhook`.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::Attempt(_) => "attempt",
            Event::Call(_) => "call",
            Event::Webhook(_) => "webhook",
        }
    }

    /// How much it matters: `warning` for a failed attempt that will be retried and for
    /// anything that failed, `info` for a finished call or verification, `debug` for an
    /// attempt that succeeded. Bindings map it to their logger's levels.
    pub fn level(&self) -> Level {
        match self {
            Event::Attempt(a) if a.error.is_some() => Level::Warning,
            Event::Attempt(_) => Level::Debug,
            Event::Call(c) if c.error.is_some() => Level::Warning,
            Event::Webhook(w) if w.error.is_some() => Level::Warning,
            Event::Call(_) | Event::Webhook(_) => Level::Info,
        }
    }

    /// The event's fields as JSON, the same in every language (elapsed in milliseconds,
    /// errors as their code and message).
    pub fn to_json(&self) -> Value {
        let error =
            |e: Option<&Error>| e.map(|e| json!({"code": e.code(), "message": e.message()}));
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        match self {
            Event::Attempt(a) => json!({
                "type": "attempt", "method": a.method, "path": a.path, "order_id": a.order_id,
                "attempt": a.attempt, "http_status": a.http_status, "elapsed_ms": ms(a.elapsed),
                "error": error(a.error), "retry_in_ms": a.retry_in.map(ms),
            }),
            Event::Call(c) => json!({
                "type": "call", "method": c.method, "path": c.path, "order_id": c.order_id,
                "attempts": c.attempts, "http_status": c.http_status, "elapsed_ms": ms(c.elapsed),
                "error": error(c.error),
            }),
            Event::Webhook(w) => json!({
                "type": "webhook", "order_id": w.order_id, "is_test": w.is_test,
                "error": error(w.error),
            }),
        }
    }
}

/// A log level, as [`Event::level`] judges it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Debug,
    Info,
    Warning,
}

impl Level {
    pub fn as_str(&self) -> &'static str {
        match self {
            Level::Debug => "debug",
            Level::Info => "info",
            Level::Warning => "warning",
        }
    }
}

/// One log line, the same in every language:
/// `POST /create-order order=INV-1 attempt 1: 503 in 12 ms (server: ...), retrying in 500 ms`.
impl fmt::Display for Event<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let order = |f: &mut fmt::Formatter<'_>, id: Option<&str>| match id {
            Some(id) => write!(f, " order={id}"),
            None => Ok(()),
        };
        let outcome = |f: &mut fmt::Formatter<'_>, status: Option<u16>| match status {
            Some(s) => write!(f, "{s}"),
            None => f.write_str("no answer"),
        };
        match self {
            Event::Attempt(a) => {
                write!(f, "{} {}", a.method, a.path)?;
                order(f, a.order_id)?;
                write!(f, " attempt {}: ", a.attempt)?;
                outcome(f, a.http_status)?;
                write!(f, " in {} ms", a.elapsed.as_millis())?;
                if let Some(e) = a.error {
                    write!(f, " ({}: {})", e.code(), e.message())?;
                }
                if let Some(pause) = a.retry_in {
                    write!(f, ", retrying in {} ms", pause.as_millis())?;
                }
                Ok(())
            }
            Event::Call(c) => {
                write!(f, "{} {}", c.method, c.path)?;
                order(f, c.order_id)?;
                f.write_str(": ")?;
                outcome(f, c.http_status)?;
                write!(
                    f,
                    " in {} ms after {} attempt{}",
                    c.elapsed.as_millis(),
                    c.attempts,
                    if c.attempts == 1 { "" } else { "s" }
                )?;
                if let Some(e) = c.error {
                    write!(f, " ({}: {})", e.code(), e.message())?;
                }
                Ok(())
            }
            Event::Webhook(w) => {
                f.write_str("webhook")?;
                order(f, w.order_id)?;
                match w.error {
                    Some(e) => write!(f, " refused ({}: {})", e.code(), e.message()),
                    None if w.is_test == Some(true) => f.write_str(" verified (test webhook)"),
                    None => f.write_str(" verified"),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn lines_and_json_name_what_happened() {
        let error = Error::new(ErrorKind::Server, "Cashi answered 503").with_status(503);
        let attempt = Event::Attempt(Attempt {
            method: "POST",
            path: "/create-order",
            order_id: Some("INV-1"),
            attempt: 1,
            http_status: Some(503),
            elapsed: Duration::from_millis(12),
            error: Some(&error),
            retry_in: Some(Duration::from_millis(500)),
        });
        let line = attempt.to_string();
        assert!(
            line.starts_with("POST /create-order order=INV-1 attempt 1: 503 in 12 ms (server:"),
            "{line}"
        );
        assert!(line.ends_with(", retrying in 500 ms"), "{line}");
        assert_eq!(attempt.level(), Level::Warning);
        let json = attempt.to_json();
        assert_eq!(json["type"], "attempt");
        assert_eq!(json["error"]["code"], "server");
        assert_eq!(json["retry_in_ms"], 500.0);

        let call = Event::Call(Call {
            method: "GET",
            path: "/check-status/INV-1",
            order_id: Some("INV-1"),
            attempts: 1,
            http_status: Some(200),
            elapsed: Duration::from_millis(3),
            error: None,
        });
        assert_eq!(
            call.to_string(),
            "GET /check-status/INV-1 order=INV-1: 200 in 3 ms after 1 attempt"
        );
        assert_eq!(call.level(), Level::Info);

        let test = Event::Webhook(WebhookCheck {
            order_id: Some("TEST-1"),
            is_test: Some(true),
            error: None,
        });
        assert_eq!(
            test.to_string(),
            "webhook order=TEST-1 verified (test webhook)"
        );
    }
}
