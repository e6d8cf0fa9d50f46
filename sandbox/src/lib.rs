//! A local Cashi: the wire contract of `docs/cashi-api.md` (quirks included), real QRIS codes,
//! expiry on a controllable clock, signed webhooks with retries, fault injection and a
//! checkout page. Every binding's tests talk to it over real HTTP.
//!
//! ```no_run
//! # async fn demo() -> Result<(), cashi_sandbox::SandboxError> {
//! let sandbox = cashi_sandbox::start(cashi_sandbox::SandboxConfig::default()).await?;
//! println!("{} {}", sandbox.base_url(), sandbox.api_key());
//! sandbox.shutdown().await;
//! # Ok(()) }
//! ```

mod channels;
pub mod cli;
mod clock;
mod config;
mod delivery;
mod error;
mod faults;
mod limits;
mod lock;
mod order;
mod persistence;
mod qr_png;
pub mod qris;
mod routes;
mod server;
mod state;
mod store;
mod time_fmt;
mod tls;
mod webhooks;

pub use config::{SandboxConfig, DEFAULT_API_KEY, DEFAULT_WEBHOOK_SECRET};
pub use error::SandboxError;
pub use server::{start, RunningSandbox};
