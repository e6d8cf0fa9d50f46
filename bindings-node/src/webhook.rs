//! Webhook verification (`NativeWebhook`, wrapped by the `Webhook` class of `index.js`) and
//! the signing helper for merchants' tests.

use napi::bindgen_prelude::*;
use napi_derive::napi;

use crate::error::{invalid, to_js};
use crate::models::fill;

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

    /// Verifies, then sets the event's fields on `event`, the `WebhookEvent` `index.js` made
    /// for it (`models::fill`).
    #[napi(catch_unwind)]
    pub fn verify(
        &self,
        env: &Env,
        raw_body: &[u8],
        signature: String,
        #[napi(ts_arg_type = "import('./records').WebhookEventFields")] event: Object,
    ) -> Result<()> {
        let verified = self.inner.verify(raw_body, &signature).map_err(to_js)?;
        fill(env, &event, &verified)
    }

    /// `verify` with the headers as two parallel arrays of names and values.
    #[napi(catch_unwind)]
    pub fn verify_headers(
        &self,
        env: &Env,
        raw_body: &[u8],
        names: Vec<String>,
        values: Vec<String>,
        #[napi(ts_arg_type = "import('./records').WebhookEventFields")] event: Object,
    ) -> Result<()> {
        let verified = self
            .inner
            .verify_headers(raw_body, names.into_iter().zip(values))
            .map_err(to_js)?;
        fill(env, &event, &verified)
    }
}

/// Reads a webhook body that came with no signature, then sets the event's fields (marked
/// unverified) on `event`, as `verify` does.
#[napi(catch_unwind)]
pub fn parse_unverified(
    env: &Env,
    raw_body: &[u8],
    #[napi(ts_arg_type = "import('./records').WebhookEventFields")] event: Object,
) -> Result<()> {
    let unverified = cashi::Webhook::parse_unverified(raw_body).map_err(to_js)?;
    fill(env, &event, &unverified)
}

/// Whether the headers (two parallel arrays of names and values) carry the signature
/// header, by the core's rule.
#[napi]
pub fn is_signed(names: Vec<String>, values: Vec<String>) -> bool {
    cashi::webhook::is_signed(names.into_iter().zip(values))
}

/// The signature Cashi would send for `body` under `secret`, for merchants' own tests.
#[napi(catch_unwind)]
pub fn sign(secret: &[u8], body: &[u8]) -> Result<String> {
    if secret.is_empty() {
        return Err(to_js(invalid("secret: is empty")));
    }
    Ok(cashi::testing::sign(secret, body))
}

/// The header Cashi puts the webhook signature in.
#[napi]
pub fn signature_header() -> &'static str {
    cashi::webhook::SIGNATURE_HEADER
}
