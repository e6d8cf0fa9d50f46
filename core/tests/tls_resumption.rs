//! A burst of new connections resumes a TLS session for each of them, beyond the 8 TLS 1.3
//! tickets per server that rustls's own store keeps: the client's session store keeps one
//! per call a batch may have in flight (`src/tls_sessions.rs`).

use std::time::Duration;

use cashi::Client;

mod tls_server;
use tls_server::{temp_dir, Behaviour, TlsServer};

/// Calls at once: more than rustls's 8 tickets, fewer than a batch has in flight (64).
const BURST: usize = 40;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_new_connections_resumes_a_session_for_each() {
    let dir = temp_dir("tls-resumption");
    // Each answer waits, so that the calls of a burst overlap (one connection each), and
    // closes its connection, so that the next burst needs new ones.
    let behaviour = Behaviour {
        delay: Duration::from_millis(200),
        close: true,
    };
    let server = TlsServer::start_with(&dir, behaviour).await;
    let client = Client::builder()
        .api_key("CASHI-TLSSECRET")
        .base_url(server.base_url())
        .ca_bundle(&server.ca_pem)
        .max_retries(0)
        .build()
        .unwrap();
    let ids = vec!["INV-1"; BURST];

    // The first burst finds no session: full handshakes, each leaving the server's tickets.
    for status in client.check_statuses(&ids).await.unwrap() {
        status.unwrap();
    }
    assert_eq!(server.requests(), BURST);
    assert!(
        server.full_handshakes() > 8,
        "{} full handshakes",
        server.full_handshakes()
    );

    let resumed_before = server.resumed_handshakes();
    for status in client.check_statuses(&ids).await.unwrap() {
        status.unwrap();
    }
    assert_eq!(server.requests(), 2 * BURST);
    // rustls's own store would resume 8 of these; a few may have found no ticket left if
    // the first burst resumed some of its own connections.
    let resumed = server.resumed_handshakes() - resumed_before;
    assert!(
        resumed >= BURST * 3 / 4,
        "the second burst of {BURST} new connections resumed {resumed} sessions \
         (full handshakes in all: {})",
        server.full_handshakes()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
