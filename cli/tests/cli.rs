//! The `cashi` binary, run as a user runs it, against an in-process sandbox.

use std::process::{Command, Output};

use serde_json::Value;

fn cashi(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cashi"));
    cmd.args(args)
        .env_remove("CASHI_API_KEY")
        .env_remove("CASHI_BASE_URL")
        .env_remove("CASHI_WEBHOOK_SECRET")
        .env_remove("CASHI_CA_BUNDLE")
        .env_remove("SSL_CERT_FILE");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn json_of(out: &Output) -> Value {
    let text = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(text.trim())
        .unwrap_or_else(|e| panic!("{e}: {text} / {}", String::from_utf8_lossy(&out.stderr)))
}

async fn sandbox() -> cashi_sandbox::RunningSandbox {
    cashi_sandbox::start(cashi_sandbox::SandboxConfig {
        log_requests: false,
        ..Default::default()
    })
    .await
    .unwrap()
}

#[test]
fn version_is_the_workspaces() {
    let cargo =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.toml")).unwrap();
    let workspace = cargo
        .split_once("[workspace.package]\nversion = \"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(version, _)| version)
        .expect("a [workspace.package] version in Cargo.toml");
    let out = cashi(&["--version"], &[]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("cashi {workspace}")
    );
}

#[test]
fn demo_runs_the_whole_flow() {
    let out = cashi(&["demo", "--json"], &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json_of(&out);
    assert_eq!(v["ok"], true);
    assert_eq!(v["event"]["is_settled"], true);
    assert_eq!(v["event"]["amount"], v["order"]["amount"]);
    let steps: Vec<&str> = v["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["step"].as_str().unwrap())
        .collect();
    for step in [
        "order created",
        "QR code",
        "customer pays",
        "webhook verified",
        "payment confirmed",
    ] {
        assert!(steps.contains(&step), "{steps:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn order_create_status_and_wait() {
    let sb = sandbox().await;
    let env = [
        ("CASHI_API_KEY", sb.api_key()),
        ("CASHI_BASE_URL", &sb.base_url()),
    ];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, &**v)).collect();

    let out = tokio::task::block_in_place(|| {
        cashi(
            &[
                "order",
                "create",
                "--amount",
                "15000",
                "--order-id",
                "CLI-1",
                "--json",
            ],
            &env,
        )
    });
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let order = json_of(&out);
    let amount = order["amount"].as_i64().unwrap();
    assert!((15001..=15099).contains(&amount));
    assert!(order["qris_payload"]
        .as_str()
        .unwrap()
        .contains(&format!("54{:02}{amount}", amount.to_string().len())));

    let text =
        tokio::task::block_in_place(|| cashi(&["order", "create", "--amount", "20000"], &env));
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(stdout.contains("amount to pay  Rp 20."), "{stdout}");
    assert!(stdout.contains('█'), "QR drawn");

    let out = tokio::task::block_in_place(|| cashi(&["order", "status", "CLI-1", "--json"], &env));
    assert_eq!(json_of(&out)["status"], "PENDING");

    let pay = reqwest::Client::new()
        .post(format!("{}/sandbox/orders/CLI-1/pay", sb.base_url()))
        .header("x-api-key", sb.api_key())
        .send()
        .await
        .unwrap();
    assert!(pay.status().is_success());
    let out = tokio::task::block_in_place(|| {
        cashi(
            &["order", "wait", "CLI-1", "--timeout", "30", "--json"],
            &env,
        )
    });
    assert!(out.status.success());
    assert_eq!(json_of(&out)["status"], "SETTLED");

    let out = tokio::task::block_in_place(|| cashi(&["order", "status", "NOPE", "--json"], &env));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json_of(&out)["error"]["code"], "not_found");

    let out = tokio::task::block_in_place(|| cashi(&["order", "status", "NOPE", "-v"], &env));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cashi: GET /check-status/NOPE order=NOPE attempt 1: 404 in "),
        "{stderr}"
    );
    assert!(stderr.contains("after 1 attempt (not_found: "), "{stderr}");
    assert!(!stderr.contains(sb.api_key()), "{stderr}");
    sb.shutdown().await;
}

#[test]
fn bad_input_is_a_clear_error() {
    let env = [
        ("CASHI_API_KEY", "CASHI-SECRET00001"),
        ("CASHI_BASE_URL", "http://127.0.0.1:9/api"),
    ];
    let out = cashi(&["order", "create", "--amount", "15000.5"], &env);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("invalid_argument") && err.contains("amount:"),
        "{err}"
    );

    let out = cashi(&["order", "create", "--amount", "100", "--json"], &env);
    assert_eq!(json_of(&out)["error"]["code"], "invalid_argument");

    let out = cashi(
        &["order", "status", "X", "--base-url", "http://cashi.id/api"],
        &env,
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("clear text"), "{err}");
    assert!(!err.contains("SECRET00001"));

    let out = cashi(&["order", "status", "X"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("CASHI_API_KEY"));
}

#[test]
fn webhook_verify_reads_raw_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let body = cashi::testing::webhook_body("TEST-1", 15023);
    let path = dir.path().join("body.json");
    std::fs::write(&path, &body).unwrap();
    let sig = cashi::testing::sign("sk_test", &body);
    let file = path.to_str().unwrap();

    let out = cashi(
        &[
            "webhook",
            "verify",
            "--secret",
            "sk_test",
            "--signature",
            &sig,
            file,
            "--json",
        ],
        &[],
    );
    assert!(out.status.success());
    let v = json_of(&out);
    assert_eq!(v["event"]["is_test"], true);
    assert_eq!(v["event"]["amount"], 15023);

    let out = cashi(
        &[
            "webhook",
            "verify",
            "--secret",
            "sk_wrong",
            "--signature",
            &sig,
            file,
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("signature_invalid"), "{err}");
    assert!(!err.contains("sk_wrong"));
}

#[tokio::test(flavor = "multi_thread")]
async fn webhook_send_reaches_a_handler_that_verifies_it() {
    use axum::{body::Bytes, http::HeaderMap, routing::post};
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let app = axum::Router::new().route(
        "/hook",
        post(move |headers: HeaderMap, body: Bytes| {
            let tx = tx.clone();
            async move {
                let sig = headers
                    .get("x-gateway-signature")
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .to_string();
                let ok = cashi::Webhook::new("sk_handler")
                    .unwrap()
                    .verify(&body, &sig);
                let code = if ok.is_ok() { 200 } else { 401 };
                tx.send(ok.map(|e| e.order_id)).unwrap();
                axum::http::StatusCode::from_u16(code).unwrap()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });

    let out = tokio::task::block_in_place(|| {
        cashi(
            &[
                "webhook",
                "send",
                "--url",
                &url,
                "--secret",
                "sk_handler",
                "--json",
            ],
            &[],
        )
    });
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(rx.recv().await.unwrap().unwrap().starts_with("TEST-"));

    let out = tokio::task::block_in_place(|| {
        cashi(
            &[
                "webhook",
                "send",
                "--url",
                &url,
                "--secret",
                "sk_other",
                "--order-id",
                "INV-1",
            ],
            &[],
        )
    });
    assert_eq!(out.status.code(), Some(1));
    assert!(rx.recv().await.unwrap().is_err());
}

#[test]
fn sandbox_refuses_a_public_bind_with_the_default_key() {
    use std::process::Stdio;
    use std::time::{Duration, Instant};
    let mut child = Command::new(env!("CARGO_BIN_EXE_cashi"))
        .args(["sandbox", "--host", "0.0.0.0", "--port", "0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("cashi sandbox started on 0.0.0.0 with the default key");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--api-key") && stderr.contains("--allow-public"),
        "{stderr}"
    );
    // The flags are the sandbox's own: a name with a port is refused as usage.
    let out = cashi(&["sandbox", "--allowed-host", "sandbox:8080"], &[]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("allowed host"));
}

#[test]
fn sandbox_with_tls_is_reached_with_its_ca_file() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let dir = std::env::temp_dir().join(format!("cashi-cli-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ca_out = dir.join("ca.pem");
    let mut child = Command::new(env!("CARGO_BIN_EXE_cashi"))
        .args(["sandbox", "--port", "0", "--quiet", "--tls", "--tls-ca-out"])
        .arg(&ca_out)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut lines = Vec::new();
    for _ in 0..5 {
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        lines.push(line.trim_end().to_string());
    }
    let base_url = lines[1].strip_prefix("base url: ").unwrap().to_string();
    assert!(base_url.starts_with("https://127.0.0.1:"), "{lines:?}");
    assert_eq!(lines[4], format!("ca certificate: {}", ca_out.display()));
    let ca = ca_out.to_str().unwrap();
    let env = [
        ("CASHI_API_KEY", "CASHI-SANDBOX01"),
        ("CASHI_BASE_URL", &*base_url),
    ];
    let create = ["order", "create", "--amount", "15000", "--json"];

    // The built-in roots alone refuse the sandbox's certificate.
    let out = cashi(&create, &env);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let failure = json_of(&out);
    assert_eq!(failure["error"]["code"], "connection", "{failure}");

    // --ca-bundle, CASHI_CA_BUNDLE and SSL_CERT_FILE each trust it.
    let with_flag = [&create[..], &["--ca-bundle", ca]].concat();
    let out = cashi(&with_flag, &env);
    assert!(out.status.success(), "{out:?}");
    assert!(json_of(&out)["amount"].as_i64().unwrap() > 15000);
    for var in ["CASHI_CA_BUNDLE", "SSL_CERT_FILE"] {
        let out = cashi(&create, &[env[0], env[1], (var, ca)]);
        assert!(out.status.success(), "{var}: {out:?}");
    }

    // A bad bundle is named.
    let out = cashi(
        &[&create[..], &["--ca-bundle", "/nonexistent/ca.pem"]].concat(),
        &env,
    );
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let failure = json_of(&out);
    assert_eq!(failure["error"]["code"], "invalid_argument", "{failure}");
    assert!(
        failure["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("ca_bundle: /nonexistent/ca.pem cannot be read"),
        "{failure}"
    );

    let ok = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
    assert!(child.wait().unwrap().success());
    assert!(ca_out.exists(), "a file asked for stays");
    std::fs::remove_dir_all(dir).unwrap();
}
