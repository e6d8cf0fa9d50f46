//! The fields of every result the SDK hands out, declared once.
//!
//! Each result ([`Order`], its [`VirtualAccount`] and [`RetailCode`], [`PaymentStatus`],
//! [`WebhookEvent`]) has a [`Schema`]: its fields in order, with name, type and doc. The
//! bindings read a result through [`Record::visit`], by name, and their type stubs and
//! accessors are generated from the schemas (`tools/codegen`), so a new field is one line
//! here plus the struct field it reads. The parity test (`tests/parity`) checks that every
//! language exposes each schema, and nothing else.
//!
//! Names are snake_case; each binding spells them in its language's idiom (`orderId` in
//! JavaScript and PHP, `cashi_order_order_id` in C). A *predicate* (`is_settled`) is a
//! boolean derived from the other fields: a method in PHP and a property elsewhere.

use chrono::{DateTime, FixedOffset};
use serde_json::{Map, Value as Json};

use crate::order::{Order, RetailCode, VirtualAccount};
use crate::status::PaymentStatus;
use crate::timestamp;
use crate::webhook::WebhookEvent;

/// A result's fields, in the order every binding lists them.
#[derive(Debug)]
pub struct Schema {
    /// The type's name in every language (`Order`, `PaymentStatus`, ...).
    pub name: &'static str,
    pub doc: &'static str,
    pub fields: &'static [Field],
}

/// One field of a [`Schema`].
#[derive(Debug)]
pub struct Field {
    /// snake_case; each binding spells it in its own idiom.
    pub name: &'static str,
    pub ty: Type,
    /// Whether it may be absent (`None`/`null`/`NULL`).
    pub optional: bool,
    /// Derived from the other fields rather than read from Cashi's answer.
    pub predicate: bool,
    pub doc: &'static str,
}

