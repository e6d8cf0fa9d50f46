//! The native half of the `cashi` npm package (napi-rs).
//!
//! This layer is deliberately thin: it turns JavaScript values into the core's types,
//! runs the core's futures on napi's tokio runtime (one worker thread: [`runtime`]), so
//! every network call is a Promise and the event loop never blocks, and turns results into
//! plain objects. The public classes (`Cashi`, `Webhook`, `CashiError`, ...) live in
//! `index.js`, which wraps these functions.
//!
//! Errors cross the boundary as a napi `Error` whose message is [`ERROR_MARKER`] followed by
//! a JSON object (`code`, `message`, `status`, mismatch details); `index.js` turns it into
//! a `CashiError`. Nothing here throws a napi `TypeError`: every argument is taken as an
//! unknown JavaScript value and classified, so a wrong type is an `invalid_argument`.

mod runtime;

use std::time::Duration;

use cashi::{validate, ErrorKind};
use napi::bindgen_prelude::*;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::{check_status, ValueType};
use napi_derive::napi;
use serde_json::json;

/// Prefix of the message of every error this module throws or rejects with.
const ERROR_MARKER: &str = "cashi-error:";

/// The message of a rejection caused by [`NativeCancel::cancel`]; `index.js` rejects with
/// the AbortSignal's reason instead.
const CANCELLED: &str = "cashi-cancelled";

/// The name this binding gives itself in the user-agent.
const BINDING: &str = "cashi-node";

/// What `waitForPayment` waits without a `timeoutMs`: an order is payable for 10 minutes.
const DEFAULT_WAIT: Duration = Duration::from_secs(600);

/// The longest `timeoutMs` taken: a day. Longer would only hide a unit mistake.
const MAX_TIMEOUT_MS: f64 = 86_400_000.0;

fn to_js(e: cashi::Error) -> napi::Error {
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
    napi::Error::new(Status::GenericFailure, format!("{ERROR_MARKER}{detail}"))
}

fn invalid(message: impl Into<String>) -> cashi::Error {
    cashi::Error::new(ErrorKind::InvalidArgument, message)
}

/// A failure of napi itself (reading a value whose type was just checked): a bug.
fn internal(e: napi::Error) -> cashi::Error {
    cashi::Error::new(
        ErrorKind::Internal,
        format!("reading a JavaScript value failed: {e}"),
    )
}

/// How a JavaScript value is described in messages: `true`, `null`, `"15000"`, `a function`.
fn describe(value: &Unknown) -> String {
    let text = |v: &Unknown| -> Option<String> { unsafe { v.cast::<String>() }.ok() };
    match value.get_type() {
        Ok(ValueType::Null) => "null".into(),
        Ok(ValueType::Undefined) => "undefined".into(),
        Ok(ValueType::Boolean) => match unsafe { value.cast::<bool>() } {
            Ok(b) => b.to_string(),
            Err(_) => "a boolean".into(),
        },
        Ok(ValueType::String) => match text(value) {
            Some(s) if s.chars().count() <= 40 => format!("the string {s:?}"),
            _ => "a string".into(),
        },
        Ok(ValueType::Number) => match unsafe { value.cast::<f64>() } {
            Ok(n) => format_number(n),
            Err(_) => "a number".into(),
        },
        Ok(ValueType::BigInt) => "a bigint".into(),
        Ok(ValueType::Symbol) => "a symbol".into(),
        Ok(ValueType::Function) => "a function".into(),
        Ok(ValueType::Object) => {
            if value.is_array().unwrap_or(false) {
                "an array".into()
            } else {
                "an object".into()
            }
        }
        _ => "a value of unknown type".into(),
    }
}

