//! Webhook verification (`NativeWebhook`, wrapped by the `Webhook` class of `index.js`) and
//! the signing helper for merchants' tests.

use napi::bindgen_prelude::*;
use napi_derive::napi;

use crate::error::{invalid, to_js};
use crate::models::Js;

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
        ts_return_type = "import('./records').WebhookEventFields"
    )]
    pub fn verify(&self, raw_body: &[u8], signature: String) -> Result<Js<cashi::WebhookEvent>> {
        self.inner
            .verify(raw_body, &signature)
            .map(Js)
            .map_err(to_js)
    }

    /// Headers as two parallel arrays of names and values.
    #[napi(
        catch_unwind,
        ts_return_type = "import('./records').WebhookEventFields"
    )]
    pub fn verify_headers(
        &self,
        raw_body: &[u8],
        names: Vec<String>,
        values: Vec<String>,
    ) -> Result<Js<cashi::WebhookEvent>> {
        self.inner
            .verify_headers(raw_body, names.into_iter().zip(values))
            .map(Js)
            .map_err(to_js)
    }
}

/// Reads a webhook body that came with no signature: the event, marked unverified.
#[napi(
    catch_unwind,
    ts_return_type = "import('./records').WebhookEventFields"
)]
pub fn parse_unverified(raw_body: &[u8]) -> Result<Js<cashi::WebhookEvent>> {
    cashi::Webhook::parse_unverified(raw_body)
        .map(Js)
        .map_err(to_js)
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
