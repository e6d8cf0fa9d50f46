//! The HTTP/1.1 transport under the client: hyper's pooled client over rustls, with nothing
//! between it and the call. A general client such as reqwest parses every URL twice more
//! and clones its connector per request, work that costs a blocking binding's calls more
//! than the SDK's own (bench/FINDINGS.md §4).

use std::error::Error as StdError;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::header::{HeaderValue, RETRY_AFTER};
use hyper::Uri;
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use tokio::net::TcpStream;
use tower_service::Service;

use crate::trust::Tls;

pub(crate) type Request = hyper::Request<Full<Bytes>>;

/// The most of an answer that is read: Cashi's largest, an order with its QR image, is
/// under 10 KB. A longer body is not an answer of the API.
const MAX_BODY_BYTES: usize = 1 << 20;

/// How long an idle pooled connection is kept. Servers close theirs after their own
/// keep-alive timeout (Cashi's is not documented), often sooner; a blocking call notices
/// that before it picks one (`runtime::block_on_local`), an async runtime as it happens.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(60);

/// What shapes a transport (the rest of a request travels with it): two clients with the
/// same settings can share one pool.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Settings {
    pub connect_timeout: Duration,
    pub proxy: Option<Proxy>,
    /// The certificates trusted (`trust`), built once per process per bundle.
    pub tls: Tls,
}

/// The HTTP proxy an https base URL is reached through (`HTTPS_PROXY` / `ALL_PROXY`, unless
/// `NO_PROXY` names the host), as a CONNECT tunnel.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Proxy {
    uri: Uri,
    /// `Proxy-Authorization` from the proxy URL's user and password; marked sensitive.
    auth: Option<HeaderValue>,
}

impl Proxy {
    /// The proxy the environment names for `base` (https only: plain http is allowed only
    /// to loopback hosts, which are never proxied), or an error if it cannot be used.
    pub(crate) fn from_env(base: &url::Url) -> std::result::Result<Option<Proxy>, String> {
        if base.scheme() != "https" {
            return Ok(None);
        }
        let dst: Uri = base
            .as_str()
            .parse()
            .map_err(|e| format!("base_url: {e}"))?;
        let Some(intercept) = Matcher::from_env().intercept(&dst) else {
            return Ok(None);
        };
        let uri = intercept.uri().clone();
        if uri.scheme_str() != Some("http") {
            return Err(format!(
                "HTTPS_PROXY / ALL_PROXY: the proxy {}://{} is not supported; give an http:// proxy (the connection to Cashi inside its tunnel is still TLS)",
                uri.scheme_str().unwrap_or(""),
                uri.authority().map(|a| a.host()).unwrap_or(""),
            ));
        }
        let auth = intercept.basic_auth().cloned().map(|mut value| {
            value.set_sensitive(true);
            value
        });
        Ok(Some(Proxy { uri, auth }))
    }

    pub(crate) fn host(&self) -> &str {
        self.uri.host().unwrap_or("")
    }
}

/// A pool of connections to one origin; cheap to clone.
#[derive(Clone)]
pub(crate) struct Transport {
    client: Client<HttpsConnector<Connector>, Full<Bytes>>,
}

/// An answer read whole.
pub(crate) struct Answer {
    pub status: u16,
    pub retry_after: Option<HeaderValue>,
    pub body: Bytes,
}

/// Why no answer came.
#[derive(Debug)]
pub(crate) enum SendError {
    /// No connection: the request was not sent. `timed_out` for a connect timeout.
    Connect { cause: String, timed_out: bool },
    /// The whole call outlasted the client's timeout.
    Timeout,
    /// The connection failed after the request may have been sent.
    Broken { cause: String },
}

