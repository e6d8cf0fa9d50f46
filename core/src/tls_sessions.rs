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

use std::sync::MutexGuard;

use rustls::client::{ClientSessionStore, Tls12ClientSessionValue, Tls13ClientSessionValue};
use rustls::pki_types::ServerName;
use rustls::NamedGroup;

use crate::batch::BATCH_IN_FLIGHT;
use crate::process_local::PerProcess;

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
#[derive(Default)]
pub(crate) struct SessionStore {
    servers: PerProcess<Vec<Server>>,
}

impl SessionStore {
    /// This process's servers: none yet in a forked child.
    fn servers(&self) -> MutexGuard<'_, Vec<Server>> {
        self.servers.lock()
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
    /// thread may hold it).
    #[cfg(unix)]
    #[test]
    fn a_forked_child_starts_with_no_server_remembered() {
        let store = SessionStore::default();
        store.set_kx_hint(cashi(), NamedGroup::X25519);
        let held = store.servers();
        let child_held = crate::process_local::holds_in_forked_child(|| {
            let forgotten = store.kx_hint(&cashi()).is_none();
            store.set_kx_hint(cashi(), NamedGroup::secp256r1);
            forgotten && store.kx_hint(&cashi()) == Some(NamedGroup::secp256r1)
        });
        drop(held);
        assert!(child_held, "the child saw its parent's servers, or hung");
        assert_eq!(store.kx_hint(&cashi()), Some(NamedGroup::X25519));
    }
}
