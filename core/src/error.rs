//! One error type for the whole SDK, with a stable string code per kind.
//!
//! The codes are the contract every binding exposes unchanged (Python `err.code`,
//! JS `err.code`, PHP `getErrorCode()`, C `cashi_error_code()`), so they never change
//! once released; messages may improve.

use std::fmt;

/// What kind of failure happened. Each kind has a stable [`code`](ErrorKind::code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The SDK refused the input before sending anything.
    InvalidArgument,
    /// 401 or 403: the API key is missing, wrong or revoked.
    Authentication,
    /// 404: no such order.
    NotFound,
    /// 409: the order id already exists.
    Conflict,
    /// 429, after the retries were spent.
    RateLimited,
    /// 5xx, whatever the body.
    Server,
    /// Any other 4xx, or `success:false` even with HTTP 200.
    Api,
    /// No answer in time (also `wait_for_payment` at its deadline).
    Timeout,
    /// No connection could be made, or it broke.
    Connection,
    /// A 2xx answer that is not the JSON expected.
    Decode,
    /// A webhook signature that does not match the raw body under any secret.
    SignatureInvalid,
    /// A correctly signed webhook whose body is not the payload expected.
    WebhookPayload,
    /// The order is not settled, or settled with another amount than expected.
    PaymentMismatch,
    /// A bug in the SDK (a caught panic in a binding).
    Internal,
}

impl ErrorKind {
    /// Every kind, in a fixed order (bindings generate their exception classes from it).
    pub const ALL: [ErrorKind; 14] = [
        ErrorKind::InvalidArgument,
        ErrorKind::Authentication,
        ErrorKind::NotFound,
        ErrorKind::Conflict,
        ErrorKind::RateLimited,
        ErrorKind::Server,
        ErrorKind::Api,
        ErrorKind::Timeout,
        ErrorKind::Connection,
        ErrorKind::Decode,
        ErrorKind::SignatureInvalid,
        ErrorKind::WebhookPayload,
        ErrorKind::PaymentMismatch,
        ErrorKind::Internal,
    ];

    /// The stable code string.
    pub const fn code(self) -> &'static str {
        match self {
            ErrorKind::InvalidArgument => "invalid_argument",
            ErrorKind::Authentication => "authentication",
            ErrorKind::NotFound => "not_found",
            ErrorKind::Conflict => "conflict",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::Server => "server",
            ErrorKind::Api => "api",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Connection => "connection",
            ErrorKind::Decode => "decode",
            ErrorKind::SignatureInvalid => "signature_invalid",
            ErrorKind::WebhookPayload => "webhook_payload",
            ErrorKind::PaymentMismatch => "payment_mismatch",
            ErrorKind::Internal => "internal",
        }
    }

    /// The kind for a code string, if it is one of ours.
    pub fn from_code(code: &str) -> Option<ErrorKind> {
        ErrorKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// What `confirm` found when the payment was not what the merchant expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub order_id: String,
    pub expected_amount: i64,
    /// The amount Cashi reported, if it reported one.
    pub actual_amount: Option<i64>,
    /// The status text Cashi reported.
    pub status: String,
}

