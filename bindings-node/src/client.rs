//! The Cashi API client (`NativeClient`, wrapped by the `Cashi` class of `index.js`).

use std::time::Duration;

use napi::bindgen_prelude::*;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;

use crate::args::{
    amount_arg, count_arg, expected_arg, millis_arg, order_id_arg, secret_string_arg, string_arg,
};
use crate::error::{invalid, to_js, CANCELLED};
use crate::models::{Js, ProgressFields};
use crate::runtime::NativeCancel;

/// The name this binding gives itself in the user-agent.
const BINDING: &str = "cashi-node";

/// `(progress) => void`, called on the JavaScript thread; weak: it does not keep Node alive.
type ProgressCallback = ThreadsafeFunction<ProgressFields, (), ProgressFields, Status, false, true>;

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

    /// Validates synchronously (throws), then resolves with the created order.
    #[napi(
        catch_unwind,
        ts_return_type = "Promise<import('./records').OrderFields & { rawJson: string }>"
    )]
    pub fn create_order<'env>(
        &self,
        env: &'env Env,
        amount: Unknown,
        order_id: Unknown,
        channel: Unknown,
        extra: Unknown,
    ) -> Result<PromiseRaw<'env, Js<cashi::Order>>> {
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
        env.spawn_future(async move { client.create_order(&request).await.map(Js).map_err(to_js) })
    }

    #[napi(
        catch_unwind,
        ts_return_type = "Promise<import('./records').PaymentStatusFields & { rawJson: string }>"
    )]
    pub fn check_status<'env>(
        &self,
        env: &'env Env,
        order_id: Unknown,
    ) -> Result<PromiseRaw<'env, Js<cashi::PaymentStatus>>> {
        let order_id = order_id_arg(&order_id).map_err(to_js)?;
        let client = self.inner.clone();
        env.spawn_future(async move { client.check_status(&order_id).await.map(Js).map_err(to_js) })
    }

    /// `cancel` (fed by an AbortSignal in `index.js`) stops the polling early; `on_progress`
    /// hears about every poll that did not end the wait.
    #[napi(
        catch_unwind,
        ts_return_type = "Promise<import('./records').PaymentStatusFields & { rawJson: string }>"
    )]
    pub fn wait_for_payment<'env>(
        &self,
        env: &'env Env,
        order_id: Unknown,
        timeout_ms: Unknown,
        cancel: Option<&NativeCancel>,
        #[napi(ts_arg_type = "((progress: ProgressFields) => void) | undefined | null")]
        on_progress: Option<ProgressCallback>,
    ) -> Result<PromiseRaw<'env, Js<cashi::PaymentStatus>>> {
        let (order_id, timeout) = (|| -> cashi::Result<(String, Duration)> {
            let id = order_id_arg(&order_id)?;
            let timeout = millis_arg("timeoutMs", &timeout_ms)?.unwrap_or(cashi::DEFAULT_WAIT);
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
                result = wait => result.map(Js).map_err(to_js),
                () = cancel => Err(napi::Error::new(Status::Cancelled, CANCELLED)),
            }
        })
    }

    #[napi(
        catch_unwind,
        ts_return_type = "Promise<import('./records').PaymentStatusFields & { rawJson: string }>"
    )]
    pub fn confirm<'env>(
        &self,
        env: &'env Env,
        order_id: Unknown,
        expected_amount: Unknown,
    ) -> Result<PromiseRaw<'env, Js<cashi::PaymentStatus>>> {
        let (order_id, expected) = (|| -> cashi::Result<(String, i64)> {
            Ok((order_id_arg(&order_id)?, expected_arg(&expected_amount)?))
        })()
        .map_err(to_js)?;
        let client = self.inner.clone();
        env.spawn_future(async move {
            client
                .confirm(order_id.as_str(), expected)
                .await
                .map(Js)
                .map_err(to_js)
        })
    }

    /// `confirm` for a verified webhook event, given the body `index.js` verified it from
    /// (read again, not verified again): the core then relies on the event's signed amount
    /// when Cashi's answer says SETTLED without one.
    #[napi(
        catch_unwind,
        ts_return_type = "Promise<import('./records').PaymentStatusFields & { rawJson: string }>"
    )]
    pub fn confirm_event<'env>(
        &self,
        env: &'env Env,
        verified_body: &[u8],
        expected_amount: Unknown,
    ) -> Result<PromiseRaw<'env, Js<cashi::PaymentStatus>>> {
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
                .map(Js)
                .map_err(to_js)
        })
    }
}
