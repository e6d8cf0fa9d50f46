//! Core errors as napi errors (the JSON that `index.js` turns into a `CashiError`), and the
//! error codes.

use cashi::ErrorKind;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use serde_json::json;

/// Prefix of the message of every error this module throws or rejects with.
pub(crate) const ERROR_MARKER: &str = "cashi-error:";

/// The message of a rejection caused by [`NativeCancel::cancel`]; `index.js` rejects with
/// the AbortSignal's reason instead.
pub(crate) const CANCELLED: &str = "cashi-cancelled";

pub(crate) fn to_js(e: cashi::Error) -> napi::Error {
    napi::Error::new(Status::GenericFailure, detail_text(&e))
}

/// The error as [`ERROR_MARKER`] followed by its JSON details: the message of what
/// [`to_js`] makes, and a failed batch item as it is.
pub(crate) fn detail_text(e: &cashi::Error) -> String {
    let mut detail = json!({ "code": e.code(), "message": e.message() });
    if let Some(status) = e.http_status() {
        detail["status"] = status.into();
    }
    if let Some(m) = e.mismatch_details() {
        detail["orderId"] = m.order_id.clone().into();
        detail["expectedAmount"] = m.expected_amount.into();
        detail["actualAmount"] = m.actual_amount.into();
        detail["paymentStatus"] = m.status.clone().into();
    }
    format!("{ERROR_MARKER}{detail}")
}

pub(crate) fn invalid(message: impl Into<String>) -> cashi::Error {
    cashi::Error::new(ErrorKind::InvalidArgument, message)
}

/// A failure of napi itself (reading a value whose type was just checked): a bug.
pub(crate) fn internal(e: napi::Error) -> cashi::Error {
    cashi::Error::new(
        ErrorKind::Internal,
        format!("reading a JavaScript value failed: {e}"),
    )
}

/// Every error code, in the core's fixed order.
#[napi]
pub fn error_codes() -> Vec<&'static str> {
    cashi::ErrorKind::ALL.iter().map(|k| k.code()).collect()
}
