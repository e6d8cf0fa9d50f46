//! The native half of the `cashi` npm package (napi-rs).
//!
//! This layer is deliberately thin: it turns JavaScript values into the core's types,
//! runs the core's futures on napi's tokio runtime (one worker thread: [`runtime`]), so
//! every network call is a Promise and the event loop never blocks, and turns results into
//! plain objects. The public classes (`Cashi`, `Webhook`, `CashiError`, ...) live in
//! `index.js`, which wraps these functions.
//!
//! Errors cross the boundary as a napi `Error` whose message is [`error::ERROR_MARKER`]
//! followed by a JSON object (`code`, `message`, `status`, mismatch details); `index.js`
//! turns it into a `CashiError`. Nothing here throws a napi `TypeError`: every argument is taken as an
//! unknown JavaScript value and classified, so a wrong type is an `invalid_argument`.
//!
//! Files: [`client`] (the client), [`webhook`] (the verifier and `sign`), [`models`] (results
//! as JavaScript values), [`events`] (the core's events for the emitters), [`runtime`] (the
//! tokio runtime and the cancel token), [`error`] (error mapping) and [`args`] (argument
//! conversion). napi-rs registers every `#[napi]`
//! item wherever it is declared, so this file only names the modules (public where they hold
//! exports).

mod args;
pub mod client;
pub mod error;
pub mod events;
pub mod models;
pub mod runtime;
pub mod webhook;

use napi_derive::napi;

/// The SDK version (this binding and the core ship together).
#[napi]
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}
