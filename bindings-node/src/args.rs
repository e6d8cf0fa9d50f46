//! JavaScript arguments as the core's values. Every argument is taken as an unknown value
//! and classified, so a wrong type is an `invalid_argument` naming the field.

use std::time::Duration;

use cashi::validate;
use napi::bindgen_prelude::*;
use napi::ValueType;

use crate::error::{internal, invalid};

/// How a JavaScript value is described in messages: `true`, `null`, `"15000"`, `a function`.
pub(crate) fn describe(value: &Unknown) -> String {
    let text = |v: &Unknown| -> Option<String> { unsafe { v.cast::<String>() }.ok() };
    match value.get_type() {
        Ok(ValueType::Null) => "null".into(),
        Ok(ValueType::Undefined) => "undefined".into(),
        Ok(ValueType::Boolean) => match unsafe { value.cast::<bool>() } {
            Ok(b) => b.to_string(),
            Err(_) => "a boolean".into(),
        },
        Ok(ValueType::String) => match text(value) {
            Some(s) if s.chars().count() <= 40 => format!("the string {s:?}"),
            _ => "a string".into(),
        },
        Ok(ValueType::Number) => match unsafe { value.cast::<f64>() } {
            Ok(n) => format_number(n),
            Err(_) => "a number".into(),
        },
        Ok(ValueType::BigInt) => "a bigint".into(),
        Ok(ValueType::Symbol) => "a symbol".into(),
        Ok(ValueType::Function) => "a function".into(),
        Ok(ValueType::Object) => {
            if value.is_array().unwrap_or(false) {
                "an array".into()
            } else {
                "an object".into()
            }
        }
        _ => "a value of unknown type".into(),
    }
}

pub(crate) fn format_number(n: f64) -> String {
    if n.is_nan() {
        "NaN".into()
    } else if n.is_infinite() {
        if n > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else {
        n.to_string()
    }
}

/// An amount in whole rupiah from a JS number (the core's rule for a float: a whole
/// number, finite, exact) or a bigint; `None` for `undefined`. Anything else (a string, a
/// boolean, null, a huge bigint) is an `invalid_argument` naming `field`: money is never
/// rounded or parsed from text.
pub(crate) fn amount_arg(field: &str, value: &Unknown) -> cashi::Result<Option<i64>> {
    match value.get_type().map_err(internal)? {
        ValueType::Undefined => Ok(None),
        ValueType::Number => {
            let n: f64 = unsafe { value.cast() }.map_err(internal)?;
            validate::amount_from_f64(field, n).map(Some)
        }
        ValueType::BigInt => {
            let big: BigInt = unsafe { value.cast() }.map_err(internal)?;
            let (n, lossless) = big.get_i128();
            match i64::try_from(n) {
                Ok(n) if lossless => Ok(Some(n)),
                _ => Err(invalid(format!(
                    "{field}: the bigint is too large to be an amount of rupiah"
                ))),
            }
        }
        _ => Err(invalid(format!(
            "{field}: {} is not an amount; pass a whole number of rupiah, e.g. 15000",
            describe(value)
        ))),
    }
}

/// A string argument; `None` for `undefined` (and `null` where `null_is_absent`).
pub(crate) fn string_arg(
    field: &str,
    value: &Unknown,
    null_is_absent: bool,
) -> cashi::Result<Option<String>> {
    match value.get_type().map_err(internal)? {
        ValueType::Undefined => Ok(None),
        ValueType::Null if null_is_absent => Ok(None),
        ValueType::String => unsafe { value.cast::<String>() }
            .map(Some)
            .map_err(internal),
        _ => Err(invalid(format!(
            "{field}: {} is not a string",
            describe(value)
        ))),
    }
}

/// A secret (the API key): as [`string_arg`] with `null` absent, but a value of another
/// type is named by its type only: a number or a short string may be the secret itself.
pub(crate) fn secret_string_arg(field: &str, value: &Unknown) -> cashi::Result<Option<String>> {
    match value.get_type().map_err(internal)? {
        ValueType::Undefined | ValueType::Null => Ok(None),
        ValueType::String => unsafe { value.cast::<String>() }
            .map(Some)
            .map_err(internal),
        other => Err(invalid(format!(
            "{field}: {} is not a string; pass your Cashi API key as a string",
            kind_of(other, value)
        ))),
    }
}

/// How a JavaScript value's type is named in messages, without its value.
pub(crate) fn kind_of(value_type: ValueType, value: &Unknown) -> &'static str {
    match value_type {
        ValueType::Boolean => "a boolean",
        ValueType::String => "a string",
        ValueType::Number => "a number",
        ValueType::BigInt => "a bigint",
        ValueType::Symbol => "a symbol",
        ValueType::Function => "a function",
        ValueType::Object if value.is_array().unwrap_or(false) => "an array",
        ValueType::Object => "an object",
        _ => "a value of unknown type",
    }
}