/// What a field holds.
#[derive(Debug, Clone, Copy)]
pub enum Type {
    Text,
    /// A whole number (rupiah amounts, codes); at most 2^53 − 1 where it is an amount.
    Integer,
    /// A decimal number (Cashi's fee percentage).
    Decimal,
    Boolean,
    /// An instant at Jakarta's +07:00 offset; RFC 3339 text where a language has no
    /// date-time type at hand.
    Timestamp,
    /// Another result, nested (an order's virtual account).
    Record(&'static Schema),
}

/// A field's value, as [`Record::visit`] hands it over.
#[derive(Debug, Clone, Copy)]
pub enum Value<'a> {
    Text(Option<&'a str>),
    Integer(Option<i64>),
    Decimal(Option<f64>),
    Boolean(Option<bool>),
    Timestamp(Option<DateTime<FixedOffset>>),
    Record(Option<&'a dyn Record>),
}

/// A result whose fields a binding reads by name.
pub trait Record: std::fmt::Debug {
    fn schema(&self) -> &'static Schema;

    /// Calls `visitor` with each field of [`Record::schema`] and its value, in the schema's
    /// order.
    fn visit(&self, visitor: &mut dyn FnMut(&'static Field, Value<'_>));
}

/// Every result type, nested ones included: what the generators and the parity test read.
pub const SCHEMAS: [&Schema; 5] = [
    &ORDER,
    &VIRTUAL_ACCOUNT,
    &RETAIL_CODE,
    &PAYMENT_STATUS,
    &WEBHOOK_EVENT,
];

/// The SDK's JSON view of a record: its fields by name, nested records as objects,
/// timestamps as RFC 3339 at +07:00, absent values as `null`. Cashi's whole answer (`raw`)
/// is not in it: it is read separately and only when wanted.
pub fn to_json(record: &dyn Record) -> Json {
    let mut object = Map::new();
    record.visit(&mut |field, value| {
        object.insert(field.name.to_string(), value_to_json(value));
    });
    Json::Object(object)
}

fn value_to_json(value: Value<'_>) -> Json {
    match value {
        Value::Text(v) => v.map_or(Json::Null, Json::from),
        Value::Integer(v) => v.map_or(Json::Null, Json::from),
        Value::Decimal(v) => v.map_or(Json::Null, Json::from),
        Value::Boolean(v) => v.map_or(Json::Null, Json::from),
        Value::Timestamp(v) => v.map_or(Json::Null, |t| Json::from(timestamp::format(&t))),
        Value::Record(v) => v.map_or(Json::Null, to_json),
    }
}

/// The schemas themselves as JSON, for generators and tests written in other languages.
pub fn schemas_json() -> Json {
    Json::Array(SCHEMAS.iter().map(|s| schema_json(s)).collect())
}

fn schema_json(schema: &Schema) -> Json {
    let fields = schema.fields.iter().map(|f| {
        let (ty, record) = match f.ty {
            Type::Text => ("text", None),
            Type::Integer => ("integer", None),
            Type::Decimal => ("decimal", None),
            Type::Boolean => ("boolean", None),
            Type::Timestamp => ("timestamp", None),
            Type::Record(nested) => ("record", Some(nested.name)),
        };
        serde_json::json!({
            "name": f.name, "type": ty, "record": record, "optional": f.optional,
            "predicate": f.predicate, "doc": f.doc,
        })
    });
    serde_json::json!({"name": schema.name, "doc": schema.doc, "fields": fields.collect::<Vec<_>>()})
}

fn nested<T: Record>(value: Option<&T>) -> Option<&dyn Record> {
    value.map(|v| v as &dyn Record)
}

/// Declares a type's [`Schema`] and its [`Record`] implementation from one list, so the
/// table and the values cannot disagree: `name: role Type = |self| value, "doc";` where
/// role is `required`, `optional` or `predicate`.
macro_rules! schema {
    (
        $ty:ident => $schema:ident, $doc:literal {
            $( $name:ident : $role:ident $kind:ident $(($nested:ident))? = |$this:ident| $get:expr, $fdoc:literal; )*
        }
    ) => {
        pub static $schema: Schema = Schema {
            name: stringify!($ty),
            doc: $doc,
            fields: &[$(Field {
                name: stringify!($name),
                ty: schema!(@type $kind $($nested)?),
                optional: schema!(@optional $role),
                predicate: schema!(@predicate $role),
                doc: $fdoc,
            }),*],
        };

        impl Record for $ty {
            fn schema(&self) -> &'static Schema {
                &$schema
            }

            fn visit(&self, visitor: &mut dyn FnMut(&'static Field, Value<'_>)) {
                let mut fields = $schema.fields.iter();
                $({
                    let $this = self;
                    let field = fields.next().expect("one field per entry");
                    visitor(field, schema!(@value $kind $($nested)?, $get));
                })*
            }
        }
    };
    (@type Record $nested:ident) => { Type::Record(&$nested) };
    (@type $kind:ident) => { Type::$kind };
    (@value Record $nested:ident, $get:expr) => { Value::Record(nested($get)) };
    (@value $kind:ident, $get:expr) => { Value::$kind(Into::into($get)) };
    (@optional required) => { false };
    (@optional optional) => { true };
    (@optional predicate) => { false };
    (@predicate predicate) => { true };
    (@predicate $role:ident) => { false };
}

schema! {
    Order => ORDER, "An order as Cashi created it." {
        order_id: required Text = |o| o.order_id.as_str(),
            "The order's id: the one given to create_order, or the one Cashi made.";
        amount: required Integer = |o| o.amount,
            "The amount to pay, with the unique code. Store it: the webhook carries it.";
        requested_amount: required Integer = |o| o.requested_amount,
            "The amount that was asked for.";
        unique_code: required Integer = |o| o.unique_code,
            "amount - requested_amount (1-99 for QRIS; 0 where Cashi adds none).";
        checkout_url: optional Text = |o| o.checkout_url.as_deref(),
            "Cashi's hosted payment page.";
        qr_url: optional Text = |o| o.qr_url.as_deref(),
            "The QR code as a data:image/png;base64 URI (QRIS orders).";
        expires_at: optional Timestamp = |o| o.expires_at,
            "When the order stops being payable, at +07:00; absent if unknown.";
        provider: optional Text = |o| o.provider.as_deref(),
            "The payment provider Cashi routed the order to.";
        fee: optional Decimal = |o| o.fee,
            "Cashi's fee, as a percentage (e.g. 0.7).";
        expected_net: optional Integer = |o| o.expected_net,
            "What the merchant receives after the fee.";
        is_qris_custom: optional Boolean = |o| o.is_qris_custom,
            "Whether the order uses the merchant's own QRIS.";
        virtual_account: optional Record(VIRTUAL_ACCOUNT) = |o| o.virtual_account.as_ref(),
            "The virtual account to pay into (VA orders).";
        retail: optional Record(RETAIL_CODE) = |o| o.retail.as_ref(),
            "The payment code to pay at a store (retail orders).";
    }
}

schema! {
    VirtualAccount => VIRTUAL_ACCOUNT, "The virtual-account part of a VA order." {
        va_number: required Text = |v| v.va_number.as_str(),
            "The account number the customer transfers to.";
        bank: optional Text = |v| v.bank.as_deref(),
            "The bank's code.";
        bank_name: optional Text = |v| v.bank_name.as_deref(),
            "The bank's name.";
        total_amount: optional Integer = |v| v.total_amount,
            "What the customer transfers, the bank's fee included.";
        admin_fee: optional Integer = |v| v.admin_fee,
            "The bank's fee.";
        kode_channel: optional Text = |v| v.kode_channel.as_deref(),
            "The channel code the order was created with.";
    }
}

schema! {
    RetailCode => RETAIL_CODE, "The payment code of a retail (Alfamart, Indomaret) order." {
        payment_code: required Text = |r| r.payment_code.as_str(),
            "The code the customer shows at the till.";
        retail_code: optional Text = |r| r.retail_code.as_deref(),
            "The store chain's code.";
        retail_name: optional Text = |r| r.retail_name.as_deref(),
            "The store chain's name.";
    }
}

schema! {
    PaymentStatus => PAYMENT_STATUS, "An order's payment status, as check-status reports it." {
        order_id: required Text = |s| s.order_id.as_str(),
            "The order's id.";
        status: required Text = |s| s.state.as_str(),
            "PENDING, SETTLED, EXPIRED, or a word this SDK does not know, as sent.";
        amount: optional Integer = |s| s.amount,
            "The amount Cashi reports for the order (the amount paid, once settled).";
        provider_tx_id: optional Text = |s| s.provider_tx_id.as_deref(),
            "Cashi's transaction id, present once settled.";
        amount_from_webhook: required Boolean = |s| s.amount_from_webhook,
            "Set by confirm given a webhook event when check-status carried no amount.";
        is_settled: predicate Boolean = |s| s.is_settled(),
            "The status is SETTLED. Still compare the amount (confirm does).";
        is_pending: predicate Boolean = |s| s.is_pending(),
            "The status is PENDING: the customer has not paid yet.";
        is_expired: predicate Boolean = |s| s.is_expired(),
            "The status is EXPIRED: the order can no longer be paid.";
        is_final: predicate Boolean = |s| s.is_final(),
            "The status can no longer change on its own (SETTLED or EXPIRED).";
    }
}

schema! {
    WebhookEvent => WEBHOOK_EVENT, "A webhook event: verified, unless read with parse_unverified." {
        event: required Text = |e| e.event.as_str(),
            "The event's name (PAYMENT_SETTLED).";
        order_id: required Text = |e| e.order_id.as_str(),
            "The order's id.";
        status: required Text = |e| e.status.as_str(),
            "The payment's status (SETTLED).";
        amount: required Integer = |e| e.amount,
            "The amount paid; compare it with the amount stored at create-order time.";
        payment_method: optional Text = |e| e.payment_method.as_deref(),
            "How the customer paid.";
        paid_at: optional Text = |e| e.paid_at.as_deref(),
            "When the customer paid, as sent (YYYY-MM-DD HH:MM:SS, Jakarta time).";
        paid_at_time: optional Timestamp = |e| e.paid_at_time(),
            "paid_at as an instant at +07:00, when it is present and readable.";
        transaction_id: optional Text = |e| e.transaction_id.as_deref(),
            "Cashi's transaction id.";
        is_test: predicate Boolean = |e| e.is_test(),
            "A dashboard test (order id TEST-...): answer 200 and fulfil nothing.";
        is_settled: predicate Boolean = |e| e.is_settled(),
            "PAYMENT_SETTLED with status SETTLED. Still confirm the amount before fulfilling.";
        is_verified: predicate Boolean = |e| e.is_verified(),
            "Its signature was verified; false when read with parse_unverified (a hint: confirm by order id).";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order_with_parts() -> Order {
        let body = serde_json::json!({
            "success": true, "orderId": "INV-1", "amount": 15023,
            "checkout_url": "https://cashi.id/c/1", "expires_at": "2026-01-01T10:00:00+07:00",
            "va_number": "8001", "bank": "BCA", "total_amount": 19023,
            "payment_code": "ALFA1", "retail_name": "Alfamart"
        });
        let request = crate::CreateOrder::new(15000);
        Order::from_http(200, body.to_string().as_bytes(), &request).unwrap()
    }

    fn names(schema: &Schema) -> Vec<&'static str> {
        schema.fields.iter().map(|f| f.name).collect()
    }

    #[test]
    fn visit_hands_over_every_field_in_the_schemas_order() {
        let order = order_with_parts();
        let mut seen = Vec::new();
        order.visit(&mut |field, _| seen.push(field.name));
        assert_eq!(seen, names(&ORDER));
    }

    #[test]
    fn each_value_has_its_fields_declared_type_and_required_fields_are_present() {
        fn check(record: &dyn Record) {
            record.visit(&mut |field, value| {
                let present = match (field.ty, value) {
                    (Type::Text, Value::Text(v)) => v.is_some(),
                    (Type::Integer, Value::Integer(v)) => v.is_some(),
                    (Type::Decimal, Value::Decimal(v)) => v.is_some(),
                    (Type::Boolean, Value::Boolean(v)) => v.is_some(),
                    (Type::Timestamp, Value::Timestamp(v)) => v.is_some(),
                    (Type::Record(schema), Value::Record(v)) => {
                        if let Some(nested) = v {
                            assert_eq!(nested.schema().name, schema.name);
                            check(nested);
                        }
                        v.is_some()
                    }
                    (ty, value) => panic!("{}: declared {ty:?}, got {value:?}", field.name),
                };
                assert!(present || field.optional, "{} is required", field.name);
            });
        }
        check(&order_with_parts());
        let status = PaymentStatus::from_http(200, br#"{"status":"PENDING"}"#, "INV-1").unwrap();
        check(&status);
        let event =
            WebhookEvent::parse_verified(crate::testing::webhook_body("INV-1", 15023).as_bytes())
                .unwrap();
        check(&event);
    }

    #[test]
    fn names_are_unique_snake_case_and_predicates_are_booleans() {
        for schema in SCHEMAS {
            let mut seen = std::collections::HashSet::new();
            for field in schema.fields {
                assert!(
                    seen.insert(field.name),
                    "{}.{} twice",
                    schema.name,
                    field.name
                );
                assert!(
                    field
                        .name
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b == b'_'),
                    "{}.{} is not snake_case",
                    schema.name,
                    field.name
                );
                assert!(
                    !field.doc.is_empty(),
                    "{}.{} has no doc",
                    schema.name,
                    field.name
                );
                if field.predicate {
                    assert!(matches!(field.ty, Type::Boolean) && !field.optional);
                    assert!(field.name.starts_with("is_"), "{}", field.name);
                }
            }
        }
    }

    #[test]
    fn the_json_view_nests_records_and_formats_timestamps() {
        let json = to_json(&order_with_parts());
        assert_eq!(json["amount"], 15023);
        assert_eq!(json["unique_code"], 23);
        assert_eq!(json["expires_at"], "2026-01-01T10:00:00+07:00");
        assert_eq!(json["virtual_account"]["va_number"], "8001");
        assert_eq!(json["virtual_account"]["total_amount"], 19023);
        assert_eq!(json["virtual_account"]["bank_name"], Json::Null);
        assert_eq!(json["retail"]["retail_name"], "Alfamart");
        assert_eq!(json["fee"], Json::Null);
        let keys: Vec<_> = json.as_object().unwrap().keys().cloned().collect();
        let mut expected: Vec<_> = names(&ORDER).into_iter().map(String::from).collect();
        expected.sort();
        let mut keys_sorted = keys.clone();
        keys_sorted.sort();
        assert_eq!(keys_sorted, expected);
    }

    #[test]
    fn the_schemas_as_json_name_nested_records() {
        let all = schemas_json();
        let order = &all[0];
        assert_eq!(order["name"], "Order");
        let va = order["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == "virtual_account")
            .unwrap();
        assert_eq!(va["type"], "record");
        assert_eq!(va["record"], "VirtualAccount");
        assert_eq!(all.as_array().unwrap().len(), SCHEMAS.len());
    }
}
