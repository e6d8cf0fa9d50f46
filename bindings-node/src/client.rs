//! The Cashi API client (`NativeClient`, wrapped by the `Cashi` class of `index.js`).

use std::sync::Arc;
use std::time::Duration;

use napi::bindgen_prelude::*;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;

use crate::args::{
    count_arg, expected_arg, millis_arg, order_id_arg, order_id_text, order_request,
    secret_string_arg, string_arg,
};
use crate::error::{internal, invalid, to_js, CANCELLED};
use crate::events::ClientEvents;
use crate::models::{Item, Js, ProgressFields};
use crate::runtime::NativeCancel;

/// The name this binding gives itself in the user-agent.
const BINDING: &str = "cashi-node";

/// `(progress) => void`, called on the JavaScript thread; weak: it does not keep Node alive.
type ProgressCallback = ThreadsafeFunction<ProgressFields, (), ProgressFields, Status, false, true>;

/// The Cashi API client (wrapped by the `Cashi` class of `index.js`).
#[napi]
pub struct NativeClient {
    inner: cashi::Client,
    /// Where its events go (`setEventListener`, in `events.rs`).
    events: Arc<ClientEvents>,
}

impl NativeClient {
    pub(crate) fn events(&self) -> &ClientEvents {
        &self.events
    }
}

#[napi]
impl NativeClient {
    /// Options as given to `new Cashi({...})`; unset ones fall back to `CASHI_API_KEY`,
    /// `CASHI_BASE_URL`, `CASHI_CA_BUNDLE` / `SSL_CERT_FILE` and the core's defaults.
    #[napi(constructor, catch_unwind)]
    pub fn new(
        api_key: Unknown,
        base_url: Unknown,
        timeout_ms: Unknown,
        max_retries: Unknown,
        ca_bundle: Unknown,
    ) -> Result<Self> {
        Self::build(api_key, base_url, timeout_ms, max_retries, ca_bundle).map_err(to_js)
    }

    fn build(
        api_key: Unknown,
        base_url: Unknown,
        timeout_ms: Unknown,
        max_retries: Unknown,
        ca_bundle: Unknown,
    ) -> cashi::Result<Self> {
        let events = Arc::new(ClientEvents::default());
        let mut builder = cashi::Client::builder()
            .binding(BINDING, env!("CARGO_PKG_VERSION"))
            .on_event(events.listener());
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
        if let Some(path) = string_arg("caBundle", &ca_bundle, true)? {
            builder = builder.ca_bundle(path);
        }
        // The core names the option `ca_bundle`; here it is `caBundle`.
        let inner = builder
            .build()
            .map_err(|e| match e.message().strip_prefix("ca_bundle: ") {
                Some(rest) => cashi::Error::new(e.kind(), format!("caBundle: {rest}")),
                None => e,
            })?;
        Ok(NativeClient { inner, events })
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
        let request = order_request(&amount, &order_id, &channel, &extra)
            .and_then(|request| request.validate().map(|()| request))
            .map_err(to_js)?;
        let client = self.inner.clone();
        env.spawn_future(async move { client.create_order(&request).await.map(Js).map_err(to_js) })
    }

    /// Many `createOrder`s as one batch of the core (`cashi::BATCH_IN_FLIGHT` in flight):
    /// `requests` holds `{ amount, orderId, channel, extra }` objects, or `null` for one
    /// `index.js` refused itself. Resolves with an item per request, in their order: the
    /// order, or the error text (`error.rs`).
    #[napi(
        catch_unwind,
        ts_return_type = "Promise<Array<(import('./records').OrderFields & { rawJson: string }) | string>>"
    )]
    pub fn create_orders<'env>(
        &self,
        env: &'env Env,
        requests: Array,
    ) -> Result<PromiseRaw<'env, Vec<Item<cashi::Order>>>> {
        let mut batch = Vec::with_capacity(requests.len() as usize);
        let mut refused = Vec::new();
        for i in 0..requests.len() {
            let request = element::<Option<Object>>(&requests, i).and_then(|r| match r {
                Some(r) => order_request(
                    &r.get_named_property_unchecked("amount").map_err(internal)?,
                    &r.get_named_property_unchecked("orderId")
                        .map_err(internal)?,
                    &r.get_named_property_unchecked("channel")
                        .map_err(internal)?,
                    &r.get_named_property_unchecked("extra").map_err(internal)?,
                ),
                None => Err(invalid("requests: an item index.js refused")),
            });
            match request {
                Ok(request) => batch.push(request),
                Err(e) => {
                    refused.push((batch.len(), e));
                    batch.push(refused_order());
                }
            }
        }
        let client = self.inner.clone();
        env.spawn_future(async move {
            let results = client.create_orders(&batch).await.map_err(to_js)?;
            Ok(items(results, refused))
        })
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

    /// Many `checkStatus`es as one batch of the core: resolves with an item per id, in
    /// their order: the status, or the error text (`error.rs`).
    #[napi(
        catch_unwind,
        ts_return_type = "Promise<Array<(import('./records').PaymentStatusFields & { rawJson: string }) | string>>"
    )]
    pub fn check_statuses<'env>(
        &self,
        env: &'env Env,
        order_ids: Array,
    ) -> Result<PromiseRaw<'env, Vec<Item<cashi::PaymentStatus>>>> {
        let mut ids = Vec::with_capacity(order_ids.len() as usize);
        let mut refused = Vec::new();
        for i in 0..order_ids.len() {
            match element::<Unknown>(&order_ids, i).and_then(|id| order_id_text(&id)) {
                Ok(id) => ids.push(id),
                Err(e) => {
                    refused.push((ids.len(), e));
                    ids.push(REFUSED_ID.to_string());
                }
            }
        }
        let client = self.inner.clone();
        env.spawn_future(async move {
            let results = client.check_statuses(&ids).await.map_err(to_js)?;
            Ok(items(results, refused))
        })
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
            Ok((
                cashi::WebhookEvent::parse_verified(verified_body)?,
                expected,
            ))
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

// A batch's stand-ins for the items this module refused: the core refuses them too,
// sending nothing, so every item still goes through the core's one batch (and its size
// limit); their results are then replaced by this module's refusals (`items`).

/// An order id the core refuses (an empty one).
const REFUSED_ID: &str = "";

/// A request the core refuses (an amount of 0).
fn refused_order() -> cashi::CreateOrder {
    cashi::CreateOrder::new(0)
}

/// Element `i` of a JavaScript array.
fn element<T: FromNapiValue>(array: &Array, i: u32) -> cashi::Result<T> {
    array
        .get::<T>(i)
        .map_err(internal)?
        .ok_or_else(|| invalid(format!("item {i}: missing")))
}

/// The core's results, with the refusals of this module put back in their places.
fn items<T>(
    mut results: Vec<cashi::Result<T>>,
    refused: Vec<(usize, cashi::Error)>,
) -> Vec<Item<T>> {
    for (i, e) in refused {
        if let Some(slot) = results.get_mut(i) {
            *slot = Err(e);
        }
    }
    results.into_iter().map(Item).collect()
}