/// An SDK error: a kind with a stable code, a message that says what to do, and the HTTP
/// status when the server answered.
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    http_status: Option<u16>,
    mismatch: Option<Box<Mismatch>>,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            http_status: None,
            mismatch: None,
        }
    }

    pub(crate) fn with_status(mut self, status: u16) -> Self {
        self.http_status = Some(status);
        self
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::InvalidArgument, message)
    }

    pub(crate) fn mismatch(m: Mismatch) -> Self {
        let actual = match m.actual_amount {
            Some(a) => a.to_string(),
            None => "no amount".to_string(),
        };
        let message = format!(
            "payment for order {:?} does not match: expected SETTLED with amount {}, Cashi reports {} with {}; do not fulfil this order",
            m.order_id, m.expected_amount, m.status, actual
        );
        Error::mismatch_with(m, message)
    }

    /// A `payment_mismatch` with its own explanation.
    pub(crate) fn mismatch_with(m: Mismatch, message: String) -> Self {
        Error {
            kind: ErrorKind::PaymentMismatch,
            message,
            http_status: None,
            mismatch: Some(Box::new(m)),
        }
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The stable code string, e.g. `"not_found"`.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    /// The HTTP status of the answer that caused this error, if there was one.
    pub fn http_status(&self) -> Option<u16> {
        self.http_status
    }

    /// Details of a `payment_mismatch`.
    pub fn mismatch_details(&self) -> Option<&Mismatch> {
        self.mismatch.as_deref()
    }

    /// Whether retrying the same call later may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::RateLimited | ErrorKind::Server | ErrorKind::Timeout | ErrorKind::Connection
        )
    }

    /// Replaces every echo of a secret in the message (see [`redacted`]): a server may echo
    /// what it was sent.
    pub(crate) fn redact(mut self, secret: &str) -> Self {
        if let Some(clean) = redacted(&self.message, secret) {
            self.message = clean;
        }
        if let Some(m) = self.mismatch.as_deref_mut() {
            if let Some(clean) = redacted(&m.status, secret) {
                m.status = clean;
            }
        }
        self
    }
}

/// What an echo of a secret is replaced with.
pub(crate) const REDACTED: &str = "[REDACTED]";

/// Base64 fragments shorter than this are not looked for: they would match ordinary words.
const MIN_BASE64_FRAGMENT: usize = 6;

/// `text` with every echo of `secret` replaced by [`REDACTED`], or `None` when it holds
/// none. An echo is the secret as sent or in another letter case, its hex in either case,
/// or its base64, standard or URL-safe, padded or not, also inside a longer base64 text
/// (a server that logs `x-api-key: KEY` encoded): the whole base64 run around it goes.
pub(crate) fn redacted(text: &str, secret: &str) -> Option<String> {
    use base64::Engine;
    if secret.is_empty() || text.is_empty() {
        return None;
    }
    let hay = text.as_bytes();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    if secret.is_ascii() {
        find_any_case(hay, secret.as_bytes(), &mut spans);
    } else {
        spans.extend(text.match_indices(secret).map(|(i, m)| (i, i + m.len())));
    }
    find_any_case(hay, hex::encode(secret).as_bytes(), &mut spans);
    // Base64 turns 3 bytes into 4 characters, so the secret's characters depend on where it
    // starts within a group of 3: each of the 3 offsets gives the run of characters that
    // only the secret's bytes determine.
    let n = secret.len();
    for shift in 0..3 {
        let mut bytes = vec![0u8; shift];
        bytes.extend_from_slice(secret.as_bytes());
        let encoded = base64::engine::general_purpose::STANDARD_NO_PAD.encode(&bytes);
        let (start, end) = ((8 * shift).div_ceil(6), 8 * (shift + n) / 6);
        if end < start + MIN_BASE64_FRAGMENT {
            continue;
        }
        let standard = &encoded[start..end];
        let url_safe = standard.replace('+', "-").replace('/', "_");
        for fragment in [standard, url_safe.as_str()] {
            for (i, _) in text.match_indices(fragment) {
                spans.push(base64_run(hay, i, i + fragment.len()));
            }
        }
    }
    if spans.is_empty() {
        return None;
    }
    spans.sort_unstable();
    let mut out = String::with_capacity(text.len());
    let mut done = 0;
    for (start, end) in spans {
        if end <= done {
            continue;
        }
        if start >= done {
            out.push_str(&text[done..start]);
            out.push_str(REDACTED);
        }
        done = end;
    }
    out.push_str(&text[done..]);
    Some(out)
}

/// Every place `needle` (ASCII) occurs in `hay`, in any letter case. An ASCII match in UTF-8
/// text always starts and ends on character boundaries.
fn find_any_case(hay: &[u8], needle: &[u8], spans: &mut Vec<(usize, usize)>) {
    if needle.is_empty() || needle.len() > hay.len() {
        return;
    }
    for i in 0..=hay.len() - needle.len() {
        if hay[i..i + needle.len()].eq_ignore_ascii_case(needle) {
            spans.push((i, i + needle.len()));
        }
    }
}

