//! Who can reach a sandbox: a bind other machines can reach needs a key of one's own (or
//! an explicit `allow_public`), and every request must name the sandbox by an address,
//! `localhost` or an allowed name, so a DNS-rebinding page cannot read its config.

mod common;

use std::net::{IpAddr, Ipv4Addr};

use cashi_sandbox::{RunningSandbox, SandboxConfig, DEFAULT_API_KEY};
use common::*;

const EVERYWHERE: IpAddr = IpAddr::V4(Ipv4Addr::UNSPECIFIED);

async fn try_start(f: impl FnOnce(&mut SandboxConfig)) -> Result<RunningSandbox, String> {
    let mut cfg = SandboxConfig {
        log_requests: false,
        ..SandboxConfig::default()
    };
    f(&mut cfg);
    cashi_sandbox::start(cfg).await.map_err(|e| e.to_string())
}

/// `GET /api/sandbox/config` (it holds the webhook secret) sent with this `Host` header.
async fn config_as(sb: &RunningSandbox, host: &str) -> Answer {
    let resp = client()
        .get(format!("{}/sandbox/config", sb.base_url()))
        .header("host", host)
        .header("x-api-key", sb.api_key())
        .send()
        .await
        .unwrap();
    answer(resp).await
}

#[tokio::test]
async fn a_public_bind_with_the_default_key_is_refused() {
    for keys in [
        vec![],
        vec![DEFAULT_API_KEY.to_string(), "mine".to_string()],
    ] {
        let err = try_start(|c| {
            c.host = EVERYWHERE;
            c.api_keys = keys.clone();
        })
        .await
        .err()
        .unwrap_or_else(|| panic!("started on 0.0.0.0 with keys {keys:?}"));
        assert!(err.contains("0.0.0.0"), "{err}");
        assert!(err.contains(DEFAULT_API_KEY), "{err}");
        assert!(
            err.contains("--api-key") && err.contains("--allow-public"),
            "{err}"
        );
    }

    // A key of one's own, or an explicit allow_public: it starts, with a warning to print.
    let sb = try_start(|c| {
        c.host = EVERYWHERE;
        c.api_keys = vec!["own-key-1".into()];
    })
    .await
    .unwrap();
    let warning = sb.public_warning().expect("a public bind has a warning");
    assert!(
        warning.contains("0.0.0.0") && warning.contains("other machines"),
        "{warning}"
    );
    assert!(!warning.contains(DEFAULT_API_KEY), "{warning}");
    assert!(!warning.contains("own-key-1"), "{warning}");
    sb.shutdown().await;
    let sb = try_start(|c| {
        c.host = EVERYWHERE;
        c.allow_public = true;
    })
    .await
    .unwrap();
    let warning = sb.public_warning().unwrap();
    assert!(warning.contains(DEFAULT_API_KEY), "{warning}");
    // Reached through loopback, it serves.
    assert_eq!(get(&sb, "/sandbox/clock").await.status, 200);
    sb.shutdown().await;

    // Loopback, any address of 127/8: no warning.
    for host in ["127.0.0.1", "127.0.0.2"] {
        let sb = try_start(|c| c.host = host.parse().unwrap()).await.unwrap();
        assert_eq!(sb.public_warning(), None);
    }
}

#[tokio::test]
async fn a_name_the_sandbox_was_not_given_is_refused() {
    let sb = start().await;
    let port = sb.addr().port();
    // A page of attacker.example whose name now resolves to 127.0.0.1 (DNS rebinding).
    for host in [
        format!("rebind.attacker.example:{port}"),
        "rebind.attacker.example".to_string(),
        format!("localhost.attacker.example:{port}"),
    ] {
        let a = config_as(&sb, &host).await;
        assert_eq!(a.status, 403, "{host}: {}", a.text);
        assert_eq!(a.body["success"], false);
        let message = a.body["message"].as_str().unwrap();
        assert!(message.contains("--allowed-host"), "{message}");
        assert!(!a.text.contains(&sb.webhook_secret()), "{}", a.text);
    }
    // The checkout page and its controls too (plain text there).
    let resp = client()
        .get(format!("{}/pay/x", sb.url()))
        .header("host", "rebind.attacker.example")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);

    // Addresses, localhost and its subdomains (browsers keep those on this machine).
    for host in [
        format!("127.0.0.1:{port}"),
        "127.0.0.1".to_string(),
        format!("[::1]:{port}"),
        format!("localhost:{port}"),
        "LocalHost.".to_string(),
        format!("shop.localhost:{port}"),
        "192.0.2.7:8080".to_string(),
    ] {
        let a = config_as(&sb, &host).await;
        assert_eq!(a.status, 200, "{host}: {}", a.text);
        assert_eq!(a.body["config"]["webhook_secret"], sb.webhook_secret());
    }
}

#[tokio::test]
async fn allowed_hosts_name_a_public_sandbox() {
    // As in Docker Compose, where other services reach it as http://sandbox:PORT.
    let sb = try_start(|c| {
        c.host = EVERYWHERE;
        c.api_keys = vec!["own-key-2".into()];
        c.allowed_hosts = vec!["sandbox".into(), "Cashi.Test".into()];
    })
    .await
    .unwrap();
    let port = sb.addr().port();
    for host in [
        format!("sandbox:{port}"),
        "SANDBOX".into(),
        "sandbox.".into(),
        "cashi.test:80".into(),
        format!("10.1.2.3:{port}"),
    ] {
        assert_eq!(config_as(&sb, &host).await.status, 200, "{host}");
    }
    for host in [
        "sandbox.attacker.example",
        "xsandbox",
        "cashi.test.attacker.example",
    ] {
        assert_eq!(config_as(&sb, host).await.status, 403, "{host}");
    }

    // A name that cannot be a host is refused at start.
    for bad in ["", "has space", "sandbox:8080", "a/b"] {
        let err = try_start(|c| c.allowed_hosts = vec![bad.to_string()])
            .await
            .err()
            .unwrap_or_else(|| panic!("allowed host {bad:?} accepted"));
        assert!(err.contains("allowed host"), "{err}");
    }
}
