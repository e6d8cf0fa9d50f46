//! Webhook verification: the verifier handle, the event handle, and test signing.

use std::ffi::{c_char, CString};
use std::ptr;
use std::sync::OnceLock;

use cashi::{Error, Webhook, WebhookEvent};
use serde_json::Value;

use crate::ctexts::{cstring, nul_free, HOLDS_NUL};
use crate::error::{cashi_error, cashi_result, guard, invalid, shield};
use crate::events::{Kept, Sink};
use crate::records::WebhookEventRecord;
use crate::util::{self, bytes, give, handle, out, text};

/// A webhook verifier holding one or more secrets. Immutable once made (except through
/// `cashi_webhook_add_secret`); `cashi_webhook_verify` may be called from any number of
/// threads at once.
pub struct cashi_webhook {
    /// Keeps each secret only as a keyed HMAC, never a copy of its text.
    webhook: Webhook,
    /// Where verifications are reported (`cashi_webhook_set_event_callback`, `_keep_events`).
    events: Sink,
}

impl cashi_webhook {
    fn new(webhook: Webhook) -> Self {
        cashi_webhook {
            webhook,
            events: Sink::default(),
        }
    }

    /// Changes where verifications are reported, and tells the core.
    pub(crate) fn update_events(&mut self, apply: impl FnOnce(&mut Sink)) {
        apply(&mut self.events);
        match self.events.listener() {
            Some(listener) => self.webhook.on_event(listener),
            // The core keeps a listener once given one: this one leads nowhere.
            None => self.webhook.on_event(|_| {}),
        }
    }

    pub(crate) fn kept_events(&self) -> Option<&Kept> {
        self.events.kept_ref()
    }
}

/// A webhook event: verified, unless made by `cashi_webhook_parse_unverified`
/// (`cashi_event_is_verified`). Immutable; its accessors (generated, `records.rs`) may be
/// called from any thread.
pub struct cashi_event {
    pub(crate) record: WebhookEventRecord,
    event: WebhookEvent,
    raw_json: OnceLock<CString>,
    json: OnceLock<CString>,
}

impl cashi_event {
    /// The event, or `invalid_argument` naming the field of the body (an argument of the
    /// call) that holds U+0000.
    fn new(event: WebhookEvent) -> Result<cashi_event, Error> {
        let record = WebhookEventRecord::read(&event)
            .map_err(|field| invalid(format!("body: {field} {HOLDS_NUL}")))?;
        Ok(cashi_event {
            record,
            raw_json: OnceLock::new(),
            json: OnceLock::new(),
            event,
        })
    }

    pub(crate) fn event(&self) -> &WebhookEvent {
        &self.event
    }
}

/// Makes a verifier for one webhook secret (`sk_...`, from Settings → Webhook).
///
/// Ownership: `secret` stays the caller's, read during the call only (the verifier keeps
/// an HMAC keyed with it, not its text); the verifier in `*out_webhook` is the caller's,
/// freed with `cashi_webhook_free`. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_webhook_new(
    secret: *const c_char,
    out_webhook: *mut *mut cashi_webhook,
    err: *mut *mut cashi_error,
) -> cashi_result {
    guard(err, || {
        let slot = unsafe { out(out_webhook, "out_webhook") }?;
        let secret = unsafe { text(secret, "webhook_secret") }?;
        give(slot, cashi_webhook::new(Webhook::new(secret)?));
        Ok(())
    })
}

/// Makes a verifier that accepts a signature made with any of `count` secrets (rotation:
/// the new secret first, the old one until Cashi uses the new one).
///
/// Ownership: the secrets stay the caller's, read during the call only; the verifier is
/// the caller's, freed with `cashi_webhook_free`. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_webhook_new_with_secrets(
    secrets: *const *const c_char,
    count: usize,
    out_webhook: *mut *mut cashi_webhook,
    err: *mut *mut cashi_error,
) -> cashi_result {
    guard(err, || {
        let slot = unsafe { out(out_webhook, "out_webhook") }?;
        if secrets.is_null() && count > 0 {
            return Err(invalid("secrets: is NULL but count is not 0"));
        }
        let list = if count == 0 {
            Vec::new()
        } else {
            let pointers = unsafe { std::slice::from_raw_parts(secrets, count) };
            pointers
                .iter()
                .enumerate()
                .map(|(i, &p)| unsafe { text(p, &format!("webhook_secret #{}", i + 1)) })
                .collect::<Result<Vec<_>, _>>()?
        };
        give(slot, cashi_webhook::new(Webhook::with_secrets(list)?));
        Ok(())
    })
}

/// Adds one more accepted secret to a verifier (for callers that cannot build an array of
/// strings, such as PHP's FFI).
///
/// Ownership: `secret` stays the caller's, read during the call only. Thread-safety: no
/// other thread may use `webhook` during this call.
#[no_mangle]
pub extern "C" fn cashi_webhook_add_secret(
    webhook: *mut cashi_webhook,
    secret: *const c_char,
    err: *mut *mut cashi_error,
) -> cashi_result {
    guard(err, || {
        let wh = unsafe { webhook.as_mut() }
            .ok_or_else(|| invalid("webhook: is NULL; make one with cashi_webhook_new"))?;
        let secret = unsafe { text(secret, "webhook_secret") }?;
        wh.webhook.add_secret(secret)
    })
}

