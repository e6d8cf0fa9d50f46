//! The payment-status handle and its accessors.

use std::ffi::{c_char, CString};
use std::ptr;
use std::sync::OnceLock;

use cashi::{Error, ErrorKind, PaymentStatus};
use serde_json::Value;

use crate::ctexts::{nul_free, CTexts, HOLDS_NUL};
use crate::error::shield;
use crate::util;

/// An order's payment status as check-status reported it. Immutable; its accessors may be
/// called from any thread.
pub struct cashi_status {
    status: PaymentStatus,
    texts: CTexts<STATUS_TEXTS>,
    raw_json: OnceLock<CString>,
    json: OnceLock<CString>,
}

/// The status's texts, by their place in `cashi_status::texts`.
#[derive(Clone, Copy)]
enum StatusText {
    State,
    OrderId,
    ProviderTxId,
}
const STATUS_TEXTS: usize = StatusText::ProviderTxId as usize + 1;

/// The answer's field behind each of the status's texts, by its place in `cashi_status::texts`.
const STATUS_FIELDS: [&str; STATUS_TEXTS] = ["status", "order_id", "provider_tx_id"];

impl cashi_status {
    /// The status, or `decode` naming the answer's field that holds U+0000.
    pub(crate) fn new(status: PaymentStatus) -> Result<cashi_status, Error> {
        let texts = CTexts::new([
            Some(status.state.as_str()),
            Some(&status.order_id),
            status.provider_tx_id.as_deref(),
        ])
        .map_err(|i| {
            let field = STATUS_FIELDS[i];
            Error::new(
                ErrorKind::Decode,
                format!("check-status answer: {field} {HOLDS_NUL}"),
            )
        })?;
        Ok(cashi_status {
            texts,
            raw_json: OnceLock::new(),
            json: OnceLock::new(),
            status,
        })
    }

    fn text(&self, which: StatusText) -> *const c_char {
        self.texts.ptr(which as usize)
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

fn value_of<T: Copy>(
    status: *const cashi_status,
    fallback: T,
    pick: impl FnOnce(&PaymentStatus) -> T,
) -> T {
    shield(fallback, || {
        unsafe { status.as_ref() }.map_or(fallback, |s| pick(&s.status))
    })
}

/// Every field of a status as its accessor `cashi_status_<field>` returns it (`status` is
/// `cashi_status_text`), for callers that pay for each call (PHP's FFI). Texts are owned by
/// the status, valid until `cashi_status_free`; NULL where absent.
#[repr(C)]
pub struct cashi_status_fields {
    pub status: *const c_char,
    pub has_amount: bool,
    pub amount: i64,
    pub order_id: *const c_char,
    pub provider_tx_id: *const c_char,
    pub is_settled: bool,
    pub is_final: bool,
    pub amount_from_webhook: bool,
}

/// Fills `*out` with every field of `status` (see `cashi_status_fields`). Returns false, and
/// leaves `*out` as it was, when `status` or `out` is NULL. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_status_get_fields(
    status: *const cashi_status,
    out: *mut cashi_status_fields,
) -> bool {
    util::fill(status, out, |c| {
        let s = &c.status;
        cashi_status_fields {
            status: c.text(StatusText::State),
            has_amount: s.amount.is_some(),
            amount: s.amount.unwrap_or(0),
            order_id: c.text(StatusText::OrderId),
            provider_tx_id: c.text(StatusText::ProviderTxId),
            is_settled: s.is_settled(),
            is_final: s.state.is_final(),
            amount_from_webhook: s.amount_from_webhook,
        }
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

/// The status word as Cashi sent it: `PENDING`, `SETTLED`, `EXPIRED`, or a word this
/// library does not know (carried unchanged; `settled` in another letter case is one of
/// those, and is not settled). NULL only when `status` is NULL.
///
/// Ownership: owned by the status, valid until `cashi_status_free`. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_status_text(status: *const cashi_status) -> *const c_char {
    text_of(status, |s| s.text(StatusText::State))
}

/// Whether the payment is SETTLED (still compare the amount before fulfilling, or use
/// `cashi_client_confirm`). Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_status_is_settled(status: *const cashi_status) -> bool {
    value_of(status, false, |s| s.is_settled())
}

/// Whether the payment can no longer change on its own (SETTLED or EXPIRED).
/// Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_status_is_final(status: *const cashi_status) -> bool {
    value_of(status, false, |s| s.state.is_final())
}

/// Whether this status came from `cashi_client_confirm_event` whose check-status answer
/// said SETTLED without an amount: `cashi_status_amount` is then the verified webhook's
/// signed amount. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_status_amount_from_webhook(status: *const cashi_status) -> bool {
    value_of(status, false, |s| s.amount_from_webhook)
}

/// Whether Cashi reported an amount. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_status_has_amount(status: *const cashi_status) -> bool {
    value_of(status, false, |s| s.amount.is_some())
}

/// The amount Cashi reports for the order (the amount paid, once settled); 0 when it
/// reported none (see `cashi_status_has_amount`). Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_status_amount(status: *const cashi_status) -> i64 {
    value_of(status, 0, |s| s.amount.unwrap_or(0))
}

/// The order id. NULL only when `status` is NULL.
///
/// Ownership: owned by the status, valid until `cashi_status_free`. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_status_order_id(status: *const cashi_status) -> *const c_char {
    text_of(status, |s| s.text(StatusText::OrderId))
}

/// Cashi's transaction id (present once settled), or NULL.
///
/// Ownership: owned by the status, valid until `cashi_status_free`. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_status_provider_tx_id(status: *const cashi_status) -> *const c_char {
    text_of(status, |s| s.text(StatusText::ProviderTxId))
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

/// Every typed field as one JSON object: `order_id, status, amount (int or null),
/// provider_tx_id, is_settled, is_final, amount_from_webhook`. Cashi's whole answer is not included: read it
/// with `cashi_status_raw_json`.
///
/// Ownership: owned by the status, valid until `cashi_status_free`. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_status_to_json(status: *const cashi_status) -> *const c_char {
    text_of(status, |s| {
        s.json
            .get_or_init(|| nul_free(s.status.to_json().to_string()))
            .as_ptr()
    })
}
