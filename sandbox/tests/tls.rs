//! `--tls`: the sandbox serves HTTPS with a certificate of a CA it makes at start, and the
//! SDK's client trusts it through that CA's file (`ca_bundle`), as it would trust cashi.id;
//! webhooks still go to the URL configured (plain http here).

mod common;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use cashi::{ErrorKind, PaymentState};
use common::{eventually, hmac_hex, start_with, Receiver};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName};
use tokio_rustls::rustls::{self, ClientConfig, RootCertStore};
use tokio_rustls::TlsConnector;

fn sdk(base_url: &str, api_key: &str, ca_bundle: Option<&Path>) -> cashi::Client {
    let mut builder = cashi::Client::builder()
        .api_key(api_key)
        .base_url(base_url)
        .max_retries(0)
        .timeout(Duration::from_secs(10));
    if let Some(ca) = ca_bundle {
        builder = builder.ca_bundle(ca);
    }
    builder.build().unwrap()
}

/// A POST over TLS trusting only the CA of `ca`; the answer's status line.
async fn https_post(addr: std::net::SocketAddr, ca: &Path, path: &str, key: &str) -> String {
    let mut roots = RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(ca).unwrap() {
        roots.add(cert.unwrap()).unwrap();
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut tls = TlsConnector::from(Arc::new(config))
        .connect(ServerName::try_from("127.0.0.1").unwrap(), tcp)
        .await
        .unwrap();
    let request = format!(
        "POST {path} HTTP/1.1\r\nhost: {addr}\r\nx-api-key: {key}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
    );
    tls.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    let _ = tls.read_to_string(&mut answer).await;
    answer.lines().next().unwrap_or_default().to_string()
}

#[tokio::test]
async fn the_sdk_trusts_a_tls_sandbox_through_its_ca_file_and_webhooks_go_as_configured() {
    let receiver = Receiver::default();
    let hook = receiver.start().await;
    let sb = start_with(|c| {
        c.tls = true;
        c.webhook_url = Some(hook.clone());
    })
    .await;
    let port = sb.addr().port();
    assert_eq!(sb.base_url(), format!("https://127.0.0.1:{port}/api"));
    let ca = sb.ca_file().expect("a CA file with TLS").to_path_buf();
    let pem = std::fs::read_to_string(&ca).unwrap();
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"), "{pem}");
    assert!(
        !pem.contains("PRIVATE KEY"),
        "the CA's key never leaves memory"
    );

    // Without the CA: refused before anything is sent, as a server no public root signed.
    let e = sdk(&sb.base_url(), sb.api_key(), None)
        .check_status("TLS-1")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Connection, "{e}");
    assert!(e.message().contains("invalid peer certificate"), "{e}");

    // With it, by address and by name.
    let client = sdk(&sb.base_url(), sb.api_key(), Some(&ca));
    let order = client
        .create_order(&cashi::CreateOrder::new(15_000).order_id("TLS-1"))
        .await
        .unwrap();
    let checkout = order.checkout_url.clone().unwrap_or_default();
    assert!(
        checkout.starts_with(&format!("https://127.0.0.1:{port}/pay/")),
        "{checkout}"
    );
    let by_name = sdk(
        &format!("https://localhost:{port}/api"),
        sb.api_key(),
        Some(&ca),
    );
    let status = by_name.check_status("TLS-1").await.unwrap();
    assert_eq!(status.state, PaymentState::Pending);

    // Paid through the control, over TLS too; the webhook goes to the plain-http URL.
    let paid = https_post(
        sb.addr(),
        &ca,
        "/api/sandbox/orders/TLS-1/pay",
        sb.api_key(),
    )
    .await;
    assert!(paid.starts_with("HTTP/1.1 200"), "{paid}");
    let status = client.confirm("TLS-1", order.amount).await.unwrap();
    assert_eq!(status.state, PaymentState::Settled);
    eventually(10, "the webhook", || async {
        (receiver.count() == 1).then_some(())
    })
    .await;
    let webhook = receiver.get(0);
    assert_eq!(
        webhook.headers["x-gateway-signature"],
        hmac_hex(&sb.webhook_secret(), &webhook.body)
    );

    // Plain http to the TLS port is not served.
    let plain = cashi::Client::builder()
        .api_key(sb.api_key())
        .base_url(format!("http://127.0.0.1:{port}/api"))
        .max_retries(0)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let e = plain.check_status("TLS-1").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Connection, "{e}");

    // The file the sandbox chose itself goes with it.
    sb.shutdown().await;
    assert!(!ca.exists(), "{}", ca.display());
}

#[tokio::test]
async fn the_ca_file_goes_where_it_is_asked_and_stays() {
    let dir = std::env::temp_dir().join(format!("cashi-sandbox-tls-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("sandbox-ca.pem");
    let sb = start_with(|c| {
        c.tls = true;
        c.tls_ca_out = Some(out.clone());
    })
    .await;
    assert_eq!(sb.ca_file(), Some(out.as_path()));
    let client = sdk(&sb.base_url(), sb.api_key(), Some(&out));
    client
        .create_order(&cashi::CreateOrder::new(15_000).order_id("TLS-2"))
        .await
        .unwrap();
    sb.shutdown().await;
    assert!(out.exists());

    // A second sandbox writes its own CA over the same file; a client made after that
    // trusts the new one (the SDK reads a changed file again).
    let sb = start_with(|c| {
        c.tls = true;
        c.tls_ca_out = Some(out.clone());
    })
    .await;
    let client = sdk(&sb.base_url(), sb.api_key(), Some(&out));
    client
        .create_order(&cashi::CreateOrder::new(15_000).order_id("TLS-3"))
        .await
        .unwrap();
    sb.shutdown().await;

    // Without TLS there is no CA file.
    let sb = start_with(|_| {}).await;
    assert!(sb.ca_file().is_none());
    assert!(sb.base_url().starts_with("http://"));
    sb.shutdown().await;
    std::fs::remove_dir_all(dir).unwrap();
}