fn format_number(n: f64) -> String {
    if n.is_nan() {
        "NaN".into()
    } else if n.is_infinite() {
        if n > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else {
        n.to_string()
    }
}

/// An amount in whole rupiah from a JS number or bigint; `None` for `undefined`.
/// Anything else (a fraction, NaN, Infinity, a string, a boolean, null, a huge bigint) is
/// an `invalid_argument` naming `field`: money is never rounded or parsed from text.
fn amount_arg(field: &str, value: &Unknown) -> cashi::Result<Option<i64>> {
    match value.get_type().map_err(internal)? {
        ValueType::Undefined => Ok(None),
        ValueType::Number => {
            let n: f64 = unsafe { value.cast() }.map_err(internal)?;
            if !n.is_finite() {
                // The core would print Rust's `inf`; say it the JavaScript way.
                return Err(invalid(format!(
                    "{field}: {} is not an amount; pass a whole number of rupiah, e.g. 15000",
                    format_number(n)
                )));
            }
            validate::amount_from_f64(field, n).map(Some)
        }
        ValueType::BigInt => {
            let big: BigInt = unsafe { value.cast() }.map_err(internal)?;
            let (n, lossless) = big.get_i128();
            match i64::try_from(n) {
                Ok(n) if lossless => Ok(Some(n)),
                _ => Err(invalid(format!(
                    "{field}: the bigint is too large to be an amount of rupiah"
                ))),
            }
        }
        _ => Err(invalid(format!(
            "{field}: {} is not an amount; pass a whole number of rupiah, e.g. 15000",
            describe(value)
        ))),
    }
}

/// An amount as a JavaScript number: exact, or an `internal` error, never rounded (the
/// core reads and sends amounts up to 2^53 − 1 only, which a double holds exactly).
fn js_amount(field: &str, amount: i64) -> cashi::Result<f64> {
    validate::amount_to_f64(field, amount)
}

fn js_opt_amount(field: &str, amount: Option<i64>) -> cashi::Result<Option<f64>> {
    amount.map(|a| js_amount(field, a)).transpose()
}

/// A string argument; `None` for `undefined` (and `null` where `null_is_absent`).
fn string_arg(field: &str, value: &Unknown, null_is_absent: bool) -> cashi::Result<Option<String>> {
    match value.get_type().map_err(internal)? {
        ValueType::Undefined => Ok(None),
        ValueType::Null if null_is_absent => Ok(None),
        ValueType::String => unsafe { value.cast::<String>() }
            .map(Some)
            .map_err(internal),
        _ => Err(invalid(format!(
            "{field}: {} is not a string",
            describe(value)
        ))),
    }
}

/// A secret (the API key): as [`string_arg`] with `null` absent, but a value of another
/// type is named by its type only: a number or a short string may be the secret itself.
fn secret_string_arg(field: &str, value: &Unknown) -> cashi::Result<Option<String>> {
    match value.get_type().map_err(internal)? {
        ValueType::Undefined | ValueType::Null => Ok(None),
        ValueType::String => unsafe { value.cast::<String>() }
            .map(Some)
            .map_err(internal),
        other => Err(invalid(format!(
            "{field}: {} is not a string; pass your Cashi API key as a string",
            kind_of(other, value)
        ))),
    }
}

/// How a JavaScript value's type is named in messages, without its value.
fn kind_of(value_type: ValueType, value: &Unknown) -> &'static str {
    match value_type {
        ValueType::Boolean => "a boolean",
        ValueType::String => "a string",
        ValueType::Number => "a number",
        ValueType::BigInt => "a bigint",
        ValueType::Symbol => "a symbol",
        ValueType::Function => "a function",
        ValueType::Object if value.is_array().unwrap_or(false) => "an array",
        ValueType::Object => "an object",
        _ => "a value of unknown type",
    }
}

/// A number of milliseconds: positive, finite, at most a day.
fn millis_arg(field: &str, value: &Unknown) -> cashi::Result<Option<Duration>> {
    match value.get_type().map_err(internal)? {
        ValueType::Undefined => Ok(None),
        ValueType::Number => {
            let ms: f64 = unsafe { value.cast() }.map_err(internal)?;
            if !(ms.is_finite() && ms > 0.0 && ms <= MAX_TIMEOUT_MS) {
                return Err(invalid(format!(
                    "{field}: {} is not a number of milliseconds between 1 and {MAX_TIMEOUT_MS}",
                    format_number(ms)
                )));
            }
            Ok(Some(Duration::from_secs_f64(ms / 1000.0)))
        }
        _ => Err(invalid(format!(
            "{field}: {} is not a number of milliseconds",
            describe(value)
        ))),
    }
}

/// A small whole number (retries).
fn count_arg(field: &str, value: &Unknown) -> cashi::Result<Option<u32>> {
    match value.get_type().map_err(internal)? {
        ValueType::Undefined => Ok(None),
        ValueType::Number => {
            let n: f64 = unsafe { value.cast() }.map_err(internal)?;
            if n.is_finite() && n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&n) {
                Ok(Some(n as u32))
            } else {
                Err(invalid(format!(
                    "{field}: {} is not a whole number of 0 or more",
                    format_number(n)
                )))
            }
        }
        _ => Err(invalid(format!(
            "{field}: {} is not a whole number",
            describe(value)
        ))),
    }
}

