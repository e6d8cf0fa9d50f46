//! The `cashi-sandbox` binary: the first stdout line other languages parse, request logs
//! without secrets, clean exit on SIGTERM.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn prints_listening_line_logs_requests_and_exits_on_sigterm() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cashi-sandbox"))
        .args([
            "--port",
            "0",
            "--api-key",
            "key-from-flag",
            "--webhook-secret",
            "sk_flag",
        ])
        .args(["--order-ttl", "60", "--webhook-retry-schedule", "1,2.5,5"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let addr = line
        .strip_suffix('\n')
        .and_then(|l| l.strip_prefix("listening on http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("first line: {line:?}"));
    let port: u16 = addr.parse().unwrap();
    let mut rest = String::new();
    for _ in 0..3 {
        stdout.read_line(&mut rest).unwrap();
    }
    assert!(
        rest.contains(&format!("base url: http://127.0.0.1:{port}/api")),
        "{rest}"
    );
    assert!(rest.contains("api key: key-from-flag"), "{rest}");
    assert!(rest.contains("webhook secret: sk_flag"), "{rest}");

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let c = reqwest::Client::builder().no_proxy().build().unwrap();
        let resp = c
            .post(format!("http://127.0.0.1:{port}/api/create-order"))
            .header("x-api-key", "key-from-flag")
            .body(r#"{"amount":15000,"order_id":"bin-1"}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        let resp = c
            .get(format!("http://127.0.0.1:{port}/api/check-status/bin-1"))
            .header("x-api-key", "CASHI-SANDBOX01")
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 401, "only the flag's key is accepted");
    });

    let ok = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "no exit after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let logs: Vec<&str> = stderr.lines().filter(|l| l.contains("/api/")).collect();
    assert_eq!(logs.len(), 2, "{stderr}");
    assert!(logs[0].starts_with("POST /api/create-order 200 ") && logs[0].ends_with("ms"));
    assert!(logs[1].starts_with("GET /api/check-status/bin-1 401 "));
    assert!(
        !stderr.contains("key-from-flag") && !stderr.contains("sk_flag"),
        "{stderr}"
    );
}

#[test]
fn bad_flags_exit_with_usage() {
    let out = Command::new(env!("CARGO_BIN_EXE_cashi-sandbox"))
        .args(["--port", "not-a-port"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--port"));
}

#[test]
fn a_port_in_use_is_named_with_the_way_out() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_cashi-sandbox"))
        .args(["--port", &port])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("127.0.0.1:{port}")), "{stderr}");
    assert!(stderr.contains("--port 0"), "{stderr}");
}

/// Starts the binary with `args`, reads its first stdout line, stops it with SIGTERM and
/// returns that line and everything it wrote to stderr.
fn first_line_and_stderr(args: &[&str]) -> (String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cashi-sandbox"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let ok = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{out:?}");
    (line, String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn a_public_bind_needs_a_key_of_ones_own_or_allow_public_and_warns() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cashi-sandbox"))
        .args(["--host", "0.0.0.0", "--port", "0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("started on 0.0.0.0 with the default key");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("refusing to listen on 0.0.0.0")
            && stderr.contains("--api-key")
            && stderr.contains("--allow-public"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty(), "{out:?}");

    let (line, stderr) = first_line_and_stderr(&["--host", "0.0.0.0", "--allow-public"]);
    assert!(line.starts_with("listening on http://127.0.0.1:"), "{line}");
    assert!(
        stderr.contains("warning: listening on 0.0.0.0:"),
        "{stderr}"
    );
    assert!(stderr.contains("CASHI-SANDBOX01 is accepted"), "{stderr}");

    let (line, stderr) = first_line_and_stderr(&["--host", "0.0.0.0", "--api-key", "k-own"]);
    assert!(line.starts_with("listening on http://127.0.0.1:"), "{line}");
    assert!(
        stderr.contains("warning: listening on 0.0.0.0:"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("CASHI-SANDBOX01") && !stderr.contains("k-own"),
        "{stderr}"
    );

    let (_, stderr) = first_line_and_stderr(&["--port", "0"]);
    assert!(!stderr.contains("warning"), "{stderr}");
}

#[test]
fn with_tls_it_prints_the_https_url_and_the_ca_file_which_goes_at_exit() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cashi-sandbox"))
        .args(["--port", "0", "--tls", "--quiet"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut lines = Vec::new();
    for _ in 0..5 {
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        lines.push(line.trim_end().to_string());
    }
    let port = lines[0]
        .strip_prefix("listening on https://127.0.0.1:")
        .unwrap_or_else(|| panic!("{lines:?}"));
    assert_eq!(lines[1], format!("base url: https://127.0.0.1:{port}/api"));
    let ca = lines[4]
        .strip_prefix("ca certificate: ")
        .unwrap_or_else(|| panic!("{lines:?}"));
    let pem = std::fs::read_to_string(ca).unwrap();
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"), "{pem}");

    let ok = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    assert!(!std::path::Path::new(ca).exists(), "{ca} is left behind");
}
