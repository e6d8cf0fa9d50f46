//! The core's events, logged through Python's `logging` (logger `cashi`, by
//! `cashi._events._emit`).
//!
//! Every client and verifier gets a core listener. It compares the event's level with the
//! least level the `cashi` logger is enabled for ([`THRESHOLD`], which `cashi._events`
//! refreshes before each call) without the GIL: an event no handler would see is dropped
//! right there, and nothing crosses into Python. One that is wanted is logged
//!
//! * from an `AsyncClient` call (on a runtime thread): through its event loop's inbox, so
//!   the runtime thread never takes the GIL and the record is logged on the loop's thread,
//!   before the call's answer;
//! * otherwise (a blocking call, which runs on the caller's thread with the GIL released,
//!   or a webhook verification, which holds it): on the spot, taking the GIL.

use std::sync::atomic::{AtomicU8, Ordering};

use cashi::events::{Event, Level};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyModule;

use crate::runtime;

/// No level: the `cashi` logger is disabled, or set above WARNING.
const NONE: u8 = u8::MAX;

/// The least of Python's DEBUG (10), INFO (20) and WARNING (30) the `cashi` logger is
/// enabled for, or [`NONE`]. Before `cashi._events` first sets it, nothing is logged.
static THRESHOLD: AtomicU8 = AtomicU8::new(NONE);

/// An event on its way to the `cashi` logger.
pub(crate) struct Record {
    level: u8,
    line: String,
    fields: String,
}

/// `logging`'s number for a level.
fn py_level(level: Level) -> u8 {
    match level {
        Level::Debug => 10,
        Level::Info => 20,
        Level::Warning => 30,
    }
}

/// Sets the least level the `cashi` logger is enabled for (`cashi._events` calls it with the
/// GIL held, before each call); 255 for none.
#[pyfunction]
pub(crate) fn set_log_threshold(level: u8) {
    THRESHOLD.store(level, Ordering::Relaxed);
}

/// The listener every client and verifier is built with.
pub(crate) fn listener() -> impl Fn(&Event<'_>) + Send + Sync + 'static {
    |event: &Event<'_>| {
        let level = py_level(event.level());
        if level < THRESHOLD.load(Ordering::Relaxed) {
            return;
        }
        let record = Record {
            level,
            line: event.to_string(),
            fields: event.to_json().to_string(),
        };
        if let Err(record) = runtime::to_loop(record) {
            Python::attach(|py| emit(py, record));
        }
    }
}

/// Logs `record` through `cashi._events._emit` (looked up on each event the logger wants,
/// so a test may replace it); a failure there is reported as unraisable (Python's own
/// logging reports a failing handler itself).
pub(crate) fn emit(py: Python<'_>, record: Record) {
    static EVENTS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    let emitted = EVENTS
        .get_or_try_init(py, || py.import("cashi._events").map(Bound::unbind))
        .and_then(|module| module.bind(py).getattr(intern!(py, "_emit")))
        .and_then(|emit| emit.call1((record.level, record.line, record.fields)));
    if let Err(err) = emitted {
        err.write_unraisable(py, None);
    }
}
