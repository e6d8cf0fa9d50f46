//! Result codes, the error object, and the panic boundary every exported function runs in.

use std::any::Any;
use std::ffi::{c_char, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use cashi::{Error, ErrorKind};

use crate::ctexts::{cstring, nul_free};

/// What a fallible function returns: `CASHI_RESULT_OK` (0) or the kind of error, one value
/// per stable error code (see `cashi_error_code`).
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum cashi_result {
    /// Success.
    Ok = 0,
    /// `invalid_argument`: refused before anything was sent (also NULL pointers, invalid
    /// UTF-8, and a webhook body or headers holding a NUL that a C string cannot carry).
    InvalidArgument = 1,
    /// `authentication`: HTTP 401/403, the API key is missing, wrong or revoked.
    Authentication = 2,
    /// `not_found`: HTTP 404, no such order.
    NotFound = 3,
    /// `conflict`: HTTP 409, the order id already exists.
    Conflict = 4,
    /// `rate_limited`: HTTP 429 after the retries were spent.
    RateLimited = 5,
    /// `server`: HTTP 5xx after the retries were spent.
    Server = 6,
    /// `api`: another 4xx, or `success:false`.
    Api = 7,
    /// `timeout`: no answer in time (also `cashi_client_wait_for_payment` at its deadline).
    Timeout = 8,
    /// `connection`: no connection could be made, or it broke.
    Connection = 9,
    /// `decode`: a 2xx answer that is not the JSON expected (or whose text holds U+0000);
    /// an order without a QR code.
    Decode = 10,
    /// `signature_invalid`: the webhook signature does not match the raw body.
    SignatureInvalid = 11,
    /// `webhook_payload`: a correctly signed webhook whose body is not the payload expected.
    WebhookPayload = 12,
    /// `payment_mismatch`: `confirm` found the order unsettled or settled with another amount.
    PaymentMismatch = 13,
    /// `internal`: a bug in libcashi (a caught panic).
    Internal = 14,
}

impl cashi_result {
    pub(crate) fn of(kind: ErrorKind) -> cashi_result {
        match kind {
            ErrorKind::InvalidArgument => cashi_result::InvalidArgument,
            ErrorKind::Authentication => cashi_result::Authentication,
            ErrorKind::NotFound => cashi_result::NotFound,
            ErrorKind::Conflict => cashi_result::Conflict,
            ErrorKind::RateLimited => cashi_result::RateLimited,
            ErrorKind::Server => cashi_result::Server,
            ErrorKind::Api => cashi_result::Api,
            ErrorKind::Timeout => cashi_result::Timeout,
            ErrorKind::Connection => cashi_result::Connection,
            ErrorKind::Decode => cashi_result::Decode,
            ErrorKind::SignatureInvalid => cashi_result::SignatureInvalid,
            ErrorKind::WebhookPayload => cashi_result::WebhookPayload,
            ErrorKind::PaymentMismatch => cashi_result::PaymentMismatch,
            _ => cashi_result::Internal,
        }
    }

    fn code(self) -> &'static CStr {
        match self {
            cashi_result::Ok => c"ok",
            cashi_result::InvalidArgument => c"invalid_argument",
            cashi_result::Authentication => c"authentication",
            cashi_result::NotFound => c"not_found",
            cashi_result::Conflict => c"conflict",
            cashi_result::RateLimited => c"rate_limited",
            cashi_result::Server => c"server",
            cashi_result::Api => c"api",
            cashi_result::Timeout => c"timeout",
            cashi_result::Connection => c"connection",
            cashi_result::Decode => c"decode",
            cashi_result::SignatureInvalid => c"signature_invalid",
            cashi_result::WebhookPayload => c"webhook_payload",
            cashi_result::PaymentMismatch => c"payment_mismatch",
            cashi_result::Internal => c"internal",
        }
    }
}

/// The detail of a failed call: a stable code, a message that says what to do, the HTTP
/// status when Cashi answered, and the mismatch of a `payment_mismatch`.
pub struct cashi_error {
    result: cashi_result,
    message: CString,
    http_status: u16,
    json: CString,
}

