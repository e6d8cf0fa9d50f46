//! The order handle and its accessors.

use std::ffi::{c_char, CString};
use std::ptr;
use std::sync::OnceLock;

use cashi::{Error, ErrorKind, Order};
use serde_json::Value;

use crate::ctexts::{nul_free, CTexts, HOLDS_NUL};
use crate::error::{cashi_error, cashi_result, guard, shield};
use crate::util::{self, handle};

/// An order as Cashi created it. Immutable; its accessors may be called from any thread.
pub struct cashi_order {
    order: Order,
    texts: CTexts<ORDER_TEXTS>,
    raw_json: OnceLock<CString>,
    json: OnceLock<CString>,
    png: OnceLock<Result<Vec<u8>, Error>>,
}

/// The order's texts, by their place in `cashi_order::texts`.
#[derive(Clone, Copy)]
enum OrderText {
    OrderId,
    CheckoutUrl,
    QrUrl,
    ExpiresAt,
    Provider,
    VaNumber,
    Bank,
    BankName,
    KodeChannel,
    PaymentCode,
    RetailCode,
    RetailName,
}
const ORDER_TEXTS: usize = OrderText::RetailName as usize + 1;

/// The answer's field behind each of the order's texts, by its place in `cashi_order::texts`.
const ORDER_FIELDS: [&str; ORDER_TEXTS] = [
    "orderId",
    "checkout_url",
    "qrUrl",
    "expires_at",
    "provider",
    "va_number",
    "bank",
    "bank_name",
    "kode_channel",
    "payment_code",
    "retail_code",
    "retail_name",
];

impl cashi_order {
    /// The order, or `decode` naming the answer's field that holds U+0000.
    pub(crate) fn new(order: Order) -> Result<cashi_order, Error> {
        let va = order.virtual_account.as_ref();
        let retail = order.retail.as_ref();
        let expires_at = order.expires_at.map(|t| t.to_rfc3339());
        let texts = CTexts::new([
            Some(&order.order_id),
            order.checkout_url.as_deref(),
            order.qr_url.as_deref(),
            expires_at.as_deref(),
            order.provider.as_deref(),
            va.map(|v| v.va_number.as_str()),
            va.and_then(|v| v.bank.as_deref()),
            va.and_then(|v| v.bank_name.as_deref()),
            va.and_then(|v| v.kode_channel.as_deref()),
            retail.map(|r| r.payment_code.as_str()),
            retail.and_then(|r| r.retail_code.as_deref()),
            retail.and_then(|r| r.retail_name.as_deref()),
        ])
        .map_err(|i| {
            let field = ORDER_FIELDS[i];
            Error::new(
                ErrorKind::Decode,
                format!("create-order answer: {field} {HOLDS_NUL}"),
            )
        })?;
        Ok(cashi_order {
            texts,
            raw_json: OnceLock::new(),
            json: OnceLock::new(),
            png: OnceLock::new(),
            order,
        })
    }

    fn text(&self, which: OrderText) -> *const c_char {
        self.texts.ptr(which as usize)
    }

