//! Webhook verification (the verifier and the functions the `Webhook` class of `index.js`
//! calls) and the signing helper for merchants' tests.

use napi::bindgen_prelude::*;
use napi::{check_status, sys};
use napi_derive::napi;

use std::sync::Arc;

use crate::error::{invalid, to_js};
use crate::events::WebhookEvents;
use crate::models::fill;

/// A verifier (`cashi::Webhook`, its secrets keyed once, and where its events go), held by
/// the `Webhook` class of `index.js`. A plain external value rather than a napi class:
/// verifying is a few microseconds, and unwrapping a class instance (with napi-rs's borrow
/// tracking) was a tenth of it (bench/FINDINGS.md §6).
pub struct Verifier {
    webhook: cashi::Webhook,
    /// Its last verification, for `webhookTakeEvent` (in `events.rs`).
    pub(crate) events: Arc<WebhookEvents>,
}

/// A verifier for one or more secrets, as bytes (`index.js` turns strings into UTF-8).
#[napi(catch_unwind, ts_return_type = "ExternalObject<'Webhook'>")]
pub fn webhook_new(secrets: Vec<&[u8]>) -> Result<External<Verifier>> {
    let events = Arc::new(WebhookEvents::default());
    let mut webhook = cashi::Webhook::with_secrets(secrets).map_err(to_js)?;
    webhook.on_event(events.listener());
    Ok(External::new(Verifier { webhook, events }))
}

/// Verifies, then sets the event's fields on `event`, the `WebhookEvent` `index.js` made
/// for it (`models::fill`). `signature` is a string (`index.js` makes it one).
#[napi(catch_unwind)]
pub fn webhook_verify(
    env: &Env,
    #[napi(ts_arg_type = "ExternalObject<'Webhook'>")] webhook: &External<Verifier>,
    raw_body: &[u8],
    #[napi(ts_arg_type = "string")] signature: Unknown,
    #[napi(ts_arg_type = "import('./records').WebhookEventFields")] event: Object,
) -> Result<()> {
    let verified = with_text(env, &signature, |signature| {
        webhook.webhook.verify(raw_body, signature).map_err(to_js)
    })?;
    fill(env, &event, &verified)
}

/// `webhook_verify` with the headers as two parallel arrays of names and values.
#[napi(catch_unwind)]
pub fn webhook_verify_headers(
    env: &Env,
    #[napi(ts_arg_type = "ExternalObject<'Webhook'>")] webhook: &External<Verifier>,
    raw_body: &[u8],
    names: Vec<String>,
    values: Vec<String>,
    #[napi(ts_arg_type = "import('./records').WebhookEventFields")] event: Object,
) -> Result<()> {
    let verified = webhook
        .webhook
        .verify_headers(raw_body, names.into_iter().zip(values))
        .map_err(to_js)?;
    fill(env, &event, &verified)
}

/// Calls `f` with a JavaScript string's text, read into a buffer on the stack when it fits
/// (a signature does: 64 hex digits), else into a `String`.
fn with_text<T>(env: &Env, value: &Unknown, f: impl FnOnce(&str) -> Result<T>) -> Result<T> {
    let mut buffer = [0u8; 256];
    let mut len = 0;
    check_status!(
        unsafe {
            sys::napi_get_value_string_utf8(
                env.raw(),
                value.raw(),
                buffer.as_mut_ptr().cast(),
                buffer.len(),
                &mut len,
            )
        },
        "reading a string"
    )?;
    // V8 writes whole characters only, so a text that stopped more than a character's
    // bytes short of the buffer's end is all there.
    if len + 4 < buffer.len() {
        let text = std::str::from_utf8(&buffer[..len])
            .map_err(|e| Error::new(Status::InvalidArg, format!("reading a string: {e}")))?;
        return f(text);
    }
    let text = unsafe { String::from_napi_value(env.raw(), value.raw()) }?;
    f(&text)
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
