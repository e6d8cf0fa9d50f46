//! Turning an HTTP answer into JSON or the error it means. Errors are classified by the
//! HTTP status first: a CDN's HTML page for a 502 is a `server` error, not a `decode` error.

use hyper::Uri;
use serde_json::Value;

use crate::decode::fields::{self, ReadObject, Scalar};
use crate::error::{Error, ErrorKind, Result};

/// How much of a non-JSON body is kept in an error message.
const EXCERPT_CHARS: usize = 200;

/// An answer's fields that say whether the call succeeded, each as sent.
pub(crate) struct Outcome<'a> {
    pub success: Option<&'a Scalar>,
    pub message: Option<&'a Value>,
    pub error: Option<&'a Value>,
}

/// The fields of one kind of answer, its outcome among them (see [`answer_fields`]).
pub(crate) trait Reply: ReadObject {
    fn outcome(&self) -> Outcome<'_>;
}

/// Declares the fields the SDK reads from one kind of answer, as [`fields::json_fields`]
/// does, with the outcome fields every answer may carry (`success`, `message`, `error`),
/// and implements [`Reply`] for it.
macro_rules! answer_fields {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident { $($field:ident: $ty:ty = $json:literal,)+ }
    ) => {
        $crate::decode::fields::json_fields! {
            $(#[$meta])*
            $vis struct $name {
                success: $crate::decode::fields::Scalar = "success",
                message: serde_json::Value = "message",
                error: serde_json::Value = "error",
                $($field: $ty = $json,)+
            }
        }

        impl $crate::decode::response::Reply for $name {
            fn outcome(&self) -> $crate::decode::response::Outcome<'_> {
                $crate::decode::response::Outcome {
                    success: self.success.as_ref(),
                    message: self.message.as_ref(),
                    error: self.error.as_ref(),
                }
            }
        }
    };
}
pub(crate) use answer_fields;

/// A successful answer: the fields the SDK reads, and the body kept as text for `raw`.
#[derive(Debug)]
pub(crate) struct Answer<T> {
    pub fields: T,
    pub body: Box<str>,
}

/// The endpoint a call went to: what an error answer means depends on it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Called<'a> {
    pub url: &'a Uri,
    /// The path names an order (check-status), so a 404 in Cashi's own JSON is an unknown
    /// order; anywhere else a 404 means the URL itself is wrong.
    pub names_order: bool,
}

impl std::fmt::Display for Called<'_> {
    /// Scheme, host, port and path: never user information or a query.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let url = self.url;
        write!(
            f,
            "{}://{}",
            url.scheme_str().unwrap_or("https"),
            url.host().unwrap_or("")
        )?;
        if let Some(port) = url.port_u16() {
            write!(f, ":{port}")?;
        }
        f.write_str(url.path())
    }
}

/// Reads an answer's body as the JSON object of a successful call, or the error it means.
pub(crate) fn interpret<T: Reply>(http_status: u16, body: &[u8]) -> Result<Answer<T>> {
    interpret_redacting(http_status, body, "", None)
}

/// [`interpret`], removing every echo of `secret` (the API key) from what an error quotes
/// of the body before the quote is cut short, so that no part of it is left at the cut;
/// `called` lets an error say which URL answered.
pub(crate) fn interpret_redacting<T: Reply>(
    http_status: u16,
    body: &[u8],
    secret: &str,
    called: Option<Called<'_>>,
) -> Result<Answer<T>> {
    if !(200..300).contains(&http_status) {
        let json = serde_json::from_slice::<Value>(body).ok();
        return Err(error_for_status(
            http_status,
            json.as_ref(),
            body,
            secret,
            called,
        ));
    }
    let read = std::str::from_utf8(body)
        .ok()
        .and_then(|text| Some((text, fields::read_object::<T>(text).ok()??)));
    let Some((text, fields)) = read else {
        return Err(Error::new(
            ErrorKind::Decode,
            format!(
                "Cashi answered HTTP {http_status} with a body that is not a JSON object: {}",
                excerpt_redacting(body, secret)
            ),
        )
        .with_status(http_status));
    };
    let outcome = fields.outcome();
    if is_false(outcome.success) {
        let text = server_text(outcome.message, outcome.error)
            .map(|text| quote(&text, secret))
            .unwrap_or_else(|| "no message given".into());
        return Err(
            Error::new(ErrorKind::Api, format!("Cashi refused the request: {text}"))
                .with_status(http_status),
        );
    }
    Ok(Answer {
        fields,
        body: text.into(),
    })
}

