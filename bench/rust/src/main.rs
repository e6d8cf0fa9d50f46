//! The Cashi core against bare reqwest, the code a Rust merchant writes without the SDK.
//!
//! Same requests (method, URL, `x-api-key`, `accept`, JSON body), same tokio runtime, same
//! process. Prints one JSON record per line (see bench/README.md for the fields).
//!
//!   cashi-bench                  # every figure; settings from BENCH_* variables
//!   cashi-bench cold sdk|reqwest # one cold start (what `cold` spawns)
//!   cashi-bench mem sdk|reqwest  # RSS after BENCH_MEM_CALLS calls (what `mem` spawns)

use std::hint::black_box;
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use hmac::{Hmac, Mac};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::Sha256;

const LANG: &str = "rust";

struct Cfg {
    base_url: String,
    api_key: String,
    target: String,
    seconds: f64,
    /// Seconds of calls before a client's first slice (0.05 s before its later ones); 0: none.
    warmup: f64,
    rounds: usize,
    conc: usize,
    cold_runs: usize,
    mem_calls: usize,
    figures: Vec<String>,
    secret: String,
}

fn env(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_string())
}

impl Cfg {
    fn load() -> Cfg {
        Cfg {
            base_url: env("BENCH_BASE_URL", "http://127.0.0.1:8080/api"),
            api_key: env("BENCH_API_KEY", "CASHI-SANDBOX01"),
            target: env("BENCH_TARGET", "static"),
            seconds: env("BENCH_SECONDS", "2").parse().unwrap(),
            warmup: env("BENCH_WARMUP", "0.3").parse().unwrap(),
            rounds: env("BENCH_ROUNDS", "5").parse().unwrap(),
            conc: env("BENCH_CONC", "64").parse().unwrap(),
            cold_runs: env("BENCH_COLD_RUNS", "10").parse().unwrap(),
            mem_calls: env("BENCH_MEM_CALLS", "10000").parse().unwrap(),
            figures: env("BENCH_FIGURES", "seq,conc,webhook,cold,mem")
                .split(',')
                .map(str::to_string)
                .collect(),
            secret: env(
                "BENCH_WEBHOOK_SECRET",
                "sk_5a4db0c5e0f1a2b3c4d5e6f708192a3b",
            ),
        }
    }
    fn wants(&self, figure: &str) -> bool {
        self.figures.iter().any(|f| f == figure)
    }
}

/// A fresh order per call: unique id, and an amount 100 rupiah apart from the last so the
/// sandbox never runs out of unique codes.
fn next_order() -> (i64, String) {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    (
        10_000 + 100 * (n % 90_000) as i64,
        format!("B-rs-{}-{n}", std::process::id()),
    )
}

