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
//! (appendix C.4) asks clients not to do, as it links their connections.

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
    servers: Mutex<Servers>,
}

/// The servers remembered by the process `pid`.
struct Servers {
    pid: u32,
    list: Vec<Server>,
}

impl Default for SessionStore {
    fn default() -> Self {
        SessionStore {
            servers: Mutex::new(Servers {
                pid: std::process::id(),
                list: Vec::new(),
            }),
        }
    }
}

impl SessionStore {
    /// This process's servers: none yet in a forked child.
    fn servers(&self) -> MutexGuard<'_, Servers> {
        // A panic elsewhere cannot leave a list of servers half-changed.
        let mut servers = self.servers.lock().unwrap_or_else(PoisonError::into_inner);
        let pid = std::process::id();
        if servers.pid != pid {
            servers.pid = pid;
            servers.list.clear();
        }
        servers
    }

    /// Edits `name`'s entry, making it (and forgetting the oldest server) when there is none.
    fn edit(&self, name: ServerName<'static>, edit: impl FnOnce(&mut Server)) {
        let mut servers = self.servers();
        let servers = &mut servers.list;
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
            .list
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
            .field("servers", &self.servers().list.len())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cashi() -> ServerName<'static> {
        ServerName::try_from("cashi.id").unwrap()
    }

    #[test]
    fn a_forked_child_starts_with_no_server_remembered() {
        let store = SessionStore::default();
        store.set_kx_hint(cashi(), NamedGroup::X25519);
        assert_eq!(store.kx_hint(&cashi()), Some(NamedGroup::X25519));

        let mut servers = store.servers.lock().unwrap();
        servers.pid = servers.pid.wrapping_add(1); // as a forked child sees it
        drop(servers);
        assert_eq!(store.kx_hint(&cashi()), None);
        assert_eq!(store.servers().pid, std::process::id());

        store.set_kx_hint(cashi(), NamedGroup::secp256r1);
        assert_eq!(store.kx_hint(&cashi()), Some(NamedGroup::secp256r1));
    }
}
