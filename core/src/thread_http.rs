//! The HTTP clients of `runtime::block_on_local`'s per-thread runtime: one per thread and
//! per settings, shared by every `Client` of the thread. Connections opened inside that
//! runtime are only driven inside it, so they never leave the thread; and a PHP-FPM worker,
//! which makes a new client per request, keeps its connections between requests.

use std::cell::RefCell;
use std::collections::HashMap;
use std::time::Duration;

use crate::error::Result;
use crate::process_local::ProcessLocal;

/// The settings that shape an HTTP client: connect timeout, timeout, user-agent (the API key
/// and base URL go with each request).
pub(crate) type PoolKey = (Duration, Duration, String);

thread_local! {
    static POOLS: RefCell<Option<ProcessLocal<HashMap<PoolKey, reqwest::Client>>>> =
        const { RefCell::new(None) };
}

/// This thread's HTTP client for `key`, made by `build` the first time (and again in a
/// forked child, which must not use its parent's connections).
pub(crate) fn pooled(
    key: PoolKey,
    build: impl FnOnce() -> Result<reqwest::Client>,
) -> Result<reqwest::Client> {
    POOLS.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.as_ref().and_then(ProcessLocal::get).is_none() {
            *slot = Some(ProcessLocal::new(HashMap::new()));
        }
        let pools = slot
            .as_mut()
            .and_then(ProcessLocal::get_mut)
            .expect("set just above");
        if let Some(client) = pools.get(&key) {
            return Ok(client.clone());
        }
        let client = build()?;
        pools.insert(key, client.clone());
        Ok(client)
    })
}
