//! The client: options, creation, and the four API calls.

use std::ffi::{c_char, CStr, CString};
use std::path::PathBuf;
use std::ptr;
use std::sync::Arc;
use std::time::Duration;

use cashi::{validate, Client, ClientBuilder, CreateOrder};
use zeroize::Zeroizing;

use crate::ctexts::cstring;
use crate::error::{cashi_error, cashi_result, guard, invalid, shield};
use crate::events::{Kept, Sink};
use crate::order::cashi_order;
use crate::status::cashi_status;
use crate::util::{self, give, handle, opt_text, out, text};
use crate::webhook::cashi_event;

/// Settings for `cashi_client_new`, filled in with the `cashi_client_options_set_*`
/// functions. Anything not set takes the default: the API key from `CASHI_API_KEY`, the
/// base URL from `CASHI_BASE_URL` or `https://cashi.id/api`, the CA bundle from
/// `CASHI_CA_BUNDLE` or `SSL_CERT_FILE` (else the built-in roots alone), connect timeout
/// 10 s, timeout 30 s, 2 retries, backoff 0.5 s doubling up to 5 s. Every duration follows the
/// one rule of the SDK: more than zero, at most a day (86400000 ms).
#[derive(Default)]
pub struct cashi_client_options {
    /// Wiped when replaced or freed.
    api_key: Option<Zeroizing<String>>,
    base_url: Option<String>,
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    max_retries: Option<u32>,
    backoff: Option<(Duration, Duration)>,
    binding: Option<(String, String)>,
    ca_bundle: Option<PathBuf>,
    /// Where events go (`cashi_client_options_set_event_callback`, `_keep_events`).
    events: Sink,
}

impl cashi_client_options {
    pub(crate) fn events_mut(&mut self) -> &mut Sink {
        &mut self.events
    }
}

/// A Cashi API client. Pools its connections; survives `fork()` (the child opens its own).
pub struct cashi_client {
    client: Client,
    base_url: CString,
    user_agent: CString,
    /// The events kept for `cashi_client_take_events`, when the options asked for it.
    kept: Option<Arc<Kept>>,
}

/// Makes an empty options object (never NULL unless out of memory).
///
/// Ownership: the caller frees it with `cashi_client_options_free`; `cashi_client_new`
/// does not take it over. Thread-safety: use it from one thread at a time.
#[no_mangle]
pub extern "C" fn cashi_client_options_new() -> *mut cashi_client_options {
    shield(ptr::null_mut(), || {
        Box::into_raw(Box::<cashi_client_options>::default())
    })
}

/// Frees an options object. NULL is ignored. Undefined: freeing it again, or using it after.
///
/// Thread-safety: no other thread may use `options` during or after this call.
#[no_mangle]
pub extern "C" fn cashi_client_options_free(options: *mut cashi_client_options) {
    shield((), || unsafe { util::free(options) })
}

fn set_option(
    options: *mut cashi_client_options,
    err: *mut *mut cashi_error,
    apply: impl FnOnce(&mut cashi_client_options) -> Result<(), cashi::Error>,
) -> cashi_result {
    guard(err, || {
        // SAFETY: NULL or a live options object, used by one thread at a time.
        let options = unsafe { options.as_mut() }
            .ok_or_else(|| invalid("options: is NULL; make one with cashi_client_options_new"))?;
        apply(options)
    })
}

/// Sets the API key (sent as `x-api-key`; never shown in messages).
///
/// `api_key` is copied; libcashi wipes its copies when they are freed. Thread-safety: one thread at a time per options object.
#[no_mangle]
pub extern "C" fn cashi_client_options_set_api_key(
    options: *mut cashi_client_options,
    api_key: *const c_char,
    err: *mut *mut cashi_error,
) -> cashi_result {
    set_option(options, err, |o| {
        o.api_key = Some(Zeroizing::new(unsafe { text(api_key, "api_key") }?.into()));
        Ok(())
    })
}

/// Sets the base URL, e.g. `https://cashi.id/api` or a local sandbox's
/// `http://127.0.0.1:PORT/api` (plain http only to loopback hosts).
///
/// `base_url` is copied. Thread-safety: one thread at a time per options object.
#[no_mangle]
pub extern "C" fn cashi_client_options_set_base_url(
    options: *mut cashi_client_options,
    base_url: *const c_char,
    err: *mut *mut cashi_error,
) -> cashi_result {
    set_option(options, err, |o| {
        o.base_url = Some(unsafe { text(base_url, "base_url") }?.to_string());
        Ok(())
    })
}

