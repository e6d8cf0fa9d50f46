//! What the SDK did, for the caller's logs: the core's events (one per HTTP attempt, per
//! finished call and per webhook verification) handed to a C callback, or kept for the
//! caller to take after each call (PHP's FFI, which cannot safely be called back).

use std::collections::VecDeque;
use std::ffi::{c_char, c_void};
use std::ptr;
use std::sync::{Arc, Mutex};

use cashi::events::{Event, Level};
use serde_json::json;

use crate::client::{cashi_client, cashi_client_options};
use crate::ctexts::nul_free;
use crate::error::{cashi_error, cashi_result, guard, invalid, shield};
use crate::webhook::cashi_webhook;

/// How much an event matters, as the core judges it: map it to your logger's levels.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum cashi_log_level {
    /// An HTTP attempt that got its answer.
    Debug = 0,
    /// A finished call, a verified webhook.
    Info = 1,
    /// A failed attempt (retried or not), a failed call, a refused webhook.
    Warning = 2,
}

impl From<Level> for cashi_log_level {
    fn from(level: Level) -> Self {
        match level {
            Level::Debug => cashi_log_level::Debug,
            Level::Info => cashi_log_level::Info,
            Level::Warning => cashi_log_level::Warning,
        }
    }
}

/// Called with each event: its level, its fields as one JSON object (`event_json`, the
/// same shape in every language: `{"type":"attempt"|"call"|"webhook", "method", "path",
/// "order_id", "attempt"/"attempts", "http_status", "elapsed_ms", "error": null |
/// {"code","message"}, "retry_in_ms"}`; a webhook's: `{"type":"webhook", "order_id",
/// "is_test", "error"}`), and one log line (`line`, e.g. `GET /check-status/INV-1
/// order=INV-1: 200 in 3 ms after 1 attempt`). Neither ever holds the API key, a webhook
/// secret or a body.
///
/// Called on the thread making the call (inside `cashi_client_*` or `cashi_webhook_verify*`),
/// before that call returns; several threads using one client call it at once. Both strings
/// live only during the callback: copy what you keep. The callback must return (no
/// longjmp), should be quick (it runs inside the call) and must not call libcashi functions
/// that make requests (a call from inside a call is not supported).
pub type cashi_event_callback = Option<
    unsafe extern "C" fn(
        level: cashi_log_level,
        event_json: *const c_char,
        line: *const c_char,
        user_data: *mut c_void,
    ),
>;

/// The most events a client or verifier keeps for `cashi_*_take_events`; beyond it the
/// oldest go first (a `cashi_client_wait_for_payment` of ten minutes makes about 250).
const KEPT_MAX: usize = 10_000;

/// A callback and its `user_data`, which the caller promises may be used from any thread
/// that makes calls.
#[derive(Clone, Copy)]
struct Callback {
    function: unsafe extern "C" fn(cashi_log_level, *const c_char, *const c_char, *mut c_void),
    user_data: *mut c_void,
}

// SAFETY: the header tells the caller the callback is called from the threads making calls,
// with `user_data` as given; sharing the pointer is the caller's promise.
unsafe impl Send for Callback {}
unsafe impl Sync for Callback {}

/// Events kept for `cashi_*_take_events`, one JSON line each.
#[derive(Default)]
pub(crate) struct Kept {
    lines: Mutex<VecDeque<String>>,
}

impl Kept {
    fn push(&self, line: String) {
        let mut lines = self.lines.lock().unwrap_or_else(|p| p.into_inner());
        if lines.len() == KEPT_MAX {
            lines.pop_front();
        }
        lines.push_back(line);
    }

    /// Every kept event, one JSON object per line, or `None` when there is none.
    fn take(&self) -> Option<String> {
        let lines = std::mem::take(&mut *self.lines.lock().unwrap_or_else(|p| p.into_inner()));
        if lines.is_empty() {
            return None;
        }
        let mut text = String::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
        for line in lines {
            text.push_str(&line);
            text.push('\n');
        }
        Some(text)
    }
}

/// Where a client's or verifier's events go: a callback, the kept list, or both.
#[derive(Clone, Default)]
pub(crate) struct Sink {
    callback: Option<Callback>,
    kept: Option<Arc<Kept>>,
}

