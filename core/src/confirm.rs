//! The decision `confirm` and `wait_for_payment` make about a check-status answer: whether
//! it proves the payment the merchant expects. Kept apart from the HTTP client so every
//! case is tested without a server.
//!
//! `confirm` succeeds only when the answer is about the order asked for, says `SETTLED`
//! (exactly the documented word, see [`PaymentState`]) and carries exactly the expected
//! amount. Some Cashi providers answer SETTLED without an amount: then a verified webhook
//! event for the order, settled and signed with exactly the expected amount, vouches for it
//! (and the status says so, `amount_from_webhook`); with only an order id, or an event read
//! without a signature ([`WebhookEvent::is_verified`] false), nothing does, and it is a
//! `payment_mismatch` saying what to do.

#![deny(clippy::arithmetic_side_effects)]

use crate::error::{Error, Mismatch, Result};
use crate::status::{PaymentState, PaymentStatus};
use crate::webhook::WebhookEvent;

/// Refuses an answer about another order than `requested_id`: an answer about order B is
/// no proof of anything about order A, whatever it says.
/// `expected` is the amount `confirm` expects (none for `wait_for_payment`).
pub(crate) fn same_order(
    requested_id: &str,
    expected: Option<i64>,
    status: &PaymentStatus,
) -> Result<()> {
    if status.order_id == requested_id {
        return Ok(());
    }
    Err(Error::mismatch_with(
        mismatch(requested_id, expected, status),
        format!(
            "Cashi's check-status answer for order {requested_id:?} is about order {:?}: it proves nothing about this order; do not fulfil it, and check the order in the Cashi dashboard",
            status.order_id
        ),
    ))
}

/// Whether `status` (check-status of `requested_id`) proves a settlement of exactly
/// `expected` rupiah; `event` is the verified webhook `confirm` was given, if any.
pub(crate) fn judge(
    requested_id: &str,
    event: Option<&WebhookEvent>,
    expected: i64,
    mut status: PaymentStatus,
) -> Result<PaymentStatus> {
    same_order(requested_id, Some(expected), &status)?;
    if status.state != PaymentState::Settled {
        return Err(Error::mismatch(mismatch(
            requested_id,
            Some(expected),
            &status,
        )));
    }
    match (status.amount, event) {
        (Some(amount), _) if amount == expected => Ok(status),
        (Some(_), _) => Err(Error::mismatch(mismatch(requested_id, Some(expected), &status))),
        (None, Some(event))
            if event.is_verified()
                && event.is_settled()
                && event.order_id == requested_id
                && event.amount == expected =>
        {
            status.amount = Some(event.amount);
            status.amount_from_webhook = true;
            Ok(status)
        }
        (None, Some(event)) => {
            let why = if !event.is_verified() {
                "the webhook event was read without a signature, so its amount vouches for nothing".to_string()
            } else if !event.is_settled() {
                format!(
                    "the webhook event is not a settlement ({} with status {})",
                    event.event, event.status
                )
            } else if event.order_id != requested_id {
                format!("the webhook event is about order {:?}", event.order_id)
            } else {
                format!(
                    "the verified webhook's signed amount is {}, not the expected {expected}",
                    event.amount
                )
            };
            Err(Error::mismatch_with(
                mismatch(requested_id, Some(expected), &status),
                format!(
                    "Cashi reports order {requested_id:?} SETTLED but its check-status answer carried no amount, and {why}; do not fulfil this order"
                ),
            ))
        }
        (None, None) => Err(Error::mismatch_with(
            mismatch(requested_id, Some(expected), &status),
            format!(
                "Cashi reports order {requested_id:?} SETTLED but its check-status answer carried no amount, so the amount paid cannot be compared with the expected {expected}; call confirm with the verified webhook event instead of the order id (its signed amount is then compared), or check the payment in the Cashi dashboard; do not fulfil until then"
            ),
        )),
    }
}