/// Sets a PEM file of CA certificates to trust besides the Mozilla roots libcashi carries:
/// a TLS-inspecting proxy's CA, a private CA, or `cashi sandbox --tls`'s. Unset,
/// `CASHI_CA_BUNDLE`, else `SSL_CERT_FILE`, names it. The file is read by
/// `cashi_client_new`, which fails with `invalid_argument` naming the path when it is
/// missing, unreadable, or holds no usable certificate; it is read once per process (again
/// if it changes), not per client.
///
/// `path` is copied (any bytes but NUL on Unix; UTF-8 elsewhere). Thread-safety: one thread
/// at a time per options object.
#[no_mangle]
pub extern "C" fn cashi_client_options_set_ca_bundle(
    options: *mut cashi_client_options,
    path: *const c_char,
    err: *mut *mut cashi_error,
) -> cashi_result {
    set_option(options, err, |o| {
        if path.is_null() {
            return Err(invalid("ca_bundle: is NULL; pass the path of a PEM file"));
        }
        // SAFETY: a NUL-terminated string, per the function's contract.
        let bytes = unsafe { CStr::from_ptr(path) };
        #[cfg(unix)]
        let path = {
            use std::os::unix::ffi::OsStrExt;
            PathBuf::from(std::ffi::OsStr::from_bytes(bytes.to_bytes()))
        };
        #[cfg(not(unix))]
        let path = PathBuf::from(
            bytes
                .to_str()
                .map_err(|_| invalid("ca_bundle: is not valid UTF-8"))?,
        );
        o.ca_bundle = Some(path);
        Ok(())
    })
}

/// Sets the time allowed to open a connection, in milliseconds (more than 0, at most a
/// day); a value out of range is refused here and leaves the option as it was.
///
/// Thread-safety: one thread at a time per options object.
#[no_mangle]
pub extern "C" fn cashi_client_options_set_connect_timeout_ms(
    options: *mut cashi_client_options,
    milliseconds: u64,
    err: *mut *mut cashi_error,
) -> cashi_result {
    set_option(options, err, |o| {
        o.connect_timeout = Some(validate::milliseconds("connect_timeout_ms", milliseconds)?);
        Ok(())
    })
}

/// Sets the time allowed for a whole request, answer included, in milliseconds (more than
/// 0, at most a day); a value out of range is refused here and leaves the option as it was.
///
/// Thread-safety: one thread at a time per options object.
#[no_mangle]
pub extern "C" fn cashi_client_options_set_timeout_ms(
    options: *mut cashi_client_options,
    milliseconds: u64,
    err: *mut *mut cashi_error,
) -> cashi_result {
    set_option(options, err, |o| {
        o.timeout = Some(validate::milliseconds("timeout_ms", milliseconds)?);
        Ok(())
    })
}

/// Sets how many times a failed request may be repeated (0 to 10).
///
/// Thread-safety: one thread at a time per options object.
#[no_mangle]
pub extern "C" fn cashi_client_options_set_max_retries(
    options: *mut cashi_client_options,
    max_retries: u32,
    err: *mut *mut cashi_error,
) -> cashi_result {
    set_option(options, err, |o| {
        o.max_retries = Some(max_retries);
        Ok(())
    })
}

/// Sets the first pause between retries and its cap, in milliseconds (each more than 0,
/// at most a day); a value out of range is refused here and leaves the option as it was.
///
/// Thread-safety: one thread at a time per options object.
#[no_mangle]
pub extern "C" fn cashi_client_options_set_retry_backoff_ms(
    options: *mut cashi_client_options,
    base_milliseconds: u64,
    cap_milliseconds: u64,
    err: *mut *mut cashi_error,
) -> cashi_result {
    set_option(options, err, |o| {
        o.backoff = Some((
            validate::milliseconds("retry_backoff base_milliseconds", base_milliseconds)?,
            validate::milliseconds("retry_backoff cap_milliseconds", cap_milliseconds)?,
        ));
        Ok(())
    })
}

