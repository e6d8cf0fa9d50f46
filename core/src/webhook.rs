//! Verifying and reading Cashi's webhooks.
//!
//! Cashi signs the raw body bytes (`x-gateway-signature` = hex HMAC-SHA256 keyed with the
//! webhook secret). The signature is checked on those exact bytes, in constant time, before
//! the body is parsed: a re-encoded body never verifies, and an unsigned body is never read.
//!
//! An account that sends no signature at all can still be served, as a hint only:
//! [`Webhook::parse_unverified`] reads a body without a signature and marks the event
//! unverified ([`WebhookEvent::is_verified`]); [`Client::confirm`](crate::Client::confirm)
//! against the stored amount is then the only proof of payment, and an unverified event's
//! amount never stands in for one Cashi's answer lacks.
//!
//! A valid signature is not a new payment. Cashi may deliver the same webhook more than
//! once, and the signature carries no timestamp, so a captured webhook can be replayed
//! forever and [`Client::confirm`](crate::Client::confirm) still passes (the order is paid).
//! Fulfil once per order id: store it, and ignore repeats.
//!
//! ```text
//! if db.is_fulfilled(&event.order_id)? { return Ok(200) } // a repeat: a retry or a replay
//! db.mark_fulfilled(&event.order_id)?;                    // unique key, in the fulfilment's transaction
//! ```

#![deny(clippy::arithmetic_side_effects)]

use std::fmt;
use std::sync::Arc;

use hmac::{Hmac, Mac};
use serde_json::{Map, Value};
use sha2::Sha256;

use crate::decode::fields::{self, json_fields, ObjectOr, Scalar};
use crate::decode::lenient::{self, AmountField};
use crate::error::{Error, ErrorKind, Result};
use crate::events::{Event, Listener, WebhookCheck};
use crate::status::PaymentState;

/// The header Cashi puts the signature in.
pub const SIGNATURE_HEADER: &str = "x-gateway-signature";

/// Bodies larger than this are refused before hashing: Cashi's payloads are a few hundred bytes.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Order ids of the dashboard's "Test Webhook" button start with this.
pub const TEST_ORDER_PREFIX: &str = "TEST-";

type HmacSha256 = Hmac<Sha256>;

/// A webhook verifier holding one or more secrets (several during a rotation).
#[derive(Clone)]
pub struct Webhook {
    /// One HMAC already keyed with each secret: a verify clones it instead of hashing the
    /// key's two padding blocks again, a third of the work on a typical payload. The
    /// secrets' bytes are not kept; these keyed states (enough to sign, not to recover a
    /// secret) are not wiped when dropped, as the `hmac` crate offers no way to.
    keyed: Vec<HmacSha256>,
    listener: Option<Listener>,
}

impl fmt::Debug for Webhook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Webhook")
            .field("secrets", &format_args!("[{} redacted]", self.keyed.len()))
            .finish()
    }
}

impl Webhook {
    /// A verifier for one secret. Any non-empty string works: its format is not checked.
    pub fn new(secret: impl AsRef<[u8]>) -> Result<Webhook> {
        Webhook::with_secrets([secret])
    }

    /// A verifier that accepts a signature made with any of the secrets (for rotation:
    /// put the new secret first, keep the old one until Cashi uses the new one).
    pub fn with_secrets<I, S>(secrets: I) -> Result<Webhook>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<[u8]>,
    {
        let mut keyed = Vec::new();
        for (number, secret) in (1u64..).zip(secrets) {
            keyed.push(keyed_hmac(secret.as_ref(), number)?);
        }
        if keyed.is_empty() {
            return Err(Error::invalid(
                "webhook_secret: no secret given; pass your webhook secret (sk_...)",
            ));
        }
        Ok(Webhook {
            keyed,
            listener: None,
        })
    }

    /// Accepts one more secret (a binding that receives the secrets one by one adds them
    /// here rather than keeping copies of them to build a new verifier).
    pub fn add_secret(&mut self, secret: impl AsRef<[u8]>) -> Result<()> {
        let number = u64::try_from(self.keyed.len()).map_or(u64::MAX, |n| n.saturating_add(1));
        let keyed = keyed_hmac(secret.as_ref(), number)?;
        self.keyed.push(keyed);
        Ok(())
    }

