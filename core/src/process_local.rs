//! Values that belong to the process that made them.
//!
//! After `fork()` a child inherits copies of the parent's runtimes and connection pools,
//! but not the threads that drive them; their sockets and epoll registrations are shared
//! with the parent. Dropping such a copy in the child could wait forever on a lock held by
//! a thread that does not exist there, or deregister the parent's sockets from the epoll
//! instance both processes share (which stalls the parent). So a child leaks them instead.

use std::mem::ManuallyDrop;

pub(crate) struct ProcessLocal<T> {
    pid: u32,
    value: ManuallyDrop<T>,
}

impl<T> ProcessLocal<T> {
    pub(crate) fn new(value: T) -> Self {
        ProcessLocal {
            pid: std::process::id(),
            value: ManuallyDrop::new(value),
        }
    }

    /// The value, unless this is a forked child of the process that made it.
    pub(crate) fn get(&self) -> Option<&T> {
        (self.pid == std::process::id()).then_some(&*self.value)
    }
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
            value: ManuallyDrop::new(make()),
        });
    }
    match slot {
        Some(local) => &mut local.value,
        None => unreachable!("filled above"),
    }
}

impl<T> Drop for ProcessLocal<T> {
    fn drop(&mut self) {
        if self.pid == std::process::id() {
            // SAFETY: dropped once, here; `value` is not used after this.
            unsafe { ManuallyDrop::drop(&mut self.value) }
        }
    }
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
    fn dropped_in_its_own_process() {
        let drops = Arc::new(AtomicUsize::new(0));
        let local = ProcessLocal::new(Counted(drops.clone()));
        assert!(local.get().is_some());
        drop(local);
        assert_eq!(drops.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn leaked_in_another_process() {
        let drops = Arc::new(AtomicUsize::new(0));
        let mut local = ProcessLocal::new(Counted(drops.clone()));
        local.pid = local.pid.wrapping_add(1); // as a forked child sees it
        assert!(local.get().is_none());
        drop(local);
        assert_eq!(drops.load(Ordering::SeqCst), 0);
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
}