/// A number of milliseconds as a duration, under the core's one rule for every duration
/// (`validate::duration`: more than zero, at most a day); `None` for `undefined`.
pub(crate) fn millis_arg(field: &str, value: &Unknown) -> cashi::Result<Option<Duration>> {
    match value.get_type().map_err(internal)? {
        ValueType::Undefined => Ok(None),
        ValueType::Number => {
            let ms: f64 = unsafe { value.cast() }.map_err(internal)?;
            // What is no duration at all (NaN, Infinity, a negative number) is refused
            // here; the rule for durations is the core's.
            if !(ms.is_finite() && ms >= 0.0) {
                return Err(invalid(format!(
                    "{field}: {} is not a number of milliseconds",
                    format_number(ms)
                )));
            }
            let duration = Duration::try_from_secs_f64(ms / 1000.0).unwrap_or(Duration::MAX);
            validate::duration(field, duration).map(Some)
        }
        _ => Err(invalid(format!(
            "{field}: {} is not a number of milliseconds",
            describe(value)
        ))),
    }
}

/// A small whole number (retries).
pub(crate) fn count_arg(field: &str, value: &Unknown) -> cashi::Result<Option<u32>> {
    match value.get_type().map_err(internal)? {
        ValueType::Undefined => Ok(None),
        ValueType::Number => {
            let n: f64 = unsafe { value.cast() }.map_err(internal)?;
            if n.is_finite() && n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&n) {
                Ok(Some(n as u32))
            } else {
                Err(invalid(format!(
                    "{field}: {} is not a whole number of 0 or more",
                    format_number(n)
                )))
            }
        }
        _ => Err(invalid(format!(
            "{field}: {} is not a whole number",
            describe(value)
        ))),
    }
}

/// The order id of a `checkStatus`/`waitForPayment`/`confirm` call: a string the core
/// accepts, checked before the Promise exists.
pub(crate) fn order_id_arg(value: &Unknown) -> cashi::Result<String> {
    let id = order_id_text(value)?;
    validate::order_id(&id)?;
    Ok(id)
}

/// An order id as a string, not yet checked (a batch leaves that to the core, per item).
pub(crate) fn order_id_text(value: &Unknown) -> cashi::Result<String> {
    string_arg("orderId", value, false)?.ok_or_else(|| {
        invalid("orderId: is missing; pass the order id (a string) or an order, status or event")
    })
}

/// A create-order request from `createOrder`'s arguments (`extra` as the JSON text
/// `index.js` wrote), not yet checked against the core's rules.
pub(crate) fn order_request(
    amount: &Unknown,
    order_id: &Unknown,
    channel: &Unknown,
    extra: &Unknown,
) -> cashi::Result<cashi::CreateOrder> {
    let amount = amount_arg("amount", amount)?
        .ok_or_else(|| invalid("amount: is missing; pass a whole number of rupiah"))?;
    let mut request = cashi::CreateOrder::new(amount);
    if let Some(id) = string_arg("orderId", order_id, true)? {
        request = request.order_id(id);
    }
    if let Some(code) = string_arg("channel", channel, true)? {
        request = request.channel(code.as_str());
    }
    // index.js hands the caller's value on as JSON text; the core checks it.
    if let Some(text) = string_arg("extra", extra, true)? {
        request = request.extra_text(&text)?;
    }
    Ok(request)
}

/// The amount `confirm` expects: present, and an amount (the core's `confirm` checks that
/// it is one Cashi can have asked for).
pub(crate) fn expected_arg(value: &Unknown) -> cashi::Result<i64> {
    amount_arg("expectedAmount", value)?.ok_or_else(|| {
        invalid("expectedAmount: is missing; pass the amount stored when the order was created (order.amount)")
    })
}
