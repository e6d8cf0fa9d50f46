//! What the SDK refuses before anything is sent. Every message names the field, what is
//! wrong with the value, and the rule.

#![deny(clippy::arithmetic_side_effects)]

use crate::channel::Channel;
use crate::error::{Error, Result};

/// The longest order id the SDK sends.
pub const MAX_ORDER_ID_LEN: usize = 100;

/// The largest amount the SDK sends or reads: 2^53 − 1, the largest whole number every
/// language it serves holds exactly (a JavaScript number above it may already be rounded).
/// Any two amounts then differ by less than `i64::MAX`.
pub const MAX_AMOUNT: i64 = 9_007_199_254_740_991;

/// Checks an amount in whole rupiah against the channel's limits.
pub fn amount(amount: i64, channel: &Channel) -> Result<i64> {
    positive_amount("amount", amount)?;
    if let Some(limits) = channel.limits() {
        if amount < limits.min || amount > limits.max {
            return Err(Error::invalid(format!(
                "amount: {amount} is outside the {channel} limits of {} to {} rupiah",
                limits.min, limits.max
            )));
        }
    }
    Ok(amount)
}

/// Checks that an amount the merchant gives (an order's amount, the amount `confirm`
/// expects) is a whole number of rupiah from 1 to [`MAX_AMOUNT`].
pub fn positive_amount(field: &str, amount: i64) -> Result<i64> {
    if amount <= 0 {
        return Err(Error::invalid(format!(
            "{field}: {amount} is not a positive whole number of rupiah"
        )));
    }
    if amount > MAX_AMOUNT {
        return Err(Error::invalid(format!(
            "{field}: {amount} is more than {MAX_AMOUNT} rupiah, the largest amount the SDK handles"
        )));
    }
    Ok(amount)
}

/// Turns a binding's floating-point number (a JS number, a Python float) into whole rupiah,
/// refusing anything that is not exactly an integer: money is never rounded.
pub fn amount_from_f64(field: &str, value: f64) -> Result<i64> {
    if !value.is_finite() {
        // Named as JavaScript and Python print them, not Rust's `inf`.
        let name = if value.is_nan() {
            "NaN"
        } else if value > 0.0 {
            "Infinity"
        } else {
            "-Infinity"
        };
        return Err(Error::invalid(format!(
            "{field}: {name} is not a number of rupiah; pass a whole number"
        )));
    }
    if value.fract() != 0.0 {
        return Err(Error::invalid(format!(
            "{field}: {value} is not a whole number of rupiah; amounts are never rounded, pass an integer"
        )));
    }
    // Beyond 2^53 a double no longer holds every integer; refuse rather than guess.
    const MAX_EXACT: f64 = 9_007_199_254_740_992.0;
    if value.abs() > MAX_EXACT {
        return Err(Error::invalid(format!(
            "{field}: {value} is too large to be an exact amount of rupiah"
        )));
    }
    Ok(value as i64)
}

/// An amount as a double, for a binding whose language counts in doubles (JavaScript).
/// Exact for every amount within ±[`MAX_AMOUNT`]: all the SDK reads or sends, and the
/// difference of two of them. Anything beyond would be rounded, so it is an `internal`
/// error (a bug in the SDK), never a different number.
pub fn amount_to_f64(field: &str, amount: i64) -> Result<f64> {
    if amount.unsigned_abs() <= MAX_AMOUNT.unsigned_abs() {
        // Exact: a double holds every integer up to 2^53.
        Ok(amount as f64)
    } else {
        Err(Error::new(
            crate::error::ErrorKind::Internal,
            format!("{field}: {amount} is beyond ±{MAX_AMOUNT} and cannot be handed on exactly"),
        ))
    }
}

/// The longest duration the SDK takes, for any timeout, wait or backoff: a day. Longer is
/// a mistake in units (milliseconds given as seconds), not a wait anyone means.
pub const MAX_DURATION: std::time::Duration = std::time::Duration::from_secs(24 * 60 * 60);

/// The one rule for every duration a binding passes on (timeouts, waits, backoff): more
/// than zero and at most [`MAX_DURATION`].
pub fn duration(field: &str, value: std::time::Duration) -> Result<std::time::Duration> {
    if value.is_zero() {
        return Err(Error::invalid(format!("{field}: must be more than zero")));
    }
    if value > MAX_DURATION {
        return Err(Error::invalid(format!(
            "{field}: {} s is more than a day ({} s), the longest duration the SDK takes",
            value.as_secs(),
            MAX_DURATION.as_secs()
        )));
    }
    Ok(value)
}

/// A duration given in seconds as a float (Python's `timeout=2.5`, PHP's `30`), under
/// [`duration`]'s rule.
pub fn seconds(field: &str, seconds: f64) -> Result<std::time::Duration> {
    if !(seconds.is_finite() && seconds > 0.0) {
        return Err(Error::invalid(format!(
            "{field}: {seconds} is not a positive number of seconds"
        )));
    }
    let value = std::time::Duration::try_from_secs_f64(seconds)
        .map_err(|_| Error::invalid(format!("{field}: {seconds} seconds is too long")))?;
    duration(field, value)
}

/// A duration given in milliseconds (JavaScript's and C's unit), under [`duration`]'s rule.
pub fn milliseconds(field: &str, milliseconds: u64) -> Result<std::time::Duration> {
    duration(field, std::time::Duration::from_millis(milliseconds))
}

