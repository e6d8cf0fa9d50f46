//! The state of a payment, as check-status reports it.

#![deny(clippy::arithmetic_side_effects)]

use std::fmt;

use serde_json::{Map, Value};

use crate::decode::fields::{self, Scalar};
use crate::decode::lenient::{self, AmountField};
use crate::decode::response::{self, answer_fields, Answer};
use crate::error::{Error, ErrorKind, Result};

/// A payment's state. Open: Cashi has been seen to send words beyond these three
/// (integrations look for `PAID`, `FAILED`, ...), and an SDK must carry them, not fail.
///
/// Only the documented words, exactly as documented (`PENDING`, `SETTLED`, `EXPIRED`:
/// upper case, nothing around them), are known. Any other text, `settled`, `Settled`,
/// `" SETTLED"` and `PAID` included, is [`PaymentState::Unknown`] with the text as sent:
/// never settled (so `confirm` refuses it) and never final (so `wait_for_payment` keeps
/// polling until its deadline). A word that only looks like a settlement never ships goods.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PaymentState {
    Pending,
    Settled,
    Expired,
    /// A word this SDK does not know, exactly as Cashi sent it.
    Unknown(String),
}

impl PaymentState {
    /// The documented words exactly; anything else is kept unchanged as `Unknown`.
    pub fn parse(text: &str) -> PaymentState {
        match text {
            "PENDING" => PaymentState::Pending,
            "SETTLED" => PaymentState::Settled,
            "EXPIRED" => PaymentState::Expired,
            _ => PaymentState::Unknown(text.to_string()),
        }
    }

    /// The text every binding exposes: `PENDING`, `SETTLED`, `EXPIRED`, or the new word.
    pub fn as_str(&self) -> &str {
        match self {
            PaymentState::Pending => "PENDING",
            PaymentState::Settled => "SETTLED",
            PaymentState::Expired => "EXPIRED",
            PaymentState::Unknown(raw) => raw,
        }
    }

    /// Whether the payment can no longer change on its own (waiting is over).
    pub fn is_final(&self) -> bool {
        matches!(self, PaymentState::Settled | PaymentState::Expired)
    }
}

impl fmt::Display for PaymentState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The answer of check-status.
#[derive(Debug, Clone, PartialEq)]
pub struct PaymentStatus {
    pub order_id: String,
    pub state: PaymentState,
    /// The amount Cashi reports for the order (the amount paid, once settled).
    pub amount: Option<i64>,
    /// Cashi's transaction id, present once settled.
    pub provider_tx_id: Option<String>,
    /// Set only by `confirm` given a verified webhook event, when the check-status answer
    /// said SETTLED but carried no amount: `amount` is then the event's signed amount (equal
    /// to the amount expected), not one check-status reported.
    pub amount_from_webhook: bool,
    /// Cashi's answer as received (JSON text); see [`PaymentStatus::raw`].
    body: Box<str>,
}

impl PaymentStatus {
    pub fn is_settled(&self) -> bool {
        self.state == PaymentState::Settled
    }

    pub fn is_pending(&self) -> bool {
        self.state == PaymentState::Pending
    }

    pub fn is_expired(&self) -> bool {
        self.state == PaymentState::Expired
    }

    /// Whether the payment can no longer change on its own (waiting is over).
    pub fn is_final(&self) -> bool {
        self.state.is_final()
    }

    /// The SDK's JSON view of the status's fields (see [`crate::model::to_json`]).
    pub fn to_json(&self) -> Value {
        crate::model::to_json(self)
    }

    /// Reads Cashi's HTTP answer (status and body) to a check-status of `requested_id`,
    /// which fills in an answer without an order id. Errors carry the HTTP status.
    pub fn from_http(http_status: u16, body: &[u8], requested_id: &str) -> Result<PaymentStatus> {
        let answer = response::interpret::<StatusAnswer>(http_status, body)?;
        PaymentStatus::from_answer(answer, requested_id).map_err(|e| e.with_status(http_status))
    }

    pub(crate) fn from_answer(
        answer: Answer<StatusAnswer>,
        requested_id: &str,
    ) -> Result<PaymentStatus> {
        let Answer { fields: a, body } = answer;
        let state = match a.status {
            Some(Scalar::Text(s)) if !s.trim().is_empty() => PaymentState::parse(&s),
            Some(_) => return Err(decode("status: is not a text")),
            None => return Err(decode("status: is missing")),
        };
        let amount =
            lenient::opt_amount(a.amount.as_ref()).map_err(|p| decode(&p.describe("amount")))?;
        let order_id = match (lenient::text(a.order_id), lenient::text(a.order_id_camel)) {
            (Some(snake), Some(camel)) if snake != camel => {
                return Err(decode(&format!(
                    "order_id {snake:?} and orderId {camel:?} name different orders"
                )))
            }
            (Some(id), _) | (None, Some(id)) => id,
            (None, None) => requested_id.to_string(),
        };
        let provider_tx_id =
            lenient::text(a.provider_tx_id).or_else(|| lenient::text(a.provider_tx_id_camel));
        Ok(PaymentStatus {
            order_id,
            state,
            amount,
            provider_tx_id,
            amount_from_webhook: false,
            body,
        })
    }