impl Sink {
    /// The core listener that feeds this sink, or `None` when it leads nowhere (then the core
    /// measures and builds nothing).
    pub(crate) fn listener(&self) -> Option<impl Fn(&Event<'_>) + Send + Sync + 'static> {
        if self.callback.is_none() && self.kept.is_none() {
            return None;
        }
        let sink = self.clone();
        Some(move |event: &Event<'_>| sink.deliver(event))
    }

    pub(crate) fn kept(&self) -> Option<Arc<Kept>> {
        self.kept.clone()
    }

    /// This sink for one more client made with the options: the same callback, and a kept
    /// list of its own (two clients' events never mix).
    pub(crate) fn for_client(&self) -> Sink {
        Sink {
            callback: self.callback,
            kept: self.kept.as_ref().map(|_| Arc::default()),
        }
    }

    pub(crate) fn kept_ref(&self) -> Option<&Kept> {
        self.kept.as_deref()
    }

    fn deliver(&self, event: &Event<'_>) {
        let level = event.level();
        let fields = event.to_json();
        let line = event.to_string();
        if let Some(kept) = &self.kept {
            kept.push(json!({"level": level.as_str(), "line": line, "event": fields}).to_string());
        }
        if let Some(callback) = self.callback {
            let fields = nul_free(fields.to_string());
            let line = nul_free(line);
            // SAFETY: the caller gave this function for these arguments (see the header).
            unsafe {
                (callback.function)(
                    level.into(),
                    fields.as_ptr(),
                    line.as_ptr(),
                    callback.user_data,
                )
            };
        }
    }

    fn set_callback(&mut self, callback: cashi_event_callback, user_data: *mut c_void) {
        self.callback = callback.map(|function| Callback {
            function,
            user_data,
        });
    }

    fn set_keep(&mut self, keep: bool) {
        self.kept = keep.then(|| self.kept.take().unwrap_or_default());
    }
}

/// The kept events as a `char *` for the caller, or NULL.
fn take_text(kept: Option<&Kept>) -> *mut c_char {
    match kept.and_then(Kept::take) {
        Some(text) => nul_free(text).into_raw(),
        None => ptr::null_mut(),
    }
}

fn with_options(
    options: *mut cashi_client_options,
    err: *mut *mut cashi_error,
    apply: impl FnOnce(&mut Sink),
) -> cashi_result {
    guard(err, || {
        // SAFETY: NULL or a live options object, used by one thread at a time.
        let options = unsafe { options.as_mut() }
            .ok_or_else(|| invalid("options: is NULL; make one with cashi_client_options_new"))?;
        apply(options.events_mut());
        Ok(())
    })
}

fn with_webhook(
    webhook: *mut cashi_webhook,
    err: *mut *mut cashi_error,
    apply: impl FnOnce(&mut Sink),
) -> cashi_result {
    guard(err, || {
        // SAFETY: NULL or a live verifier, used by this thread only during the call.
        let webhook = unsafe { webhook.as_mut() }
            .ok_or_else(|| invalid("webhook: is NULL; make one with cashi_webhook_new"))?;
        webhook.update_events(apply);
        Ok(())
    })
}

/// Has the clients made with these options call `callback` with every event: one per HTTP
/// attempt (`CASHI_LOG_LEVEL_DEBUG` when answered, `CASHI_LOG_LEVEL_WARNING` when it failed,
/// with `retry_in_ms` when another attempt follows) and one per finished call
/// (`CASHI_LOG_LEVEL_INFO`, or `WARNING` when it failed). See `cashi_event_callback` for the
/// thread it runs on and the lifetime of its arguments. NULL `callback` removes it; without
/// one (and without `cashi_client_options_keep_events`) nothing is measured or built.
///
/// Ownership: `user_data` stays the caller's; it must stay valid, and usable from every
/// thread that makes calls, until the last client made with these options is freed.
/// Thread-safety: one thread at a time per options object.
#[no_mangle]
pub extern "C" fn cashi_client_options_set_event_callback(
    options: *mut cashi_client_options,
    callback: cashi_event_callback,
    user_data: *mut c_void,
    err: *mut *mut cashi_error,
) -> cashi_result {
    with_options(options, err, |sink| sink.set_callback(callback, user_data))
}

/// Has the clients made with these options keep their events (the same events as
/// `cashi_client_options_set_event_callback`), for `cashi_client_take_events` to hand over
/// after each call: for callers that cannot be called back during a call (PHP's FFI).
/// `keep` false stops it.
///
/// Thread-safety: one thread at a time per options object.
#[no_mangle]
pub extern "C" fn cashi_client_options_keep_events(
    options: *mut cashi_client_options,
    keep: bool,
    err: *mut *mut cashi_error,
) -> cashi_result {
    with_options(options, err, |sink| sink.set_keep(keep))
}

/// The events the client kept since the last take (see `cashi_client_options_keep_events`),
/// oldest first, one JSON object per line: `{"level":"debug"|"info"|"warning", "line":
/// "<the log line>", "event": {<the event's fields, as cashi_event_callback's event_json>}}`.
/// NULL when there is none, when the client keeps none, or `client` is NULL. At most the
/// newest 10,000 are kept. Events of calls made by several threads at once are mixed.
///
/// Ownership: the text is the caller's, freed with `cashi_string_free`.
/// Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_client_take_events(client: *const cashi_client) -> *mut c_char {
    shield(ptr::null_mut(), || {
        let kept = unsafe { client.as_ref() }.and_then(cashi_client::kept_events);
        take_text(kept)
    })
}

/// Has the verifier call `callback` after every verification, accepted
/// (`CASHI_LOG_LEVEL_INFO`) or refused (`CASHI_LOG_LEVEL_WARNING`, e.g. a bad signature), with
/// `event_json` `{"type":"webhook","order_id","is_test","error"}`: on the thread calling
/// `cashi_webhook_verify*`, as `cashi_event_callback` says. NULL `callback` removes it.
///
/// Ownership: `user_data` stays the caller's, valid until `cashi_webhook_free`.
/// Thread-safety: no other thread may use `webhook` during this call (as
/// `cashi_webhook_add_secret`).
#[no_mangle]
pub extern "C" fn cashi_webhook_set_event_callback(
    webhook: *mut cashi_webhook,
    callback: cashi_event_callback,
    user_data: *mut c_void,
    err: *mut *mut cashi_error,
) -> cashi_result {
    with_webhook(webhook, err, |sink| sink.set_callback(callback, user_data))
}

/// Has the verifier keep its events for `cashi_webhook_take_events` (PHP's FFI); `keep`
/// false stops it.
///
/// Thread-safety: no other thread may use `webhook` during this call.
#[no_mangle]
pub extern "C" fn cashi_webhook_keep_events(
    webhook: *mut cashi_webhook,
    keep: bool,
    err: *mut *mut cashi_error,
) -> cashi_result {
    with_webhook(webhook, err, |sink| sink.set_keep(keep))
}

/// The verifier's kept events since the last take, as `cashi_client_take_events` gives a
/// client's. NULL when there is none.
///
/// Ownership: the text is the caller's, freed with `cashi_string_free`.
/// Thread-safety: any thread.
#[no_mangle]
pub extern "C" fn cashi_webhook_take_events(webhook: *const cashi_webhook) -> *mut c_char {
    shield(ptr::null_mut(), || {
        let kept = unsafe { webhook.as_ref() }.and_then(cashi_webhook::kept_events);
        take_text(kept)
    })
}

#[cfg(test)]
mod tests {
    use std::ffi::CStr;
    use std::time::Duration;