/// Frees a verifier. NULL is ignored. Undefined: freeing it again, or using it after.
///
/// Thread-safety: call it once, after every other thread is done with the verifier.
#[no_mangle]
pub extern "C" fn cashi_webhook_free(webhook: *mut cashi_webhook) {
    shield((), || unsafe { util::free(webhook) })
}

/// Checks `signature` (the `x-gateway-signature` header) against the raw request body
/// `body[0..body_len]` exactly as received, in constant time, then reads the event.
/// `CASHI_RESULT_SIGNATURE_INVALID` when it does not match any secret (nothing is parsed);
/// `CASHI_RESULT_WEBHOOK_PAYLOAD` when a signed body is not a Cashi event;
/// `CASHI_RESULT_INVALID_ARGUMENT`, naming the field, when a text of the event holds U+0000
/// (a C string would end there). `body` may be NULL only with `body_len` 0.
///
/// A valid signature is not a new payment: Cashi may deliver the same webhook twice, and
/// the signature has no timestamp, so a captured one can be replayed forever. Fulfil once
/// per order id (store it, ignore repeats), and confirm with `cashi_client_confirm_event`.
///
/// Ownership: `body` and `signature` stay the caller's; the event in `*out_event` is the
/// caller's, freed with `cashi_event_free`. Thread-safety: any number of threads at once.
#[no_mangle]
pub extern "C" fn cashi_webhook_verify(
    webhook: *const cashi_webhook,
    body: *const c_char,
    body_len: usize,
    signature: *const c_char,
    out_event: *mut *mut cashi_event,
    err: *mut *mut cashi_error,
) -> cashi_result {
    guard(err, || {
        let slot = unsafe { out(out_event, "out_event") }?;
        let wh = unsafe { handle(webhook, "webhook") }?;
        let body = unsafe { bytes(body, body_len, "body") }?;
        let signature = unsafe { text(signature, "signature") }?;
        give(slot, cashi_event::new(wh.webhook.verify(body, signature)?)?);
        Ok(())
    })
}

/// Like `cashi_webhook_verify`, finding `x-gateway-signature` (in any letter case) among
/// the request's headers, given as text lines `Name: value` separated by `\n` or `\r\n`.
/// A missing header is `CASHI_RESULT_SIGNATURE_INVALID`; a NUL byte anywhere in `headers`
/// is `CASHI_RESULT_INVALID_ARGUMENT`.
///
/// Ownership and thread-safety: as `cashi_webhook_verify`.
#[no_mangle]
pub extern "C" fn cashi_webhook_verify_headers(
    webhook: *const cashi_webhook,
    body: *const c_char,
    body_len: usize,
    headers: *const c_char,
    headers_len: usize,
    out_event: *mut *mut cashi_event,
    err: *mut *mut cashi_error,
) -> cashi_result {
    guard(err, || {
        let slot = unsafe { out(out_event, "out_event") }?;
        let wh = unsafe { handle(webhook, "webhook") }?;
        let body = unsafe { bytes(body, body_len, "body") }?;
        let headers = unsafe { header_lines(headers, headers_len) }?;
        give(
            slot,
            cashi_event::new(wh.webhook.verify_headers(body, header_pairs(headers))?)?,
        );
        Ok(())
    })
}

/// Whether the request's headers (as for `cashi_webhook_verify_headers`) carry Cashi's
/// signature header, found by the same rule: for a handler that accepts unsigned webhooks,
/// which reads a request without one with `cashi_webhook_parse_unverified` and verifies
/// every other. Sets `*signed`; fails with `invalid_argument` when `headers` is NULL, not
/// UTF-8 or holds a NUL, or `signed` is NULL.
///
/// Ownership: `headers` stays the caller's. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_headers_signed(
    headers: *const c_char,
    headers_len: usize,
    signed: *mut bool,
    err: *mut *mut cashi_error,
) -> cashi_result {
    guard(err, || {
        if signed.is_null() {
            return Err(invalid("signed: is NULL; pass where to store the answer"));
        }
        let headers = unsafe { header_lines(headers, headers_len) }?;
        // SAFETY: not NULL (checked); the caller's bool.
        unsafe { *signed = cashi::webhook::is_signed(header_pairs(headers)) };
        Ok(())
    })
}

/// The header lines `Name: value`, separated by `\n` or `\r\n`, as text.
///
/// # Safety
/// `headers` is NULL or points at `len` readable bytes.
unsafe fn header_lines<'a>(headers: *const c_char, len: usize) -> Result<&'a str, cashi::Error> {
    let headers = bytes(headers, len, "headers")?;
    let headers =
        std::str::from_utf8(headers).map_err(|_| invalid("headers: are not valid UTF-8"))?;
    if headers.contains('\0') {
        return Err(invalid(format!("headers: {HOLDS_NUL}")));
    }
    Ok(headers)
}

