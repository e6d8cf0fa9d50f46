//! Results as JavaScript values: orders, statuses and progress as plain objects, webhook
//! events as an array, each answer's `raw` as the JSON text it came in.

use cashi::{validate, ErrorKind};
use napi::bindgen_prelude::*;
use napi::check_status;
use napi_derive::napi;

use crate::error::to_js;

/// An amount as a JavaScript number: exact, or an `internal` error, never rounded (the
/// core reads and sends amounts up to 2^53 − 1 only, which a double holds exactly).
pub(crate) fn js_amount(field: &str, amount: i64) -> cashi::Result<f64> {
    validate::amount_to_f64(field, amount)
}

pub(crate) fn js_opt_amount(field: &str, amount: Option<i64>) -> cashi::Result<Option<f64>> {
    amount.map(|a| js_amount(field, a)).transpose()
}

/// Where a `waitForPayment` stands after a poll that did not end it.
#[napi(object)]
pub struct ProgressFields {
    pub polls: u32,
    /// The status text last read, or `unknown (<error code>)` after a transient failure.
    pub last_status: String,
    pub remaining_ms: f64,
}

#[napi(object, object_from_js = false)]
pub struct VirtualAccountFields {
    pub va_number: String,
    pub bank: Option<String>,
    pub bank_name: Option<String>,
    pub total_amount: Option<f64>,
    pub admin_fee: Option<f64>,
    pub kode_channel: Option<String>,
}

#[napi(object, object_from_js = false)]
pub struct RetailFields {
    pub payment_code: String,
    pub retail_code: Option<String>,
    pub retail_name: Option<String>,
}

/// What a `createOrder` resolves with: the typed fields, converted on the JavaScript thread
/// as the Promise resolves, and Cashi's answer as the JSON text it came in, parsed only when
/// `order.raw` is read.
#[napi(object, object_from_js = false)]
pub struct OrderFields {
    pub order_id: String,
    pub amount: f64,
    pub requested_amount: f64,
    pub unique_code: f64,
    pub checkout_url: Option<String>,
    pub qr_url: Option<String>,
    /// Milliseconds since the epoch, for `new Date(...)`.
    pub expires_at_ms: Option<f64>,
    pub provider: Option<String>,
    pub fee: Option<f64>,
    pub expected_net: Option<f64>,
    pub is_qris_custom: Option<bool>,
    pub virtual_account: Option<VirtualAccountFields>,
    pub retail: Option<RetailFields>,
    pub raw_json: String,
}

impl TryFrom<cashi::Order> for OrderFields {
    type Error = cashi::Error;

    fn try_from(o: cashi::Order) -> cashi::Result<Self> {
        Ok(OrderFields {
            order_id: o.order_id.clone(),
            amount: js_amount("amount", o.amount)?,
            requested_amount: js_amount("requested_amount", o.requested_amount)?,
            unique_code: js_amount("unique_code", o.unique_code)?,
            checkout_url: o.checkout_url.clone(),
            raw_json: o.body().to_string(),
            qr_url: o.qr_url.clone(),
            expires_at_ms: o.expires_at.map(|t| t.timestamp_millis() as f64),
            provider: o.provider.clone(),
            fee: o.fee,
            expected_net: js_opt_amount("expected_net", o.expected_net)?,
            is_qris_custom: o.is_qris_custom,
            virtual_account: match o.virtual_account.as_ref() {
                Some(va) => Some(VirtualAccountFields {
                    va_number: va.va_number.clone(),
                    bank: va.bank.clone(),
                    bank_name: va.bank_name.clone(),
                    total_amount: js_opt_amount("total_amount", va.total_amount)?,
                    admin_fee: js_opt_amount("admin_fee", va.admin_fee)?,
                    kode_channel: va.kode_channel.clone(),
                }),
                None => None,
            },
            retail: o.retail.as_ref().map(|r| RetailFields {
                payment_code: r.payment_code.clone(),
                retail_code: r.retail_code.clone(),
                retail_name: r.retail_name.clone(),
            }),
        })
    }
}

