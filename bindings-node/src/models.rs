//! Results as JavaScript values, by name. Every result of the core is a [`Record`]: its
//! fields are read through [`Record::visit`] and set on an object under their camelCase
//! names (`order_id` → `orderId`), in the schema's order: absent values as `null`, amounts
//! as exact numbers, timestamps as `Date`s, nested records as nested objects. A field added
//! to the core reaches JavaScript with no change here; `records.js`, generated from the
//! same schemas, gives the classes of `index.js` the same names.
//!
//! The fields are set in one `napi_define_properties` call, their names taken from a table
//! built once per process, rather than one call per property. A call's result is a new
//! object, which the class copies (`records.js`); a webhook event, verified synchronously in
//! a few microseconds, is filled in place: `index.js` makes the instance with every field
//! already there (null), and redefining a property costs V8 less than adding one to a new
//! object (bench/FINDINGS.md §8).
//!
//! Cashi's answer (`raw`) crosses as the JSON text it came in (`rawJson`), parsed only when
//! `raw` is read; a webhook event's is the body `index.js` verified.

use std::ffi::CString;
use std::ptr;
use std::sync::OnceLock;

use cashi::model::{Record, Schema, Value, SCHEMAS};
use cashi::validate;
use napi::bindgen_prelude::*;
use napi::{check_status, sys};
use napi_derive::napi;

use crate::error::{detail_text, to_js};