    use cashi::events::Call;

    use super::*;

    unsafe extern "C" fn count(
        level: cashi_log_level,
        json: *const c_char,
        line: *const c_char,
        user_data: *mut c_void,
    ) {
        let seen = &mut *user_data.cast::<Vec<(cashi_log_level, String, String)>>();
        let text = |p| CStr::from_ptr(p).to_str().unwrap().to_string();
        seen.push((level, text(json), text(line)));
    }

    fn call(status: u16) -> Event<'static> {
        Event::Call(Call {
            method: "GET",
            path: "/check-status/A",
            order_id: Some("A"),
            attempts: 1,
            http_status: Some(status),
            elapsed: Duration::from_millis(2),
            error: None,
        })
    }

    #[test]
    fn a_sink_calls_back_and_keeps_at_most_the_newest() {
        let mut seen: Vec<(cashi_log_level, String, String)> = Vec::new();
        let mut sink = Sink::default();
        assert!(sink.listener().is_none(), "nothing to feed: no listener");
        sink.set_callback(Some(count), (&mut seen as *mut Vec<_>).cast());
        sink.set_keep(true);
        let listen = sink.listener().unwrap();
        for _ in 0..KEPT_MAX + 1 {
            listen(&call(200));
        }
        assert_eq!(seen.len(), KEPT_MAX + 1);
        assert_eq!(seen[0].0, cashi_log_level::Info);
        assert!(seen[0].1.contains(r#""http_status":200"#), "{}", seen[0].1);
        assert_eq!(
            seen[0].2,
            "GET /check-status/A order=A: 200 in 2 ms after 1 attempt"
        );
        let kept = sink.kept().unwrap().take().unwrap();
        assert_eq!(kept.lines().count(), KEPT_MAX);
        let first: serde_json::Value = serde_json::from_str(kept.lines().next().unwrap()).unwrap();
        assert_eq!(first["level"], "info");
        assert_eq!(first["event"]["type"], "call");
        assert!(sink.kept().unwrap().take().is_none(), "taken once");
        sink.set_keep(false);
        sink.set_callback(None, ptr::null_mut());
        assert!(sink.listener().is_none());
    }
}
