//! Starting and stopping a sandbox, and serving connections.
//!
//! Connections are served with hyper directly rather than `axum::serve` so that the
//! `drop` fault can close a connection without writing any response: when the router's
//! answer carries [`DropConnection`], the service returns an error and hyper closes the
//! socket, so the client sees EOF, never an HTTP status.

use std::convert::Infallible;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::Poll;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::{watch, Notify};
use tokio::task::{JoinHandle, JoinSet};
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

use crate::clock::Clock;
use crate::config::{allowed_host, SandboxConfig, DEFAULT_API_KEY};
use crate::error::SandboxError;
use crate::faults::{DropConnection, Faults};
use crate::lock::Lock;
use crate::persistence::Db;
use crate::state::Sandbox;
use crate::store::{Settings, Store};
use crate::tls::CaFile;
use crate::{routes, tls, webhooks};

/// How long a client may take over its TLS handshake before the connection is closed.
const HANDSHAKE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// A sandbox serving on a socket; stop it with [`RunningSandbox::shutdown`].
pub struct RunningSandbox {
    sandbox: Arc<Sandbox>,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
    /// With TLS: the CA certificate's file (removed when the sandbox made it for itself).
    ca_file: Option<CaFile>,
}

/// Starts a sandbox: binds the socket, loads the database if any, and serves in the
/// background on the current tokio runtime until `shutdown`.
pub async fn start(config: SandboxConfig) -> Result<RunningSandbox, SandboxError> {
    start_with_router(config, |_, router| router).await
}

/// `start`, serving what `customize` makes of the router (tests add routes to it).
async fn start_with_router(
    config: SandboxConfig,
    customize: impl FnOnce(&Arc<Sandbox>, Router) -> Router,
) -> Result<RunningSandbox, SandboxError> {
    let mut api_keys: Vec<String> = config
        .api_keys
        .iter()
        .filter(|k| !k.is_empty())
        .cloned()
        .collect();
    if config.api_keys.is_empty() {
        api_keys.push(DEFAULT_API_KEY.to_string());
    }
    if api_keys.is_empty() {
        return Err(SandboxError::Config("every API key is empty".into()));
    }
    if !is_loopback(config.host)
        && !config.allow_public
        && api_keys.iter().any(|k| k == DEFAULT_API_KEY)
    {
        return Err(SandboxError::Config(format!(
            "refusing to listen on {}, which other machines can reach, with the published \
             default API key {DEFAULT_API_KEY}: anyone on the network could read the webhook \
             secret and make the sandbox send requests; pass --api-key with a key of your own, \
             or --allow-public to accept that",
            config.host
        )));
    }
    let allowed_hosts = config
        .allowed_hosts
        .iter()
        .map(|h| allowed_host(h))
        .collect::<Result<Vec<_>, _>>()
        .map_err(SandboxError::Config)?;
    config.check().map_err(SandboxError::Config)?;
    if config.webhook_secret.is_empty() {
        return Err(SandboxError::Config("the webhook secret is empty".into()));
    }
    let (db, orders, deliveries, offset) = match &config.db_path {
        Some(path) => {
            let (db, loaded) = Db::open(path)?;
            (
                Some(db),
                loaded.orders,
                loaded.deliveries,
                loaded.clock_offset_ms,
            )
        }
        None => (None, Vec::new(), Vec::new(), 0),
    };
    let bind_error = |source| SandboxError::Bind {
        addr: std::net::SocketAddr::from((config.host, config.port)).to_string(),
        source,
    };
    let listener = TcpListener::bind((config.host, config.port))
        .await
        .map_err(bind_error)?;
    let addr = listener.local_addr().map_err(bind_error)?;
    let tls = if config.tls {
        Some(tls::setup(
            &tls::names(config.host, &allowed_hosts),
            config.tls_ca_out.as_deref(),
            config.db_path.as_deref(),
        )?)
    } else {
        None
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    let origin = format!("{scheme}://{}", public_addr(addr));
    // Redirects are not followed: a receiver's redirect would otherwise make the sandbox
    // fetch, and show in its delivery records, a page the caller could not reach itself.
    let http = reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| SandboxError::Config(format!("cannot build the webhook client: {e}")))?;
    let settings = Settings {
        webhook_url: config.webhook_url.clone(),
        webhook_secret: config.webhook_secret.clone(),
        redirect_url: config.redirect_url.clone(),
    };
    let sandbox = Arc::new(Sandbox {
        api_keys,
        allowed_hosts,
        clock: Clock::with_offset(offset),
        store: Lock::new(Store::new(settings, db, orders, deliveries)),
        faults: Faults::default(),
        webhook_wake: Notify::new(),
        http,
        addr,
        origin,
        config,
        close_idle: watch::channel(0).0,
        open_connections: AtomicUsize::new(0),
        connection_closed: Notify::new(),
    });
    let (stop, stop_rx) = watch::channel(false);
    let (acceptor, ca_file) = match tls {
        Some(tls) => (Some(tls.acceptor), Some(tls.ca_file)),
        None => (None, None),
    };
    let tasks = vec![
        tokio::spawn(serve(
            listener,
            acceptor,
            sandbox.clone(),
            customize(&sandbox, routes::router(sandbox.clone())),
            stop_rx.clone(),
        )),
        tokio::spawn(webhooks::run(sandbox.clone(), stop_rx)),
    ];
    Ok(RunningSandbox {
        sandbox,
        stop,
        tasks,
        ca_file,
    })
}