fn mismatch(requested_id: &str, expected: Option<i64>, status: &PaymentStatus) -> Mismatch {
    Mismatch {
        order_id: requested_id.to_string(),
        expected_amount: expected.unwrap_or_default(),
        actual_amount: status.amount,
        status: status.state.as_str().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::webhook::sign;
    use crate::Webhook;

    const SECRET: &str = "sk_0123456789abcdef0123456789abcdef";

    fn status(body: &str) -> PaymentStatus {
        PaymentStatus::from_http(200, body.as_bytes(), "MINE").unwrap()
    }

    fn event(order_id: &str, status: &str, amount: i64) -> WebhookEvent {
        let body = format!(
            r#"{{"event":"PAYMENT_SETTLED","data":{{"order_id":"{order_id}","status":"{status}","amount":{amount}}}}}"#
        );
        Webhook::new(SECRET)
            .unwrap()
            .verify(body.as_bytes(), &sign(SECRET, &body))
            .unwrap()
    }

    fn refused(result: Result<PaymentStatus>) -> Error {
        let e = result.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::PaymentMismatch, "{e}");
        e
    }

    const SETTLED: &str = r#"{"status":"SETTLED","amount":15023,"order_id":"MINE"}"#;
    const NO_AMOUNT: &str = r#"{"status":"SETTLED","order_id":"MINE"}"#;

    #[test]
    fn settled_with_the_amount_passes() {
        let s = judge("MINE", None, 15023, status(SETTLED)).unwrap();
        assert_eq!(s.amount, Some(15023));
        assert!(!s.amount_from_webhook);
        let with_event = event("MINE", "SETTLED", 15023);
        assert!(
            !judge("MINE", Some(&with_event), 15023, status(SETTLED))
                .unwrap()
                .amount_from_webhook
        );
    }

    #[test]
    fn another_orders_answer_is_refused() {
        let other = status(r#"{"status":"SETTLED","amount":15023,"order_id":"OTHER"}"#);
        let e = refused(judge("MINE", None, 15023, other));
        assert!(e.message().contains("\"OTHER\""), "{e}");
        assert_eq!(e.mismatch_details().unwrap().order_id, "MINE");
        let camel = status(r#"{"status":"SETTLED","amount":15023,"orderId":"OTHER"}"#);
        refused(judge("MINE", None, 15023, camel));
    }

    #[test]
    fn only_the_documented_word_settles() {
        for word in [
            "settled", "Settled", " SETTLED", "PAID", "PENDING", "EXPIRED",
        ] {
            let body = format!(r#"{{"status":"{word}","amount":15023,"order_id":"MINE"}}"#);
            let e = refused(judge("MINE", None, 15023, status(&body)));
            assert_eq!(e.mismatch_details().unwrap().status, word);
        }
    }

    #[test]
    fn another_amount_is_refused() {
        let e = refused(judge("MINE", None, 15024, status(SETTLED)));
        assert_eq!(e.mismatch_details().unwrap().actual_amount, Some(15023));
        let ev = event("MINE", "SETTLED", 15024);
        refused(judge("MINE", Some(&ev), 15024, status(SETTLED)));
    }

    #[test]
    fn no_amount_and_only_an_order_id_says_what_to_do() {
        let e = refused(judge("MINE", None, 15023, status(NO_AMOUNT)));
        assert!(e.message().contains("carried no amount"), "{e}");
        assert!(e.message().contains("webhook event"), "{e}");
        assert_eq!(e.mismatch_details().unwrap().actual_amount, None);
    }

    #[test]
    fn no_amount_relies_on_the_verified_events_signed_amount() {
        let ev = event("MINE", "SETTLED", 15023);
        let s = judge("MINE", Some(&ev), 15023, status(NO_AMOUNT)).unwrap();
        assert_eq!(s.amount, Some(15023));
        assert!(s.amount_from_webhook);
        assert_eq!(s.to_json()["amount_from_webhook"], true);
        for (bad, says) in [
            (event("MINE", "SETTLED", 15022), "signed amount is 15022"),
            (event("MINE", "PENDING", 15023), "not a settlement"),
            (event("OTHER", "SETTLED", 15023), "about order \"OTHER\""),
        ] {
            let e = refused(judge("MINE", Some(&bad), 15023, status(NO_AMOUNT)));
            assert!(e.message().contains(says), "{e}");
        }
    }

    #[test]
    fn an_unverified_events_amount_vouches_for_nothing() {
        let body = crate::testing::webhook_body("MINE", 15023);
        let unsigned = Webhook::parse_unverified(body.as_bytes()).unwrap();
        let e = refused(judge("MINE", Some(&unsigned), 15023, status(NO_AMOUNT)));
        assert!(e.message().contains("without a signature"), "{e}");
        // With Cashi's own amount, the answer decides as for an order id.
        let s = judge("MINE", Some(&unsigned), 15023, status(SETTLED)).unwrap();
        assert!(!s.amount_from_webhook);
        refused(judge("MINE", Some(&unsigned), 15024, status(SETTLED)));
    }
}