    fn to_json(&self) -> Value {
        self.order.to_json()
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

fn value_of<T: Copy>(order: *const cashi_order, fallback: T, pick: impl FnOnce(&Order) -> T) -> T {
    shield(fallback, || {
        unsafe { order.as_ref() }.map_or(fallback, |o| pick(&o.order))
    })
}

/// Every field of an order as its accessor `cashi_order_<field>` returns it, for callers
/// that pay for each call: PHP's FFI reads an order with one call instead of up to twenty.
/// Texts are owned by the order, valid until `cashi_order_free`; NULL where absent. Each
/// `has_<field>` says whether the number after it was in Cashi's answer.
#[repr(C)]
pub struct cashi_order_fields {
    pub order_id: *const c_char,
    pub amount: i64,
    pub requested_amount: i64,
    pub unique_code: i64,
    pub checkout_url: *const c_char,
    pub qr_url: *const c_char,
    pub expires_at: *const c_char,
    pub provider: *const c_char,
    pub has_fee: bool,
    pub fee: f64,
    pub has_expected_net: bool,
    pub expected_net: i64,
    pub has_is_qris_custom: bool,
    pub is_qris_custom: bool,
    pub va_number: *const c_char,
    pub bank: *const c_char,
    pub bank_name: *const c_char,
    pub kode_channel: *const c_char,
    pub has_total_amount: bool,
    pub total_amount: i64,
    pub has_admin_fee: bool,
    pub admin_fee: i64,
    pub payment_code: *const c_char,
    pub retail_code: *const c_char,
    pub retail_name: *const c_char,
}

/// Fills `*out` with every field of `order` (see `cashi_order_fields`). Returns false, and
/// leaves `*out` as it was, when `order` or `out` is NULL. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_order_get_fields(
    order: *const cashi_order,
    out: *mut cashi_order_fields,
) -> bool {
    util::fill(order, out, |c| {
        let o = &c.order;
        let va = o.virtual_account.as_ref();
        let total_amount = va.and_then(|v| v.total_amount);
        let admin_fee = va.and_then(|v| v.admin_fee);
        cashi_order_fields {
            order_id: c.text(OrderText::OrderId),
            amount: o.amount,
            requested_amount: o.requested_amount,
            unique_code: o.unique_code,
            checkout_url: c.text(OrderText::CheckoutUrl),
            qr_url: c.text(OrderText::QrUrl),
            expires_at: c.text(OrderText::ExpiresAt),
            provider: c.text(OrderText::Provider),
            has_fee: o.fee.is_some(),
            fee: o.fee.unwrap_or(0.0),
            has_expected_net: o.expected_net.is_some(),
            expected_net: o.expected_net.unwrap_or(0),
            has_is_qris_custom: o.is_qris_custom.is_some(),
            is_qris_custom: o.is_qris_custom == Some(true),
            va_number: c.text(OrderText::VaNumber),
            bank: c.text(OrderText::Bank),
            bank_name: c.text(OrderText::BankName),
            kode_channel: c.text(OrderText::KodeChannel),
            has_total_amount: total_amount.is_some(),
            total_amount: total_amount.unwrap_or(0),
            has_admin_fee: admin_fee.is_some(),
            admin_fee: admin_fee.unwrap_or(0),
            payment_code: c.text(OrderText::PaymentCode),
            retail_code: c.text(OrderText::RetailCode),
            retail_name: c.text(OrderText::RetailName),
        }
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

/// The order id (the merchant's own, or the one Cashi chose). NULL only when `order` is NULL.
///
/// Ownership: owned by the order, valid until `cashi_order_free`. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_order_order_id(order: *const cashi_order) -> *const c_char {
    text_of(order, |o| o.text(OrderText::OrderId))
}

/// The amount to pay in whole rupiah, unique code included (15000 asked → e.g. 15023).
/// Store it: the webhook carries it. 0 when `order` is NULL.
///
/// Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_order_amount(order: *const cashi_order) -> i64 {
    value_of(order, 0, |o| o.amount)
}

/// The amount that was asked for. 0 when `order` is NULL. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_order_requested_amount(order: *const cashi_order) -> i64 {
    value_of(order, 0, |o| o.requested_amount)
}

/// `amount - requested_amount`: 1–99 for QRIS, 0 where Cashi adds none.
/// 0 when `order` is NULL. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_order_unique_code(order: *const cashi_order) -> i64 {
    value_of(order, 0, |o| o.unique_code)
}

/// The checkout page URL, or NULL (QRIS Custom orders have none).
///
/// Ownership: owned by the order, valid until `cashi_order_free`. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_order_checkout_url(order: *const cashi_order) -> *const c_char {
    text_of(order, |o| o.text(OrderText::CheckoutUrl))
}

/// The QR image as a `data:image/png;base64,...` URI, or NULL (VA and retail orders).
/// `cashi_order_qr_png` gives the PNG bytes.
///
/// Ownership: owned by the order, valid until `cashi_order_free`. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_order_qr_url(order: *const cashi_order) -> *const c_char {
    text_of(order, |o| o.text(OrderText::QrUrl))
}

/// When the order stops being payable, as RFC 3339 text at Jakarta's offset
/// (`2025-03-01T10:20:30+07:00`), or NULL when Cashi did not say in a readable form.
///
/// Ownership: owned by the order, valid until `cashi_order_free`. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_order_expires_at(order: *const cashi_order) -> *const c_char {
    text_of(order, |o| o.text(OrderText::ExpiresAt))
}

/// The provider (`CASHI`, `VA`, `RETAIL`), or NULL.
///
/// Ownership: owned by the order, valid until `cashi_order_free`. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_order_provider(order: *const cashi_order) -> *const c_char {
    text_of(order, |o| o.text(OrderText::Provider))
}

/// Whether Cashi reported its fee. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_order_has_fee(order: *const cashi_order) -> bool {
    value_of(order, false, |o| o.fee.is_some())
}

/// Cashi's fee as a percentage (e.g. 0.7); 0 when not reported. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_order_fee(order: *const cashi_order) -> f64 {
    value_of(order, 0.0, |o| o.fee.unwrap_or(0.0))
}