/// Names the program or language binding in the user-agent (default `cashi-c`), e.g.
/// `("cashi-php", "0.1.0")`. Both texts are copied.
///
/// Thread-safety: one thread at a time per options object.
#[no_mangle]
pub extern "C" fn cashi_client_options_set_binding(
    options: *mut cashi_client_options,
    name: *const c_char,
    version: *const c_char,
    err: *mut *mut cashi_error,
) -> cashi_result {
    set_option(options, err, |o| {
        let name = unsafe { text(name, "binding name") }?;
        let version = unsafe { text(version, "binding version") }?;
        if name.is_empty() || name.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid(
                "binding name: must be a non-empty word without spaces, e.g. cashi-php",
            ));
        }
        if version.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid("binding version: must not contain spaces"));
        }
        o.binding = Some((name.to_string(), version.to_string()));
        Ok(())
    })
}

/// Makes a client. `options` may be NULL (everything from the environment and defaults).
/// On success `*out` holds the client; on failure `*out` is NULL and `*err` says why
/// (`invalid_argument` for a missing or malformed key, base URL, timeout or retry count).
///
/// Ownership: `options` stays the caller's; the client is the caller's, freed with
/// `cashi_client_free`. Thread-safety: the client may be shared by any number of threads.
#[no_mangle]
pub extern "C" fn cashi_client_new(
    options: *const cashi_client_options,
    out_client: *mut *mut cashi_client,
    err: *mut *mut cashi_error,
) -> cashi_result {
    guard(err, || {
        let slot = unsafe { out(out_client, "out_client") }?;
        let defaults = cashi_client_options::default();
        let o = unsafe { options.as_ref() }.unwrap_or(&defaults);
        let mut builder = ClientBuilder::default();
        if let Some(key) = &o.api_key {
            builder = builder.api_key(key.as_str());
        }
        if let Some(url) = &o.base_url {
            builder = builder.base_url(url);
        }
        if let Some(t) = o.connect_timeout {
            builder = builder.connect_timeout(t);
        }
        if let Some(t) = o.timeout {
            builder = builder.timeout(t);
        }
        if let Some(n) = o.max_retries {
            builder = builder.max_retries(n);
        }
        if let Some((base, cap)) = o.backoff {
            builder = builder.retry_backoff(base, cap);
        }
        if let Some(path) = &o.ca_bundle {
            builder = builder.ca_bundle(path);
        }
        builder = match &o.binding {
            Some((name, version)) => builder.binding(name, version),
            None => builder.binding("cashi-c", crate::VERSION),
        };
        let events = o.events.for_client();
        if let Some(listener) = events.listener() {
            builder = builder.on_event(listener);
        }
        let client = builder.build()?;
        give(
            slot,
            cashi_client {
                base_url: cstring(client.base_url()),
                user_agent: cstring(client.user_agent()),
                kept: events.kept(),
                client,
            },
        );
        Ok(())
    })
}

/// Frees a client. NULL is ignored. In a forked child, a client made by the parent is
/// released without tearing down the parent's connection pool (its locks and I/O belong to
/// threads the child does not have; the core leaves it alone). Undefined: freeing it again,
/// or using it (or a string it owns) after.
///
/// Thread-safety: call it once, after every other thread is done with the client.
#[no_mangle]
pub extern "C" fn cashi_client_free(client: *mut cashi_client) {
    shield((), || {
        if client.is_null() {
            return;
        }
        // SAFETY: `client` came from `cashi_client_new` and is freed once.
        drop(unsafe { Box::from_raw(client) });
    })
}

impl cashi_client {
    pub(crate) fn client(&self) -> &Client {
        &self.client
    }

    pub(crate) fn kept_events(&self) -> Option<&Kept> {
        self.kept.as_deref()
    }
}

/// The client's base URL, without a trailing slash. NULL when `client` is NULL.
///
/// Ownership: owned by the client, valid until `cashi_client_free`. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_client_base_url(client: *const cashi_client) -> *const c_char {
    shield(ptr::null(), || {
        unsafe { client.as_ref() }.map_or(ptr::null(), |c| c.base_url.as_ptr())
    })
}

