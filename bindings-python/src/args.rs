//! Python arguments as the core's values (amounts, durations, retries), with messages naming
//! the field.

use std::time::Duration;

use cashi::Error;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyFloat, PyInt, PyString};

use crate::error::invalid;

/// The name of a Python object's type, for messages ("str", "Decimal").
fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "object".to_string())
}

/// A Python value as whole rupiah. An `int` is exact; a `float` must be integral
/// (the core's `amount_from_f64`); `Decimal`/`Fraction`-like values must have no fraction.
/// Anything else (bool, str, None, ...) is `invalid_argument` naming the field, never a
/// `TypeError`, and nothing is ever rounded.
pub(crate) fn amount_arg(field: &str, value: &Bound<'_, PyAny>) -> Result<i64, Error> {
    let pass = "pass an int of whole rupiah, e.g. 15000";
    if value.is_none() {
        return Err(invalid(format!("{field}: is required (got None); {pass}")));
    }
    if value.is_instance_of::<PyBool>() {
        return Err(invalid(format!("{field}: a bool is not an amount; {pass}")));
    }
    if value.is_instance_of::<PyInt>() {
        return value.extract::<i64>().map_err(|_| {
            invalid(format!(
                "{field}: {} is too large to be an amount of rupiah",
                value.str().map(|s| s.to_string()).unwrap_or_default()
            ))
        });
    }
    if value.is_instance_of::<PyFloat>() {
        let f: f64 = value
            .extract()
            .map_err(|_| invalid(format!("{field}: is not a number; {pass}")))?;
        return cashi::validate::amount_from_f64(field, f);
    }
    if value.is_instance_of::<PyString>() || value.is_instance_of::<PyBytes>() {
        return Err(invalid(format!(
            "{field}: got a {}, which is not an amount; {pass}",
            type_name(value)
        )));
    }
    // Decimal, Fraction, NumPy numbers: exact when their ratio has denominator 1.
    if let Ok(ratio) = value.call_method0("as_integer_ratio") {
        let (numerator, denominator): (Bound<'_, PyAny>, Bound<'_, PyAny>) =
            ratio.extract().map_err(|_| {
                invalid(format!(
                    "{field}: got a {}, which is not an amount; {pass}",
                    type_name(value)
                ))
            })?;
        let denominator: i64 = denominator.extract().unwrap_or(0);
        if denominator != 1 {
            return Err(invalid(format!(
                "{field}: {} is not a whole number of rupiah; amounts are never rounded, {pass}",
                value.str().map(|s| s.to_string()).unwrap_or_default()
            )));
        }
        return amount_arg(field, &numerator);
    }
    if value.hasattr("__index__").unwrap_or(false) {
        if let Ok(index) = value.call_method0("__index__") {
            return amount_arg(field, &index);
        }
    }
    // NaN or infinite Decimals end up here too: `as_integer_ratio` refuses them.
    Err(invalid(format!(
        "{field}: got a {}, which is not a whole number of rupiah; {pass}",
        type_name(value)
    )))
}

/// A Python number of seconds (an `int` or a `float`, not a bool) under the core's one rule
/// for durations ([`cashi::validate::seconds`]).
pub(crate) fn seconds_arg(field: &str, value: &Bound<'_, PyAny>) -> Result<Duration, Error> {
    let number = !value.is_instance_of::<PyBool>()
        && (value.is_instance_of::<PyInt>() || value.is_instance_of::<PyFloat>());
    if !number {
        return Err(invalid(format!(
            "{field}: must be a number of seconds, not {}",
            type_name(value)
        )));
    }
    // An int too large for a float is too long a duration.
    let seconds: f64 = value.extract().unwrap_or(f64::INFINITY);
    cashi::validate::seconds(field, seconds)
}

/// `max_retries` as the core takes it: an `int`, not negative; the core refuses too many.
pub(crate) fn retries_arg(value: &Bound<'_, PyAny>) -> Result<u32, Error> {
    if value.is_instance_of::<PyBool>() || !value.is_instance_of::<PyInt>() {
        return Err(invalid(format!(
            "max_retries: must be an int, not {}",
            type_name(value)
        )));
    }
    if value.lt(0).unwrap_or(false) {
        return Err(invalid(format!(
            "max_retries: {} is negative; pass 0 for no retries",
            value.str().map(|s| s.to_string()).unwrap_or_default()
        )));
    }
    // More than a u32 holds is more than the core allows, and it says so.
    Ok(value.extract::<u32>().unwrap_or(u32::MAX))
}