/// Loopback, IPv4-mapped IPv6 included (`::ffff:127.0.0.1`).
pub(crate) fn is_loopback(ip: IpAddr) -> bool {
    ip.to_canonical().is_loopback()
}

/// The address to put in URLs: a wildcard bind is reached through loopback.
fn public_addr(addr: SocketAddr) -> SocketAddr {
    let mut a = addr;
    if a.ip().is_unspecified() {
        a.set_ip(match a {
            SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
            SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
        });
    }
    a
}

#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for Dropped {}

async fn serve(
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    sandbox: Arc<Sandbox>,
    router: Router,
    mut stop: watch::Receiver<bool>,
) {
    let mut conns = JoinSet::new();
    loop {
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(s) => s,
                // Out of file descriptors and the like: back off, keep serving.
                Err(_) => {
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = stop.changed() => break,
        };
        while conns.try_join_next().is_some() {}
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let close_idle = sandbox.close_idle.subscribe();
        let open = OpenConnection::new(sandbox.clone());
        let tls = tls.clone();
        conns.spawn(async move {
            let _open = open;
            match tls {
                None => serve_connection(stream, router, close_idle).await,
                Some(acceptor) => {
                    // A client that never finishes its handshake is not served.
                    if let Ok(Ok(stream)) =
                        tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await
                    {
                        serve_connection(stream, router, close_idle).await;
                    }
                }
            }
        });
    }
    conns.abort_all();
    while conns.join_next().await.is_some() {}
}

/// Serves one connection's requests (plain TCP or TLS) until it closes, or until the
/// sandbox asks idle connections to close.
async fn serve_connection<S>(stream: S, router: Router, mut close_idle: watch::Receiver<u64>)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = hyper::service::service_fn(move |req: Request<Incoming>| {
        let router = router.clone();
        async move {
            let resp = match catch_panic(router.oneshot(req.map(Body::new))).await {
                Some(resp) => resp.unwrap_or_else(|e: Infallible| match e {}),
                None => routes::json_error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "the sandbox failed while answering this request (a bug: its \
                             stderr says where); it keeps serving, and what the request \
                             changed before the failure stays changed",
                ),
            };
            if resp.extensions().get::<DropConnection>().is_some() {
                return Err(Dropped);
            }
            Ok(resp)
        }
    });
    let connection = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .keep_alive(true)
        .serve_connection(TokioIo::new(stream), service);
    tokio::pin!(connection);
    tokio::select! {
        _ = connection.as_mut() => return,
        _ = close_idle.changed() => {}
    }
    // Closed now if idle, as a server does when its keep-alive timeout passes;
    // after its answer if a request is in flight.
    connection.as_mut().graceful_shutdown();
    let _ = connection.await;
}