/// The user-agent the client sends, e.g. `cashi-c/0.1.0 cashi-rust/0.1.0`.
/// NULL when `client` is NULL.
///
/// Ownership: owned by the client, valid until `cashi_client_free`. Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_client_user_agent(client: *const cashi_client) -> *const c_char {
    shield(ptr::null(), || {
        unsafe { client.as_ref() }.map_or(ptr::null(), |c| c.user_agent.as_ptr())
    })
}

/// Creates an order (blocking; retried only where no second order can result).
/// `amount` is whole rupiah before Cashi's unique code; `order_id` (recommended) and
/// `channel` (`BCA`, `ALFAMART`, `QRIS_CUSTOM`, ...; NULL = standard QRIS) may be NULL.
/// Store the order's amount (`cashi_order_amount`): it is what the customer pays and what
/// the webhook carries. To send fields the SDK does not model, see
/// `cashi_client_create_order_extra`.
///
/// Ownership: the order in `*out_order` is the caller's, freed with `cashi_order_free`.
/// Thread-safety: any number of threads may call this on one client at once.
#[no_mangle]
pub extern "C" fn cashi_client_create_order(
    client: *const cashi_client,
    amount: i64,
    order_id: *const c_char,
    channel: *const c_char,
    out_order: *mut *mut cashi_order,
    err: *mut *mut cashi_error,
) -> cashi_result {
    cashi_client_create_order_extra(
        client,
        amount,
        order_id,
        channel,
        ptr::null(),
        out_order,
        err,
    )
}

/// `cashi_client_create_order` with fields the SDK does not model (a per-order
/// `callback_url`, customer details), sent in the request body as given. `extra_json` is
/// UTF-8 JSON text of an object, e.g. `{"callback_url":"https://shop.example/cashi"}`, or
/// NULL for none. `CASHI_INVALID_ARGUMENT` when it is not a JSON object, holds a key the SDK
/// sets itself (`amount`, `order_id`, `kode_channel`, `QRIS_CUSTOM`) or is more than 16 KiB
/// as compact JSON; nothing is sent then. The answer's fields the SDK does not model are in
/// `cashi_order_raw_json`.
///
/// Ownership: the order in `*out_order` is the caller's, freed with `cashi_order_free`.
/// `extra_json` is only read during the call.
/// Thread-safety: any number of threads may call this on one client at once.
#[no_mangle]
pub extern "C" fn cashi_client_create_order_extra(
    client: *const cashi_client,
    amount: i64,
    order_id: *const c_char,
    channel: *const c_char,
    extra_json: *const c_char,
    out_order: *mut *mut cashi_order,
    err: *mut *mut cashi_error,
) -> cashi_result {
    guard(err, || {
        let slot = unsafe { out(out_order, "out_order") }?;
        let client = unsafe { handle(client, "client") }?;
        let mut request = CreateOrder::new(amount);
        if let Some(id) = unsafe { opt_text(order_id, "order_id") }? {
            request = request.order_id(id);
        }
        if let Some(code) = unsafe { opt_text(channel, "channel") }? {
            request = request.channel(code);
        }
        if let Some(text) = unsafe { opt_text(extra_json, "extra_json") }? {
            request = request.extra_text(text)?;
        }
        let order = cashi::runtime::block_on_local(client.client.create_order(&request))?;
        give(slot, cashi_order::new(order)?);
        Ok(())
    })
}

/// Reads an order's payment status (blocking; retried on transient failures).
///
/// Ownership: the status in `*out_status` is the caller's, freed with `cashi_status_free`.
/// Thread-safety: any number of threads may call this on one client at once.
#[no_mangle]
pub extern "C" fn cashi_client_check_status(
    client: *const cashi_client,
    order_id: *const c_char,
    out_status: *mut *mut cashi_status,
    err: *mut *mut cashi_error,
) -> cashi_result {
    guard(err, || {
        let slot = unsafe { out(out_status, "out_status") }?;
        let client = unsafe { handle(client, "client") }?;
        let order_id = unsafe { text(order_id, "order_id") }?;
        let status = cashi::runtime::block_on_local(client.client.check_status(order_id))?;
        give(slot, cashi_status::new(status)?);
        Ok(())
    })
}