    /// Checks `signature` against the raw body, then reads the event.
    ///
    /// Then, before fulfilling: skip a repeat (fulfil once per order id: a webhook may come
    /// twice, and a captured one can be replayed), and `confirm` with the event itself.
    pub fn verify(&self, raw_body: &[u8], signature: &str) -> Result<WebhookEvent> {
        let verified = self
            .check_signature(raw_body, signature)
            .and_then(|()| WebhookEvent::read(raw_body, true));
        self.report(&verified);
        verified
    }

    /// Calls `listener` with an [`Event::Webhook`] after every verification, accepted or
    /// refused, so a webhook refused for a bad signature leaves a trace in the logs.
    pub fn on_event(&mut self, listener: impl Fn(&Event<'_>) + Send + Sync + 'static) {
        self.listener = Some(Arc::new(listener));
    }

    fn report(&self, verified: &Result<WebhookEvent>) {
        let Some(listen) = &self.listener else {
            return;
        };
        listen(&Event::Webhook(match verified {
            Ok(event) => WebhookCheck {
                order_id: Some(&event.order_id),
                is_test: Some(event.is_test()),
                error: None,
            },
            Err(error) => WebhookCheck {
                order_id: None,
                is_test: None,
                error: Some(error),
            },
        }));
    }

    /// Like [`verify`](Self::verify), finding `x-gateway-signature` among the headers in any
    /// letter case, or as CGI's `HTTP_X_GATEWAY_SIGNATURE` (PHP's `$_SERVER`).
    pub fn verify_headers<I, K, V>(&self, raw_body: &[u8], headers: I) -> Result<WebhookEvent>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        match find_signature(headers) {
            Some(signature) => self.verify(raw_body, &signature),
            None => {
                let unsigned = Err(Error::new(
                    ErrorKind::SignatureInvalid,
                    format!("no {SIGNATURE_HEADER} header: this request was not signed by Cashi"),
                ));
                self.report(&unsigned);
                unsigned
            }
        }
    }

    /// Reads a body that came with no signature, for an account whose webhooks are not
    /// signed: the event is marked unverified ([`WebhookEvent::is_verified`] is false).
    ///
    /// Anyone can send such a body, so it is a hint that an order may have been paid,
    /// never proof: fulfil only after [`Client::confirm`](crate::Client::confirm) with the
    /// amount stored at create-order time. `confirm` takes nothing from an unverified event
    /// but its order id: its amount never stands in for one Cashi's answer lacks. A request
    /// that does carry a signature goes to [`verify`](Self::verify): a wrong signature is
    /// refused, never read as unsigned.
    pub fn parse_unverified(raw_body: &[u8]) -> Result<WebhookEvent> {
        check_size(raw_body)?;
        WebhookEvent::read(raw_body, false)
    }

    /// Only the signature check, without reading the body.
    pub fn check_signature(&self, raw_body: &[u8], signature: &str) -> Result<()> {
        check_size(raw_body)?;
        let expected = parse_signature(signature)?;
        let matches = self.keyed.iter().any(|keyed| {
            let mut mac = keyed.clone();
            mac.update(raw_body);
            mac.verify_slice(&expected).is_ok()
        });
        if matches {
            Ok(())
        } else {
            Err(Error::new(
                ErrorKind::SignatureInvalid,
                "signature does not match the body: check the webhook secret, and verify the raw request body exactly as received (not re-encoded JSON)",
            ))
        }
    }
}

/// Refuses a body far larger than any of Cashi's, before hashing or reading it.
fn check_size(raw_body: &[u8]) -> Result<()> {
    if raw_body.len() > MAX_BODY_BYTES {
        return Err(Error::new(
            ErrorKind::WebhookPayload,
            format!(
                "body: is {} bytes; Cashi's webhooks are far smaller than the {MAX_BODY_BYTES}-byte limit, so it was refused unread",
                raw_body.len()
            ),
        ));
    }
    Ok(())
}

/// An HMAC keyed with secret number `index` (from 0). Only the keyed state is kept, not
/// the secret's bytes.
/// `number` counts from 1, as the message shows it.
fn keyed_hmac(secret: &[u8], number: u64) -> Result<HmacSha256> {
    if secret.is_empty() {
        return Err(Error::invalid(format!(
            "webhook_secret: secret #{number} is empty; copy it from Settings → Webhook in the Cashi dashboard"
        )));
    }
    Ok(HmacSha256::new_from_slice(secret).expect("HMAC takes keys of any length"))
}

