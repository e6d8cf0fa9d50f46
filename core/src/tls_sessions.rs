//! The TLS session store of a client's TLS settings: what lets a new connection resume a
//! session (one certificate chain fewer to verify) instead of a full handshake.
//!
//! rustls's own store keeps 8 TLS 1.3 tickets per server, and a TLS 1.3 ticket is used
//! once: a process that opens more than 8 connections at once (a batch, an async server
//! with many users) resumes 8 of them and pays a full handshake for every other. This one
//! keeps a ticket for every connection a batch may open at once ([`TICKETS_PER_SERVER`]).
//!
//! A forked child (PHP-FPM, gunicorn, Celery prefork) starts with an empty store: a copy of
//! the parent's tickets would let both processes present the same ticket, which RFC 8446
//! (appendix C.4) asks clients not to do, as it links their connections. The child never
//! touches the lock it inherited either: a thread of the parent may have held it at the
//! fork, and that thread does not exist in the child to release it.

use std::sync::atomic::{AtomicPtr, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use rustls::client::{ClientSessionStore, Tls12ClientSessionValue, Tls13ClientSessionValue};
use rustls::pki_types::ServerName;
use rustls::NamedGroup;

use crate::batch::BATCH_IN_FLIGHT;

/// TLS 1.3 tickets kept per server: one per call a batch has in flight.
pub(crate) const TICKETS_PER_SERVER: usize = BATCH_IN_FLIGHT;

/// Servers remembered; the one remembered first is forgotten first. A client talks to one
/// (cashi.id, or a sandbox).
const MAX_SERVERS: usize = 16;

/// What is kept of one server.
struct Server {
    name: ServerName<'static>,
    kx_hint: Option<NamedGroup>,
    tls12: Option<Tls12ClientSessionValue>,
    /// Oldest first; the newest is used first, as rustls does.
    tls13: Vec<Tls13ClientSessionValue>,
}

/// Servers in the order they were first remembered: a list, as there are few.
pub(crate) struct SessionStore {
    /// This process's servers; never null. A forked child puts its own in place and leaks
    /// the one it inherited. Freed only when the store is dropped (by the process that
    /// made it), so a reference to it lives as long as the store.
    current: AtomicPtr<ProcessServers>,
}

/// The servers remembered by the process `pid`.
struct ProcessServers {
    pid: u32,
    list: Mutex<Vec<Server>>,
}

// Shared between threads through a raw pointer, which hides from the compiler whether that
// is sound: it is, as long as this holds.
const _: fn() = || {
    fn shared<T: Send + Sync>() {}
    shared::<ProcessServers>();
};

impl ProcessServers {
    fn new_raw(pid: u32) -> *mut ProcessServers {
        Box::into_raw(Box::new(ProcessServers {
            pid,
            list: Mutex::new(Vec::new()),
        }))
    }
}

impl Default for SessionStore {
    fn default() -> Self {
        SessionStore {
            current: AtomicPtr::new(ProcessServers::new_raw(std::process::id())),
        }
    }
}

impl Drop for SessionStore {
    fn drop(&mut self) {
        let current = *self.current.get_mut();
        // SAFETY: never null, and not freed before (see `current`).
        if unsafe { (*current).pid } == std::process::id() {
            // SAFETY: made by `new_raw`; no reference to it outlives `&self`.
            drop(unsafe { Box::from_raw(current) });
        }
        // A forked child's copy of its parent's servers is leaked: its lock may be held.
    }
}

impl SessionStore {
    /// This process's servers: none yet in a forked child.
    fn servers(&self) -> MutexGuard<'_, Vec<Server>> {
        let pid = std::process::id();
        let mut current = self.current.load(Ordering::Acquire);
        // SAFETY: never null, and freed only when `self` is dropped.
        if unsafe { (*current).pid } != pid {
            let own = ProcessServers::new_raw(pid);
            current = match self.current.compare_exchange(
                current,
                own,
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => own,
                Err(installed) => {
                    // Another thread of this child was first.
                    // SAFETY: made above, never shared.
                    drop(unsafe { Box::from_raw(own) });
                    installed
                }
            };
        }
        // SAFETY: as above; the reference lives no longer than `&self`.
        let servers = unsafe { &*current };
        // A panic elsewhere cannot leave a list of servers half-changed.
        servers.list.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Edits `name`'s entry, making it (and forgetting the oldest server) when there is none.
    fn edit(&self, name: ServerName<'static>, edit: impl FnOnce(&mut Server)) {
        let mut servers = self.servers();
        let index = match servers.iter().position(|s| s.name == name) {
            Some(index) => index,
            None => {
                if servers.len() == MAX_SERVERS {
                    servers.remove(0);
                }
                servers.push(Server {
                    name,
                    kx_hint: None,
                    tls12: None,
                    tls13: Vec::new(),
                });
                servers.len() - 1
            }
        };
        edit(&mut servers[index]);
    }

    fn read<T>(
        &self,
        name: &ServerName<'_>,
        read: impl FnOnce(&mut Server) -> Option<T>,
    ) -> Option<T> {
        self.servers()
            .iter_mut()
            .find(|s| s.name == *name)
            .and_then(read)
    }
}

impl ClientSessionStore for SessionStore {
    fn set_kx_hint(&self, name: ServerName<'static>, group: NamedGroup) {
        self.edit(name, |s| s.kx_hint = Some(group));
    }

    fn kx_hint(&self, name: &ServerName<'_>) -> Option<NamedGroup> {
        self.read(name, |s| s.kx_hint)
    }

    fn set_tls12_session(&self, name: ServerName<'static>, value: Tls12ClientSessionValue) {
        self.edit(name, |s| s.tls12 = Some(value));
    }

    fn tls12_session(&self, name: &ServerName<'_>) -> Option<Tls12ClientSessionValue> {
        self.read(name, |s| s.tls12.clone())
    }

    fn remove_tls12_session(&self, name: &ServerName<'static>) {
        self.read(name, |s| s.tls12.take());
    }

    fn insert_tls13_ticket(&self, name: ServerName<'static>, value: Tls13ClientSessionValue) {
        self.edit(name, |s| {
            if s.tls13.len() == TICKETS_PER_SERVER {
                s.tls13.remove(0);
            }
            s.tls13.push(value);
        });
    }

    fn take_tls13_ticket(&self, name: &ServerName<'static>) -> Option<Tls13ClientSessionValue> {
        self.read(name, |s| s.tls13.pop())
    }
}

impl std::fmt::Debug for SessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Sessions are secrets: only how many servers there are.
        f.debug_struct("SessionStore")
            .field("servers", &self.servers().len())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cashi() -> ServerName<'static> {
        ServerName::try_from("cashi.id").unwrap()
    }

    /// A real fork, with the store's lock held at that moment (as a handshake on another
    /// thread of a PHP-FPM master or a gunicorn --preload parent may hold it).
    #[cfg(unix)]
    #[test]
    fn a_forked_child_starts_empty_without_waiting_for_the_lock_its_parent_held() {
        let store = SessionStore::default();
        store.set_kx_hint(cashi(), NamedGroup::X25519);
        let held = store.servers();
        // SAFETY: the child only uses the store and ends with `_exit`.
        let child = unsafe { libc::fork() };
        assert!(child >= 0, "fork failed");
        if child == 0 {
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let forgotten = store.kx_hint(&cashi()).is_none();
                store.set_kx_hint(cashi(), NamedGroup::secp256r1);
                forgotten && store.kx_hint(&cashi()) == Some(NamedGroup::secp256r1)
            }));
            // SAFETY: ends the child without running the test harness's exit path.
            unsafe { libc::_exit(if matches!(outcome, Ok(true)) { 0 } else { 1 }) }
        }
        drop(held);

        // A child stuck on the inherited lock never ends: give up on it after a minute.
        let mut status = 0;
        let mut waited = 0;
        while unsafe { libc::waitpid(child, &mut status, libc::WNOHANG) } == 0 {
            if waited == 6_000 {
                unsafe { libc::kill(child, libc::SIGKILL) };
                unsafe { libc::waitpid(child, &mut status, 0) };
                panic!("the forked child waited for the lock its parent held at the fork");
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
            waited += 1;
        }
        assert!(
            libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
            "the forked child saw its parent's servers, or could not remember its own"
        );
        // The parent's own servers are untouched.
        assert_eq!(store.kx_hint(&cashi()), Some(NamedGroup::X25519));
    }
}
