//! The order handle; its field accessors are generated (`records.rs`).

use std::ffi::{c_char, CString};
use std::ptr;
use std::sync::OnceLock;

use cashi::{Error, ErrorKind, Order};
use serde_json::Value;

use crate::ctexts::{nul_free, HOLDS_NUL};
use crate::error::{cashi_error, cashi_result, guard, shield};
use crate::records::OrderRecord;
use crate::util::{self, handle};

/// An order as Cashi created it. Immutable; its accessors may be called from any thread.
pub struct cashi_order {
    pub(crate) record: OrderRecord,
    order: Order,
    raw_json: OnceLock<CString>,
    json: OnceLock<CString>,
    png: OnceLock<Result<Vec<u8>, Error>>,
}

impl cashi_order {
    /// The order, or `decode` naming the answer's field that holds U+0000.
    pub(crate) fn new(order: Order) -> Result<cashi_order, Error> {
        let record = OrderRecord::read(&order).map_err(|field| {
            Error::new(
                ErrorKind::Decode,
                format!("create-order answer: {field} {HOLDS_NUL}"),
            )
        })?;
        Ok(cashi_order {
            record,
            raw_json: OnceLock::new(),
            json: OnceLock::new(),
            png: OnceLock::new(),
            order,
        })
    }
}

fn text_of(
    order: *const cashi_order,
    pick: impl FnOnce(&cashi_order) -> *const c_char,
) -> *const c_char {
    shield(ptr::null(), || {
        unsafe { order.as_ref() }.map_or(ptr::null(), pick)
    })
}

/// Frees an order. NULL is ignored. Undefined: freeing it again, or using it (or a string or
/// the PNG it owns) after.
///
/// Thread-safety: no other thread may use `order` (or a string it owns) during or after
/// this call.
#[no_mangle]
pub extern "C" fn cashi_order_free(order: *mut cashi_order) {
    shield((), || unsafe { util::free(order) })
}

/// Cashi's whole create-order answer as JSON text, for fields newer than this library.
/// Re-encoded compactly, keys in the order Cashi sent them: not the bytes Cashi sent (verify signatures
/// on the raw body you received).
///
/// Ownership: owned by the order, valid until `cashi_order_free`. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_order_raw_json(order: *const cashi_order) -> *const c_char {
    text_of(order, |o| {
        o.raw_json
            .get_or_init(|| nul_free(Value::Object(o.order.raw()).to_string()))
            .as_ptr()
    })
}

/// Every field of the order as one JSON object, by the names of `cashi_order_fields`: absent
/// values null, `expires_at` as RFC 3339, `virtual_account` and `retail` as objects by the
/// names of `cashi_virtual_account_fields` and `cashi_retail_code_fields`. Cashi's whole
/// answer is not included (it would repeat the QR data URI): read it with
/// `cashi_order_raw_json`.
///
/// Ownership: owned by the order, valid until `cashi_order_free`. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_order_to_json(order: *const cashi_order) -> *const c_char {
    text_of(order, |o| {
        o.json
            .get_or_init(|| nul_free(cashi::model::to_json(&o.order).to_string()))
            .as_ptr()
    })
}

/// The QR code as PNG bytes, decoded from `qr_url`: `*out_png` points at `*out_len` bytes.
/// `CASHI_RESULT_DECODE` when the order has no QR code (VA, retail) or it is malformed.
///
/// Ownership: the bytes are owned by the order, valid until `cashi_order_free`.
/// Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_order_qr_png(
    order: *const cashi_order,
    out_png: *mut *const u8,
    out_len: *mut usize,
    err: *mut *mut cashi_error,
) -> cashi_result {
    guard(err, || {
        let order = unsafe { handle(order, "order") }?;
        if out_png.is_null() || out_len.is_null() {
            return Err(crate::error::invalid(
                "out_png, out_len: must not be NULL; pass where to store the bytes",
            ));
        }
        unsafe {
            *out_png = ptr::null();
            *out_len = 0;
        }
        let png = order
            .png
            .get_or_init(|| order.order.qr_png())
            .as_ref()
            .map_err(Clone::clone)?;
        unsafe {
            *out_png = png.as_ptr();
            *out_len = png.len();
        }
        Ok(())
    })
}