/// Whether a request's headers carry Cashi's signature header, by the rule
/// [`Webhook::verify_headers`] finds it with: a handler that accepts unsigned webhooks
/// (`allow_unsigned`) reads a request without one as a hint, and verifies every other.
pub fn is_signed<I, K, V>(headers: I) -> bool
where
    I: IntoIterator<Item = (K, V)>,
    K: AsRef<str>,
    V: AsRef<str>,
{
    find_signature(headers).is_some()
}

/// The signature among `headers`: the header itself in any letter case, or its CGI
/// variable (`HTTP_X_GATEWAY_SIGNATURE`, PHP's `$_SERVER`), so every server's way of
/// handing over headers finds it.
fn find_signature<I, K, V>(headers: I) -> Option<String>
where
    I: IntoIterator<Item = (K, V)>,
    K: AsRef<str>,
    V: AsRef<str>,
{
    headers
        .into_iter()
        .find(|(name, _)| is_signature_header(name.as_ref()))
        .map(|(_, value)| value.as_ref().to_string())
}

fn is_signature_header(name: &str) -> bool {
    let name = name.trim();
    if name.eq_ignore_ascii_case(SIGNATURE_HEADER) {
        return true;
    }
    // CGI spells a header `HTTP_` + its name in upper case, `-` as `_`.
    let Some(cgi) = name.strip_prefix("HTTP_") else {
        return false;
    };
    cgi.len() == SIGNATURE_HEADER.len()
        && cgi.bytes().zip(SIGNATURE_HEADER.bytes()).all(|(c, h)| {
            c == if h == b'-' {
                b'_'
            } else {
                h.to_ascii_uppercase()
            }
        })
}

/// The 32 bytes of a signature header: hex in either case, surrounding whitespace and an
/// optional `sha256=` prefix allowed.
fn parse_signature(signature: &str) -> Result<[u8; 32]> {
    let invalid = |why: &str| Error::new(ErrorKind::SignatureInvalid, format!("signature: {why}"));
    let mut text = signature.trim();
    // Compared as bytes: a signature header may hold any text, and slicing a `str` at a
    // non-character boundary would panic (found by fuzzing).
    if text
        .as_bytes()
        .get(..7)
        .is_some_and(|p| p.eq_ignore_ascii_case(b"sha256="))
    {
        text = text[7..].trim_start();
    }
    if text.is_empty() {
        return Err(invalid("is empty; pass the x-gateway-signature header"));
    }
    if text.len() != 64 {
        return Err(invalid(&format!(
            "is {} characters; a signature is 64 hex characters",
            text.len()
        )));
    }
    let mut bytes = [0u8; 32];
    hex::decode_to_slice(text, &mut bytes).map_err(|_| invalid("is not hexadecimal"))?;
    Ok(bytes)
}

/// A webhook event name. Open: only `PAYMENT_SETTLED` is confirmed; others are carried.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum EventKind {
    PaymentSettled,
    Unknown(String),
}

