//! The transport speaks TLS to https base URLs and checks the server's certificate: a
//! local server with a self-signed certificate (no public root signed it) is refused before
//! any request, and so before the API key, is sent; a server that speaks no TLS at all is
//! a connection error, not a hang. A server whose certificate a private CA signed is
//! trusted once that CA's certificate is given with `ca_bundle` (the environment's
//! `CASHI_CA_BUNDLE` / `SSL_CERT_FILE` are tested in `tls_env.rs`, a binary of its own).

use std::sync::Arc;

use cashi::{Client, ErrorKind, PaymentState};
use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;
use tokio_rustls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::{self, ServerConfig};
use tokio_rustls::TlsAcceptor;

mod tls_server;
use tls_server::{temp_dir, TlsServer};

/// The error of a check-status to `https://localhost:{port}/api`.
async fn status_error_at(port: u16) -> cashi::Error {
    Client::builder()
        .api_key("CASHI-TLSSECRET")
        .base_url(format!("https://localhost:{port}/api"))
        .max_retries(0)
        .timeout(std::time::Duration::from_secs(5))
        .build()
        .unwrap()
        .check_status("INV-1")
        .await
        .unwrap_err()
}

#[tokio::test]
async fn a_server_without_tls_is_a_connection_error_not_a_hang() {
    use std::io::Write;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::task::spawn_blocking(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let _ = stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}");
        }
    });
    let e = status_error_at(port).await;
    assert_eq!(e.kind(), ErrorKind::Connection, "{e}");
    assert!(
        e.message()
            .starts_with("could not connect to https://localhost"),
        "{e}"
    );
}

#[tokio::test]
async fn a_certificate_no_public_root_signed_is_refused_before_anything_is_sent() {
    let certified = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(certified.key_pair.serialize_der()));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![certified.cert.der().clone()], key)
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    // The server's view: the handshake fails, and not one byte of a request arrives.
    let server = tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        match acceptor.accept(tcp).await {
            Ok(mut tls) => {
                let mut request = Vec::new();
                let _ = tls.read_to_end(&mut request).await;
                request
            }
            Err(_) => Vec::new(),
        }
    });

    let e = status_error_at(port).await;
    assert_eq!(e.kind(), ErrorKind::Connection, "{e}");
    assert!(
        e.message().contains("certificate"),
        "names the certificate: {e}"
    );
    let received = server.await.unwrap();
    assert!(
        received.is_empty(),
        "{:?}",
        String::from_utf8_lossy(&received)
    );
}

fn client_of(server: &TlsServer, ca_bundle: Option<&std::path::Path>) -> cashi::Result<Client> {
    let mut builder = Client::builder()
        .api_key("CASHI-TLSSECRET")
        .base_url(server.base_url())
        .max_retries(0)
        .timeout(std::time::Duration::from_secs(5));
    if let Some(path) = ca_bundle {
        builder = builder.ca_bundle(path);
    }
    builder.build()
}

#[tokio::test]
async fn a_private_cas_server_is_refused_without_its_bundle_and_trusted_with_it() {
    let dir = temp_dir("tls-private-ca");
    let server = TlsServer::start(&dir).await;

    let e = client_of(&server, None)
        .unwrap()
        .check_status("INV-1")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Connection, "{e}");
    let message = e.message();
    assert!(message.contains("invalid peer certificate"), "{message}");
    assert!(message.contains("nothing was sent"), "{message}");
    assert!(
        message.contains("the ca_bundle option (caBundle in Node.js) or CASHI_CA_BUNDLE"),
        "says how to trust it: {message}"
    );
    assert!(!message.contains("TLSSECRET"), "{message}");
    assert_eq!(
        server.requests(),
        0,
        "no request crossed a refused handshake"
    );

    let client = client_of(&server, Some(&server.ca_pem)).unwrap();
    for _ in 0..2 {
        let status = client.check_status("INV-1").await.unwrap();
        assert_eq!(status.state, PaymentState::Settled);
        assert_eq!(status.amount, Some(15023));
    }
    assert_eq!(server.requests(), 2);

    // Another client of the same bundle, and one on another thread's runtime, work too.
    let other = client_of(&server, Some(&server.ca_pem)).unwrap();
    other.check_status("INV-1").await.unwrap();
    let path = server.ca_pem.clone();
    let base = server.base_url();
    tokio::task::spawn_blocking(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(async {
                Client::builder()
                    .api_key("CASHI-TLSSECRET")
                    .base_url(base)
                    .ca_bundle(path)
                    .build()
                    .unwrap()
                    .check_status("INV-1")
                    .await
                    .unwrap()
            })
    })
    .await
    .unwrap();
    assert_eq!(server.requests(), 4);
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn a_bundle_that_cannot_be_used_is_an_invalid_argument_naming_the_file() {
    let dir = temp_dir("tls-bad-bundle");
    let server = TlsServer::start(&dir).await;
    let missing = dir.join("missing.pem");
    let not_pem = dir.join("not.pem");
    std::fs::write(&not_pem, "CASHI-TLSSECRET is not a certificate\n").unwrap();
    // The server's private key, not its certificate: no certificate in it.
    let key_only = dir.join("key.pem");
    std::fs::write(
        &key_only,
        rcgen::KeyPair::generate().unwrap().serialize_pem(),
    )
    .unwrap();
    for (path, says) in [
        (&missing, "cannot be read"),
        (&not_pem, "holds no PEM certificate"),
        (&key_only, "holds no PEM certificate"),
        (&dir, "is not a file"),
    ] {
        let e = client_of(&server, Some(path)).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
        assert_eq!(e.code(), "invalid_argument");
        let message = e.message();
        assert!(
            message.starts_with(&format!("ca_bundle: {} ", path.display())),
            "{message}"
        );
        assert!(message.contains(says), "{message}");
        assert!(!message.contains("TLSSECRET"), "{message}");
        assert!(!message.contains("PRIVATE"), "{message}");
    }
    assert_eq!(server.requests(), 0);
    std::fs::remove_dir_all(dir).unwrap();
}
