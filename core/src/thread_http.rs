//! The HTTP clients of `runtime::block_on_local`'s per-thread runtime: one per thread and
//! per settings, shared by every `Client` of the thread. Connections opened inside that
//! runtime are only driven inside it, so they never leave the thread; and a PHP-FPM worker,
//! which makes a new client per request, keeps its connections between requests.

use std::cell::RefCell;

use crate::process_local::{self, ProcessLocal};
use crate::transport::{Settings, Transport};

/// A thread's transports with the settings each was made for. A list, not a map: a thread
/// nearly always has one, and a lookup is one comparison instead of hashing the settings
/// on every call.
type Pools = Vec<(Settings, Transport)>;

thread_local! {
    static POOLS: RefCell<Option<ProcessLocal<Pools>>> = const { RefCell::new(None) };
}

/// This thread's transport for `settings`, made the first time (and again in a forked
/// child, which must not use its parent's connections).
pub(crate) fn pooled(settings: &Settings) -> Transport {
    POOLS.with(|cell| {
        let mut slot = cell.borrow_mut();
        let pools = process_local::current_or_new(&mut slot, Vec::new);
        if let Some((_, transport)) = pools.iter().find(|(made_for, _)| made_for == settings) {
            return transport.clone();
        }
        let transport = Transport::new(settings);
        pools.push((settings.clone(), transport.clone()));
        transport
    })
}
