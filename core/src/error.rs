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

    /// Replaces every occurrence of a secret in the message: a server may echo what it was sent.
    pub(crate) fn redact(mut self, secret: &str) -> Self {
        if !secret.is_empty() && self.message.contains(secret) {
            self.message = self.message.replace(secret, "[REDACTED]");
        }
        self
    }
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
}