/// Checks the merchant's order id: non-empty, at most 100 characters, no control characters.
pub fn order_id(id: &str) -> Result<&str> {
    if id.is_empty() {
        return Err(Error::invalid("order_id: must not be empty"));
    }
    let chars = id.chars().count();
    if chars > MAX_ORDER_ID_LEN {
        return Err(Error::invalid(format!(
            "order_id: is {chars} characters long; the limit is {MAX_ORDER_ID_LEN}"
        )));
    }
    if let Some(c) = id.chars().find(|c| c.is_control()) {
        return Err(Error::invalid(format!(
            "order_id: contains the control character U+{:04X}; control characters are not allowed",
            c as u32
        )));
    }
    Ok(id)
}

/// Checks an API key without judging its format (Cashi has used several): it must be
/// non-empty and free of whitespace and control characters. The key itself is never quoted.
pub fn api_key(key: &str) -> Result<&str> {
    if key.is_empty() {
        return Err(Error::invalid(
            "api_key: is empty; pass your Cashi API key or set CASHI_API_KEY",
        ));
    }
    if key.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::invalid(
            "api_key: contains whitespace or control characters; copy the key again without spaces or line breaks",
        ));
    }
    // An HTTP header carries ASCII only: a smart quote or accent pasted with the key.
    if !key.is_ascii() {
        return Err(Error::invalid(
            "api_key: contains a character that is not ASCII; Cashi keys are plain ASCII, copy the key again",
        ));
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn amount_limits_per_channel() {
        let q = Channel::Qris;
        assert!(amount(2_000, &q).is_ok());
        assert!(amount(1_999, &q).is_err());
        assert!(amount(10_000_000, &q).is_ok());
        assert!(amount(10_000_001, &q).is_err());
        let va = Channel::parse("BCA");
        assert!(amount(9_999, &va).is_err());
        assert!(amount(50_000_000, &va).is_ok());
        let e = amount(1_999, &q).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        assert!(e.message().starts_with("amount:"), "{}", e.message());
        assert!(e.message().contains("2000"), "{}", e.message());
        assert!(amount(0, &Channel::parse("NEW")).is_err());
        assert!(amount(1, &Channel::parse("NEW")).is_ok());
        // A channel without known limits still has the SDK's own.
        assert!(amount(MAX_AMOUNT, &Channel::parse("NEW")).is_ok());
        let e = amount(9_007_199_254_740_992, &Channel::parse("NEW")).unwrap_err();
        assert!(e.message().starts_with("amount:"), "{e}");
        assert!(amount(i64::MAX, &Channel::parse("NEW")).is_err());
        assert!(positive_amount("expected_amount", i64::MIN)
            .unwrap_err()
            .message()
            .starts_with("expected_amount:"));
    }

    #[test]
    fn amount_from_f64_refuses_non_integers() {
        assert_eq!(amount_from_f64("amount", 15000.0).unwrap(), 15000);
        for bad in [15000.5, f64::NAN, f64::INFINITY, -f64::INFINITY, 1e300] {
            let e = amount_from_f64("amount", bad).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidArgument);
            assert!(e.message().starts_with("amount:"));
        }
        assert!(amount_from_f64("amount", f64::NAN)
            .unwrap_err()
            .message()
            .contains("NaN"));
        assert!(amount_from_f64("amount", -f64::INFINITY)
            .unwrap_err()
            .message()
            .contains("-Infinity"));
    }

    #[test]
    fn amounts_become_doubles_exactly_or_not_at_all() {
        for amount in [1, 15023, MAX_AMOUNT, -MAX_AMOUNT, 0] {
            let double = amount_to_f64("amount", amount).unwrap();
            assert_eq!(double as i64, amount);
        }
        for beyond in [
            9_007_199_254_740_993,
            i64::MAX,
            i64::MIN,
            -9_007_199_254_740_992,
        ] {
            let e = amount_to_f64("amount", beyond).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Internal);
            assert!(e.message().starts_with("amount:"), "{e}");
        }
    }

    #[test]
    fn seconds_rules() {
        assert_eq!(
            seconds("timeout", 2.5).unwrap(),
            std::time::Duration::from_millis(2500)
        );
        for bad in [0.0, 1e-12, -1.0, f64::NAN, f64::INFINITY, 1e300, 86_400.5] {
            let e = seconds("timeout", bad).unwrap_err();
            assert!(e.message().starts_with("timeout:"), "{bad}: {e}");
        }
        assert_eq!(seconds("timeout", 86_400.0).unwrap(), MAX_DURATION);
        assert_eq!(
            milliseconds("timeout_ms", 86_400_000).unwrap(),
            MAX_DURATION
        );
        let e = milliseconds("timeout_ms", 86_400_001).unwrap_err();
        assert!(
            e.message()
                .starts_with("timeout_ms: 86400 s is more than a day"),
            "{e}"
        );
        assert!(milliseconds("timeout_ms", 0).is_err());
    }

    #[test]
    fn order_id_rules() {
        assert!(order_id("INV-9921").is_ok());
        assert!(order_id("pesanan/é ?#").is_ok());
        assert!(order_id("").is_err());
        assert!(order_id(&"x".repeat(100)).is_ok());
        let e = order_id(&"x".repeat(101)).unwrap_err();
        assert!(e.message().contains("100"));
        let e = order_id("a\nb").unwrap_err();
        assert!(e.message().contains("U+000A"));
    }

    #[test]
    fn api_key_rules_never_quote_the_key() {
        assert!(api_key("CASHI-ABCDEFGHIJK").is_ok());
        assert!(api_key("").is_err());
        let e = api_key("CASHI SECRET").unwrap_err();
        assert!(!e.message().contains("SECRET"));
        assert!(api_key("abc\t").is_err());
        let e = api_key("CASHI-SÉCRET”").unwrap_err();
        assert!(e.message().starts_with("api_key:") && e.message().contains("ASCII"));
        assert!(!e.message().contains("CRET"));
    }
}
