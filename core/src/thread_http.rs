//! The HTTP clients of `runtime::block_on_local`'s per-thread runtime: one per thread and
//! per settings, shared by every `Client` of the thread. Connections opened inside that
//! runtime are only driven inside it, so they never leave the thread; and a PHP-FPM worker,
//! which makes a new client per request, keeps its connections between requests.

use std::cell::RefCell;
use std::collections::HashMap;

use crate::process_local::{self, ProcessLocal};
use crate::transport::{Settings, Transport};

thread_local! {
    static POOLS: RefCell<Option<ProcessLocal<HashMap<Settings, Transport>>>> =
        const { RefCell::new(None) };
}

/// This thread's transport for `settings`, made the first time (and again in a forked
/// child, which must not use its parent's connections).
pub(crate) fn pooled(settings: &Settings) -> Transport {
    POOLS.with(|cell| {
        let mut slot = cell.borrow_mut();
        process_local::current_or_new(&mut slot, HashMap::new)
            .entry(settings.clone())
            .or_insert_with(|| Transport::new(settings))
            .clone()
    })
}
