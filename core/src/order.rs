//! Creating an order: the request the merchant makes and the order Cashi answers with.

#![deny(clippy::arithmetic_side_effects)]

use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::channel::Channel;
use crate::decode::fields::{self, Scalar};
use crate::decode::lenient;
use crate::decode::lenient::AmountField;
use crate::decode::response::{self, answer_fields, Answer};
use crate::error::{Error, ErrorKind, Result};
use crate::{data_uri, timestamp, validate};

/// The create-order body's keys the SDK sets itself, so an extra field may not use them:
/// every key [`CreateOrder`]'s body writer can write (`amount`, `order_id`, `kode_channel`;
/// a test holds the two together), and `QRIS_CUSTOM`, the API's older way to choose the
/// channel, which the SDK chooses through [`CreateOrder::channel`].
pub const RESERVED_ORDER_FIELDS: [&str; 4] = ["amount", "order_id", "kode_channel", "QRIS_CUSTOM"];

/// The most JSON the extra fields of one order may take, written compactly: 16 KiB. Enough
/// for URLs and customer details, small enough that a mistake cannot send megabytes.
pub const MAX_EXTRA_BYTES: usize = 16 * 1024;

/// What to create. Validated by [`CreateOrder::validate`] before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateOrder {
    /// Whole rupiah, before Cashi adds its unique code.
    pub amount: i64,
    /// The merchant's own unique id (recommended: it is how you find the order again).
    pub order_id: Option<String>,
    pub channel: Channel,
    /// Fields the SDK does not model (a per-order `callback_url`, customer details), sent in
    /// the body as given; see [`CreateOrder::extra`].
    pub extra: Map<String, Value>,
}

impl CreateOrder {
    pub fn new(amount: i64) -> Self {
        CreateOrder {
            amount,
            order_id: None,
            channel: Channel::Qris,
            extra: Map::new(),
        }
    }

    /// Sets fields the SDK does not model, sent in the body as given after the SDK's own
    /// (Cashi ignores the ones it does not know). [`validate`](Self::validate) refuses a key the SDK sets itself
    /// ([`RESERVED_ORDER_FIELDS`]) and more than [`MAX_EXTRA_BYTES`] of JSON.
    pub fn extra(mut self, fields: Map<String, Value>) -> Self {
        self.extra = fields;
        self
    }

    /// [`extra`](Self::extra) from any JSON value, for bindings that hold the user's value
    /// as JSON: anything but an object is `invalid_argument`.
    pub fn extra_json(self, fields: Value) -> Result<Self> {
        match fields {
            Value::Object(map) => Ok(self.extra(map)),
            other => Err(Error::invalid(format!(
                "extra: must be an object of field names to values, not {}",
                json_kind(&other)
            ))),
        }
    }

    /// [`extra`](Self::extra) from JSON text (the C library's argument): an object, or
    /// `invalid_argument` saying what is wrong with the text. Text more than four times
    /// [`MAX_EXTRA_BYTES`] is refused before it is parsed, so megabytes are never parsed
    /// only to be refused (a value within the limit is that long only when padded with
    /// whitespace).
    pub fn extra_text(self, text: &str) -> Result<Self> {
        if text.len() > MAX_EXTRA_BYTES.saturating_mul(4) {
            return Err(too_large(text.len()));
        }
        let value: Value = serde_json::from_str(text)
            .map_err(|e| Error::invalid(format!("extra: is not valid JSON ({e})")))?;
        self.extra_json(value)
    }

    pub fn order_id(mut self, id: impl Into<String>) -> Self {
        self.order_id = Some(id.into());
        self
    }

    pub fn channel(mut self, channel: impl Into<Channel>) -> Self {
        self.channel = channel.into();
        self
    }

    /// Checks the amount against the channel's limits and the order id's rules.
    pub fn validate(&self) -> Result<()> {
        validate::amount(self.amount, &self.channel)?;
        if let Some(id) = &self.order_id {
            validate::order_id(id)?;
        }
        self.validate_extra()
    }

    fn validate_extra(&self) -> Result<()> {
        if self.extra.is_empty() {
            return Ok(());
        }
        if let Some(key) = self
            .extra
            .keys()
            .find(|k| RESERVED_ORDER_FIELDS.contains(&k.as_str()))
        {
            return Err(Error::invalid(format!(
                "extra: the key {key:?} is a field the SDK sets itself ({}); set it through \
                 its own argument",
                RESERVED_ORDER_FIELDS.join(", ")
            )));
        }
        let len = serde_json::to_vec(&self.extra)
            .expect("a JSON map always serializes")
            .len();
        if len > MAX_EXTRA_BYTES {
            return Err(too_large(len));
        }
        Ok(())
    }