/// What a merchant deserializes the answer into without the SDK.
#[derive(Deserialize)]
#[allow(dead_code)]
struct OrderAnswer {
    success: bool,
    #[serde(rename = "orderId")]
    order_id: String,
    amount: i64,
    checkout_url: Option<String>,
    #[serde(rename = "qrUrl")]
    qr_url: Option<String>,
    expires_at: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct StatusAnswer {
    success: bool,
    status: String,
    amount: i64,
    order_id: String,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct WebhookBody {
    event: String,
    data: WebhookData,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct WebhookData {
    order_id: String,
    status: String,
    amount: i64,
    payment_method: Option<String>,
    paid_at: Option<String>,
    transaction_id: Option<String>,
}

#[derive(Clone)]
enum Api {
    Sdk(cashi::Client),
    Reqwest {
        http: reqwest::Client,
        base_url: Arc<str>,
        api_key: Arc<str>,
    },
    /// The core's own transport, bare: what the core adds on top of it.
    Hyper {
        http: HyperClient,
        base_url: Arc<str>,
        api_key: Arc<str>,
    },
}

type HyperClient = hyper_util::client::legacy::Client<HttpConnector, Full<Bytes>>;

/// hyper's pooled client as the core sets it up (no TLS: the targets are on loopback).
fn hyper_client() -> HyperClient {
    let mut connector = HttpConnector::new();
    connector.set_nodelay(true);
    connector.set_connect_timeout(Some(Duration::from_secs(10)));
    hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build(connector)
}

/// One call read whole within the core's default timeout, then deserialized.
async fn hyper_json<T: serde::de::DeserializeOwned>(
    http: &HyperClient,
    request: hyper::Request<Full<Bytes>>,
) -> Result<T, String> {
    let call = async {
        let response = http.request(request).await.map_err(|e| e.to_string())?;
        let body = response.into_body().collect().await;
        body.map(|b| b.to_bytes()).map_err(|e| e.to_string())
    };
    let bytes = tokio::time::timeout(Duration::from_secs(30), call)
        .await
        .map_err(|e| e.to_string())??;
    serde_json::from_slice(&bytes).map_err(|e| e.to_string())
}

/// Never set: the listener of `sdk_events_off` finds nobody listening, as the Python and
/// Node bindings' listeners do while no logger or emitter listener wants the events.
static LISTENING: AtomicBool = AtomicBool::new(false);

impl Api {
    fn new(kind: &str, cfg: &Cfg) -> Api {
        let sdk = || {
            cashi::Client::builder()
                .api_key(&cfg.api_key)
                .base_url(&cfg.base_url)
        };
        match kind {
            "sdk" => Api::Sdk(sdk().build().expect("client")),
            // Figure 1's event rows: the core with a listener that checks a flag and returns
            // (what a binding installs while nobody listens), and one that builds each event's
            // line and JSON (what a logger that takes every event costs the call).
            "sdk_events_off" => Api::Sdk(
                sdk()
                    .on_event(|event| {
                        if LISTENING.load(Ordering::Relaxed) {
                            black_box(event);
                        }
                    })
                    .build()
                    .expect("client"),
            ),
            "sdk_events_on" => Api::Sdk(
                sdk()
                    .on_event(|event| {
                        black_box((event.to_string(), event.to_json()));
                    })
                    .build()
                    .expect("client"),
            ),
            "reqwest" => Api::Reqwest {
                http: reqwest::Client::new(),
                base_url: cfg.base_url.as_str().into(),
                api_key: cfg.api_key.as_str().into(),
            },
            "hyper" => Api::Hyper {
                http: hyper_client(),
                base_url: cfg.base_url.as_str().into(),
                api_key: cfg.api_key.as_str().into(),
            },
            other => panic!("unknown client {other}"),
        }
    }

    async fn create(&self) -> Result<String, String> {
        let (amount, id) = next_order();
        match self {
            Api::Sdk(c) => c
                .create_order(&cashi::CreateOrder::new(amount).order_id(id))
                .await
                .map(|o| o.order_id)
                .map_err(|e| e.to_string()),
            Api::Reqwest {
                http,
                base_url,
                api_key,
            } => {
                let answer: OrderAnswer = http
                    .post(format!("{base_url}/create-order"))
                    .header("x-api-key", &**api_key)
                    .header("accept", "application/json")
                    .json(&json!({"amount": amount, "order_id": id}))
                    .send()
                    .await
                    .and_then(|r| r.error_for_status())
                    .map_err(|e| e.to_string())?
                    .json()
                    .await
                    .map_err(|e| e.to_string())?;
                Ok(answer.order_id)
            }
            Api::Hyper {
                http,
                base_url,
                api_key,
            } => {
                let body = serde_json::to_vec(&json!({"amount": amount, "order_id": id})).unwrap();
                let request = hyper::Request::post(format!("{base_url}/create-order"))
                    .header("x-api-key", &**api_key)
                    .header("accept", "application/json")
                    .header("content-type", "application/json")
                    .body(Full::new(Bytes::from(body)))
                    .unwrap();
                let answer: OrderAnswer = hyper_json(http, request).await?;
                Ok(answer.order_id)
            }
        }
    }

    async fn status(&self, id: &str) -> Result<(), String> {
        match self {
            Api::Sdk(c) => c
                .check_status(id)
                .await
                .map(|s| {
                    black_box(s);
                })
                .map_err(|e| e.to_string()),
            Api::Reqwest {
                http,
                base_url,
                api_key,
            } => {
                let answer: StatusAnswer = http
                    .get(format!("{base_url}/check-status/{id}"))
                    .header("x-api-key", &**api_key)
                    .header("accept", "application/json")
                    .send()
                    .await
                    .and_then(|r| r.error_for_status())
                    .map_err(|e| e.to_string())?
                    .json()
                    .await
                    .map_err(|e| e.to_string())?;
                black_box(answer);
                Ok(())
            }
            Api::Hyper {
                http,
                base_url,
                api_key,
            } => {
                let request = hyper::Request::get(format!("{base_url}/check-status/{id}"))
                    .header("x-api-key", &**api_key)
                    .header("accept", "application/json")
                    .body(Full::new(Bytes::new()))
                    .unwrap();
                let answer: StatusAnswer = hyper_json(http, request).await?;
                black_box(answer);
                Ok(())
            }
        }
    }

    async fn call(&self, op: &str, id: &str) -> Result<(), String> {
        match op {
            "create" => self.create().await.map(|_| ()),
            _ => self.status(id).await,
        }
    }
}

#[derive(Default)]
struct Samples {
    lat_ns: Vec<u64>,
    errors: u64,
    first_error: Option<String>,
}

impl Samples {
    fn merge(&mut self, other: Samples) {
        self.lat_ns.extend(other.lat_ns);
        self.errors += other.errors;
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
    }
}

/// A client's slices of one figure, added up; each slice's own calls/s and p50 are kept
/// too, so the report can show how far they move.
#[derive(Default)]
struct Totals {
    samples: Samples,
    elapsed: Duration,
    slices: Vec<(f64, f64)>,
}

impl Totals {
    fn add(&mut self, slice: Samples, elapsed: Duration) {
        let mut lat = slice.lat_ns.clone();
        lat.sort_unstable();
        let rate = lat.len() as f64 / elapsed.as_secs_f64();
        self.slices.push((rate, percentile(&lat, 50.0)));
        self.samples.merge(slice);
        self.elapsed += elapsed;
    }
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[i] as f64 / 1000.0
}

fn record(fields: Value) {
    let mut base = json!({"lang": LANG});
    base.as_object_mut()
        .unwrap()
        .extend(fields.as_object().unwrap().clone());
    println!("{base}");
}

fn report(cfg: &Cfg, figure: &str, client: &str, op: &str, totals: Totals) {
    let Totals {
        samples: s,
        elapsed,
        slices,
    } = totals;
    let mut lat = s.lat_ns;
    lat.sort_unstable();
    if let Some(e) = &s.first_error {
        eprintln!(
            "rust {figure} {client} {op}: {} errors, first: {e}",
            s.errors
        );
    }
    record(json!({
        "target": cfg.target, "figure": figure, "client": client, "op": op,
        "n": lat.len(), "errors": s.errors,
        "rate": lat.len() as f64 / elapsed.as_secs_f64(),
        "p50_us": percentile(&lat, 50.0), "p99_us": percentile(&lat, 99.0),
        "slice_rates": slices.iter().map(|s| s.0).collect::<Vec<_>>(),
        "slice_p50_us": slices.iter().map(|s| s.1).collect::<Vec<_>>(),
    }));
}

async fn run_loop(api: &Api, op: &str, id: &str, until: Instant) -> Samples {
    let mut s = Samples::default();
    // Until the deadline, and at least one call.
    while Instant::now() < until || (s.lat_ns.is_empty() && s.errors == 0) {
        let t = Instant::now();
        match api.call(op, id).await {
            Ok(()) => s.lat_ns.push(t.elapsed().as_nanos() as u64),
            Err(e) => {
                s.errors += 1;
                s.first_error.get_or_insert(e);
            }
        }
    }
    s
}

/// A blocking loop: one `block_on` per call from a plain thread, as the bindings do.
fn run_blocking_loop(
    block_on: &dyn Fn(&Api) -> Result<(), String>,
    api: &Api,
    until: Instant,
) -> Samples {
    let mut s = Samples::default();
    // Until the deadline, and at least one call.
    while Instant::now() < until || (s.lat_ns.is_empty() && s.errors == 0) {
        let t = Instant::now();
        match block_on(api) {
            Ok(()) => s.lat_ns.push(t.elapsed().as_nanos() as u64),
            Err(e) => {
                s.errors += 1;
                s.first_error.get_or_insert(e);
            }
        }
    }
    s
}

/// The core called the way the C ABI, PHP and Python's sync client call it: one
/// `block_on` per call from the caller's thread. `sdk_local` is their path
/// (`cashi::runtime::block_on_local`: the calling thread's current-thread runtime);
/// `sdk_blocking` the alternative it is measured against (`cashi::runtime::get().block_on`,
/// the multi-threaded process runtime: the connection's I/O runs on a worker thread, the caller
/// waits for it); `sdk_current_thread` a current-thread runtime owned by the
/// calling thread (all I/O on the caller's thread, no hand-off); `reqwest_current_thread`
/// the same for bare reqwest. `sdk_spawn_2workers` / `sdk_spawn_1worker`: the call spawned
/// on a runtime with 2 / 1 worker threads, its answer awaited on the calling thread (the
/// hand-off Node's and Python's async bindings make).
fn sequential_blocking(
    cfg: &Cfg,
    client: &str,
    op: &str,
    id: &str,
    warm: f64,
    secs: f64,
) -> (Samples, Duration) {
    let api = Api::new(client.split('_').next().unwrap(), cfg);
    let current = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let workers = |n: usize| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(n)
            .enable_all()
            .build()
            .unwrap()
    };
    // Submit the call to a runtime and wait for its answer on this thread: the pattern of
    // Node's spawn_future and Python's AsyncClient (their event loop is the waiting thread).
    let spawn = |rt: tokio::runtime::Runtime| {
        move |api: &Api| {
            let (api, op, id) = (api.clone(), op.to_string(), id.to_string());
            let (tx, rx) = tokio::sync::oneshot::channel();
            rt.spawn(async move {
                let _ = tx.send(api.call(&op, &id).await);
            });
            rx.blocking_recv().unwrap()
        }
    };
    let call: Box<BlockingCall<'_>> = match client {
        "sdk_blocking" => Box::new(|api: &Api| cashi::runtime::get().block_on(api.call(op, id))),
        "sdk_local" => Box::new(|api: &Api| cashi::runtime::block_on_local(api.call(op, id))),
        "sdk_spawn_2workers" => Box::new(spawn(workers(2))),
        "sdk_spawn_1worker" => Box::new(spawn(workers(1))),
        _ => Box::new(move |api: &Api| current.block_on(api.call(op, id))),
    };
    if warm > 0.0 {
        run_blocking_loop(&*call, &api, Instant::now() + Duration::from_secs_f64(warm));
    }
    let start = Instant::now();
    let s = run_blocking_loop(&*call, &api, start + Duration::from_secs_f64(secs));
    (s, start.elapsed())
}

async fn sequential(api: &Api, op: &str, id: &str, warm: f64, secs: f64) -> (Samples, Duration) {
    if warm > 0.0 {
        run_loop(api, op, id, Instant::now() + Duration::from_secs_f64(warm)).await;
    }
    let start = Instant::now();
    let s = run_loop(api, op, id, start + Duration::from_secs_f64(secs)).await;
    (s, start.elapsed())
}

async fn concurrent(
    cfg: &Cfg,
    on: &tokio::runtime::Handle,
    api: &Api,
    op: &str,
    id: &str,
    warm: f64,
    secs: f64,
) -> (Samples, Duration) {
    let burst = |secs: f64| {
        let until = Instant::now() + Duration::from_secs_f64(secs);
        (0..cfg.conc)
            .map(|_| {
                let (api, op, id) = (api.clone(), op.to_string(), id.to_string());
                on.spawn(async move { run_loop(&api, &op, &id, until).await })
            })
            .collect::<Vec<_>>()
    };
    if warm > 0.0 {
        for h in burst(warm) {
            h.await.unwrap();
        }
    }
    let start = Instant::now();
    let mut all = Samples::default();
    for h in burst(secs) {
        all.merge(h.await.unwrap());
    }
    (all, start.elapsed())
}

fn webhook_body() -> &'static [u8] {
    br#"{"event":"PAYMENT_SETTLED","data":{"order_id":"INV-20261125-0042","status":"SETTLED","amount":15023,"payment_method":"QRIS","paid_at":"2026-11-25 15:04:05","transaction_id":"31277571482"}}"#
}