fn header_pairs(headers: &str) -> impl Iterator<Item = (&str, &str)> {
    headers.split('\n').filter_map(|line| {
        let (name, value) = line.split_once(':')?;
        Some((name.trim(), value.trim_end_matches('\r').trim()))
    })
}

/// Reads a webhook body that came with no signature, for an account whose webhooks are not
/// signed: the event is marked unverified (`cashi_event_is_verified` is false). Anyone can
/// send such a body, so it is a hint, never proof: fulfil only after
/// `cashi_client_confirm_event` (or `cashi_client_confirm`) with the amount stored at
/// create-order time, which takes nothing from an unverified event but its order id. A
/// request that carries a signature goes to `cashi_webhook_verify`, never here: a wrong
/// signature is refused, not read as unsigned. `CASHI_RESULT_WEBHOOK_PAYLOAD` when the body
/// is not a Cashi event; `CASHI_RESULT_INVALID_ARGUMENT` as for `cashi_webhook_verify`.
///
/// Ownership: `body` stays the caller's; the event in `*out_event` is the caller's, freed
/// with `cashi_event_free`. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_webhook_parse_unverified(
    body: *const c_char,
    body_len: usize,
    out_event: *mut *mut cashi_event,
    err: *mut *mut cashi_error,
) -> cashi_result {
    guard(err, || {
        let slot = unsafe { out(out_event, "out_event") }?;
        let body = unsafe { bytes(body, body_len, "body") }?;
        give(slot, cashi_event::new(Webhook::parse_unverified(body)?)?);
        Ok(())
    })
}

fn text_of(
    event: *const cashi_event,
    pick: impl FnOnce(&cashi_event) -> *const c_char,
) -> *const c_char {
    shield(ptr::null(), || {
        unsafe { event.as_ref() }.map_or(ptr::null(), pick)
    })
}

/// Frees an event. NULL is ignored. Undefined: freeing it again, or using it (or a string it
/// owns) after.
///
/// Thread-safety: no other thread may use `event` (or a string it owns) during or after
/// this call.
#[no_mangle]
pub extern "C" fn cashi_event_free(event: *mut cashi_event) {
    shield((), || unsafe { util::free(event) })
}

/// The whole body as JSON text.
/// Re-encoded compactly, keys in the order Cashi sent them: not the bytes Cashi sent (verify signatures
/// on the raw body you received).
///
/// Ownership: owned by the event, valid until `cashi_event_free`. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_event_raw_json(event: *const cashi_event) -> *const c_char {
    text_of(event, |e| {
        e.raw_json
            .get_or_init(|| nul_free(Value::Object(e.event.raw()).to_string()))
            .as_ptr()
    })
}

/// Every field as one JSON object, by the names of `cashi_event_fields` (absent values
/// null, `paid_at_time` as RFC 3339); the whole body is `cashi_event_raw_json`.
///
/// Ownership: owned by the event, valid until `cashi_event_free`. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_event_to_json(event: *const cashi_event) -> *const c_char {
    text_of(event, |e| {
        e.json
            .get_or_init(|| nul_free(cashi::model::to_json(&e.event).to_string()))
            .as_ptr()
    })
}

/// The signature Cashi would send for `body[0..body_len]` under `secret` (lower-case hex
/// HMAC-SHA256), for the merchant's own tests.
///
/// Ownership: the text in `*out_signature` is the caller's, freed with `cashi_string_free`.
/// Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_testing_sign(
    secret: *const c_char,
    body: *const c_char,
    body_len: usize,
    out_signature: *mut *mut c_char,
    err: *mut *mut cashi_error,
) -> cashi_result {
    guard(err, || {
        let slot = unsafe { out(out_signature, "out_signature") }?;
        let secret = unsafe { text(secret, "secret") }?;
        if secret.is_empty() {
            return Err(invalid(
                "secret: is empty; pass the webhook secret to sign with",
            ));
        }
        let body = unsafe { bytes(body, body_len, "body") }?;
        *slot = cstring(&cashi::testing::sign(secret, body)).into_raw();
        Ok(())
    })
}

/// A compact `PAYMENT_SETTLED` webhook body for `order_id` and `amount`, as Cashi sends it,
/// for signing in the merchant's own tests.
///
/// Ownership: the text in `*out_body` is the caller's, freed with `cashi_string_free`.
/// Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_testing_webhook_body(
    order_id: *const c_char,
    amount: i64,
    out_body: *mut *mut c_char,
    err: *mut *mut cashi_error,
) -> cashi_result {
    guard(err, || {
        let slot = unsafe { out(out_body, "out_body") }?;
        let order_id = unsafe { text(order_id, "order_id") }?;
        *slot = cstring(&cashi::testing::webhook_body(order_id, amount)).into_raw();
        Ok(())
    })
}