    /// The JSON body of POST /create-order.
    pub fn to_body(&self) -> Value {
        serde_json::to_value(self.wire_body()).expect("strings and an integer always serialize")
    }

    /// The same body as bytes, for sending: written straight from the request, without the
    /// map [`to_body`](Self::to_body) builds.
    pub(crate) fn body_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(&self.wire_body()).expect("strings and an integer always serialize")
    }

    fn wire_body(&self) -> WireBody<'_> {
        WireBody {
            amount: self.amount,
            order_id: self.order_id.as_deref(),
            kode_channel: self.channel.code(),
            extra: &self.extra,
        }
    }
}

fn too_large(len: usize) -> Error {
    Error::invalid(format!(
        "extra: is {len} bytes of JSON; the limit is {MAX_EXTRA_BYTES} bytes"
    ))
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// POST /create-order's body: the fields that were given, in this order.
#[derive(Serialize)]
struct WireBody<'a> {
    amount: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    order_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kode_channel: Option<&'a str>,
    /// After the SDK's fields; [`CreateOrder::validate`] keeps their keys apart.
    #[serde(flatten)]
    extra: &'a Map<String, Value>,
}

/// An order as Cashi created it.
#[derive(Debug, Clone, PartialEq)]
pub struct Order {
    pub order_id: String,
    /// The amount **to pay**, with the unique code. Store it: the webhook carries it.
    pub amount: i64,
    /// The amount that was asked for.
    pub requested_amount: i64,
    /// `amount - requested_amount` (1–99 for QRIS; 0 where Cashi adds none).
    pub unique_code: i64,
    pub checkout_url: Option<String>,
    /// `data:image/png;base64,...`; see [`Order::qr_png`].
    pub qr_url: Option<String>,
    /// When the order stops being payable, at Jakarta's +07:00 offset; `None` if unknown.
    pub expires_at: Option<DateTime<FixedOffset>>,
    pub provider: Option<String>,
    /// Cashi's fee, as a percentage (e.g. 0.7).
    pub fee: Option<f64>,
    pub expected_net: Option<i64>,
    pub is_qris_custom: Option<bool>,
    pub virtual_account: Option<VirtualAccount>,
    pub retail: Option<RetailCode>,
    /// Cashi's answer as received (JSON text); see [`Order::raw`].
    body: Box<str>,
}

/// The virtual-account fields of a VA order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VirtualAccount {
    pub va_number: String,
    pub bank: Option<String>,
    pub bank_name: Option<String>,
    pub total_amount: Option<i64>,
    pub admin_fee: Option<i64>,
    pub kode_channel: Option<String>,
}

/// The payment code of a retail (Alfamart, Indomaret) order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetailCode {
    pub payment_code: String,
    pub retail_code: Option<String>,
    pub retail_name: Option<String>,
}

impl Order {
    /// Reads Cashi's HTTP answer (status and body) to `request`: the order, or the error
    /// the answer means. Errors carry the HTTP status.
    pub fn from_http(http_status: u16, body: &[u8], request: &CreateOrder) -> Result<Order> {
        let answer = response::interpret::<OrderAnswer>(http_status, body)?;
        Order::from_answer(answer, request).map_err(|e| e.with_status(http_status))
    }