    /// Cashi's whole answer, for fields newer than this SDK. Parsed from the kept text on
    /// each call: most code never reads it.
    pub fn raw(&self) -> Map<String, Value> {
        fields::whole_object(&self.body)
    }

    /// Cashi's answer exactly as received (JSON text), for bindings that parse `raw` in their
    /// own language.
    pub fn body(&self) -> &str {
        &self.body
    }
}

answer_fields! {
    /// The fields of a check-status answer the SDK reads, each as sent.
    pub(crate) struct StatusAnswer {
        status: Scalar = "status",
        amount: AmountField = "amount",
        order_id: Scalar = "order_id",
        order_id_camel: Scalar = "orderId",
        provider_tx_id: Scalar = "provider_tx_id",
        provider_tx_id_camel: Scalar = "providerTxId",
    }
}

fn decode(problem: &str) -> Error {
    Error::new(ErrorKind::Decode, format!("check-status answer: {problem}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn status(v: Value) -> Result<PaymentStatus> {
        PaymentStatus::from_http(200, v.to_string().as_bytes(), "REQ")
    }

    #[test]
    fn reads_the_documented_answer() {
        let s = status(json!({"success":true,"status":"SETTLED","amount":50078,"order_id":"INV-123","provider_tx_id":"31277571482"})).unwrap();
        assert!(s.is_settled());
        assert_eq!(s.amount, Some(50078));
        assert_eq!(s.order_id, "INV-123");
        assert_eq!(s.provider_tx_id.as_deref(), Some("31277571482"));
        assert_eq!(s.to_json()["status"], "SETTLED");
        assert_eq!(s.to_json()["is_final"], true);
        assert_eq!(s.to_json().get("raw"), None, "raw is read separately");
        assert_eq!(s.raw()["success"], true);
        assert_eq!(s.raw()["provider_tx_id"], "31277571482");
    }

    #[test]
    fn tolerates_variants() {
        let s = status(json!({"status":"PENDING","amount":"15023","orderId":"A"})).unwrap();
        assert_eq!(s.state, PaymentState::Pending);
        assert_eq!(s.state.as_str(), "PENDING");
        assert_eq!(s.amount, Some(15023));
        assert_eq!(s.order_id, "A");
        assert!(!s.amount_from_webhook);
        let s = status(json!({"status":"SETTLED","order_id":"A","orderId":"A"})).unwrap();
        assert_eq!((s.order_id.as_str(), s.amount), ("A", None));
        let s = status(json!({"status":"REFUNDED"})).unwrap();
        assert_eq!(s.state, PaymentState::Unknown("REFUNDED".into()));
        assert_eq!(s.state.as_str(), "REFUNDED");
        assert_eq!(s.order_id, "REQ");
        assert!(!s.is_settled());
    }

    #[test]
    fn only_the_documented_words_are_known() {
        for (text, known) in [
            ("PENDING", PaymentState::Pending),
            ("SETTLED", PaymentState::Settled),
            ("EXPIRED", PaymentState::Expired),
        ] {
            assert_eq!(PaymentState::parse(text), known);
        }
        for odd in [
            "settled",
            "Settled",
            " SETTLED",
            "SETTLED ",
            "pending",
            "expired",
            "PAID",
            "SETTLED\u{0}",
        ] {
            let state = PaymentState::parse(odd);
            assert_eq!(state, PaymentState::Unknown(odd.to_string()), "{odd:?}");
            assert_eq!(state.as_str(), odd, "carried as sent");
            assert!(!state.is_final(), "{odd:?} does not end a wait");
        }
        let s = status(json!({"status":"settled","amount":15023})).unwrap();
        assert!(!s.is_settled());
        assert_eq!(s.to_json()["status"], "settled");
    }

    #[test]
    fn an_answer_naming_two_orders_is_decode() {
        let e = status(json!({"status":"SETTLED","amount":1,"order_id":"MINE","orderId":"OTHER"}))
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode);
        assert!(e.message().contains("OTHER"), "{e}");
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        assert_eq!(
            status(json!({"amount":1})).unwrap_err().kind(),
            ErrorKind::Decode
        );
        assert_eq!(
            status(json!({"status":5})).unwrap_err().kind(),
            ErrorKind::Decode
        );
        assert_eq!(
            status(json!({"status":"PAID","amount":1.5}))
                .unwrap_err()
                .kind(),
            ErrorKind::Decode
        );
    }
}
