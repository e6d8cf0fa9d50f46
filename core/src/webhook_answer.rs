//! What a webhook handler answers Cashi for each outcome of a delivery: the HTTP status
//! Cashi sees (any but 200 makes it deliver again later), a short text, and the level a
//! merchant's log gives it.
//!
//! Each binding's handler (Python `cashi.WebhookHandler`, Node `cashi/handler`, PHP
//! `Cashi\WebhookHandler`) runs the merchant's callbacks in its own way (sync, async,
//! Promises) and takes every answer from here, through the tables `tools/codegen` writes
//! from [`ANSWERS`] and [`answer_to_failed_confirm`].
//!
//! 409, not 422, for a payment `confirm` refuses: the webhook is well formed, but what it
//! claims conflicts with the order's state as Cashi's own API and the shop's stored amount
//! report it, and that state can change: a webhook that arrives before check-status says
//! SETTLED succeeds on a later delivery. Any answer other than 200 also keeps a refused
//! payment visible in Cashi's delivery log.

use crate::error::ErrorKind;

/// How loud a merchant's log should be about an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// All is well (a 200).
    Info,
    /// The request or the moment was wrong; Cashi or the sender may try again.
    Warning,
    /// Something on the merchant's side failed and needs a look.
    Error,
}

impl Level {
    /// `info`, `warning` or `error`: PSR-3's names (Python maps them onto `logging`'s levels).
    pub const fn name(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

/// One outcome of a delivery and what Cashi is told.
#[derive(Debug, PartialEq, Eq)]
pub struct Answer {
    /// A stable snake_case name, exposed as the answer's `outcome`.
    pub outcome: &'static str,
    pub status: u16,
    /// The answer's body: short plain text, never a secret or a detail of the failure.
    pub text: &'static str,
    pub level: Level,
    /// When it is given.
    pub doc: &'static str,
}

const fn answer(
    outcome: &'static str,
    status: u16,
    text: &'static str,
    level: Level,
    doc: &'static str,
) -> Answer {
    Answer {
        outcome,
        status,
        text,
        level,
        doc,
    }
}

pub const INVALID_SIGNATURE: Answer = answer(
    "invalid_signature",
    400,
    "invalid signature",
    Level::Warning,
    "The signature header is missing or matches no webhook secret.",
);
pub const INVALID_PAYLOAD: Answer = answer(
    "invalid_payload",
    400,
    "invalid payload",
    Level::Warning,
    "Correctly signed (or unsigned and allowed), but not a Cashi event.",
);
pub const NO_SECRET: Answer = answer(
    "no_secret",
    400,
    "signed, but no webhook secret is configured",
    Level::Warning,
    "A signed request to a handler made with no webhook secret (allow unsigned only).",
);
pub const TEST_WEBHOOK: Answer = answer(
    "test_webhook",
    200,
    "test webhook: nothing fulfilled",
    Level::Info,
    "The dashboard's Test Webhook (an order id starting TEST-): no callback is called.",
);
pub const NOT_SETTLEMENT: Answer = answer(
    "not_settlement",
    200,
    "not a settlement: ignored",
    Level::Info,
    "Another event or status than a settled payment: no callback is called.",
);
pub const ALREADY_FULFILLED: Answer = answer(
    "already_fulfilled",
    200,
    "already fulfilled",
    Level::Info,
    "The already-fulfilled callback said yes: a repeat, answered without asking Cashi.",
);
pub const UNKNOWN_ORDER: Answer = answer(
    "unknown_order",
    404,
    "unknown order",
    Level::Warning,
    "The expected-amount callback knows no such order (Cashi delivers again later).",
);
pub const NOT_CONFIRMED: Answer = answer(
    "not_confirmed",
    409,
    "payment not confirmed: not fulfilled",
    Level::Warning,
    "confirm refused the payment (payment_mismatch): not settled yet, or another amount.",
);
pub const CONFIRM_UNAVAILABLE: Answer = answer(
    "confirm_unavailable",
    503,
    "could not confirm the payment yet: retry later",
    Level::Warning,
    "confirm could not reach Cashi (a retryable error: network, timeout, 5xx, 429).",
);
pub const CONFIRM_FAILED: Answer = answer(
    "confirm_failed",
    500,
    "could not confirm the payment: retry later",
    Level::Error,
    "confirm failed otherwise (a wrong API key, an answer not understood, ...).",
);
pub const HANDLER_ERROR: Answer = answer(
    "handler_error",
    500,
    "handler error: retry later",
    Level::Error,
    "A merchant's callback failed, or the expected amount is not a whole number.",
);
pub const FULFILLED: Answer = answer(
    "fulfilled",
    200,
    "fulfilled",
    Level::Info,
    "Paid and confirmed with Cashi: the paid callback ran.",
);

/// Every answer, in the order a delivery meets them.
pub const ANSWERS: [&Answer; 12] = [
    &INVALID_SIGNATURE,
    &INVALID_PAYLOAD,
    &NO_SECRET,
    &TEST_WEBHOOK,
    &NOT_SETTLEMENT,
    &ALREADY_FULFILLED,
    &UNKNOWN_ORDER,
    &NOT_CONFIRMED,
    &CONFIRM_UNAVAILABLE,
    &CONFIRM_FAILED,
    &HANDLER_ERROR,
    &FULFILLED,
];

/// The answer when `confirm` fails with an error of `kind`: Cashi is asked to deliver again
/// in every case, and told whether the failure is the payment's (409), a passing one on the
/// way to Cashi (503: the next delivery may well succeed) or one that needs a look (500).
pub const fn answer_to_failed_confirm(kind: ErrorKind) -> &'static Answer {
    match kind {
        ErrorKind::PaymentMismatch => &NOT_CONFIRMED,
        ErrorKind::RateLimited | ErrorKind::Server | ErrorKind::Timeout | ErrorKind::Connection => {
            &CONFIRM_UNAVAILABLE
        }
        _ => &CONFIRM_FAILED,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[test]
    fn outcomes_are_unique_and_every_refusal_asks_for_another_delivery() {
        for (i, a) in ANSWERS.iter().enumerate() {
            assert!(
                ANSWERS[..i].iter().all(|b| b.outcome != a.outcome),
                "{}",
                a.outcome
            );
            assert_eq!(a.level == Level::Info, a.status == 200, "{}", a.outcome);
        }
    }

    #[test]
    fn a_failed_confirm_is_503_exactly_when_retrying_may_succeed() {
        for kind in ErrorKind::ALL {
            let answer = answer_to_failed_confirm(kind);
            let retryable = Error::new(kind, "").is_retryable();
            assert_eq!(answer.status == 503, retryable, "{kind}");
            assert_eq!(
                answer.status == 409,
                kind == ErrorKind::PaymentMismatch,
                "{kind}"
            );
            assert!(ANSWERS.contains(&answer), "{kind}");
        }
    }
}