fn is_false(value: Option<&Scalar>) -> bool {
    match value {
        Some(Scalar::Bool(b)) => !b,
        Some(Scalar::Text(s)) => s.eq_ignore_ascii_case("false"),
        Some(Scalar::Number(n)) => n.as_i64() == Some(0),
        _ => false,
    }
}

/// The server's own explanation: `message`, or `error` (some answers use that), each a text
/// or an object holding one.
fn server_text(message: Option<&Value>, error: Option<&Value>) -> Option<String> {
    [message, error].into_iter().find_map(|value| match value? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Object(o) => server_text(o.get("message"), o.get("error")),
        _ => None,
    })
}

fn error_for_status(
    status: u16,
    json: Option<&Value>,
    body: &[u8],
    secret: &str,
    called: Option<Called<'_>>,
) -> Error {
    let said = match json {
        Some(Value::Object(map)) => server_text(map.get("message"), map.get("error")),
        _ => None,
    }
    .map(|text| quote(&text, secret))
    .unwrap_or_else(|| excerpt_redacting(body, secret));
    // Cashi's own answers are JSON objects saying `success` or `message`; a framework's
    // or web server's 404 page is not.
    let from_cashi = matches!(json, Some(Value::Object(map)) if map.contains_key("success") || map.contains_key("message"));
    let wrong_url;
    let (kind, advice) = match (status, called) {
        (404, Some(called)) if !(called.names_order && from_cashi) => {
            wrong_url = format!(
                "{called} does not exist: check the base URL (CASHI_BASE_URL or base_url), which for Cashi is https://cashi.id/api"
            );
            (ErrorKind::NotFound, wrong_url.as_str())
        }
        (status, _) => match status {
        401 | 403 => (ErrorKind::Authentication, "check your API key (CASHI_API_KEY) in the Cashi dashboard"),
        404 => (ErrorKind::NotFound, "no such order: check the order id"),
        409 => (ErrorKind::Conflict, "Cashi refused the order as a conflict: the order id is already used (check that order's status instead of creating it again), or no unique amount to pay is free for this amount right now"),
        429 => (ErrorKind::RateLimited, "too many requests: slow down and try again later"),
        500..=599 => (ErrorKind::Server, "Cashi or its CDN had a problem: try again later"),
        _ => (ErrorKind::Api, "Cashi refused the request"),
        },
    };
    Error::new(kind, format!("{advice} (Cashi said: {said})")).with_status(status)
}

/// The server's own message as an error quotes it: one line, every echo of `secret`
/// removed, at most [`EXCERPT_CHARS`] characters (a server may echo a whole request in a
/// form no redaction recognises).
fn quote(text: &str, secret: &str) -> String {
    let line: String = text
        .chars()
        .take(scan_chars(secret))
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    cut(&crate::error::redacted(&line, secret).unwrap_or(line))
}

/// How much of a text is redacted before it is cut to [`EXCERPT_CHARS`]: enough that the
/// longest echo of `secret` (its hex, twice its length) starting before the cut is whole.
fn scan_chars(secret: &str) -> usize {
    EXCERPT_CHARS + 2 * secret.len() + 8
}