fn webhook(cfg: &Cfg) {
    let body = webhook_body();
    let mut mac = Hmac::<Sha256>::new_from_slice(cfg.secret.as_bytes()).unwrap();
    mac.update(body);
    let sig = hex::encode(mac.finalize().into_bytes());
    let sdk = cashi::Webhook::new(&cfg.secret).unwrap();
    let secret = cfg.secret.as_bytes();
    let native = |sig: &str| -> bool {
        let Ok(expected) = hex::decode(sig) else {
            return false;
        };
        let mut mac = Hmac::<Sha256>::new_from_slice(secret).unwrap();
        mac.update(body);
        if mac.verify_slice(&expected).is_err() {
            return false;
        }
        let event: WebhookBody = serde_json::from_slice(body).unwrap();
        black_box(event);
        true
    };
    assert!(sdk.verify(body, &sig).is_ok() && native(&sig));
    // Round-robin, as the other figures: BENCH_ROUNDS slices each, in turn.
    let clients: [(&str, &dyn Fn() -> bool); 2] = [
        ("sdk", &|| sdk.verify(body, &sig).is_ok()),
        ("native", &|| native(&sig)),
    ];
    let mut calls = [0u64; 2];
    let mut spent = [Duration::ZERO; 2];
    let mut slice_rates: [Vec<f64>; 2] = Default::default();
    let slice = Duration::from_secs_f64(cfg.seconds.min(1.5) / cfg.rounds as f64);
    for _ in 0..cfg.rounds {
        for (i, (_, f)) in clients.iter().enumerate() {
            let start = Instant::now();
            let mut n = 0u64;
            while start.elapsed() < slice {
                for _ in 0..1000 {
                    assert!(black_box(f()));
                }
                n += 1000;
            }
            let took = start.elapsed();
            calls[i] += n;
            spent[i] += took;
            slice_rates[i].push(n as f64 / took.as_secs_f64());
        }
    }
    for (i, (client, _)) in clients.iter().enumerate() {
        let (n, secs) = (calls[i], spent[i].as_secs_f64());
        record(
            json!({"target": "none", "figure": "webhook", "client": client, "op": "verify",
                      "n": n, "errors": 0, "rate": n as f64 / secs,
                      "p50_us": secs * 1e6 / n as f64, "slice_rates": slice_rates[i]}),
        );
    }
}

