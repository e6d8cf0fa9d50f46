//! An https base URL is reached through the proxy the environment names, as curl and
//! reqwest do: `HTTPS_PROXY` / `ALL_PROXY`, except the hosts in `NO_PROXY`. One test, in a
//! binary of its own, because it sets process-wide environment variables.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::thread;

use cashi::{Client, ErrorKind};

/// A proxy that records the request head it gets and refuses the tunnel.
fn refusing_proxy() -> (u16, mpsc::Receiver<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut head = Vec::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
                break;
            }
            head.push(line.trim_end().to_string());
        }
        let mut stream = stream;
        stream
            .write_all(b"HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n")
            .unwrap();
        tx.send(head).unwrap();
    });
    (port, rx)
}

fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn client(base_url: &str) -> cashi::Result<Client> {
    Client::builder()
        .api_key("CASHI-PROXYTEST")
        .base_url(base_url)
        .max_retries(0)
        .build()
}

/// The error of a check-status through a client of `base_url` (nothing answers).
async fn status_error(base_url: &str) -> cashi::Error {
    client(base_url)
        .unwrap()
        .check_status("INV-1")
        .await
        .unwrap_err()
}

#[tokio::test]
async fn https_goes_through_the_environments_proxy_unless_no_proxy_names_the_host() {
    let cashi = format!("https://localhost:{}/api", closed_port());
    for var in [
        "ALL_PROXY",
        "all_proxy",
        "https_proxy",
        "NO_PROXY",
        "no_proxy",
    ] {
        std::env::remove_var(var);
    }

    // Through the proxy, as a CONNECT tunnel carrying the proxy's credentials; the API key
    // is not in it (it travels inside the TLS tunnel).
    let (port, head) = refusing_proxy();
    std::env::set_var(
        "HTTPS_PROXY",
        format!("http://user:s3cret@127.0.0.1:{port}"),
    );
    let e = status_error(&cashi).await;
    let head = head.recv().unwrap();
    assert!(
        head[0].starts_with("CONNECT localhost:"),
        "request line: {:?}",
        head[0]
    );
    assert!(
        head.iter()
            .any(|h| h.eq_ignore_ascii_case("proxy-authorization: Basic dXNlcjpzM2NyZXQ=")),
        "{head:?}"
    );
    assert!(!head.iter().any(|h| h.contains("CASHI-PROXYTEST")));
    assert_eq!(e.kind(), ErrorKind::Connection);
    assert!(
        e.message().contains("through the proxy 127.0.0.1"),
        "{}",
        e.message()
    );
    assert!(!e.message().contains("s3cret"), "{}", e.message());

    // NO_PROXY names the host: straight to it (nothing listens there).
    std::env::set_var("NO_PROXY", "localhost");
    let e = status_error(&cashi).await;
    assert_eq!(e.kind(), ErrorKind::Connection);
    assert!(!e.message().contains("proxy"), "{}", e.message());
    std::env::remove_var("NO_PROXY");

    // A proxy the SDK cannot use is refused when the client is built, without its password.
    std::env::set_var("HTTPS_PROXY", "https://user:s3cret@proxy.example:443");
    let e = client(&cashi).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(e.message().starts_with("HTTPS_PROXY"), "{}", e.message());
    assert!(!e.message().contains("s3cret"), "{}", e.message());

    // Plain http goes only to loopback hosts, never through a proxy.
    let (port, _head) = refusing_proxy();
    std::env::set_var("HTTP_PROXY", format!("http://127.0.0.1:{port}"));
    std::env::set_var("ALL_PROXY", format!("http://127.0.0.1:{port}"));
    let e = status_error(&format!("http://127.0.0.1:{}/api", closed_port())).await;
    assert_eq!(e.kind(), ErrorKind::Connection);
    assert!(!e.message().contains("proxy"), "{}", e.message());
}
