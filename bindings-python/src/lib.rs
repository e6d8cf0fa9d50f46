//! `cashi._cashi`: the native half of the Python SDK.
//!
//! Deliberately thin: argument conversion, error mapping and runtime glue over the `cashi`
//! core. The public API (`cashi.Client`, `cashi.AsyncClient`, the models and exception
//! classes) is the pure-Python package in `python/cashi/`, which calls into this module.
//!
//! * Sync calls run on the core's lazily built, fork-safe runtime with the GIL released,
//!   waking every [`runtime::SIGNAL_CHECK`] to let Ctrl-C interrupt a long wait.
//! * Async calls are spawned on the same runtime; the answer waits in the caller's loop's
//!   [`runtime::LoopInbox`] and the runtime thread wakes the loop without ever taking the GIL. The
//!   loop converts the answers that arrived together to Python objects and completes their
//!   futures.
//! * Results become instances of the `cashi._models` classes, their fields set by name from
//!   the core's schemas ([`models`]).
//! * Errors become instances of the Python exception classes through
//!   `cashi._errors._from_native`, the one place that maps codes to classes.
//!
//! This file only registers the module's contents: [`client`] (the client and its sync and
//! async methods, batches included), [`webhook`] (the verifier), [`models`] (results as
//! Python objects, `RawJson`, `OrderCore`), [`runtime`] (blocking and asyncio plumbing),
//! [`error`] (error mapping), [`args`] (argument conversion), [`events`] (the core's events to
//! the `cashi` logger) and [`testing`] (the helpers of `cashi.testing`).

mod args;
mod client;
mod error;
mod events;
mod models;
mod runtime;
mod testing;
mod webhook;

use pyo3::prelude::*;

use crate::client::NativeClient;
use crate::error::error_codes;
use crate::models::{OrderCore, RawJson};
use crate::runtime::{LoopInbox, Pending};
use crate::testing::{sign, webhook_body};
use crate::webhook::NativeWebhook;

/// The wheel's version (the crate's), sent in the user-agent as `cashi-python/VERSION`.
pub(crate) const VERSION: &str = env!("CARGO_PKG_VERSION");

#[pymodule]
fn _cashi(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", VERSION)?;
    m.add("CORE_VERSION", cashi::VERSION)?;
    m.add("DEFAULT_BASE_URL", cashi::DEFAULT_BASE_URL)?;
    m.add("SIGNATURE_HEADER", cashi::webhook::SIGNATURE_HEADER)?;
    m.add("DEFAULT_WAIT", cashi::DEFAULT_WAIT.as_secs_f64())?;
    m.add("BATCH_IN_FLIGHT", cashi::BATCH_IN_FLIGHT)?;
    m.add("MAX_BATCH_ITEMS", cashi::MAX_BATCH_ITEMS)?;
    m.add_class::<NativeClient>()?;
    m.add_class::<NativeWebhook>()?;
    m.add_class::<Pending>()?;
    m.add_class::<LoopInbox>()?;
    m.add_class::<RawJson>()?;
    m.add_class::<OrderCore>()?;
    m.add_function(wrap_pyfunction!(sign, m)?)?;
    m.add_function(wrap_pyfunction!(webhook_body, m)?)?;
    m.add_function(wrap_pyfunction!(error_codes, m)?)?;
    m.add_function(wrap_pyfunction!(events::set_log_threshold, m)?)?;
    Ok(())
}