/// One blocking call through a client, the way a binding would make it.
type BlockingCall<'a> = dyn Fn(&Api) -> Result<(), String> + 'a;

fn rss_kb() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Child of `cold`: build the runtime and the client, make the first call, report the time.
fn cold_child(cfg: &Cfg, client: &str) {
    let t = Instant::now();
    let rt = runtime();
    let api = Api::new(client, cfg);
    let ok = rt.block_on(api.create());
    let us = t.elapsed().as_secs_f64() * 1e6;
    println!("{}", json!({"ok": ok.is_ok(), "in_process_us": us}));
}

/// Child of `mem`: the RSS after `mem_calls` sequential create-order calls.
fn mem_child(cfg: &Cfg, client: &str) {
    let rt = runtime();
    let api = Api::new(client, cfg);
    let before = rss_kb().0;
    let mut errors = 0;
    rt.block_on(async {
        for _ in 0..cfg.mem_calls {
            if api.create().await.is_err() {
                errors += 1;
            }
        }
    });
    let (rss, hwm) = rss_kb();
    println!(
        "{}",
        json!({"rss_kb": rss, "hwm_kb": hwm, "rss_before_kb": before, "errors": errors})
    );
}

fn child(mode: &str, client: &str) -> Value {
    let out = Command::new(std::env::current_exe().unwrap())
        .args([mode, client])
        .output()
        .expect("spawn");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|_| json!({"ok": false}))
}