/// Polls the status (1 s apart at first, up to 5 s) until the order is SETTLED or EXPIRED
/// (returned as a status, check `cashi_status_is_settled`), or `timeout_ms` passes
/// (`CASHI_RESULT_TIMEOUT`). A `timeout_ms` of 0 waits the SDK's default, 10 minutes; any
/// other follows the one rule for durations (at most a day). An answer about another order ends it with
/// `CASHI_RESULT_PAYMENT_MISMATCH`; an unknown or oddly cased status word (`settled`,
/// `PAID`) does not end it. Blocks the calling thread meanwhile.
///
/// Ownership: the status in `*out_status` is the caller's, freed with `cashi_status_free`.
/// Thread-safety: any number of threads may call this on one client at once.
#[no_mangle]
pub extern "C" fn cashi_client_wait_for_payment(
    client: *const cashi_client,
    order_id: *const c_char,
    timeout_ms: u64,
    out_status: *mut *mut cashi_status,
    err: *mut *mut cashi_error,
) -> cashi_result {
    guard(err, || {
        let slot = unsafe { out(out_status, "out_status") }?;
        let client = unsafe { handle(client, "client") }?;
        let order_id = unsafe { text(order_id, "order_id") }?;
        let timeout = match timeout_ms {
            0 => cashi::DEFAULT_WAIT,
            ms => validate::milliseconds("timeout_ms", ms)?,
        };
        let status =
            cashi::runtime::block_on_local(client.client.wait_for_payment(order_id, timeout))?;
        give(slot, cashi_status::new(status)?);
        Ok(())
    })
}

/// Re-reads the status from Cashi and succeeds only when the answer is about this order,
/// says SETTLED (exactly that word) and carries exactly `expected_amount` (the amount
/// stored at create-order time); otherwise `CASHI_RESULT_PAYMENT_MISMATCH` (details in
/// `cashi_error_to_json`). A SETTLED answer without an amount is a mismatch here too: use
/// `cashi_client_confirm_event` with the verified webhook. Call it before fulfilling, even
/// after a verified webhook, and fulfil once per order id: a captured webhook can be
/// replayed, and confirm still passes. `out_status` may be NULL when the status is not
/// wanted.
///
/// Ownership: the status in `*out_status` is the caller's, freed with `cashi_status_free`.
/// Thread-safety: any number of threads may call this on one client at once.
#[no_mangle]
pub extern "C" fn cashi_client_confirm(
    client: *const cashi_client,
    order_id: *const c_char,
    expected_amount: i64,
    out_status: *mut *mut cashi_status,
    err: *mut *mut cashi_error,
) -> cashi_result {
    guard(err, || {
        let client = unsafe { handle(client, "client") }?;
        let order_id = unsafe { text(order_id, "order_id") }?;
        confirm(client, order_id, expected_amount, out_status)
    })
}

/// `cashi_client_confirm` for the order a webhook event names. When Cashi's answer says
/// SETTLED but carries no amount, a verified event's signed amount is relied on instead (it
/// must be exactly `expected_amount` and the event a settlement), and the status says so:
/// `cashi_status_amount_from_webhook` is true. An unverified event
/// (`cashi_webhook_parse_unverified`) lends only its order id: such an answer is then a
/// mismatch.
///
/// Ownership: `event` stays the caller's; the status in `*out_status` (may be NULL) is the
/// caller's, freed with `cashi_status_free`. Thread-safety: as `cashi_client_confirm`.
#[no_mangle]
pub extern "C" fn cashi_client_confirm_event(
    client: *const cashi_client,
    event: *const cashi_event,
    expected_amount: i64,
    out_status: *mut *mut cashi_status,
    err: *mut *mut cashi_error,
) -> cashi_result {
    guard(err, || {
        let client = unsafe { handle(client, "client") }?;
        let event = unsafe { handle(event, "event") }?;
        confirm(client, event.event(), expected_amount, out_status)
    })
}

fn confirm(
    client: &cashi_client,
    order: &(impl cashi::OrderRef + ?Sized),
    expected_amount: i64,
    out_status: *mut *mut cashi_status,
) -> Result<(), cashi::Error> {
    let slot = if out_status.is_null() {
        None
    } else {
        Some(unsafe { out(out_status, "out_status") }?)
    };
    let status = cashi::runtime::block_on_local(client.client.confirm(order, expected_amount))?;
    if let Some(slot) = slot {
        give(slot, cashi_status::new(status)?);
    }
    Ok(())
}
