//! What every handler and background task shares.

use std::net::SocketAddr;
use std::sync::atomic::AtomicUsize;

use tokio::sync::{watch, Notify};

use crate::clock::Clock;
use crate::config::SandboxConfig;
use crate::faults::Faults;
use crate::lock::Lock;
use crate::store::Store;

pub struct Sandbox {
    /// The start-up configuration (runtime changes live in `store.settings`).
    pub config: SandboxConfig,
    pub api_keys: Vec<String>,
    /// `SandboxConfig::allowed_hosts`, lower case, without trailing dots.
    pub allowed_hosts: Vec<String>,
    pub clock: Clock,
    /// One lock for all orders and deliveries: simple, and it makes unique codes race-free.
    pub store: Lock<Store>,
    pub faults: Faults,
    /// Wakes the webhook ticker when a delivery is queued.
    pub webhook_wake: Notify,
    pub http: reqwest::Client,
    pub addr: SocketAddr,
    /// `http://HOST:PORT` (`https://` with TLS), the origin used in `checkout_url`.
    pub origin: String,
    /// Bumped to close every idle keep-alive connection (`POST
    /// /api/sandbox/close-idle-connections`); each connection watches it.
    pub close_idle: watch::Sender<u64>,
    /// The connections open now, and a wake-up each time one closes.
    pub open_connections: AtomicUsize,
    pub connection_closed: Notify,
}