impl cashi_error {
    fn new(error: &Error) -> cashi_error {
        let result = cashi_result::of(error.kind());
        let mismatch = error.mismatch_details().map(|m| {
            serde_json::json!({
                "order_id": m.order_id,
                "expected_amount": m.expected_amount,
                "actual_amount": m.actual_amount,
                "status": m.status,
            })
        });
        let json = serde_json::json!({
            "code": error.code(),
            "message": error.message(),
            "http_status": error.http_status(),
            "mismatch": mismatch,
        });
        cashi_error {
            result,
            message: cstring(error.message()),
            http_status: error.http_status().unwrap_or(0),
            json: nul_free(json.to_string()),
        }
    }
}

impl cashi_error {
    /// The error object of a batch item's failure.
    pub(crate) fn boxed(error: &Error) -> Box<cashi_error> {
        Box::new(cashi_error::new(error))
    }
}

pub(crate) fn invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidArgument, message)
}

fn panic_message(panic: &(dyn Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}

/// Runs a fallible body inside the panic boundary, storing its error in `*err` (when `err`
/// is not NULL; `*err` is set to NULL first).
pub(crate) fn guard(
    err: *mut *mut cashi_error,
    body: impl FnOnce() -> Result<(), Error>,
) -> cashi_result {
    if !err.is_null() {
        // SAFETY: the caller passes either NULL or a writable `cashi_error *`.
        unsafe { *err = ptr::null_mut() };
    }
    let error = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => return cashi_result::Ok,
        Ok(Err(e)) => e,
        Err(panic) => Error::new(
            ErrorKind::Internal,
            format!(
                "a bug in libcashi ({}); please report it",
                panic_message(panic.as_ref())
            ),
        ),
    };
    let result = cashi_result::of(error.kind());
    if !err.is_null() {
        if let Ok(detail) = catch_unwind(|| Box::new(cashi_error::new(&error))) {
            // SAFETY: as above.
            unsafe { *err = Box::into_raw(detail) };
        }
    }
    result
}

/// Runs an infallible body (an accessor) inside the panic boundary; a panic gives `fallback`.
pub(crate) fn shield<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
}

/// The stable code string of a result value, e.g. `"not_found"` for
/// `CASHI_RESULT_NOT_FOUND` (`"ok"` for `CASHI_RESULT_OK`); NULL for a value that is not a
/// `cashi_result`. Takes an `int` so that any value is safe to pass.
///
/// Ownership: static storage, never freed. Thread-safety: safe from any thread.
#[no_mangle]
pub extern "C" fn cashi_result_code(result: std::ffi::c_int) -> *const c_char {
    shield(ptr::null(), || {
        ALL_RESULTS
            .iter()
            .find(|r| **r as std::ffi::c_int == result)
            .map_or(ptr::null(), |r| r.code().as_ptr())
    })
}

const ALL_RESULTS: [cashi_result; 15] = [
    cashi_result::Ok,
    cashi_result::InvalidArgument,
    cashi_result::Authentication,
    cashi_result::NotFound,
    cashi_result::Conflict,
    cashi_result::RateLimited,
    cashi_result::Server,
    cashi_result::Api,
    cashi_result::Timeout,
    cashi_result::Connection,
    cashi_result::Decode,
    cashi_result::SignatureInvalid,
    cashi_result::WebhookPayload,
    cashi_result::PaymentMismatch,
    cashi_result::Internal,
];

/// The result code of an error (never `CASHI_RESULT_OK` for a real error; `CASHI_RESULT_OK`
/// when `err` is NULL).
///
/// Thread-safety: an error is immutable; read it from any thread.
#[no_mangle]
pub extern "C" fn cashi_error_result(err: *const cashi_error) -> cashi_result {
    shield(cashi_result::Internal, || match unsafe { err.as_ref() } {
        Some(e) => e.result,
        None => cashi_result::Ok,
    })
}

