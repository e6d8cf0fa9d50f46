//! Values that belong to the process that made them.
//!
//! After `fork()` a child inherits copies of the parent's runtimes and connection pools,
//! but not the threads that drive them; their sockets and epoll registrations are shared
//! with the parent. Dropping such a copy in the child could wait forever on a lock held by
//! a thread that does not exist there, or deregister the parent's sockets from the epoll
//! instance both processes share (which stalls the parent). So a child leaks them instead.
//!
//! A value shared by threads ([`PerProcess`]) sits behind a lock, and a child never takes
//! the lock it inherited: a thread of the parent may have held it at the fork, and that
//! thread does not exist in the child to release it.

use std::marker::PhantomData;
use std::ptr;
use std::sync::atomic::{AtomicPtr, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// A value of one thread (a runtime, a connection pool), left alone by a forked child.
#[cfg(any(feature = "blocking", test))]
pub(crate) struct ProcessLocal<T> {
    pid: u32,
    value: std::mem::ManuallyDrop<T>,
}

/// The value in `slot`, made by `make` when the slot is empty or holds another process's
/// value (which is then leaked). One `getpid` per call: the blocking bindings pass here on
/// every request, and a system call is expensive on a virtual machine (bench/FINDINGS.md
/// §2).
#[cfg(any(feature = "blocking", test))]
pub(crate) fn current_or_new<T>(
    slot: &mut Option<ProcessLocal<T>>,
    make: impl FnOnce() -> T,
) -> &mut T {
    let pid = std::process::id();
    if !matches!(slot, Some(local) if local.pid == pid) {
        *slot = Some(ProcessLocal {
            pid,
            value: std::mem::ManuallyDrop::new(make()),
        });
    }
    match slot {
        Some(local) => &mut local.value,
        None => unreachable!("filled above"),
    }
}

#[cfg(any(feature = "blocking", test))]
impl<T> Drop for ProcessLocal<T> {
    fn drop(&mut self) {
        if self.pid == std::process::id() {
            // SAFETY: dropped once, here; `value` is not used after this.
            unsafe { std::mem::ManuallyDrop::drop(&mut self.value) }
        }
    }
}

/// A value of each process, shared by its threads behind a lock. Each process starts from
/// `T::default()`; a forked child puts a value of its own in place, never locking (nor
/// dropping) the one it inherited, which it leaks.
pub(crate) struct PerProcess<T> {
    /// Null until first used, then this process's value: made by [`PerProcess::lock`],
    /// freed only by `drop` in the process that made it, so a reference to it lives as
    /// long as `self`.
    current: AtomicPtr<Owned<T>>,
    /// Shared between threads as a `Mutex<T>` is (the pointer would let any `T` be).
    _shared: PhantomData<Mutex<T>>,
}

struct Owned<T> {
    pid: u32,
    value: Mutex<T>,
}

impl<T> PerProcess<T> {
    pub(crate) const fn new() -> Self {
        PerProcess {
            current: AtomicPtr::new(ptr::null_mut()),
            _shared: PhantomData,
        }
    }
}

impl<T> Default for PerProcess<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Default> PerProcess<T> {
    /// This process's value, locked; made on first use in each process. One `getpid`, as
    /// [`ProcessLocal`]'s check.
    pub(crate) fn lock(&self) -> MutexGuard<'_, T> {
        let pid = std::process::id();
        let mut current = self.current.load(Ordering::Acquire);
        // SAFETY: null, or made below and not yet freed (see `current`).
        if current.is_null() || unsafe { (*current).pid } != pid {
            let own = Box::into_raw(Box::new(Owned {
                pid,
                value: Mutex::new(T::default()),
            }));
            current = match self.current.compare_exchange(
                current,
                own,
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                // What was there (another process's value, in a child) is leaked.
                Ok(_) => own,
                Err(installed) => {
                    // Another thread of this process was first.
                    // SAFETY: made above and never shared.
                    drop(unsafe { Box::from_raw(own) });
                    installed
                }
            };
        }
        // SAFETY: not null, and freed only when `self` is dropped.
        let owned = unsafe { &*current };
        // A panic while it was held cannot have left a value half-changed that matters
        // more than serving the next call.
        owned.value.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<T> Drop for PerProcess<T> {
    fn drop(&mut self) {
        let current = *self.current.get_mut();
        // SAFETY: null, or not yet freed.
        if !current.is_null() && unsafe { (*current).pid } == std::process::id() {
            // SAFETY: made by `lock` with `Box::into_raw`; no reference outlives `&self`.
            drop(unsafe { Box::from_raw(current) });
        }
    }
}

/// Runs `check` in a forked child of this test process: whether it returned true. A child
/// still running after a minute (waiting on a lock it inherited) is killed, and fails.
#[cfg(all(test, unix))]
pub(crate) fn holds_in_forked_child(check: impl FnOnce() -> bool) -> bool {
    // SAFETY: the child runs `check` alone and ends with `_exit`.
    let child = unsafe { libc::fork() };
    assert!(child >= 0, "fork failed");
    if child == 0 {
        let held = std::panic::catch_unwind(std::panic::AssertUnwindSafe(check));
        // SAFETY: ends the child without running the test harness's exit path.
        unsafe { libc::_exit(if matches!(held, Ok(true)) { 0 } else { 1 }) }
    }
    let mut status = 0;
    for _ in 0..6_000 {
        // SAFETY: `child` is this process's child, waited for once.
        match unsafe { libc::waitpid(child, &mut status, libc::WNOHANG) } {
            0 => std::thread::sleep(std::time::Duration::from_millis(10)),
            _ => return libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        }
    }
    // SAFETY: as above.
    unsafe {
        libc::kill(child, libc::SIGKILL);
        libc::waitpid(child, &mut status, 0);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    struct Counted(Arc<AtomicUsize>);
    impl Drop for Counted {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn a_slot_is_refilled_only_for_another_process() {
        let drops = Arc::new(AtomicUsize::new(0));
        let mut made = 0;
        let mut slot = None;
        for _ in 0..2 {
            current_or_new(&mut slot, || {
                made += 1;
                Counted(drops.clone())
            });
        }
        assert_eq!(made, 1, "made once, then reused");
        let local = slot.as_mut().expect("filled by the calls above");
        local.pid = local.pid.wrapping_add(1); // as a forked child sees it
        current_or_new(&mut slot, || {
            made += 1;
            Counted(drops.clone())
        });
        assert_eq!(made, 2, "made anew in the child");
        assert_eq!(
            drops.load(Ordering::SeqCst),
            0,
            "the parent's value is leaked"
        );
        drop(slot);
        assert_eq!(
            drops.load(Ordering::SeqCst),
            1,
            "the child's own is dropped"
        );
    }

    #[test]
    fn per_process_values_are_shared_by_threads() {
        let shared: Arc<PerProcess<Vec<u32>>> = Arc::new(PerProcess::new());
        let threads: Vec<_> = (0..4)
            .map(|i| {
                let shared = shared.clone();
                std::thread::spawn(move || shared.lock().push(i))
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let mut seen = shared.lock().clone();
        seen.sort_unstable();
        assert_eq!(seen, [0, 1, 2, 3]);
    }

    /// A real fork with the lock held at that moment, as a thread of a PHP-FPM master or a
    /// gunicorn --preload parent may hold it.
    #[cfg(unix)]
    #[test]
    fn a_forked_child_starts_anew_without_taking_the_lock_its_parent_held() {
        let value: PerProcess<Vec<u32>> = PerProcess::new();
        value.lock().push(1);
        let held = value.lock();
        let child_held = holds_in_forked_child(|| {
            let fresh = value.lock().is_empty();
            value.lock().push(2);
            fresh && *value.lock() == [2]
        });
        drop(held);
        assert!(
            child_held,
            "the child waited for its parent's lock, or saw its parent's value"
        );
        assert_eq!(*value.lock(), [1], "the parent's value is its own");
    }
}