/// Whether Cashi reported the net amount. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_order_has_expected_net(order: *const cashi_order) -> bool {
    value_of(order, false, |o| o.expected_net.is_some())
}

/// The net amount after fees (QRIS Custom, VA); 0 when not reported. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_order_expected_net(order: *const cashi_order) -> i64 {
    value_of(order, 0, |o| o.expected_net.unwrap_or(0))
}

/// Whether Cashi said whether the order is on the merchant's own QRIS (`is_qris_custom` was
/// sent as a boolean). Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_order_has_is_qris_custom(order: *const cashi_order) -> bool {
    value_of(order, false, |o| o.is_qris_custom.is_some())
}

/// Whether the order is on the merchant's own QRIS (`is_qris_custom` was true).
/// Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_order_is_qris_custom(order: *const cashi_order) -> bool {
    value_of(order, false, |o| o.is_qris_custom == Some(true))
}

/// The virtual-account number of a VA order, or NULL.
///
/// Ownership: owned by the order, valid until `cashi_order_free`. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_order_va_number(order: *const cashi_order) -> *const c_char {
    text_of(order, |o| o.text(OrderText::VaNumber))
}

/// The bank code of a VA order (`BCA`, ...), or NULL.
///
/// Ownership: owned by the order, valid until `cashi_order_free`. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_order_bank(order: *const cashi_order) -> *const c_char {
    text_of(order, |o| o.text(OrderText::Bank))
}

/// The bank's name of a VA order, or NULL.
///
/// Ownership: owned by the order, valid until `cashi_order_free`. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_order_bank_name(order: *const cashi_order) -> *const c_char {
    text_of(order, |o| o.text(OrderText::BankName))
}

/// The `kode_channel` Cashi echoed for a VA order, or NULL.
///
/// Ownership: owned by the order, valid until `cashi_order_free`. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_order_kode_channel(order: *const cashi_order) -> *const c_char {
    text_of(order, |o| o.text(OrderText::KodeChannel))
}

/// Whether a VA order reported its total amount. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_order_has_total_amount(order: *const cashi_order) -> bool {
    value_of(order, false, |o| {
        o.virtual_account
            .as_ref()
            .and_then(|v| v.total_amount)
            .is_some()
    })
}

/// The total a VA customer pays, fees included; 0 when not reported. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_order_total_amount(order: *const cashi_order) -> i64 {
    value_of(order, 0, |o| {
        o.virtual_account
            .as_ref()
            .and_then(|v| v.total_amount)
            .unwrap_or(0)
    })
}

/// Whether a VA order reported its admin fee. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_order_has_admin_fee(order: *const cashi_order) -> bool {
    value_of(order, false, |o| {
        o.virtual_account
            .as_ref()
            .and_then(|v| v.admin_fee)
            .is_some()
    })
}

/// The admin fee of a VA order; 0 when not reported. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_order_admin_fee(order: *const cashi_order) -> i64 {
    value_of(order, 0, |o| {
        o.virtual_account
            .as_ref()
            .and_then(|v| v.admin_fee)
            .unwrap_or(0)
    })
}

/// The payment code of a retail (Alfamart, Indomaret) order, or NULL.
///
/// Ownership: owned by the order, valid until `cashi_order_free`. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_order_payment_code(order: *const cashi_order) -> *const c_char {
    text_of(order, |o| o.text(OrderText::PaymentCode))
}

/// The retailer code of a retail order, or NULL.
///
/// Ownership: owned by the order, valid until `cashi_order_free`. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_order_retail_code(order: *const cashi_order) -> *const c_char {
    text_of(order, |o| o.text(OrderText::RetailCode))
}

/// The retailer's name of a retail order, or NULL.
///
/// Ownership: owned by the order, valid until `cashi_order_free`. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_order_retail_name(order: *const cashi_order) -> *const c_char {
    text_of(order, |o| o.text(OrderText::RetailName))
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

/// Every typed field of the order as one JSON object (one call instead of one per field):
/// `order_id, amount, requested_amount, unique_code, checkout_url, qr_url, expires_at
/// (RFC 3339 or null), provider, fee, expected_net, is_qris_custom, virtual_account
/// ({va_number, bank, bank_name, total_amount, admin_fee, kode_channel} or null),
/// retail ({payment_code, retail_code, retail_name} or null)`. Cashi's whole answer is not
/// included (it would repeat the QR data URI): read it with `cashi_order_raw_json`.
///
/// Ownership: owned by the order, valid until `cashi_order_free`. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_order_to_json(order: *const cashi_order) -> *const c_char {
    text_of(order, |o| {
        o.json
            .get_or_init(|| nul_free(o.to_json().to_string()))
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
