//! Helpers shared by the sandbox's integration tests: a sandbox on a free port, a JSON
//! client, a programmable webhook receiver, bounded polling.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use cashi_sandbox::{RunningSandbox, SandboxConfig};
use serde_json::Value;

pub async fn start() -> RunningSandbox {
    start_with(|_| {}).await
}

pub async fn start_with(f: impl FnOnce(&mut SandboxConfig)) -> RunningSandbox {
    let mut cfg = SandboxConfig {
        log_requests: false,
        ..SandboxConfig::default()
    };
    f(&mut cfg);
    cashi_sandbox::start(cfg).await.expect("sandbox starts")
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// A status and the parsed JSON body (Null when the body is not JSON).
pub struct Answer {
    pub status: u16,
    pub body: Value,
    pub text: String,
    pub headers: reqwest::header::HeaderMap,
}

pub async fn answer(resp: reqwest::Response) -> Answer {
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let text = resp.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Answer {
        status,
        body,
        text,
        headers,
    }
}

pub async fn post(sb: &RunningSandbox, path: &str, body: Value) -> Answer {
    let resp = client()
        .post(format!("{}{path}", sb.base_url()))
        .header("x-api-key", sb.api_key())
        .json(&body)
        .send()
        .await
        .unwrap();
    answer(resp).await
}

pub async fn get(sb: &RunningSandbox, path: &str) -> Answer {
    let resp = client()
        .get(format!("{}{path}", sb.base_url()))
        .header("x-api-key", sb.api_key())
        .send()
        .await
        .unwrap();
    answer(resp).await
}

pub async fn create(sb: &RunningSandbox, body: Value) -> Answer {
    post(sb, "/create-order", body).await
}

/// Percent-encodes a path segment (everything but unreserved characters).
pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

pub async fn status(sb: &RunningSandbox, id: &str) -> Answer {
    get(sb, &format!("/check-status/{}", enc(id))).await
}

pub async fn deliveries(sb: &RunningSandbox) -> Vec<Value> {
    get(sb, "/sandbox/webhooks").await.body["deliveries"]
        .as_array()
        .unwrap()
        .clone()
}

/// Polls `f` until it yields `Some`, failing the test after `secs` seconds.
pub async fn eventually<T, F, Fut>(secs: u64, what: &str, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = f().await {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// One webhook request as the receiver saw it.
#[derive(Clone, Debug)]
pub struct Received {
    pub headers: HeaderMap,
    pub body: Bytes,
}

/// A webhook receiver: answers with the queued statuses first, then 200.
#[derive(Clone, Default)]
pub struct Receiver {
    pub received: Arc<Mutex<Vec<Received>>>,
    pub statuses: Arc<Mutex<VecDeque<u16>>>,
}

impl Receiver {
    pub fn failing_first(statuses: &[u16]) -> Self {
        let r = Receiver::default();
        r.statuses.lock().unwrap().extend(statuses);
        r
    }

    pub fn count(&self) -> usize {
        self.received.lock().unwrap().len()
    }

    pub fn get(&self, i: usize) -> Received {
        self.received.lock().unwrap()[i].clone()
    }

    /// Serves on `listener` until the test ends; returns the webhook URL.
    pub fn serve(&self, listener: tokio::net::TcpListener) -> String {
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let me = self.clone();
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |headers: HeaderMap, body: Bytes| {
                let me = me.clone();
                async move {
                    me.received.lock().unwrap().push(Received { headers, body });
                    let code = me.statuses.lock().unwrap().pop_front().unwrap_or(200);
                    (StatusCode::from_u16(code).unwrap(), "ok")
                }
            }),
        );
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        url
    }

    pub async fn start(&self) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        self.serve(listener)
    }
}

/// Lower-case hex HMAC-SHA256, computed independently of the sandbox's code.
pub fn hmac_hex(secret: &str, body: &[u8]) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// Serves `app` on a free loopback port until the test ends; returns `http://127.0.0.1:PORT`.
pub async fn serve_app(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    origin
}
