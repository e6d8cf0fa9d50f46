//! The core's events for `index.js`, which emits them on the client (`'request'`,
//! `'response'`, `'retry'`) and the webhook verifier (`'verification'`), and prints them
//! for `NODE_DEBUG=cashi`.
//!
//! Every client and verifier gets a core listener that does nothing until `index.js` says
//! someone listens: then a client's events go to the JavaScript thread through a weak,
//! non-blocking threadsafe function (they happen on the runtime's thread), and a verifier's
//! event (it happens on the JavaScript thread, inside `verify`) waits for `index.js` to take
//! it as `verify` returns.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use cashi::events::Event;
use napi::bindgen_prelude::*;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;

use crate::client::NativeClient;
use crate::webhook::Verifier;

/// One event: its level (`debug`, `info`, `warning`), the core's log line, and its fields as
/// the core's JSON text (`index.js` turns the keys into camelCase).
#[napi(object)]
pub struct EventRecord {
    pub level: String,
    pub line: String,
    pub fields: String,
}

impl EventRecord {
    fn of(event: &Event<'_>) -> Self {
        EventRecord {
            level: event.level().as_str().to_string(),
            line: event.to_string(),
            fields: event.to_json().to_string(),
        }
    }
}

/// `(record) => void`, called on the JavaScript thread; weak: it does not keep Node alive.
type EventCallback = ThreadsafeFunction<EventRecord, (), EventRecord, Status, false, true>;

/// Where a client's events go: nowhere, or to a JavaScript function.
#[derive(Default)]
pub(crate) struct ClientEvents {
    /// Whether `callback` is set: read on every event without taking the lock.
    on: AtomicBool,
    callback: RwLock<Option<EventCallback>>,
}

impl ClientEvents {
    /// The core listener feeding these.
    pub(crate) fn listener(self: &Arc<Self>) -> impl Fn(&Event<'_>) + Send + Sync + 'static {
        let events = Arc::clone(self);
        move |event: &Event<'_>| {
            if !events.on.load(Ordering::Relaxed) {
                return;
            }
            let callback = events.callback.read().unwrap_or_else(|p| p.into_inner());
            if let Some(callback) = callback.as_ref() {
                callback.call(
                    EventRecord::of(event),
                    ThreadsafeFunctionCallMode::NonBlocking,
                );
            }
        }
    }

    fn set(&self, callback: Option<EventCallback>) {
        let mut slot = self.callback.write().unwrap_or_else(|p| p.into_inner());
        self.on.store(callback.is_some(), Ordering::Relaxed);
        *slot = callback;
    }
}

#[napi]
impl NativeClient {
    /// Sends every event of this client's calls to `listener` (on the JavaScript thread,
    /// soon after it happens); `null` stops it.
    #[napi(catch_unwind)]
    pub fn set_event_listener(
        &self,
        #[napi(ts_arg_type = "((record: EventRecord) => void) | null")] listener: Option<
            EventCallback,
        >,
    ) {
        self.events().set(listener);
    }
}

/// The last verification of a verifier, while `index.js` wants it.
#[derive(Default)]
pub(crate) struct WebhookEvents {
    on: AtomicBool,
    last: Mutex<Option<EventRecord>>,
}

impl WebhookEvents {
    pub(crate) fn listener(self: &Arc<Self>) -> impl Fn(&Event<'_>) + Send + Sync + 'static {
        let events = Arc::clone(self);
        move |event: &Event<'_>| {
            if events.on.load(Ordering::Relaxed) {
                *events.last.lock().unwrap_or_else(|p| p.into_inner()) =
                    Some(EventRecord::of(event));
            }
        }
    }
}

/// Whether a verifier's verifications are kept for `webhookTakeEvent`.
#[napi(catch_unwind)]
pub fn webhook_keep_events(
    #[napi(ts_arg_type = "ExternalObject<'Webhook'>")] webhook: &External<Verifier>,
    on: bool,
) {
    let events = &webhook.events;
    events.on.store(on, Ordering::Relaxed);
    if !on {
        events.last.lock().unwrap_or_else(|p| p.into_inner()).take();
    }
}

/// A verifier's last verification event (once), or `null`.
#[napi(catch_unwind)]
pub fn webhook_take_event(
    #[napi(ts_arg_type = "ExternalObject<'Webhook'>")] webhook: &External<Verifier>,
) -> Option<EventRecord> {
    webhook
        .events
        .last
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .take()
}