/// The QR code of an order as PNG bytes, decoded from its `qrUrl` (`order.qrPng()`).
#[napi(catch_unwind)]
pub fn qr_png(order_id: String, qr_url: Option<String>) -> Result<Buffer> {
    match qr_url {
        Some(uri) => cashi::data_uri::decode_png(&uri)
            .map(Buffer::from)
            .map_err(to_js),
        None => Err(to_js(cashi::Error::new(
            ErrorKind::Decode,
            format!("order {order_id:?} has no qrUrl (only QRIS orders carry a QR code)"),
        ))),
    }
}

/// What `checkStatus`, `waitForPayment` and `confirm` resolve with. `raw` crosses as the
/// JSON text Cashi sent, parsed only when `status.raw` is read.
#[napi(object, object_from_js = false)]
pub struct StatusFields {
    pub order_id: String,
    /// The text Cashi sent, upper-cased when it is one of PENDING, SETTLED, EXPIRED.
    pub status: String,
    pub amount: Option<f64>,
    pub provider_tx_id: Option<String>,
    pub is_settled: bool,
    /// Only from `confirm` with a verified event whose check-status answer said SETTLED
    /// without an amount: `amount` is then the event's signed amount.
    pub amount_from_webhook: bool,
    pub raw_json: String,
}

impl TryFrom<cashi::PaymentStatus> for StatusFields {
    type Error = cashi::Error;

    fn try_from(s: cashi::PaymentStatus) -> cashi::Result<Self> {
        Ok(StatusFields {
            is_settled: s.is_settled(),
            amount_from_webhook: s.amount_from_webhook,
            status: s.state.as_str().to_string(),
            raw_json: s.body().to_string(),
            amount: js_opt_amount("amount", s.amount)?,
            order_id: s.order_id,
            provider_tx_id: s.provider_tx_id,
        })
    }
}

/// A verified webhook's typed fields. No `raw`: `index.js` parses the body it verified
/// when `event.raw` is read.
///
/// It crosses as an array in this order, not as an object: verifying is a few
/// microseconds of work, and defining nine named properties through napi costs a sizeable
/// share of it, about twice what the array costs (bench/FINDINGS.md §6).
pub struct EventFields {
    pub event: String,
    pub order_id: String,
    pub amount: f64,
    pub status: String,
    pub is_test: bool,
    pub is_settled: bool,
    pub payment_method: Option<String>,
    pub paid_at: Option<String>,
    pub transaction_id: Option<String>,
}

impl ToNapiValue for EventFields {
    unsafe fn to_napi_value(env: napi::sys::napi_env, e: Self) -> Result<napi::sys::napi_value> {
        let values = [
            String::to_napi_value(env, e.event)?,
            String::to_napi_value(env, e.order_id)?,
            f64::to_napi_value(env, e.amount)?,
            String::to_napi_value(env, e.status)?,
            bool::to_napi_value(env, e.is_test)?,
            bool::to_napi_value(env, e.is_settled)?,
            Option::<String>::to_napi_value(env, e.payment_method)?,
            Option::<String>::to_napi_value(env, e.paid_at)?,
            Option::<String>::to_napi_value(env, e.transaction_id)?,
        ];
        let mut array = std::ptr::null_mut();
        check_status!(
            napi::sys::napi_create_array_with_length(env, values.len(), &mut array),
            "creating the event's array"
        )?;
        for (i, value) in (0u32..).zip(values) {
            check_status!(
                napi::sys::napi_set_element(env, array, i, value),
                "filling the event's array"
            )?;
        }
        Ok(array)
    }
}

impl TryFrom<cashi::WebhookEvent> for EventFields {
    type Error = cashi::Error;

    fn try_from(e: cashi::WebhookEvent) -> cashi::Result<Self> {
        Ok(EventFields {
            is_test: e.is_test(),
            is_settled: e.is_settled(),
            event: e.event.as_str().to_string(),
            status: e.status.as_str().to_string(),
            amount: js_amount("amount", e.amount)?,
            order_id: e.order_id,
            payment_method: e.payment_method,
            paid_at: e.paid_at,
            transaction_id: e.transaction_id,
        })
    }
}
