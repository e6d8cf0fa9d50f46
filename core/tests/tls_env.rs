//! With no `ca_bundle` option, the bundle is the file `CASHI_CA_BUNDLE` names, else the one
//! `SSL_CERT_FILE` names (as curl and OpenSSL read it); the option wins over both, and a
//! bad file named by a variable is an `invalid_argument` naming the variable. One test, in
//! a binary of its own, because it sets process-wide environment variables.

use cashi::{Client, ErrorKind, PaymentState};

mod tls_server;
use tls_server::{temp_dir, TlsServer};

fn client(server: &TlsServer) -> cashi::Result<Client> {
    Client::builder()
        .api_key("CASHI-TLSSECRET")
        .base_url(server.base_url())
        .max_retries(0)
        .timeout(std::time::Duration::from_secs(5))
        .build()
}

#[tokio::test]
async fn the_environment_names_the_bundle_when_the_option_does_not() {
    for var in ["CASHI_CA_BUNDLE", "SSL_CERT_FILE"] {
        std::env::remove_var(var);
    }
    let dir = temp_dir("tls-env");
    let server = TlsServer::start(&dir).await;
    let missing = dir.join("missing.pem");
    let settled = |status: cashi::PaymentStatus| assert_eq!(status.state, PaymentState::Settled);

    // Neither variable: the compiled-in roots alone, which refuse the private CA.
    let e = client(&server)
        .unwrap()
        .check_status("INV-1")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Connection, "{e}");

    // SSL_CERT_FILE, as curl and OpenSSL read it.
    std::env::set_var("SSL_CERT_FILE", &server.ca_pem);
    settled(
        client(&server)
            .unwrap()
            .check_status("INV-1")
            .await
            .unwrap(),
    );

    // An empty CASHI_CA_BUNDLE counts as unset.
    std::env::set_var("CASHI_CA_BUNDLE", "");
    settled(
        client(&server)
            .unwrap()
            .check_status("INV-1")
            .await
            .unwrap(),
    );

    // CASHI_CA_BUNDLE comes first: a bad one fails, naming itself, though SSL_CERT_FILE
    // would do.
    std::env::set_var("CASHI_CA_BUNDLE", &missing);
    let e = client(&server).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
    assert!(
        e.message().starts_with(&format!(
            "CASHI_CA_BUNDLE: {} cannot be read",
            missing.display()
        )),
        "{e}"
    );
    assert!(e.message().ends_with("or unset it"), "{e}");

    // The option wins over both.
    let with_option = Client::builder()
        .api_key("CASHI-TLSSECRET")
        .base_url(server.base_url())
        .ca_bundle(&server.ca_pem)
        .build()
        .unwrap();
    settled(with_option.check_status("INV-1").await.unwrap());

    // CASHI_CA_BUNDLE alone, SSL_CERT_FILE bad: CASHI_CA_BUNDLE is the one read.
    std::env::set_var("CASHI_CA_BUNDLE", &server.ca_pem);
    std::env::set_var("SSL_CERT_FILE", &missing);
    settled(
        client(&server)
            .unwrap()
            .check_status("INV-1")
            .await
            .unwrap(),
    );

    // A bad SSL_CERT_FILE, named as such.
    std::env::remove_var("CASHI_CA_BUNDLE");
    let e = client(&server).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
    assert!(
        e.message().starts_with(&format!(
            "SSL_CERT_FILE: {} cannot be read",
            missing.display()
        )),
        "{e}"
    );

    std::env::remove_var("SSL_CERT_FILE");
    assert_eq!(server.requests(), 4);
    std::fs::remove_dir_all(dir).unwrap();
}
