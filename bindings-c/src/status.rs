//! The payment-status handle; its field accessors are generated (`records.rs`).

use std::ffi::{c_char, CString};
use std::ptr;
use std::sync::OnceLock;

use cashi::{Error, ErrorKind, PaymentStatus};
use serde_json::Value;

use crate::ctexts::{nul_free, HOLDS_NUL};
use crate::error::shield;
use crate::records::PaymentStatusRecord;
use crate::util;

/// An order's payment status as check-status reported it. Immutable; its accessors may be
/// called from any thread.
pub struct cashi_status {
    pub(crate) record: PaymentStatusRecord,
    status: PaymentStatus,
    raw_json: OnceLock<CString>,
    json: OnceLock<CString>,
}

impl cashi_status {
    /// The status, or `decode` naming the answer's field that holds U+0000.
    pub(crate) fn new(status: PaymentStatus) -> Result<cashi_status, Error> {
        let record = PaymentStatusRecord::read(&status).map_err(|field| {
            Error::new(
                ErrorKind::Decode,
                format!("check-status answer: {field} {HOLDS_NUL}"),
            )
        })?;
        Ok(cashi_status {
            record,
            raw_json: OnceLock::new(),
            json: OnceLock::new(),
            status,
        })
    }
}

fn text_of(
    status: *const cashi_status,
    pick: impl FnOnce(&cashi_status) -> *const c_char,
) -> *const c_char {
    shield(ptr::null(), || {
        unsafe { status.as_ref() }.map_or(ptr::null(), pick)
    })
}

/// Frees a status. NULL is ignored. Undefined: freeing it again, or using it (or a string it
/// owns) after.
///
/// Thread-safety: no other thread may use `status` (or a string it owns) during or after
/// this call.
#[no_mangle]
pub extern "C" fn cashi_status_free(status: *mut cashi_status) {
    shield((), || unsafe { util::free(status) })
}

/// Cashi's whole check-status answer as JSON text.
/// Re-encoded compactly, keys in the order Cashi sent them: not the bytes Cashi sent (verify signatures
/// on the raw body you received).
///
/// Ownership: owned by the status, valid until `cashi_status_free`. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_status_raw_json(status: *const cashi_status) -> *const c_char {
    text_of(status, |s| {
        s.raw_json
            .get_or_init(|| nul_free(Value::Object(s.status.raw()).to_string()))
            .as_ptr()
    })
}

/// Every field as one JSON object, by the names of `cashi_status_fields` (`amount` null when
/// absent). Cashi's whole answer is not included: read it with `cashi_status_raw_json`.
///
/// Ownership: owned by the status, valid until `cashi_status_free`. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_status_to_json(status: *const cashi_status) -> *const c_char {
    text_of(status, |s| {
        s.json
            .get_or_init(|| nul_free(cashi::model::to_json(&s.status).to_string()))
            .as_ptr()
    })
}