/// `text` cut to [`EXCERPT_CHARS`] characters, `…` marking a cut.
fn cut(text: &str) -> String {
    match text.char_indices().nth(EXCERPT_CHARS) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// A short, single-line, tag-free excerpt of a body for a message.
pub fn excerpt(body: &[u8]) -> String {
    excerpt_redacting(body, "")
}

/// [`excerpt`] with every echo of `secret` removed before the excerpt is cut.
fn excerpt_redacting(body: &[u8], secret: &str) -> String {
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
    let head: String = joined.chars().take(scan_chars(secret)).collect();
    let head = crate::error::redacted(&head, secret).unwrap_or(head);
    format!("{:?}", cut(&head))
}

#[cfg(test)]
mod tests {
    use super::*;

    answer_fields! {
        struct Probe {
            status: Scalar = "status",
        }
    }

    fn kind(status: u16, body: &str) -> ErrorKind {
        interpret::<Probe>(status, body.as_bytes())
            .unwrap_err()
            .kind()
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

    fn not_found(url: &str, body: &str) -> String {
        let url: Uri = url.parse().unwrap();
        let called = Called {
            url: &url,
            names_order: url.path().contains("/check-status/"),
        };
        let e = interpret_redacting::<Probe>(404, body.as_bytes(), "", Some(called)).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotFound);
        e.message().to_string()
    }

    #[test]
    fn a_404_says_whether_the_order_or_the_url_is_wrong() {
        // Cashi's own answer about an order id it does not know.
        let m = not_found(
            "https://cashi.id/api/check-status/INV-1",
            r#"{"success":false,"message":"Order not found"}"#,
        );
        assert!(m.starts_with("no such order: check the order id"), "{m}");
        // A base URL without /api: the web site's own 404 page, for either endpoint.
        for url in [
            "https://cashi.id/create-order",
            "https://cashi.id/check-status/INV-1",
        ] {
            let m = not_found(url, "<html><body>Page not found</body></html>");
            assert!(
                m.starts_with(&format!("{url} does not exist: check the base URL")),
                "{m}"
            );
            assert!(m.contains("https://cashi.id/api"), "{m}");
        }
        // Create-order names no order: a 404 there is a wrong URL whatever the body says.
        let m = not_found("https://cashi.id/api/create-order", r#"{"success":false}"#);
        assert!(m.contains("does not exist: check the base URL"), "{m}");
        // The URL shown never carries user information or a query.
        let m = not_found("https://user:pw@example.com:8443/x/create-order?k=v", "");
        assert!(
            m.starts_with("https://example.com:8443/x/create-order does not exist"),
            "{m}"
        );
        assert!(!m.contains("pw") && !m.contains("k=v"), "{m}");
    }

    #[test]
    fn messages_carry_the_servers_words() {
        let e = interpret::<Probe>(400, br#"{"success":false,"error":"amount too small"}"#)
            .unwrap_err();
        assert!(e.message().contains("amount too small"));
        assert_eq!(e.http_status(), Some(400));
        let e = interpret::<Probe>(200, br#"{"success":false,"message":"channel not active"}"#)
            .unwrap_err();
        assert!(e.message().contains("channel not active"));
        let e = interpret::<Probe>(
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
    fn a_long_server_message_is_cut() {
        let body = format!(r#"{{"success":false,"message":"{}"}}"#, "y".repeat(5000));
        for status in [200, 400, 401, 503] {
            let e = interpret::<Probe>(status, body.as_bytes()).unwrap_err();
            assert!(
                e.message().chars().count() < EXCERPT_CHARS + 200,
                "{status}: {e}"
            );
            assert!(e.message().contains('…'), "{status}: {e}");
        }
    }

    #[test]
    fn no_part_of_an_echoed_key_is_left_where_the_quote_is_cut() {
        const KEY: &str = "CASHI-SECRETKEY99";
        use base64::Engine;
        let b64 = base64::engine::general_purpose::STANDARD.encode(KEY);
        for echo in [KEY.to_string(), KEY.to_lowercase(), b64, hex::encode(KEY)] {
            // The echo starts at every place around the cut.
            for at in EXCERPT_CHARS - 40..EXCERPT_CHARS + 5 {
                let text = format!("{}{echo} and more", "m".repeat(at));
                for body in [
                    format!(r#"{{"success":false,"message":"{text}"}}"#),
                    format!("<html><body>{text}</body></html>"),
                ] {
                    for status in [200, 401, 502] {
                        let e = interpret_redacting::<Probe>(status, body.as_bytes(), KEY, None)
                            .unwrap_err();
                        let m = e.message();
                        assert!(!m.contains(&echo[..8]), "{status} {at}: {m}");
                    }
                }
            }
        }
    }

    #[test]
    fn success_body_passes_with_its_text() {
        let body = br#"{"success":true, "status":"PENDING","new":[1,{"a":2}]}"#;
        let answer = interpret::<Probe>(200, body).unwrap();
        assert_eq!(answer.fields.status, Some(Scalar::Text("PENDING".into())));
        assert_eq!(answer.body.as_bytes(), body);
        assert!(interpret::<Probe>(200, br#"{"status":"PENDING"}"#).is_ok());
    }

    #[test]
    fn a_repeated_field_counts_once_the_last() {
        let answer = interpret::<Probe>(200, br#"{"status":"PENDING","status":"SETTLED"}"#);
        assert_eq!(
            answer.unwrap().fields.status,
            Some(Scalar::Text("SETTLED".into()))
        );
    }

    #[test]
    fn a_nested_explanation_is_found() {
        let e = interpret::<Probe>(200, br#"{"success":false,"error":{"message":"quota"}}"#)
            .unwrap_err();
        assert!(e.message().contains("quota"), "{}", e.message());
    }

    #[test]
    fn bodies_that_raw_could_not_parse_are_refused() {
        // Invalid UTF-8, an out-of-range number in a field the SDK does not read, a
        // trailing comma: none is an answer.
        for body in [
            &b"{\"status\":\"P\xff\"}"[..],
            br#"{"status":"P","x":1e999}"#,
            br#"{"status":"P",}"#,
        ] {
            let e = interpret::<Probe>(200, body).unwrap_err();
            assert_eq!(
                e.kind(),
                ErrorKind::Decode,
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }
}
