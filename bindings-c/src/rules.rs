//! The core's rules for numbers a binding takes in its own units (PHP's floats, seconds),
//! so that a binding over this library applies them instead of writing its own.

use std::ffi::c_char;

use cashi::validate;

use crate::error::{cashi_error, cashi_result, guard, invalid};
use crate::util::opt_text;

/// The name of the argument a rule checks, for its message: `field`, or `default` when
/// `field` is NULL.
///
/// # Safety
/// `field` is NULL or a NUL-terminated string.
unsafe fn field_name(field: *const c_char, default: &str) -> Result<&str, cashi::Error> {
    Ok(opt_text(field, "field")?.unwrap_or(default))
}

/// Whole rupiah from a floating-point number, refusing anything that is not exactly an
/// integer (money is never rounded): NaN, infinities, a fraction, or a value beyond 2^53.
/// `field` names the argument in the message (`amount` when NULL); `*out_amount` is set only
/// on success. The amount's own limits are checked where it is used (`cashi_client_*`).
///
/// Ownership: `field` stays the caller's. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_amount_from_double(
    value: f64,
    field: *const c_char,
    out_amount: *mut i64,
    err: *mut *mut cashi_error,
) -> cashi_result {
    guard(err, || {
        // SAFETY: NULL or a writable int64_t (the header's contract).
        let out = unsafe { out_amount.as_mut() }
            .ok_or_else(|| invalid("out_amount: is NULL; pass where to store the amount"))?;
        let field = unsafe { field_name(field, "amount") }?;
        *out = validate::amount_from_f64(field, value)?;
        Ok(())
    })
}

/// A duration given in seconds, under the one rule for every timeout, wait and backoff
/// (more than zero, at most a day), as whole milliseconds for the `*_ms` arguments; a part
/// of a millisecond counts as a whole one. `field` names the argument in the message
/// (`timeout` when NULL); `*out_ms` is set only on success.
///
/// Ownership: `field` stays the caller's. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_milliseconds_from_seconds(
    seconds: f64,
    field: *const c_char,
    out_ms: *mut u64,
    err: *mut *mut cashi_error,
) -> cashi_result {
    guard(err, || {
        // SAFETY: NULL or a writable uint64_t (the header's contract).
        let out = unsafe { out_ms.as_mut() }
            .ok_or_else(|| invalid("out_ms: is NULL; pass where to store the milliseconds"))?;
        let field = unsafe { field_name(field, "timeout") }?;
        let duration = validate::seconds(field, seconds)?;
        // At most a day: the count fits in u64 many times over.
        *out = u64::try_from(duration.as_nanos().div_ceil(1_000_000)).unwrap_or(u64::MAX);
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use std::ffi::CStr;
    use std::ptr;

    use super::*;
    use crate::{cashi_error_free, cashi_error_message};

    fn message(err: *mut cashi_error) -> String {
        let text = unsafe { CStr::from_ptr(cashi_error_message(err)) }
            .to_str()
            .unwrap()
            .to_string();
        cashi_error_free(err);
        text
    }

    #[test]
    fn amounts_follow_the_core() {
        let mut amount = 7;
        let mut err = ptr::null_mut();
        assert_eq!(
            cashi_amount_from_double(15000.0, ptr::null(), &mut amount, &mut err),
            cashi_result::Ok
        );
        assert_eq!(amount, 15000);
        for bad in [15000.5, f64::NAN, f64::INFINITY, 1e300] {
            let mut amount = 7;
            let rc = cashi_amount_from_double(
                bad,
                c"requests[2].amount".as_ptr(),
                &mut amount,
                &mut err,
            );
            assert_eq!(rc, cashi_result::InvalidArgument);
            assert_eq!(amount, 7, "untouched on failure");
            let text = message(err);
            let core = validate::amount_from_f64("requests[2].amount", bad).unwrap_err();
            assert_eq!(text, core.message());
        }
        let rc = cashi_amount_from_double(1.0, ptr::null(), ptr::null_mut(), &mut err);
        assert_eq!(rc, cashi_result::InvalidArgument);
        assert!(message(err).starts_with("out_amount:"));
    }

    #[test]
    fn seconds_follow_the_one_duration_rule() {
        let mut ms = 0;
        let mut err = ptr::null_mut();
        for (seconds, want) in [
            (30.0, 30_000),
            (2.5, 2_500),
            (0.0001, 1),
            (86_400.0, 86_400_000),
        ] {
            let rc = cashi_milliseconds_from_seconds(seconds, ptr::null(), &mut ms, &mut err);
            assert_eq!(rc, cashi_result::Ok, "{seconds}");
            assert_eq!(ms, want, "{seconds}");
        }
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY, 86_400.5, 1e300] {
            let rc = cashi_milliseconds_from_seconds(
                bad,
                c"connect_timeout".as_ptr(),
                &mut ms,
                &mut err,
            );
            assert_eq!(rc, cashi_result::InvalidArgument, "{bad}");
            let text = message(err);
            let core = validate::seconds("connect_timeout", bad).unwrap_err();
            assert_eq!(text, core.message());
        }
    }
}