/// Runs `fut`, turning a panic into `None`: one request's bug answers 500 instead of
/// closing the connection, and (with `state::Lock`) leaves the sandbox serving.
async fn catch_panic<F: Future>(fut: F) -> Option<F::Output> {
    let mut fut = std::pin::pin!(fut);
    std::future::poll_fn(|cx| {
        match std::panic::catch_unwind(AssertUnwindSafe(|| fut.as_mut().poll(cx))) {
            Ok(Poll::Ready(out)) => Poll::Ready(Some(out)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(_) => Poll::Ready(None),
        }
    })
    .await
}

/// Counts a connection as open in `Sandbox::open_connections` until dropped.
struct OpenConnection(Arc<Sandbox>);

impl OpenConnection {
    fn new(sandbox: Arc<Sandbox>) -> OpenConnection {
        sandbox.open_connections.fetch_add(1, Ordering::SeqCst);
        OpenConnection(sandbox)
    }
}

impl Drop for OpenConnection {
    fn drop(&mut self) {
        self.0.open_connections.fetch_sub(1, Ordering::SeqCst);
        self.0.connection_closed.notify_waiters();
    }
}

impl RunningSandbox {
    /// The bound socket address (the real port when 0 was asked for).
    pub fn addr(&self) -> SocketAddr {
        self.sandbox.addr
    }

    /// `http://127.0.0.1:PORT` (`https://` with TLS), the root (checkout pages live under
    /// `/pay/`).
    pub fn url(&self) -> String {
        self.sandbox.origin.clone()
    }

    /// `http://127.0.0.1:PORT/api` (`https://` with TLS), what an SDK uses as its base URL.
    pub fn base_url(&self) -> String {
        format!("{}/api", self.sandbox.origin)
    }

    /// With TLS, the file of the CA certificate that signed the sandbox's: the CA bundle
    /// to give an SDK (`ca_bundle`).
    pub fn ca_file(&self) -> Option<&Path> {
        self.ca_file.as_ref().map(|f| f.path.as_path())
    }

    /// What to tell whoever started a sandbox that other machines can reach (`None` on a
    /// loopback address). Printed to stderr by the command-line server.
    pub fn public_warning(&self) -> Option<String> {
        let addr = self.sandbox.addr;
        if is_loopback(addr.ip()) {
            return None;
        }
        let mut warning = format!(
            "warning: listening on {addr}, which other machines can reach: whoever reaches it \
             with an accepted API key can read the webhook secret, pay orders and make the \
             sandbox send webhooks to any URL"
        );
        if self.sandbox.api_keys.iter().any(|k| k == DEFAULT_API_KEY) {
            warning.push_str(&format!(
                ", and the published default API key {DEFAULT_API_KEY} is accepted"
            ));
        }
        warning.push_str("; use it only on a network you trust");
        Some(warning)
    }

    /// The first configured API key.
    pub fn api_key(&self) -> &str {
        &self.sandbox.api_keys[0]
    }

    /// The webhook secret currently in force (it can change through the config control).
    pub fn webhook_secret(&self) -> String {
        self.sandbox.store.lock().settings.webhook_secret.clone()
    }

    /// Stops accepting, closes open connections, stops starting webhook attempts and
    /// finishes (and records) those under way, waiting for all of it. Pending deliveries
    /// resume at the next start with a database.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        for t in std::mem::take(&mut self.tasks) {
            let _ = t.await;
        }
    }
}

/// Dropping without `shutdown` still stops the server and the webhook ticker (without
/// waiting for them), so a test that forgets to shut down leaks no listener.
impl Drop for RunningSandbox {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// No request can make a handler panic (inputs are bounded), so this test adds a route
    /// that does, with the store locked, as a bug would.
    #[tokio::test]
    async fn a_panicking_handler_answers_500_and_the_sandbox_keeps_serving() {
        let config = SandboxConfig {
            log_requests: false,
            ..SandboxConfig::default()
        };
        let sb = start_with_router(config, |sandbox, router| {
            let sandbox = sandbox.clone();
            router.route(
                "/boom",
                axum::routing::get(move || async move {
                    let store = sandbox.store.lock();
                    if !store.deliveries().is_empty() || !sandbox.api_keys.is_empty() {
                        panic!("a bug in a handler, with the store locked");
                    }
                    "unreachable"
                }),
            )
        })
        .await
        .unwrap();
        let http = reqwest::Client::builder().no_proxy().build().unwrap();
        for _ in 0..2 {
            let resp = http.get(format!("{}/boom", sb.url())).send().await.unwrap();
            assert_eq!(resp.status(), 500);
            let body: serde_json::Value = resp.json().await.unwrap();
            assert_eq!(body["success"], false);
            assert!(
                body["message"].as_str().unwrap().contains("keeps serving"),
                "{body}"
            );
        }
        let resp = http
            .post(format!("{}/create-order", sb.base_url()))
            .header("x-api-key", sb.api_key())
            .body(r#"{"amount":15000,"order_id":"after"}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        let resp = http
            .get(format!("{}/check-status/after", sb.base_url()))
            .header("x-api-key", sb.api_key())
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        assert!(!sb.webhook_secret().is_empty());
        sb.shutdown().await;
    }
}