/// The order id of a `checkStatus`/`waitForPayment`/`confirm` call: a string the core
/// accepts, checked before the Promise exists.
fn order_id_arg(value: &Unknown) -> cashi::Result<String> {
    match string_arg("orderId", value, false)? {
        Some(id) => validate::order_id(&id).map(|_| id.clone()),
        None => Err(invalid(
            "orderId: is missing; pass the order id (a string) or an order, status or event",
        )),
    }
}

/// The Cashi API client (wrapped by the `Cashi` class of `index.js`).
#[napi]
pub struct NativeClient {
    inner: cashi::Client,
}

#[napi]
impl NativeClient {
    /// Options as given to `new Cashi({...})`; unset ones fall back to `CASHI_API_KEY`,
    /// `CASHI_BASE_URL` and the core's defaults.
    #[napi(constructor, catch_unwind)]
    pub fn new(
        api_key: Unknown,
        base_url: Unknown,
        timeout_ms: Unknown,
        max_retries: Unknown,
    ) -> Result<Self> {
        Self::build(api_key, base_url, timeout_ms, max_retries).map_err(to_js)
    }

    fn build(
        api_key: Unknown,
        base_url: Unknown,
        timeout_ms: Unknown,
        max_retries: Unknown,
    ) -> cashi::Result<Self> {
        let mut builder = cashi::Client::builder().binding(BINDING, env!("CARGO_PKG_VERSION"));
        if let Some(key) = secret_string_arg("apiKey", &api_key)? {
            builder = builder.api_key(key);
        }
        if let Some(url) = string_arg("baseUrl", &base_url, true)? {
            builder = builder.base_url(url);
        }
        if let Some(timeout) = millis_arg("timeoutMs", &timeout_ms)? {
            builder = builder.timeout(timeout);
        }
        if let Some(retries) = count_arg("maxRetries", &max_retries)? {
            builder = builder.max_retries(retries);
        }
        Ok(NativeClient {
            inner: builder.build()?,
        })
    }

    #[napi(getter)]
    pub fn base_url(&self) -> String {
        self.inner.base_url().to_string()
    }

    #[napi(getter)]
    pub fn user_agent(&self) -> String {
        self.inner.user_agent().to_string()
    }