impl Transport {
    pub(crate) fn new(settings: &Settings) -> Transport {
        let mut http = HttpConnector::new();
        http.enforce_http(false); // https goes through the TLS layer around it
        http.set_nodelay(true);
        http.set_connect_timeout(Some(settings.connect_timeout));
        let connector = match &settings.proxy {
            None => Connector::Direct(http),
            Some(proxy) => {
                let tunnel = Tunnel::new(proxy.uri.clone(), http);
                Connector::Tunnel(match &proxy.auth {
                    Some(auth) => tunnel.with_auth(auth.clone()),
                    None => tunnel,
                })
            }
        };
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config((*settings.tls.config).clone())
            .https_or_http()
            .enable_http1()
            .wrap_connector(connector);
        let client = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(POOL_IDLE_TIMEOUT)
            .pool_timer(TokioTimer::new())
            .build(https);
        Transport { client }
    }

    /// Sends `request` and reads its answer, all within `timeout`.
    pub(crate) async fn send(
        &self,
        request: Request,
        timeout: Duration,
    ) -> std::result::Result<Answer, SendError> {
        let call = async {
            let response = self.client.request(request).await.map_err(|e| {
                if e.is_connect() {
                    SendError::Connect {
                        timed_out: has_timed_out(&e),
                        cause: root_cause(&e),
                    }
                } else {
                    SendError::Broken {
                        cause: root_cause(&e),
                    }
                }
            })?;
            let status = response.status().as_u16();
            let retry_after = response.headers().get(RETRY_AFTER).cloned();
            let body = Limited::new(response.into_body(), MAX_BODY_BYTES)
                .collect()
                .await
                .map_err(|e| SendError::Broken {
                    cause: if e.is::<http_body_util::LengthLimitError>() {
                        format!("the answer is longer than {MAX_BODY_BYTES} bytes")
                    } else {
                        root_cause(&*e)
                    },
                })?
                .to_bytes();
            Ok(Answer {
                status,
                retry_after,
                body,
            })
        };
        match tokio::time::timeout(timeout, call).await {
            Ok(answer) => answer,
            Err(_) => Err(SendError::Timeout),
        }
    }
}

/// The innermost error's text: the one that names what went wrong (`Connection refused`).
pub(crate) fn root_cause(e: &(dyn StdError + 'static)) -> String {
    let mut cause: &dyn StdError = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

fn has_timed_out(e: &(dyn StdError + 'static)) -> bool {
    let mut cause: Option<&(dyn StdError + 'static)> = Some(e);
    while let Some(c) = cause {
        if c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut)
        {
            return true;
        }
        cause = c.source();
    }
    false
}

/// A TCP connection to the origin, straight or through a proxy's CONNECT tunnel.
#[derive(Clone)]
enum Connector {
    Direct(HttpConnector),
    Tunnel(Tunnel<HttpConnector>),
}

type Connecting = Pin<
    Box<
        dyn Future<
                Output = std::result::Result<TokioIo<TcpStream>, Box<dyn StdError + Send + Sync>>,
            > + Send,
    >,
>;

impl Service<Uri> for Connector {
    type Response = TokioIo<TcpStream>;
    type Error = Box<dyn StdError + Send + Sync>;
    type Future = Connecting;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<std::result::Result<(), Self::Error>> {
        match self {
            Connector::Direct(c) => c.poll_ready(cx).map_err(Into::into),
            Connector::Tunnel(t) => t.poll_ready(cx).map_err(Into::into),
        }
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        match self {
            Connector::Direct(c) => {
                let connecting = c.call(dst);
                Box::pin(async move { connecting.await.map_err(Into::into) })
            }
            Connector::Tunnel(t) => {
                let connecting = t.call(dst);
                Box::pin(async move { connecting.await.map_err(Into::into) })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_connect_timeout_is_recognised_through_the_error_chain() {
        #[derive(Debug)]
        struct Outer(std::io::Error);
        impl std::fmt::Display for Outer {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("connect error")
            }
        }
        impl StdError for Outer {
            fn source(&self) -> Option<&(dyn StdError + 'static)> {
                Some(&self.0)
            }
        }
        let timed_out = Outer(std::io::Error::new(
            std::io::ErrorKind::TimedOut,
            "connect timeout",
        ));
        assert!(has_timed_out(&timed_out));
        assert_eq!(root_cause(&timed_out), "connect timeout");
        let refused = Outer(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
        assert!(!has_timed_out(&refused));
    }
}
