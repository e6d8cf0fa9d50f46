//! Turning an HTTP answer into JSON or the error it means. Errors are classified by the
//! HTTP status first: a CDN's HTML page for a 502 is a `server` error, not a `decode` error.

use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind, Result};

/// How much of a non-JSON body is kept in an error message.
const EXCERPT_CHARS: usize = 200;

/// Reads an answer's body as the JSON object of a successful call.
pub fn interpret(http_status: u16, body: &[u8]) -> Result<Map<String, Value>> {
    let json = serde_json::from_slice::<Value>(body).ok();
    if !(200..300).contains(&http_status) {
        return Err(error_for_status(http_status, json.as_ref(), body));
    }
    let Some(Value::Object(map)) = json else {
        return Err(Error::new(
            ErrorKind::Decode,
            format!(
                "Cashi answered HTTP {http_status} with a body that is not a JSON object: {}",
                excerpt(body)
            ),
        )
        .with_status(http_status));
    };
    if is_false(map.get("success")) {
        let text = server_text(&map).unwrap_or_else(|| "no message given".into());
        return Err(
            Error::new(ErrorKind::Api, format!("Cashi refused the request: {text}"))
                .with_status(http_status),
        );
    }
    Ok(map)
}

fn is_false(value: Option<&Value>) -> bool {
    match value {
        Some(Value::Bool(b)) => !b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("false"),
        Some(Value::Number(n)) => n.as_i64() == Some(0),
        _ => false,
    }
}

/// The server's own explanation: `message`, or `error` (some answers use that).
fn server_text(map: &Map<String, Value>) -> Option<String> {
    ["message", "error"].iter().find_map(|f| match map.get(*f) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Some(Value::Object(o)) => server_text(o),
        _ => None,
    })
}

fn error_for_status(status: u16, json: Option<&Value>, body: &[u8]) -> Error {
    let said = match json {
        Some(Value::Object(map)) => server_text(map),
        _ => None,
    }
    .unwrap_or_else(|| excerpt(body));
    let (kind, advice) = match status {
        401 | 403 => (ErrorKind::Authentication, "check your API key (CASHI_API_KEY) in the Cashi dashboard"),
        404 => (ErrorKind::NotFound, "no such order: check the order id"),
        409 => (ErrorKind::Conflict, "Cashi refused the order as a conflict: the order id is already used (check that order's status instead of creating it again), or no unique amount to pay is free for this amount right now"),
        429 => (ErrorKind::RateLimited, "too many requests: slow down and try again later"),
        500..=599 => (ErrorKind::Server, "Cashi or its CDN had a problem: try again later"),
        _ => (ErrorKind::Api, "Cashi refused the request"),
    };
    Error::new(kind, format!("{advice} (Cashi said: {said})")).with_status(status)
}

/// A short, single-line, tag-free excerpt of a body for a message.
pub fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut plain = String::with_capacity(text.len().min(1024));
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                plain.push(' ');
            }
            _ if !in_tag => plain.push(if c.is_control() { ' ' } else { c }),
            _ => {}
        }
    }
    let words: Vec<&str> = plain.split_whitespace().collect();
    let joined = words.join(" ");
    if joined.is_empty() {
        return "an empty body".into();
    }
    let mut out: String = joined.chars().take(EXCERPT_CHARS).collect();
    if joined.chars().count() > EXCERPT_CHARS {
        out.push('…');
    }
    format!("{out:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(status: u16, body: &str) -> ErrorKind {
        interpret(status, body.as_bytes()).unwrap_err().kind()
    }

    #[test]
    fn classified_by_status() {
        assert_eq!(
            kind(401, r#"{"success":false,"message":"Invalid API key"}"#),
            ErrorKind::Authentication
        );
        assert_eq!(kind(403, ""), ErrorKind::Authentication);
        assert_eq!(kind(404, r#"{"success":false}"#), ErrorKind::NotFound);
        assert_eq!(kind(409, ""), ErrorKind::Conflict);
        assert_eq!(kind(429, ""), ErrorKind::RateLimited);
        assert_eq!(
            kind(502, "<html><body><h1>502 Bad Gateway</h1></body></html>"),
            ErrorKind::Server
        );
        assert_eq!(
            kind(400, r#"{"success":false,"error":"amount too small"}"#),
            ErrorKind::Api
        );
        assert_eq!(
            kind(200, r#"{"success":false,"message":"channel not active"}"#),
            ErrorKind::Api
        );
        assert_eq!(kind(200, r#"{"success":tr"#), ErrorKind::Decode);
        assert_eq!(kind(200, "[1]"), ErrorKind::Decode);
    }

    #[test]
    fn messages_carry_the_servers_words() {
        let e = interpret(400, br#"{"success":false,"error":"amount too small"}"#).unwrap_err();
        assert!(e.message().contains("amount too small"));
        assert_eq!(e.http_status(), Some(400));
        let e = interpret(200, br#"{"success":false,"message":"channel not active"}"#).unwrap_err();
        assert!(e.message().contains("channel not active"));
        let e = interpret(
            503,
            b"<html><head><title>503</title></head><body>Service   Unavailable</body></html>",
        )
        .unwrap_err();
        assert!(
            e.message().contains("503 Service Unavailable"),
            "{}",
            e.message()
        );
        assert!(!e.message().contains('<'));
    }

    #[test]
    fn excerpt_is_short() {
        let long = "x".repeat(5000);
        assert!(excerpt(long.as_bytes()).chars().count() < EXCERPT_CHARS + 5);
        assert_eq!(excerpt(b""), "an empty body");
    }

    #[test]
    fn success_body_passes() {
        assert!(interpret(200, br#"{"success":true,"status":"PENDING"}"#).is_ok());
        assert!(interpret(200, br#"{"status":"PENDING"}"#).is_ok());
    }
}
