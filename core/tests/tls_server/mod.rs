//! A TLS server on loopback whose certificate (for `localhost`) is signed by a CA made
//! here, which no public root signed: it answers every request with one check-status
//! answer and counts the requests it read and the handshakes it made, full and resumed.

// Each test binary that includes this module uses part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::{self, ServerConfig};
use tokio_rustls::TlsAcceptor;

pub const SETTLED: &str =
    r#"{"success":true,"status":"SETTLED","amount":15023,"order_id":"INV-1","provider_tx_id":"9"}"#;

pub struct TlsServer {
    pub port: u16,
    /// The CA's certificate, PEM, in a file of its own.
    pub ca_pem: PathBuf,
    counts: Arc<Counts>,
}

#[derive(Default)]
struct Counts {
    requests: AtomicUsize,
    full_handshakes: AtomicUsize,
    resumed_handshakes: AtomicUsize,
}

/// How the server answers.
#[derive(Clone, Copy, Default)]
pub struct Behaviour {
    /// Waits this long before each answer (so that calls made at once overlap).
    pub delay: Duration,
    /// Closes the connection after each answer (`connection: close`), so that every
    /// request needs a new one.
    pub close: bool,
}

impl TlsServer {
    /// Starts on a free port; `dir` receives `ca.pem`.
    pub async fn start(dir: &Path) -> TlsServer {
        Self::start_with(dir, Behaviour::default()).await
    }

    /// [`start`](Self::start), answering as `behaviour` says.
    pub async fn start_with(dir: &Path, behaviour: Behaviour) -> TlsServer {
        let ca_key = KeyPair::generate().unwrap();
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "Cashi test CA");
        let ca = ca_params.self_signed(&ca_key).unwrap();
        let ca_pem = dir.join("ca.pem");
        std::fs::write(&ca_pem, ca.pem()).unwrap();

        let key = KeyPair::generate().unwrap();
        let cert = CertificateParams::new(vec!["localhost".to_string()])
            .unwrap()
            .signed_by(&key, &ca, &ca_key)
            .unwrap();
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(
                vec![cert.der().clone()],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
            )
            .unwrap();
        let acceptor = TlsAcceptor::from(Arc::new(config));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let counts = Arc::new(Counts::default());
        let counted = counts.clone();
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                let counted = counted.clone();
                tokio::spawn(async move {
                    let Ok(mut tls) = acceptor.accept(tcp).await else {
                        return;
                    };
                    let kind = match tls.get_ref().1.handshake_kind() {
                        Some(rustls::HandshakeKind::Resumed) => &counted.resumed_handshakes,
                        _ => &counted.full_handshakes,
                    };
                    kind.fetch_add(1, Ordering::SeqCst);
                    // Requests without a body (check-status), one after another.
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 4096];
                    loop {
                        while let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                            buf.drain(..end + 4);
                            counted.requests.fetch_add(1, Ordering::SeqCst);
                            tokio::time::sleep(behaviour.delay).await;
                            let connection = if behaviour.close {
                                "close"
                            } else {
                                "keep-alive"
                            };
                            let answer = format!(
                                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: {connection}\r\ncontent-length: {}\r\n\r\n{SETTLED}",
                                SETTLED.len()
                            );
                            if tls.write_all(answer.as_bytes()).await.is_err() || behaviour.close {
                                let _ = tls.shutdown().await;
                                return;
                            }
                        }
                        match tls.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    }
                });
            }
        });
        TlsServer {
            port,
            ca_pem,
            counts,
        }
    }

    pub fn base_url(&self) -> String {
        format!("https://localhost:{}/api", self.port)
    }

    /// Requests read whole (after a successful handshake).
    pub fn requests(&self) -> usize {
        self.counts.requests.load(Ordering::SeqCst)
    }

    /// Handshakes that made a new session.
    pub fn full_handshakes(&self) -> usize {
        self.counts.full_handshakes.load(Ordering::SeqCst)
    }

    /// Handshakes that resumed a session (a TLS 1.3 ticket, or a TLS 1.2 session).
    pub fn resumed_handshakes(&self) -> usize {
        self.counts.resumed_handshakes.load(Ordering::SeqCst)
    }
}

/// A fresh directory under the system's temporary one.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cashi-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
