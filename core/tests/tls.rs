//! The transport speaks TLS to https base URLs and checks the server's certificate: a
//! local server with a self-signed certificate (no public root signed it) is refused before
//! any request, and so before the API key, is sent; a server that speaks no TLS at all is
//! a connection error, not a hang.

use std::sync::Arc;

use cashi::{Client, ErrorKind};
use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;
use tokio_rustls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::{self, ServerConfig};
use tokio_rustls::TlsAcceptor;

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
    std::thread::spawn(move || {
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