impl EventKind {
    pub fn parse(text: &str) -> EventKind {
        if text == "PAYMENT_SETTLED" {
            EventKind::PaymentSettled
        } else {
            EventKind::Unknown(text.to_string())
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            EventKind::PaymentSettled => "PAYMENT_SETTLED",
            EventKind::Unknown(raw) => raw,
        }
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A webhook event: verified (its signature matched), unless it was read with
/// [`Webhook::parse_unverified`].
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookEvent {
    pub event: EventKind,
    pub order_id: String,
    pub status: PaymentState,
    /// The amount paid; compare it with the amount stored at create-order time.
    pub amount: i64,
    pub payment_method: Option<String>,
    /// `"YYYY-MM-DD HH:MM:SS"`, Jakarta time, as sent.
    pub paid_at: Option<String>,
    pub transaction_id: Option<String>,
    /// The body, kept as text: most receivers never read it, so it is parsed
    /// only by [`raw`](Self::raw).
    body: Box<str>,
    /// Whether the signature was checked (false only from [`Webhook::parse_unverified`]).
    verified: bool,
}

impl WebhookEvent {
    /// A dashboard test ("Test Webhook"): answer 200 and fulfil nothing.
    pub fn is_test(&self) -> bool {
        self.order_id.starts_with(TEST_ORDER_PREFIX)
    }

    /// Whether the body's signature was verified: false for an event read with
    /// [`Webhook::parse_unverified`], a hint to be confirmed by order id, never proof.
    pub fn is_verified(&self) -> bool {
        self.verified
    }

    /// `PAYMENT_SETTLED` with status `SETTLED`. Still confirm the amount before fulfilling.
    pub fn is_settled(&self) -> bool {
        self.event == EventKind::PaymentSettled && self.status == PaymentState::Settled
    }

    /// `paid_at` as an instant at Jakarta's +07:00 offset, when it is present and readable.
    pub fn paid_at_time(&self) -> Option<chrono::DateTime<chrono::FixedOffset>> {
        match crate::timestamp::parse_text(self.paid_at.as_deref()?) {
            crate::timestamp::Parsed::At(t) => Some(t),
            _ => None,
        }
    }

    /// The SDK's JSON view of the event's fields (see [`crate::model::to_json`]).
    pub fn to_json(&self) -> Value {
        crate::model::to_json(self)
    }

    /// The whole body, for fields newer than this SDK.
    pub fn raw(&self) -> Map<String, Value> {
        fields::whole_object(&self.body)
    }

    /// The body exactly as received (JSON text), for bindings that parse
    /// `raw` in their own language.
    pub fn body(&self) -> &str {
        &self.body
    }

    /// Reads a body the caller has already verified, and marks the event verified on the
    /// caller's word: for a binding reading again a body that [`Webhook::verify`] accepted.
    /// A webhook as it arrives goes to [`Webhook::verify`], or, unsigned, to
    /// [`Webhook::parse_unverified`].
    pub fn parse_verified(raw_body: &[u8]) -> Result<WebhookEvent> {
        WebhookEvent::read(raw_body, true)
    }

    /// The fields are read in one pass over the text, without building a map of the whole
    /// body (that map was most of what verifying cost after the HMAC); [`raw`](Self::raw)
    /// parses the kept body only when it is asked for.
    fn read(raw_body: &[u8], verified: bool) -> Result<WebhookEvent> {
        let body = std::str::from_utf8(raw_body)
            .map_err(|e| payload(&format!("body: is not valid JSON ({e})")))?;
        let envelope = match fields::read_object::<Envelope>(body) {
            Ok(Some(envelope)) => envelope,
            Ok(None) => return Err(payload("body: is not a JSON object")),
            Err(e) => return Err(payload(&format!("body: is not valid JSON ({e})"))),
        };
        let event = match envelope.event {
            Some(Scalar::Text(s)) => EventKind::parse(&s),
            Some(_) => return Err(payload("event: is not a text")),
            None => return Err(payload("event: is missing")),
        };
        let data = match envelope.data {
            Some(ObjectOr::Object(fields)) => fields,
            Some(ObjectOr::Other) => return Err(payload("data: is not an object")),
            None => return Err(payload("data: is missing")),
        };
        let text = |value: Option<Scalar>, field: &str| -> Result<String> {
            match value {
                Some(Scalar::Text(s)) => Ok(s),
                Some(_) => Err(payload(&format!("data.{field}: is not a text"))),
                None => Err(payload(&format!("data.{field}: is missing"))),
            }
        };
        let order_id = text(data.order_id, "order_id")?;
        let status = PaymentState::parse(&text(data.status, "status")?);
        let amount = lenient::amount(data.amount.as_ref())
            .map_err(|p| payload(&p.describe("data.amount")))?;
        Ok(WebhookEvent {
            event,
            order_id,
            status,
            amount,
            payment_method: lenient::text(data.payment_method),
            paid_at: lenient::text(data.paid_at),
            transaction_id: lenient::text(data.transaction_id),
            body: body.into(),
            verified,
        })
    }
}

json_fields! {
    /// The top level of a webhook body.
    struct Envelope {
        event: Scalar = "event",
        data: ObjectOr<DataFields> = "data",
    }
}

json_fields! {
    /// The `data` fields the SDK reads, each as sent (the lenient readers decide what they
    /// mean).
    struct DataFields {
        order_id: Scalar = "order_id",
        status: Scalar = "status",
        amount: AmountField = "amount",
        payment_method: Scalar = "payment_method",
        paid_at: Scalar = "paid_at",
        transaction_id: Scalar = "transaction_id",
    }
}

fn payload(problem: &str) -> Error {
    Error::new(ErrorKind::WebhookPayload, format!("webhook {problem}"))
}

/// The signature Cashi would send for `body`, for merchants' own tests.
pub fn sign(secret: impl AsRef<[u8]>, body: impl AsRef<[u8]>) -> String {
    let mut mac =
        HmacSha256::new_from_slice(secret.as_ref()).expect("HMAC takes keys of any length");
    mac.update(body.as_ref());
    hex::encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "sk_0123456789abcdef0123456789abcdef";
    const BODY: &str = r#"{"event":"PAYMENT_SETTLED","data":{"order_id":"INV-9921","status":"SETTLED","amount":15023}}"#;

    #[test]
    fn verifies_and_parses() {
        let wh = Webhook::new(SECRET).unwrap();
        let ev = wh.verify(BODY.as_bytes(), &sign(SECRET, BODY)).unwrap();
        assert_eq!(ev.order_id, "INV-9921");
        assert_eq!(ev.amount, 15023);
        assert!(ev.is_settled());
        assert!(!ev.is_test());
    }

    #[test]
    fn signature_forms() {
        let wh = Webhook::new(SECRET).unwrap();
        let sig = sign(SECRET, BODY);
        for form in [
            sig.to_uppercase(),
            format!("  {sig}\n"),
            format!("sha256={sig}"),
            format!("SHA256={sig}"),
        ] {
            assert!(wh.verify(BODY.as_bytes(), &form).is_ok(), "{form}");
        }
        for bad in [
            "",
            "sha256=",
            &sig[..63],
            &sig[..40],
            &format!("{}zz", &sig[..62]),
        ] {
            assert_eq!(
                wh.verify(BODY.as_bytes(), bad).unwrap_err().kind(),
                ErrorKind::SignatureInvalid,
                "{bad}"
            );
        }
    }

    #[test]
    fn tampered_body_is_never_parsed() {
        let wh = Webhook::new(SECRET).unwrap();
        let sig = sign(SECRET, "not json");
        assert_eq!(
            wh.verify(b"not json!", &sig).unwrap_err().kind(),
            ErrorKind::SignatureInvalid
        );
    }

    #[test]
    fn rotation() {
        let wh = Webhook::with_secrets(["sk_new", SECRET]).unwrap();
        assert!(wh.verify(BODY.as_bytes(), &sign(SECRET, BODY)).is_ok());
        assert!(wh.verify(BODY.as_bytes(), &sign("sk_new", BODY)).is_ok());
        assert!(wh.verify(BODY.as_bytes(), &sign("sk_other", BODY)).is_err());
        let mut added = Webhook::new("sk_new").unwrap();
        added.add_secret(SECRET).unwrap();
        assert!(added.verify(BODY.as_bytes(), &sign(SECRET, BODY)).is_ok());
        assert!(added.verify(BODY.as_bytes(), &sign("sk_new", BODY)).is_ok());
        let e = added.add_secret("").unwrap_err();
        assert!(e.message().contains("secret #3 is empty"), "{e}");
        assert!(added.verify(BODY.as_bytes(), &sign(SECRET, BODY)).is_ok());
    }

    #[test]
    fn empty_secret_is_invalid_argument_and_debug_hides_secrets() {
        assert_eq!(
            Webhook::new("").unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
        assert_eq!(
            Webhook::with_secrets(Vec::<String>::new())
                .unwrap_err()
                .kind(),
            ErrorKind::InvalidArgument
        );
        let wh = Webhook::new(SECRET).unwrap();
        assert!(!format!("{wh:?}").contains(SECRET));
    }

    #[test]
    fn headers_in_any_case() {
        let wh = Webhook::new(SECRET).unwrap();
        let sig = sign(SECRET, BODY);
        let headers = vec![
            ("Content-Type", "application/json"),
            ("X-Gateway-Signature", sig.as_str()),
        ];
        assert!(wh.verify_headers(BODY.as_bytes(), headers).is_ok());
        let cgi = [
            ("REQUEST_METHOD", "POST"),
            ("HTTP_X_GATEWAY_SIGNATURE", sig.as_str()),
        ];
        assert!(wh.verify_headers(BODY.as_bytes(), cgi).is_ok());
        assert!(is_signed(cgi) && is_signed([("X-GATEWAY-SIGNATURE", "")]));
        assert!(!is_signed([
            ("x-gateway-signatures", "a"),
            ("HTTP_X_GATEWAY", "b")
        ]));
        // Only CGI's exact spelling: a lookalike is not the header.
        for name in [
            "HTTP_X_GATEWAY_SIGNATUR",
            "http_x_gateway_signature",
            "X_GATEWAY_SIGNATURE",
        ] {
            let err = wh
                .verify_headers(BODY.as_bytes(), [(name, sig.as_str())])
                .unwrap_err();
            assert_eq!(err.kind(), ErrorKind::SignatureInvalid, "{name}");
        }
        let none: Vec<(&str, &str)> = vec![];
        assert_eq!(
            wh.verify_headers(BODY.as_bytes(), none).unwrap_err().kind(),
            ErrorKind::SignatureInvalid
        );
    }

    #[test]
    fn unsigned_bodies_are_read_as_unverified() {
        let ev = Webhook::parse_unverified(BODY.as_bytes()).unwrap();
        assert!(!ev.is_verified());
        assert_eq!(ev.order_id, "INV-9921");
        assert_eq!(ev.amount, 15023);
        assert!(ev.is_settled());
        assert_eq!(ev.to_json()["is_verified"], false);
        let wh = Webhook::new(SECRET).unwrap();
        let signed = wh.verify(BODY.as_bytes(), &sign(SECRET, BODY)).unwrap();
        assert!(signed.is_verified());
        assert_eq!(signed.to_json()["is_verified"], true);
        assert_ne!(ev, signed);
        let e = Webhook::parse_unverified(
            br#"{"event":"PAYMENT_SETTLED","data":{"order_id":"A","status":"SETTLED"}}"#,
        )
        .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::WebhookPayload);
        assert!(e.message().contains("data.amount"), "{e}");
        let big = vec![b' '; MAX_BODY_BYTES + 1];
        assert_eq!(
            Webhook::parse_unverified(&big).unwrap_err().kind(),
            ErrorKind::WebhookPayload
        );
    }

    #[test]
    fn oversized_body_refused() {
        let wh = Webhook::new(SECRET).unwrap();
        let body = vec![b' '; MAX_BODY_BYTES + 1];
        assert_eq!(
            wh.verify(&body, &sign(SECRET, &body)).unwrap_err().kind(),
            ErrorKind::WebhookPayload
        );
    }

    #[test]
    fn payload_problems_name_the_field() {
        for (body, field) in [
            ("[]", "body"),
            ("\"x\"", "body"),
            ("{", "body"),
            (r#"{"data":{}}"#, "event"),
            (r#"{"event":"PAYMENT_SETTLED"}"#, "data"),
            (
                r#"{"event":"PAYMENT_SETTLED","data":{"status":"SETTLED","amount":1}}"#,
                "data.order_id",
            ),
            (
                r#"{"event":"PAYMENT_SETTLED","data":{"order_id":1,"status":"SETTLED","amount":1}}"#,
                "data.order_id",
            ),
            (
                r#"{"event":"PAYMENT_SETTLED","data":{"order_id":"A","status":"SETTLED"}}"#,
                "data.amount",
            ),
            (
                r#"{"event":"PAYMENT_SETTLED","data":{"order_id":"A","status":"SETTLED","amount":1.5}}"#,
                "data.amount",
            ),
        ] {
            let e = WebhookEvent::parse_verified(body.as_bytes()).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::WebhookPayload, "{body}");
            assert!(e.message().contains(field), "{body}: {}", e.message());
        }
    }

    #[test]
    fn test_webhook_and_unknown_event() {
        let ev = WebhookEvent::parse_verified(br#"{"event":"PAYMENT_REFUNDED","data":{"order_id":"TEST-1","status":"SETTLED","amount":"100"}}"#).unwrap();
        assert!(ev.is_test());
        assert!(!ev.is_settled());
        assert_eq!(ev.event, EventKind::Unknown("PAYMENT_REFUNDED".into()));
        assert_eq!(ev.amount, 100);
        assert_eq!(ev.paid_at_time(), None);
        let ev = WebhookEvent::parse_verified(br#"{"event":"PAYMENT_SETTLED","data":{"order_id":"A","status":"SETTLED","amount":1,"paid_at":"2025-03-01 10:20:30"}}"#).unwrap();
        assert_eq!(
            ev.paid_at_time().unwrap().to_rfc3339(),
            "2025-03-01T10:20:30+07:00"
        );
    }
}