fn cold(cfg: &Cfg) {
    // The clients take turns, run after run, so a change in load hits both alike.
    let clients = ["sdk", "reqwest"];
    let mut wall = vec![vec![]; clients.len()];
    let mut inproc = vec![vec![]; clients.len()];
    for _ in 0..cfg.cold_runs {
        for (i, client) in clients.iter().enumerate() {
            let t = Instant::now();
            let r = child("cold", client);
            wall[i].push(t.elapsed().as_secs_f64() * 1e3);
            inproc[i].push(r["in_process_us"].as_f64().unwrap_or(f64::NAN) / 1e3);
        }
    }
    for (i, client) in clients.iter().enumerate() {
        record(
            json!({"target": cfg.target, "figure": "cold", "client": client, "op": "first_call",
                      "n": cfg.cold_runs, "wall_ms": median(&mut wall[i]),
                      "in_process_ms": median(&mut inproc[i])}),
        );
    }
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn mem(cfg: &Cfg) {
    for client in ["sdk", "reqwest"] {
        let r = child("mem", client);
        record(
            json!({"target": cfg.target, "figure": "mem", "client": client, "op": "create",
                      "n": cfg.mem_calls, "errors": r["errors"], "rss_kb": r["rss_kb"],
                      "hwm_kb": r["hwm_kb"], "rss_before_kb": r["rss_before_kb"]}),
        );
    }
}

fn main() {
    let cfg = Cfg::load();
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("cold") => return cold_child(&cfg, &args[1]),
        Some("mem") => return mem_child(&cfg, &args[1]),
        Some(other) => panic!("unknown mode {other}"),
        None => {}
    }
    let rt = runtime();
    let clients: Vec<(&str, Api)> = ["sdk", "reqwest", "hyper", "sdk_events_off", "sdk_events_on"]
        .into_iter()
        .map(|c| (c, Api::new(c, &cfg)))
        .collect();
    // The order every check-status call reads: a real one on the sandbox.
    let status_id = rt
        .block_on(clients[0].1.create())
        .expect("first create-order");
    // Round-robin: every client of a figure runs BENCH_ROUNDS slices of BENCH_SECONDS /
    // BENCH_ROUNDS, in turn, so a change in the machine's load hits all of them alike.
    let blocking = [
        "sdk_blocking",
        "sdk_local",
        "sdk_current_thread",
        "reqwest_current_thread",
        "sdk_spawn_2workers",
        "sdk_spawn_1worker",
    ];
    // An experiment for figure 2: the core's 64 tasks on a runtime with one worker thread
    // (what a binding would use if its I/O ran on a single runtime thread).
    let one_worker = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let sdk_1worker = Api::new("sdk", &cfg);
    let slice = cfg.seconds / cfg.rounds as f64;
    for figure in ["seq", "conc"] {
        if !cfg.wants(figure) {
            continue;
        }
        for op in ["create", "status"] {
            // The event rows are figure 1's only.
            let mut names: Vec<&str> = clients
                .iter()
                .map(|(n, _)| *n)
                .filter(|n| figure == "seq" || !n.starts_with("sdk_events"))
                .collect();
            if figure == "seq" {
                names.extend(blocking);
            } else {
                names.push("sdk_1worker");
            }
            let mut acc: Vec<Totals> = names.iter().map(|_| Totals::default()).collect();
            for round in 0..cfg.rounds {
                let warm = if round == 0 {
                    cfg.warmup
                } else {
                    cfg.warmup.min(0.05)
                };
                // A blocking client is built afresh for each slice: 0.1 s of warm-up each.
                let blocking_warm = cfg.warmup.min(0.1);
                for (i, name) in names.iter().enumerate() {
                    let (s, d) = if *name == "sdk_1worker" {
                        let on = one_worker.handle();
                        rt.block_on(concurrent(
                            &cfg,
                            on,
                            &sdk_1worker,
                            op,
                            &status_id,
                            warm,
                            slice,
                        ))
                    } else if let Some((_, api)) = clients.iter().find(|(n, _)| n == name) {
                        rt.block_on(async {
                            if figure == "seq" {
                                sequential(api, op, &status_id, warm, slice).await
                            } else {
                                let on = tokio::runtime::Handle::current();
                                concurrent(&cfg, &on, api, op, &status_id, warm, slice).await
                            }
                        })
                    } else {
                        sequential_blocking(&cfg, name, op, &status_id, blocking_warm, slice)
                    };
                    acc[i].add(s, d);
                }
            }
            for (name, totals) in names.iter().zip(acc) {
                report(&cfg, figure, name, op, totals);
            }
        }
    }
    drop(clients);
    if cfg.wants("webhook") {
        webhook(&cfg);
    }
    if cfg.wants("cold") {
        cold(&cfg);
    }
    if cfg.wants("mem") {
        mem(&cfg);
    }
}