/// The run of base64 characters (either alphabet, padding included) around `start..end`.
fn base64_run(hay: &[u8], mut start: usize, mut end: usize) -> (usize, usize) {
    let is_base64 =
        |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_' | b'=');
    while start > 0 && is_base64(hay[start - 1]) {
        start -= 1;
    }
    while end < hay.len() && is_base64(hay[end]) {
        end += 1;
    }
    (start, end)
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("code", &self.code())
            .field("message", &self.message)
            .field("http_status", &self.http_status)
            .finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.http_status {
            Some(status) => write!(f, "{} (HTTP {}): {}", self.code(), status, self.message),
            None => write!(f, "{}: {}", self.code(), self.message),
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for kind in ErrorKind::ALL {
            assert!(seen.insert(kind.code()), "duplicate code {}", kind.code());
            assert_eq!(ErrorKind::from_code(kind.code()), Some(kind));
        }
        assert_eq!(ErrorKind::from_code("nope"), None);
    }

    #[test]
    fn display_names_code_and_status() {
        let e = Error::new(ErrorKind::NotFound, "no order X").with_status(404);
        assert_eq!(e.to_string(), "not_found (HTTP 404): no order X");
    }

    #[test]
    fn redact_removes_secret() {
        let e = Error::new(ErrorKind::Api, "bad key CASHI-ABC").redact("CASHI-ABC");
        assert!(!e.message().contains("CASHI-ABC"));
        assert!(e.message().contains("[REDACTED]"));
    }

    const KEY: &str = "CASHI-SECRETKEY99";

    fn b64(engine: &base64::engine::GeneralPurpose, bytes: &[u8]) -> String {
        use base64::Engine;
        engine.encode(bytes)
    }

    /// Every form of `KEY` a server might echo, each alone and inside other text.
    fn echoes() -> Vec<String> {
        use base64::engine::general_purpose::{
            STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD,
        };
        let mut forms = vec![
            KEY.to_string(),
            KEY.to_lowercase(),
            KEY.to_uppercase(),
            "cAsHi-SeCrEtKeY99".to_string(),
            hex::encode(KEY),
            hex::encode_upper(KEY),
        ];
        // Alone, and inside a longer encoded text at each offset within a base64 group.
        for prefix in ["", "x-api-key: ", "key=", "k: "] {
            let bytes = format!("{prefix}{KEY}\r\n");
            for engine in [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD] {
                forms.push(b64(engine, format!("{prefix}{KEY}").as_bytes()));
                forms.push(b64(engine, bytes.as_bytes()));
            }
        }
        forms
    }

    #[test]
    fn redacts_the_key_in_any_case_hex_and_base64() {
        for echo in echoes() {
            for text in [
                echo.clone(),
                format!("Invalid API key {echo}"),
                format!("Invalid API key ({echo}), check the dashboard"),
                format!("bad key:{echo}."),
            ] {
                let e = Error::new(ErrorKind::Authentication, text.clone()).redact(KEY);
                let m = e.message();
                assert!(m.contains(REDACTED), "{text:?} -> {m:?}");
                for form in echoes() {
                    assert!(!m.contains(&form), "{text:?} -> {m:?} still holds {form:?}");
                }
                assert!(!m.to_lowercase().contains("secretkey"), "{m:?}");
            }
        }
    }

    #[test]
    fn redaction_keeps_the_rest_of_the_message() {
        let e = Error::new(
            ErrorKind::Api,
            format!("bad key {} here; é ok", KEY.to_lowercase()),
        )
        .redact(KEY);
        assert_eq!(e.message(), "bad key [REDACTED] here; é ok");
        let plain = Error::new(ErrorKind::Api, "nothing to hide: Q0FTSEk").redact(KEY);
        assert_eq!(plain.message(), "nothing to hide: Q0FTSEk");
        let overlapping = Error::new(ErrorKind::Api, format!("{KEY}{KEY} {KEY}")).redact(KEY);
        assert_eq!(overlapping.message(), "[REDACTED][REDACTED] [REDACTED]");
        let empty = Error::new(ErrorKind::Api, "message").redact("");
        assert_eq!(empty.message(), "message");
    }
}
