//! Shared pieces of the load tests of the core, in process (the installed packages' are in
//! `tests/load/packages/`): sizes from the environment (small in the normal test run, full
//! size in `scripts/robustness.sh`), sandbox controls, a flaky webhook receiver, and
//! resident memory.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;

/// A size from `name` in the environment, else `default`.
pub fn size(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

pub const SECRET: &str = "sk_robustness00000000000000000000000";

/// A quiet sandbox on the process's shared runtime (`cashi::runtime::get()`, the one
/// Python's async client spawns on), for blocking tests: it keeps serving on that runtime's
/// worker while the test's threads block in their calls.
pub fn sandbox_on_process_runtime() -> cashi_sandbox::RunningSandbox {
    cashi::runtime::get()
        .block_on(cashi_sandbox::start(cashi_sandbox::SandboxConfig {
            log_requests: false,
            ..Default::default()
        }))
        .unwrap()
}

/// Stops a sandbox started by [`sandbox_on_process_runtime`].
pub fn shutdown(sandbox: cashi_sandbox::RunningSandbox) {
    cashi::runtime::get().block_on(sandbox.shutdown());
}

/// POSTs a sandbox control and fails the test on anything but 2xx.
pub async fn control(
    base_url: &str,
    key: &str,
    path: &str,
    body: serde_json::Value,
) -> serde_json::Value {
    let response = reqwest::Client::new()
        .post(format!("{base_url}{path}"))
        .header("x-api-key", key)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    assert!(status.is_success(), "{path}: HTTP {status} {text}");
    serde_json::from_str(&text).unwrap()
}

pub async fn deliveries(base_url: &str, key: &str) -> Vec<serde_json::Value> {
    let text = reqwest::Client::new()
        .get(format!("{base_url}/sandbox/webhooks"))
        .header("x-api-key", key)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["deliveries"].as_array().unwrap().clone()
}

/// A merchant endpoint that verifies every webhook and refuses every `fail_every`-th request
/// with a 500, recording which orders it acknowledged with a 200 (and how often).
#[derive(Clone, Default)]
pub struct FlakyReceiver {
    requests: Arc<AtomicUsize>,
    acknowledged: Arc<Mutex<HashMap<String, usize>>>,
    bad_signatures: Arc<AtomicUsize>,
}

impl FlakyReceiver {
    pub async fn start(&self, fail_every: usize) -> String {
        let app = axum::Router::new()
            .route("/hook", post(receive))
            .with_state((self.clone(), fail_every));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        url
    }

    /// Order id → how many times it was answered 200.
    pub fn acknowledged(&self) -> HashMap<String, usize> {
        self.acknowledged.lock().unwrap().clone()
    }

    pub fn bad_signatures(&self) -> usize {
        self.bad_signatures.load(Ordering::SeqCst)
    }

    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

async fn receive(
    State((receiver, fail_every)): State<(FlakyReceiver, usize)>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let n = receiver.requests.fetch_add(1, Ordering::SeqCst) + 1;
    let pairs = headers
        .iter()
        .filter_map(|(k, v)| Some((k.as_str(), v.to_str().ok()?)));
    let event = match cashi::Webhook::new(SECRET)
        .unwrap()
        .verify_headers(&body, pairs)
    {
        Ok(event) => event,
        Err(_) => {
            receiver.bad_signatures.fetch_add(1, Ordering::SeqCst);
            return StatusCode::UNAUTHORIZED;
        }
    };
    if fail_every > 0 && n % fail_every == 0 {
        return StatusCode::INTERNAL_SERVER_ERROR;
    }
    *receiver
        .acknowledged
        .lock()
        .unwrap()
        .entry(event.order_id)
        .or_default() += 1;
    StatusCode::OK
}

/// This process's resident memory in KiB (Linux).
pub fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmRSS:")).map(|l| {
                l.split_whitespace()
                    .nth(1)
                    .unwrap_or("0")
                    .parse()
                    .unwrap_or(0)
            })
        })
        .unwrap_or(0)
}
