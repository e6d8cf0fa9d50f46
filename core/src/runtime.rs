//! One lazily built, fork-safe tokio runtime for bindings that call from blocking code
//! (the C ABI, Python's sync client and its asyncio bridge).
//!
//! Nothing starts at load time (PHP preloading, Python import). A process that forks
//! (PHP-FPM, gunicorn, Celery prefork) gets a fresh runtime in the child: the parent's
//! worker threads do not exist there, so its runtime would hang forever.

use std::future::Future;
use std::sync::{Arc, Mutex};

use tokio::runtime::Runtime;

static RUNTIME: Mutex<Option<(u32, Arc<Runtime>)>> = Mutex::new(None);

/// The runtime of this process, built on first use (and again after a fork).
pub fn get() -> Arc<Runtime> {
    let pid = std::process::id();
    let mut slot = RUNTIME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((owner, rt)) = slot.as_ref() {
        if *owner == pid {
            return rt.clone();
        }
    }
    if let Some(inherited) = slot.take() {
        // Shutting the parent's runtime down would wait for threads that are not here.
        std::mem::forget(inherited);
    }
    let rt = Arc::new(
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("cashi-runtime")
            .enable_all()
            .build()
            .expect("building a tokio runtime only fails when threads cannot be spawned"),
    );
    *slot = Some((pid, rt.clone()));
    rt
}

/// Runs a future to completion on this process's runtime, blocking the calling thread.
/// Must not be called from inside a tokio runtime.
pub fn block_on<F: Future>(future: F) -> F::Output {
    get().block_on(future)
}
