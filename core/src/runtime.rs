//! Tokio runtimes for bindings that call from blocking code: one lazily built, fork-safe
//! runtime with one worker thread for the async bridges (Python's asyncio), and a
//! current-thread runtime per calling thread for blocking calls (the C ABI, Python's sync
//! client), so a blocking call does its I/O on the caller's own thread with no hand-off to
//! a worker (measured in bench/FINDINGS.md: about twice the calls per second from PHP).
//!
//! Nothing starts at load time (PHP preloading, Python import). A process that forks
//! (PHP-FPM, gunicorn, Celery prefork) gets a fresh runtime in the child: the parent's
//! worker threads do not exist there, so its runtime would hang forever.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::runtime::Runtime;

use crate::process_local::{self, PerProcess, ProcessLocal};

/// A runtime inherited through fork() is leaked, not shut down (see `PerProcess`).
static RUNTIME: PerProcess<Option<Arc<Runtime>>> = PerProcess::new();

/// The shared runtime of this process, built on first use (and again after a fork).
pub fn get() -> Arc<Runtime> {
    let mut slot = RUNTIME.lock();
    let rt = slot.get_or_insert_with(|| {
        Arc::new(
            // One worker: a call's task and hyper's connection task share it, so an answer
            // wakes one thread rather than two. That makes Python's AsyncClient faster one
            // call at a time and costs nothing at 64 in flight (bench/FINDINGS.md §3).
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .thread_name("cashi-runtime")
                .enable_all()
                .build()
                .expect("building a tokio runtime only fails when threads cannot be spawned"),
        )
    });
    rt.clone()
}

thread_local! {
    static LOCAL: RefCell<Option<ProcessLocal<Runtime>>> = const { RefCell::new(None) };
    /// Whether this thread is inside `block_on_local` now (the per-thread connection pool
    /// belongs to that runtime alone; see `Client`).
    static IN_LOCAL: Cell<bool> = const { Cell::new(false) };
    /// When this thread's last `block_on_local` call ended.
    static LAST_CALL_END: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// How long a thread's runtime may sit unused before a call first lets it read what
/// arrived meanwhile. Servers close keep-alive connections left idle (after a keep-alive
/// timeout of seconds to minutes, or when they restart); nothing runs between two calls,
/// so the pooled connection's task has not yet seen the close, and the call would be
/// written to the closed connection and fail (a create-order, which may then have been
/// sent, is not retried). One turn of the runtime first lets that task see it and leave
/// the pool. The turn costs two system calls and a wake-up: nothing beside a gap of a
/// millisecond or more, but a visible share of a call made straight after another over
/// loopback, which skips it (a close in that millisecond is the race every HTTP client
/// has; bench/FINDINGS.md §2).
const IDLE_BEFORE_CHECKING_CONNECTIONS: Duration = Duration::from_millis(1);

/// Whether the calling thread is running a future through [`block_on_local`].
pub(crate) fn in_block_on_local() -> bool {
    IN_LOCAL.with(Cell::get)
}

/// Marks the thread as inside `block_on_local` until dropped (also on a panic).
struct InLocal(bool);

impl InLocal {
    fn enter() -> InLocal {
        InLocal(IN_LOCAL.with(|flag| flag.replace(true)))
    }
}

impl Drop for InLocal {
    fn drop(&mut self) {
        IN_LOCAL.with(|flag| flag.set(self.0));
    }
}

/// Runs a future to completion on the calling thread's own current-thread runtime (built on
/// first use, and again after a fork). Nothing runs between calls: use it for
/// self-contained calls such as one API request; the client then keeps a connection pool
/// per thread (see `Client`). Must not be called from inside a tokio runtime.
pub fn block_on_local<F: Future>(future: F) -> F::Output {
    LOCAL.with(|cell| {
        let mut slot = cell.borrow_mut();
        let rt = process_local::current_or_new(&mut slot, || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("building a tokio runtime only fails when the OS refuses resources")
        });
        let _inside = InLocal::enter();
        let idle = LAST_CALL_END.with(|end| {
            end.get()
                .is_some_and(|end| end.elapsed() >= IDLE_BEFORE_CHECKING_CONNECTIONS)
        });
        // Two paths, not one `if` inside an async block: wrapping the call's future would
        // move the whole future, which is large, once more on every call.
        let output = if idle {
            rt.block_on(async {
                // Woken only after the runtime has polled its I/O driver: a connection the
                // server closed is seen, and dropped from the pool, before the call picks one.
                tokio::task::yield_now().await;
                future.await
            })
        } else {
            rt.block_on(future)
        };
        LAST_CALL_END.with(|end| end.set(Some(Instant::now())));
        output
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A real fork while another thread of the parent holds the shared runtime's lock (as
    /// when it makes a call at that moment): the child builds a runtime of its own and runs
    /// on it.
    #[cfg(unix)]
    #[test]
    fn a_forked_child_builds_its_own_runtime_without_taking_its_parents_lock() {
        let parents = get();
        let held = RUNTIME.lock();
        let child_held = crate::process_local::holds_in_forked_child(|| {
            let own = get();
            !Arc::ptr_eq(&own, &parents) && own.block_on(async { 40 + 2 }) == 42
        });
        drop(held);
        assert!(
            child_held,
            "the child waited for its parent's lock, or used its runtime"
        );
        assert!(
            Arc::ptr_eq(&get(), &parents),
            "the parent keeps its runtime"
        );
    }
}