/// The stable code string of an error: `invalid_argument`, `authentication`, `not_found`,
/// `conflict`, `rate_limited`, `server`, `api`, `timeout`, `connection`, `decode`,
/// `signature_invalid`, `webhook_payload`, `payment_mismatch` or `internal`.
/// NULL when `err` is NULL.
///
/// Ownership: static storage, never freed. Thread-safety: safe from any thread.
#[no_mangle]
pub extern "C" fn cashi_error_code(err: *const cashi_error) -> *const c_char {
    shield(ptr::null(), || match unsafe { err.as_ref() } {
        Some(e) => e.result.code().as_ptr(),
        None => ptr::null(),
    })
}

/// The error's message: what was wrong and what to do. Never contains the API key.
/// NULL when `err` is NULL.
///
/// Ownership: owned by `err`, valid until `cashi_error_free(err)`.
/// Thread-safety: an error is immutable; read it from any thread.
#[no_mangle]
pub extern "C" fn cashi_error_message(err: *const cashi_error) -> *const c_char {
    shield(ptr::null(), || match unsafe { err.as_ref() } {
        Some(e) => e.message.as_ptr(),
        None => ptr::null(),
    })
}

/// The HTTP status of the answer that caused the error, or 0 when there was none
/// (or `err` is NULL).
///
/// Thread-safety: an error is immutable; read it from any thread.
#[no_mangle]
pub extern "C" fn cashi_error_http_status(err: *const cashi_error) -> u16 {
    shield(0, || unsafe { err.as_ref() }.map_or(0, |e| e.http_status))
}

/// The whole error as one JSON object:
/// `{"code":..., "message":..., "http_status": int|null, "mismatch": null |
/// {"order_id", "expected_amount", "actual_amount": int|null, "status"}}`.
/// NULL when `err` is NULL.
///
/// Ownership: owned by `err`, valid until `cashi_error_free(err)`.
/// Thread-safety: an error is immutable; read it from any thread.
#[no_mangle]
pub extern "C" fn cashi_error_to_json(err: *const cashi_error) -> *const c_char {
    shield(ptr::null(), || match unsafe { err.as_ref() } {
        Some(e) => e.json.as_ptr(),
        None => ptr::null(),
    })
}

/// Frees an error. NULL is ignored. Every error stored through a `cashi_error **` must be
/// freed exactly once. Undefined: freeing it again, or using it (or a string it owns) after.
///
/// Thread-safety: no other thread may use `err` during or after this call.
#[no_mangle]
pub extern "C" fn cashi_error_free(err: *mut cashi_error) {
    shield((), || {
        if !err.is_null() {
            // SAFETY: `err` came from Box::into_raw in `guard` and is freed once.
            drop(unsafe { Box::from_raw(err) });
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_internal_error() {
        let mut err: *mut cashi_error = ptr::null_mut();
        let prev = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let rc = guard(&mut err, || panic!("boom"));
        std::panic::set_hook(prev);
        assert_eq!(rc, cashi_result::Internal);
        let code = unsafe { CStr::from_ptr(cashi_error_code(err)) };
        assert_eq!(code.to_str().unwrap(), "internal");
        let message = unsafe { CStr::from_ptr(cashi_error_message(err)) };
        assert!(message.to_str().unwrap().contains("boom"));
        cashi_error_free(err);
        assert_eq!(shield(7, || panic!("quiet")), 7);
        assert!(cashi_result_code(99).is_null());
        assert!(cashi_result_code(-1).is_null());
        let ok = unsafe { CStr::from_ptr(cashi_result_code(0)) };
        assert_eq!(ok.to_str().unwrap(), "ok");
    }

    #[test]
    fn every_kind_has_its_code() {
        for kind in ErrorKind::ALL {
            let result = cashi_result::of(kind);
            assert_eq!(result.code().to_str().unwrap(), kind.code());
            assert_ne!(result, cashi_result::Ok);
        }
    }
}