    /// Validates synchronously (throws), then resolves with the created order's fields.
    #[napi(catch_unwind, ts_return_type = "Promise<OrderFields>")]
    pub fn create_order<'env>(
        &self,
        env: &'env Env,
        amount: Unknown,
        order_id: Unknown,
        channel: Unknown,
        extra: Unknown,
    ) -> Result<PromiseRaw<'env, OrderFields>> {
        let request = (|| -> cashi::Result<cashi::CreateOrder> {
            let amount = amount_arg("amount", &amount)?
                .ok_or_else(|| invalid("amount: is missing; pass a whole number of rupiah"))?;
            let mut request = cashi::CreateOrder::new(amount);
            if let Some(id) = string_arg("orderId", &order_id, true)? {
                request = request.order_id(id);
            }
            if let Some(code) = string_arg("channel", &channel, true)? {
                request = request.channel(code.as_str());
            }
            // index.js hands the caller's value on as JSON text; the core checks it.
            if let Some(text) = string_arg("extra", &extra, true)? {
                request = request.extra_text(&text)?;
            }
            request.validate()?;
            Ok(request)
        })()
        .map_err(to_js)?;
        let client = self.inner.clone();
        env.spawn_future(async move {
            client
                .create_order(&request)
                .await
                .and_then(OrderFields::try_from)
                .map_err(to_js)
        })
    }

    #[napi(catch_unwind, ts_return_type = "Promise<StatusFields>")]
    pub fn check_status<'env>(
        &self,
        env: &'env Env,
        order_id: Unknown,
    ) -> Result<PromiseRaw<'env, StatusFields>> {
        let order_id = order_id_arg(&order_id).map_err(to_js)?;
        let client = self.inner.clone();
        env.spawn_future(async move {
            client
                .check_status(&order_id)
                .await
                .and_then(StatusFields::try_from)
                .map_err(to_js)
        })
    }

    /// `cancel` (fed by an AbortSignal in `index.js`) stops the polling early; `on_progress`
    /// hears about every poll that did not end the wait.
    #[napi(catch_unwind, ts_return_type = "Promise<StatusFields>")]
    pub fn wait_for_payment<'env>(
        &self,
        env: &'env Env,
        order_id: Unknown,
        timeout_ms: Unknown,
        cancel: Option<&NativeCancel>,
        #[napi(ts_arg_type = "((progress: ProgressFields) => void) | undefined | null")]
        on_progress: Option<ProgressCallback>,
    ) -> Result<PromiseRaw<'env, StatusFields>> {
        let (order_id, timeout) = (|| -> cashi::Result<(String, Duration)> {
            let id = order_id_arg(&order_id)?;
            let timeout = millis_arg("timeoutMs", &timeout_ms)?.unwrap_or(DEFAULT_WAIT);
            Ok((id, timeout))
        })()
        .map_err(to_js)?;
        let client = self.inner.clone();
        let mut cancelled = cancel.map(|c| c.sender.subscribe());
        env.spawn_future(async move {
            let wait = client.wait_for_payment_with_progress(&order_id, timeout, |p| {
                if let Some(callback) = &on_progress {
                    callback.call(
                        ProgressFields {
                            polls: p.polls,
                            last_status: p.last_state.clone(),
                            remaining_ms: p.remaining.as_secs_f64() * 1000.0,
                        },
                        ThreadsafeFunctionCallMode::NonBlocking,
                    );
                }
            });
            let cancel = async {
                if let Some(rx) = cancelled.as_mut() {
                    if rx.wait_for(|c| *c).await.is_ok() {
                        return;
                    }
                }
                // No token, or its sender was dropped (collected): never a cancel.
                std::future::pending::<()>().await
            };
            tokio::select! {
                result = wait => result.and_then(StatusFields::try_from).map_err(to_js),
                () = cancel => Err(napi::Error::new(Status::Cancelled, CANCELLED)),
            }
        })
    }

    #[napi(catch_unwind, ts_return_type = "Promise<StatusFields>")]
    pub fn confirm<'env>(
        &self,
        env: &'env Env,
        order_id: Unknown,
        expected_amount: Unknown,
    ) -> Result<PromiseRaw<'env, StatusFields>> {
        let (order_id, expected) = (|| -> cashi::Result<(String, i64)> {
            Ok((order_id_arg(&order_id)?, expected_arg(&expected_amount)?))
        })()
        .map_err(to_js)?;
        let client = self.inner.clone();
        env.spawn_future(async move {
            client
                .confirm(order_id.as_str(), expected)
                .await
                .and_then(StatusFields::try_from)
                .map_err(to_js)
        })
    }

    /// `confirm` for a verified webhook event, given the body `index.js` verified it from
    /// (read again, not verified again): the core then relies on the event's signed amount
    /// when Cashi's answer says SETTLED without one.
    #[napi(catch_unwind, ts_return_type = "Promise<StatusFields>")]
    pub fn confirm_event<'env>(
        &self,
        env: &'env Env,
        verified_body: &[u8],
        expected_amount: Unknown,
    ) -> Result<PromiseRaw<'env, StatusFields>> {
        let (event, expected) = (|| -> cashi::Result<(cashi::WebhookEvent, i64)> {
            let expected = expected_arg(&expected_amount)?;
            Ok((cashi::WebhookEvent::parse(verified_body)?, expected))
        })()
        .map_err(to_js)?;
        let client = self.inner.clone();
        env.spawn_future(async move {
            client
                .confirm(&event, expected)
                .await
                .and_then(StatusFields::try_from)
                .map_err(to_js)
        })
    }
}

/// The amount `confirm` expects: present, and a whole number from 1 to the SDK's maximum.
fn expected_arg(value: &Unknown) -> cashi::Result<i64> {
    let expected = amount_arg("expectedAmount", value)?.ok_or_else(|| {
        invalid("expectedAmount: is missing; pass the amount stored when the order was created (order.amount)")
    })?;
    validate::positive_amount("expectedAmount", expected)
}

/// Where a `waitForPayment` stands after a poll that did not end it.
#[napi(object)]
pub struct ProgressFields {
    pub polls: u32,
    /// The status text last read, or `unknown (<error code>)` after a transient failure.
    pub last_status: String,
    pub remaining_ms: f64,
}