    pub(crate) fn from_answer(answer: Answer<OrderAnswer>, request: &CreateOrder) -> Result<Order> {
        let Answer { fields: a, body } = answer;
        let order_id = lenient::text(a.order_id_camel)
            .or_else(|| lenient::text(a.order_id))
            .or_else(|| request.order_id.clone())
            .ok_or_else(|| decode("neither orderId nor order_id is present"))?;
        let amount =
            lenient::amount(a.amount.as_ref()).map_err(|p| decode(&p.describe("amount")))?;
        let opt_amount = |value: Option<&AmountField>, field: &str| {
            lenient::opt_amount(value).map_err(|p| decode(&p.describe(field)))
        };
        let expected_net = opt_amount(a.expected_net.as_ref(), "expected_net")?;
        let total_amount = opt_amount(a.total_amount.as_ref(), "total_amount")?;
        let admin_fee =
            lenient::opt_fee(a.admin_fee.as_ref()).map_err(|p| decode(&p.describe("admin_fee")))?;
        // Both are at most MAX_AMOUNT today; checked all the same, so an answer that cannot
        // be combined with the request is refused, never wrapped or a panic.
        let unique_code = amount.checked_sub(request.amount).ok_or_else(|| {
            decode(&format!(
                "amount: {amount} cannot be compared with the requested amount {}",
                request.amount
            ))
        })?;
        let expires_at = match timestamp::parse_value(a.expires_at.as_ref()) {
            timestamp::Parsed::At(dt) => Some(dt),
            // An order exists even when its expiry is in a form nobody has seen; failing here
            // would lose the amount to pay. The text stays in `raw`.
            timestamp::Parsed::Unknown | timestamp::Parsed::Unreadable => None,
        };
        let virtual_account = lenient::text(a.va_number).map(|va_number| VirtualAccount {
            va_number,
            bank: lenient::text(a.bank),
            bank_name: lenient::text(a.bank_name),
            total_amount,
            admin_fee,
            kode_channel: lenient::text(a.kode_channel),
        });
        let retail = lenient::text(a.payment_code).map(|payment_code| RetailCode {
            payment_code,
            retail_code: lenient::text(a.retail_code),
            retail_name: lenient::text(a.retail_name),
        });
        Ok(Order {
            order_id,
            amount,
            requested_amount: request.amount,
            unique_code,
            checkout_url: lenient::text(a.checkout_url),
            qr_url: lenient::text(a.qr_url_camel).or_else(|| lenient::text(a.qr_url)),
            expires_at,
            provider: lenient::text(a.provider),
            fee: lenient::opt_f64(a.fee.as_ref()),
            expected_net,
            is_qris_custom: lenient::opt_bool(a.is_qris_custom.as_ref()),
            virtual_account,
            retail,
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

    /// The SDK's JSON view of the order's fields, the same in every binding that hands out
    /// JSON (the C library, the CLI's `--json`); see [`crate::model::to_json`]. Cashi's whole
    /// answer is not in it: it repeats the `qrUrl` data URI, most of the answer's bytes.
    pub fn to_json(&self) -> Value {
        crate::model::to_json(self)
    }

    /// The QR code as PNG bytes, decoded from `qrUrl`.
    pub fn qr_png(&self) -> Result<Vec<u8>> {
        match &self.qr_url {
            Some(uri) => data_uri::decode_png(uri),
            None => Err(Error::new(
                ErrorKind::Decode,
                format!(
                    "order {:?} has no qrUrl (only QRIS orders carry a QR code)",
                    self.order_id
                ),
            )),
        }
    }
}

fn decode(problem: &str) -> Error {
    Error::new(ErrorKind::Decode, format!("create-order answer: {problem}"))
}

answer_fields! {
    /// The fields of a create-order answer the SDK reads, each as sent.
    pub(crate) struct OrderAnswer {
        order_id_camel: Scalar = "orderId",
        order_id: Scalar = "order_id",
        amount: AmountField = "amount",
        checkout_url: Scalar = "checkout_url",
        qr_url_camel: Scalar = "qrUrl",
        qr_url: Scalar = "qr_url",
        expires_at: Scalar = "expires_at",
        provider: Scalar = "provider",
        fee: Scalar = "fee",
        expected_net: AmountField = "expected_net",
        is_qris_custom: Scalar = "is_qris_custom",
        va_number: Scalar = "va_number",
        bank: Scalar = "bank",
        bank_name: Scalar = "bank_name",
        total_amount: AmountField = "total_amount",
        admin_fee: AmountField = "admin_fee",
        kode_channel: Scalar = "kode_channel",
        payment_code: Scalar = "payment_code",
        retail_code: Scalar = "retail_code",
        retail_name: Scalar = "retail_name",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn order(v: Value, req: &CreateOrder) -> Result<Order> {
        Order::from_http(200, v.to_string().as_bytes(), req)
    }

    #[test]
    fn body_has_only_what_was_given() {
        assert_eq!(CreateOrder::new(15000).to_body(), json!({"amount": 15000}));
        assert_eq!(
            CreateOrder::new(15000)
                .order_id("INV-1")
                .channel("bca")
                .to_body(),
            json!({"amount": 15000, "order_id": "INV-1", "kode_channel": "BCA"})
        );
        assert_eq!(
            CreateOrder::new(15000).order_id("INV-1").body_bytes(),
            br#"{"amount":15000,"order_id":"INV-1"}"#
        );
    }

    #[test]
    fn extra_fields_are_sent_as_given_after_the_sdks() {
        let extra = json!({"callback_url": "https://shop.example/cb", "customer": {"name": "Ani", "tags": [1, null]}});
        let req = CreateOrder::new(15000)
            .order_id("INV-1")
            .extra_json(extra.clone())
            .unwrap();
        req.validate().unwrap();
        assert_eq!(
            req.to_body(),
            json!({"amount": 15000, "order_id": "INV-1", "callback_url": "https://shop.example/cb", "customer": {"name": "Ani", "tags": [1, null]}})
        );
        assert!(String::from_utf8(req.body_bytes())
            .unwrap()
            .starts_with(r#"{"amount":15000,"order_id":"INV-1","#));
        let from_text = CreateOrder::new(15000)
            .order_id("INV-1")
            .extra_text(&extra.to_string())
            .unwrap();
        assert_eq!(from_text, req);
        // An empty object sends nothing more.
        let empty = CreateOrder::new(15000).extra_json(json!({})).unwrap();
        assert_eq!(empty.body_bytes(), br#"{"amount":15000}"#);
    }

    #[test]
    fn the_reserved_keys_are_every_key_the_body_writer_writes() {
        let every = CreateOrder::new(15000).order_id("A").channel("BCA");
        let body = every.to_body();
        let written: Vec<&str> = body
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(written.len(), 3, "{written:?}");
        for key in written {
            assert!(
                RESERVED_ORDER_FIELDS.contains(&key),
                "{key} is not reserved"
            );
        }
    }

    #[test]
    fn extra_colliding_with_an_sdk_field_is_refused_naming_the_key() {
        for key in RESERVED_ORDER_FIELDS {
            let mut m = Map::new();
            m.insert("note".into(), json!("x"));
            m.insert(key.into(), json!(1));
            let e = CreateOrder::new(15000).extra(m).validate().unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidArgument);
            assert!(e.message().contains(&format!("{key:?}")), "{e}");
            assert!(e.message().starts_with("extra:"), "{e}");
        }
        // Keys are compared exactly, as JSON compares them.
        let ok = CreateOrder::new(15000)
            .extra_json(json!({"Amount": 1}))
            .unwrap();
        ok.validate().unwrap();
    }

    #[test]
    fn extra_that_is_not_an_object_is_refused() {
        for v in [json!(null), json!([1]), json!("x"), json!(3), json!(true)] {
            let e = CreateOrder::new(15000).extra_json(v.clone()).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{v}");
            assert!(e.message().contains("must be an object"), "{e}");
        }
        for text in ["[1,2]", "{\"a\":", ""] {
            let e = CreateOrder::new(15000).extra_text(text).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{text}");
            assert!(e.message().starts_with("extra:"), "{e}");
        }
    }

    #[test]
    fn extra_is_bounded() {
        // Exactly at the limit is sent; one byte more is refused.
        let overhead = json!({"note": ""}).to_string().len();
        let at = json!({"note": "x".repeat(MAX_EXTRA_BYTES - overhead)});
        CreateOrder::new(15000)
            .extra_json(at)
            .unwrap()
            .validate()
            .unwrap();
        let over = json!({"note": "x".repeat(MAX_EXTRA_BYTES - overhead + 1)});
        let e = CreateOrder::new(15000)
            .extra_json(over)
            .unwrap()
            .validate()
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        assert!(e.message().contains("16384"), "{e}");
        // Text far beyond the limit is refused before it is parsed.
        let huge = format!("{{\"a\":\"{}\"}}", "x".repeat(MAX_EXTRA_BYTES * 4));
        let e = CreateOrder::new(15000).extra_text(&huge).unwrap_err();
        assert!(e.message().contains("the limit is 16384"), "{e}");
    }

    #[test]
    fn reads_the_documented_answer() {
        let req = CreateOrder::new(15000).order_id("INV-9921");
        let o = order(
            json!({"success":true,"order_id":"INV-9921","amount":15023,"checkout_url":"https://cashi.id/pay/INV-9921","qrUrl":"data:image/png;base64,AA","expires_at":"2025-03-01 10:20:30","provider":"CASHI","fee":0.7,"new_field":[1]}),
            &req,
        )
        .unwrap();
        assert_eq!(o.amount, 15023);
        assert_eq!(o.requested_amount, 15000);
        assert_eq!(o.unique_code, 23);
        assert_eq!(
            o.expires_at.unwrap().to_rfc3339(),
            "2025-03-01T10:20:30+07:00"
        );
        assert_eq!(o.fee, Some(0.7));
        assert_eq!(o.raw()["new_field"], json!([1]));
        assert_eq!(o.raw()["qrUrl"], "data:image/png;base64,AA");
        let view = o.to_json();
        assert_eq!(view["expires_at"], "2025-03-01T10:20:30+07:00");
        assert_eq!(view["unique_code"], 23);
        assert_eq!(view["virtual_account"], Value::Null);
        assert_eq!(
            view.get("raw"),
            None,
            "raw is read separately, not in the view"
        );
        assert_eq!(view["qr_url"], "data:image/png;base64,AA");
    }

    #[test]
    fn reads_va_and_retail_fields() {
        let req = CreateOrder::new(50000).channel("BCA");
        let o = order(json!({"orderId":"X","amount":"50000","va_number":"8808123","bank":"BCA","bank_name":"Bank Central Asia","total_amount":54000,"admin_fee":4000,"expected_net":49650}), &req).unwrap();
        let va = o.virtual_account.unwrap();
        assert_eq!(va.va_number, "8808123");
        assert_eq!(va.admin_fee, Some(4000));
        assert_eq!(o.expected_net, Some(49650));
        let o = order(
            json!({"orderId":"Y","amount":20000,"payment_code":"AB12","retail_name":"Alfamart"}),
            &req,
        )
        .unwrap();
        assert_eq!(o.retail.unwrap().payment_code, "AB12");
    }

    #[test]
    fn keeps_the_answer_as_sent() {
        let text = "{ \"orderId\": \"A\",\n  \"amount\": \"15023\", \"later\": {\"x\": null} }";
        let o = Order::from_http(201, text.as_bytes(), &CreateOrder::new(15000)).unwrap();
        assert_eq!(o.body(), text);
        assert_eq!(o.raw()["later"], json!({"x": null}));
        assert_eq!(o.unique_code, 23);
        let e = Order::from_http(
            200,
            br#"{"orderId":"A","amount":1.5}"#,
            &CreateOrder::new(1),
        )
        .unwrap_err();
        assert_eq!((e.kind(), e.http_status()), (ErrorKind::Decode, Some(200)));
    }

    #[test]
    fn missing_id_or_amount_is_decode() {
        let req = CreateOrder::new(15000);
        assert_eq!(
            order(json!({"amount":15023}), &req).unwrap_err().kind(),
            ErrorKind::Decode
        );
        assert_eq!(
            order(json!({"orderId":"A"}), &req).unwrap_err().kind(),
            ErrorKind::Decode
        );
        let with_id = CreateOrder::new(15000).order_id("MINE");
        assert_eq!(
            order(json!({"amount":15001}), &with_id).unwrap().order_id,
            "MINE"
        );
    }

    #[test]
    fn amounts_that_cannot_be_combined_are_decode_not_a_panic() {
        // The reader refuses the extreme amount before any arithmetic.
        let e = Order::from_http(
            200,
            br#"{"orderId":"A","amount":-9223372036854775808}"#,
            &CreateOrder::new(15000),
        )
        .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode);
        assert!(e.message().contains("amount: -9223372036854775808"), "{e}");
        // A request that skipped validation cannot overflow the unique code either.
        for requested in [i64::MIN, -1] {
            let e = Order::from_http(
                200,
                br#"{"orderId":"A","amount":9007199254740991}"#,
                &CreateOrder::new(requested),
            );
            match requested {
                i64::MIN => {
                    let e = e.unwrap_err();
                    assert_eq!((e.kind(), e.http_status()), (ErrorKind::Decode, Some(200)));
                    assert!(e.message().contains("amount:"), "{e}");
                }
                _ => assert_eq!(e.unwrap().unique_code, 9_007_199_254_740_992),
            }
        }
    }

    #[test]
    fn qr_png_without_qr_is_decode() {
        let o = order(
            json!({"orderId":"A","amount":15023}),
            &CreateOrder::new(15000),
        )
        .unwrap();
        assert_eq!(o.qr_png().unwrap_err().kind(), ErrorKind::Decode);
    }
}