/// `order_id` → `orderId`: the name of a field in JavaScript.
fn camel(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The property names of a schema's fields, in the schema's order, made once per process.
fn property_names(schema: &'static Schema) -> Result<&'static [CString]> {
    static NAMES: OnceLock<Vec<Vec<CString>>> = OnceLock::new();
    let all = NAMES.get_or_init(|| {
        SCHEMAS
            .iter()
            .map(|s| {
                s.fields
                    .iter()
                    .map(|f| CString::new(camel(f.name)).expect("field names are ASCII"))
                    .collect()
            })
            .collect()
    });
    SCHEMAS
        .iter()
        .position(|s| ptr::eq(*s, schema))
        .map(|i| all[i].as_slice())
        .ok_or_else(|| to_js(bug(format!("{} is not in SCHEMAS", schema.name))))
}

fn bug(message: String) -> cashi::Error {
    cashi::Error::new(cashi::ErrorKind::Internal, message)
}

fn property(
    name: *const std::ffi::c_char,
    value: sys::napi_value,
) -> sys::napi_property_descriptor {
    sys::napi_property_descriptor {
        utf8name: name,
        name: ptr::null_mut(),
        method: None,
        getter: None,
        setter: None,
        value,
        // Writable, enumerable and configurable: a plain data property, as an assignment
        // makes (napi defines those on its fast path).
        attributes: sys::PropertyAttributes::writable
            | sys::PropertyAttributes::enumerable
            | sys::PropertyAttributes::configurable,
        data: ptr::null_mut(),
    }
}

/// A JavaScript string: ASCII text (nearly all Cashi sends) as Latin-1, which V8 copies
/// without decoding.
unsafe fn js_string(env: sys::napi_env, text: &str) -> Result<sys::napi_value> {
    if !text.is_ascii() {
        return <&str>::to_napi_value(env, text);
    }
    let mut value = ptr::null_mut();
    check_status!(
        sys::napi_create_string_latin1(env, text.as_ptr().cast(), text.len() as isize, &mut value),
        "creating a string"
    )?;
    Ok(value)
}

unsafe fn value_to_js(
    env: sys::napi_env,
    field: &str,
    value: Value<'_>,
) -> Result<sys::napi_value> {
    match value {
        Value::Text(Some(text)) => js_string(env, text),
        // Exact, or an `internal` error: never a rounded amount.
        Value::Integer(Some(n)) => {
            f64::to_napi_value(env, validate::amount_to_f64(field, n).map_err(to_js)?)
        }
        Value::Decimal(Some(x)) => f64::to_napi_value(env, x),
        Value::Boolean(Some(b)) => bool::to_napi_value(env, b),
        Value::Timestamp(Some(t)) => {
            let mut date = ptr::null_mut();
            check_status!(
                sys::napi_create_date(env, t.timestamp_millis() as f64, &mut date),
                "creating a Date"
            )?;
            Ok(date)
        }
        Value::Record(Some(nested)) => record_to_js(env, nested, None),
        Value::Text(None)
        | Value::Integer(None)
        | Value::Decimal(None)
        | Value::Boolean(None)
        | Value::Timestamp(None)
        | Value::Record(None) => Null::to_napi_value(env, Null),
    }
}

/// A new object with `record`'s fields, then `rawJson` when given.
unsafe fn record_to_js(
    env: sys::napi_env,
    record: &dyn Record,
    raw_json: Option<&str>,
) -> Result<sys::napi_value> {
    let mut object = ptr::null_mut();
    check_status!(
        sys::napi_create_object(env, &mut object),
        "creating an object"
    )?;
    set_fields(env, object, record, raw_json)?;
    Ok(object)
}

/// Sets `record`'s fields on an object `index.js` made for it, every field already there.
pub(crate) fn fill(env: &Env, object: &Object, record: &dyn Record) -> Result<()> {
    unsafe { set_fields(env.raw(), object.raw(), record, None) }
}

/// Sets `record`'s fields on `object`, then `rawJson` when given.
unsafe fn set_fields(
    env: sys::napi_env,
    object: sys::napi_value,
    record: &dyn Record,
    raw_json: Option<&str>,
) -> Result<()> {
    let schema = record.schema();
    let names = property_names(schema)?;
    let mut properties = Vec::with_capacity(names.len() + 1);
    let mut failure = None;
    record.visit(&mut |field, value| {
        if failure.is_some() {
            return;
        }
        let i = properties.len();
        // Each field under its own name: the visit follows the schema's order, checked here.
        let converted = match (names.get(i), schema.fields.get(i)) {
            (Some(name), Some(declared)) if ptr::eq(field, declared) => {
                value_to_js(env, field.name, value).map(|v| property(name.as_ptr(), v))
            }
            _ => Err(to_js(bug(format!(
                "{}.{} visited out of the schema's order",
                schema.name, field.name
            )))),
        };
        match converted {
            Ok(p) => properties.push(p),
            Err(e) => failure = Some(e),
        }
    });
    if let Some(e) = failure {
        return Err(e);
    }
    if let Some(text) = raw_json {
        properties.push(property(c"rawJson".as_ptr(), js_string(env, text)?));
    }
    check_status!(
        sys::napi_define_properties(env, object, properties.len(), properties.as_ptr()),
        "setting a result's fields"
    )
}

/// A result the native module hands to `index.js`.
pub(crate) trait JsResult: Record + Send + 'static {
    /// Cashi's answer as JSON text, for `raw`.
    fn raw_json(&self) -> Option<&str>;
}

impl JsResult for cashi::Order {
    fn raw_json(&self) -> Option<&str> {
        Some(self.body())
    }
}

impl JsResult for cashi::PaymentStatus {
    fn raw_json(&self) -> Option<&str> {
        Some(self.body())
    }
}

/// A result as the object described at the top of this file.
pub struct Js<R>(pub(crate) R);

impl<R: JsResult> ToNapiValue for Js<R> {
    unsafe fn to_napi_value(env: sys::napi_env, value: Self) -> Result<sys::napi_value> {
        record_to_js(env, &value.0, value.0.raw_json())
    }
}

/// One item of a batch: the result's object, or the error as the text `index.js` turns
/// into a `CashiError` (what a single call would reject with).
pub struct Item<R>(pub(crate) cashi::Result<R>);

impl<R: JsResult> ToNapiValue for Item<R> {
    unsafe fn to_napi_value(env: sys::napi_env, item: Self) -> Result<sys::napi_value> {
        let error = match item.0 {
            Ok(result) => match record_to_js(env, &result, result.raw_json()) {
                Ok(object) => return Ok(object),
                Err(e) => e.reason.clone(),
            },
            Err(e) => detail_text(&e),
        };
        String::to_napi_value(env, error)
    }
}

/// Where a `waitForPayment` stands after a poll that did not end it.
#[napi(object)]
pub struct ProgressFields {
    pub polls: u32,
    /// The status text last read, or `unknown (<error code>)` after a transient failure.
    pub last_status: String,
    pub remaining_ms: f64,
}

/// The QR code of an order as PNG bytes (`order.qrPng()`), read by the core from the
/// order's answer as `createOrder` received it; `order_id` is the order's id, for an answer
/// that does not repeat it.
#[napi(catch_unwind)]
pub fn qr_png(raw_json: String, order_id: String) -> Result<Buffer> {
    let request = cashi::CreateOrder::new(0).order_id(order_id);
    cashi::Order::from_http(200, raw_json.as_bytes(), &request)
        .and_then(|order| order.qr_png())
        .map(Buffer::from)
        .map_err(to_js)
}