/// `(progress) => void`, called on the JavaScript thread; weak: it does not keep Node alive.
type ProgressCallback = ThreadsafeFunction<ProgressFields, (), ProgressFields, Status, false, true>;

/// Stops a `waitForPayment` in flight (the native side of an AbortSignal).
#[napi]
pub struct NativeCancel {
    sender: tokio::sync::watch::Sender<bool>,
}

#[napi]
impl NativeCancel {
    #[napi(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        NativeCancel {
            sender: tokio::sync::watch::Sender::new(false),
        }
    }

    #[napi]
    pub fn cancel(&self) {
        self.sender.send_replace(true);
    }
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

/// A webhook event's typed fields. No `raw`: `index.js` parses the body it read
/// when `event.raw` is read.
///
/// It crosses as an array in this order, not as an object: verifying is a few
/// microseconds of work, and defining the fields as named properties through napi costs a
/// sizeable share of it, about twice what the array costs (bench/FINDINGS.md §6).
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
    pub is_verified: bool,
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
            bool::to_napi_value(env, e.is_verified)?,
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
            is_verified: e.is_verified(),
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

/// Webhook verification (wrapped by the `Webhook` class of `index.js`). Synchronous: an
/// HMAC over a few hundred bytes costs microseconds.
#[napi]
pub struct NativeWebhook {
    inner: cashi::Webhook,
}

#[napi]
impl NativeWebhook {
    /// One or more secrets, as bytes (`index.js` turns strings into UTF-8).
    #[napi(constructor, catch_unwind)]
    pub fn new(secrets: Vec<&[u8]>) -> Result<Self> {
        cashi::Webhook::with_secrets(secrets)
            .map(|inner| NativeWebhook { inner })
            .map_err(to_js)
    }

    #[napi(
        catch_unwind,
        ts_return_type = "[event: string, orderId: string, amount: number, status: string, isTest: boolean, isSettled: boolean, paymentMethod: string | null, paidAt: string | null, transactionId: string | null, isVerified: boolean]"
    )]
    pub fn verify(&self, raw_body: &[u8], signature: String) -> Result<EventFields> {
        self.inner
            .verify(raw_body, &signature)
            .and_then(EventFields::try_from)
            .map_err(to_js)
    }

    /// Headers as two parallel arrays of names and values.
    #[napi(
        catch_unwind,
        ts_return_type = "[event: string, orderId: string, amount: number, status: string, isTest: boolean, isSettled: boolean, paymentMethod: string | null, paidAt: string | null, transactionId: string | null, isVerified: boolean]"
    )]
    pub fn verify_headers(
        &self,
        raw_body: &[u8],
        names: Vec<String>,
        values: Vec<String>,
    ) -> Result<EventFields> {
        self.inner
            .verify_headers(raw_body, names.into_iter().zip(values))
            .and_then(EventFields::try_from)
            .map_err(to_js)
    }
}

/// Reads a webhook body that came with no signature: the event, marked unverified.
#[napi(
    catch_unwind,
    ts_return_type = "[event: string, orderId: string, amount: number, status: string, isTest: boolean, isSettled: boolean, paymentMethod: string | null, paidAt: string | null, transactionId: string | null, isVerified: boolean]"
)]
pub fn parse_unverified(raw_body: &[u8]) -> Result<EventFields> {
    cashi::Webhook::parse_unverified(raw_body)
        .and_then(EventFields::try_from)
        .map_err(to_js)
}

/// The signature Cashi would send for `body` under `secret`, for merchants' own tests.
#[napi(catch_unwind)]
pub fn sign(secret: &[u8], body: &[u8]) -> Result<String> {
    if secret.is_empty() {
        return Err(to_js(invalid("secret: is empty")));
    }
    Ok(cashi::testing::sign(secret, body))
}

/// Every error code, in the core's fixed order.
#[napi]
pub fn error_codes() -> Vec<&'static str> {
    cashi::ErrorKind::ALL.iter().map(|k| k.code()).collect()
}

/// The SDK version (this binding and the core ship together).
#[napi]
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// The header Cashi puts the webhook signature in.
#[napi]
pub fn signature_header() -> &'static str {
    cashi::webhook::SIGNATURE_HEADER
}
