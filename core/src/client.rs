//! The Cashi API client: create an order, read its status, wait for it, confirm it.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE, USER_AGENT};
use hyper::{Method, Uri};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use zeroize::Zeroizing;

use crate::decode::response;
use crate::decode::response::{Answer, Reply};
use crate::error::{Error, ErrorKind, Result};
use crate::events::{Attempt, Call as CallEnd, Event, Listener};
use crate::order::{CreateOrder, Order, OrderAnswer};
use crate::process_local::PerProcess;
use crate::retry::{parse_retry_after, Failure, Idempotency, RetryPolicy};
use crate::status::{PaymentStatus, StatusAnswer};
use crate::transport::{Proxy, SendError, Settings, Transport};
use crate::trust;
use crate::webhook::WebhookEvent;
use crate::{confirm, validate};

pub const DEFAULT_BASE_URL: &str = "https://cashi.id/api";
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// How long `wait_for_payment` waits when the caller names no timeout: Cashi's QRIS
/// orders stay payable about this long.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(600);
/// The SDK's own version, in every user-agent.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The first and longest pause between two status polls of `wait_for_payment`.
const POLL_FIRST: Duration = Duration::from_secs(1);
const POLL_MAX: Duration = Duration::from_secs(5);

/// Everything but unreserved characters is escaped, so `/`, `?`, `#` and spaces in an order
/// id stay inside its path segment.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Builds a [`Client`]. Unset values come from `CASHI_API_KEY` / `CASHI_BASE_URL` (and
/// `CASHI_CA_BUNDLE` / `SSL_CERT_FILE` for [`ca_bundle`](Self::ca_bundle)), then the
/// defaults.
#[derive(Clone, Default)]
pub struct ClientBuilder {
    /// Wiped when dropped, as every copy of the key the SDK makes.
    api_key: Option<Zeroizing<String>>,
    base_url: Option<String>,
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    max_retries: Option<u32>,
    retry_base: Option<Duration>,
    retry_cap: Option<Duration>,
    binding: Option<(String, String)>,
    listener: Option<Listener>,
    ca_bundle: Option<PathBuf>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key.as_ref().map(|_| "[REDACTED]"))
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("ca_bundle", &self.ca_bundle)
            .finish()
    }
}

impl ClientBuilder {
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(Zeroizing::new(key.into()));
        self
    }

    /// Default `https://cashi.id/api`. Plain `http://` is refused unless the host is loopback.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Time allowed to open a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Time allowed for a whole request, answer included (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How many times a failed request may be repeated (default 2).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// The first pause between retries and its cap (default 0.5 s and 5 s).
    pub fn retry_backoff(mut self, base: Duration, cap: Duration) -> Self {
        self.retry_base = Some(base);
        self.retry_cap = Some(cap);
        self
    }

    /// Calls `listener` with an [`Event`] for every HTTP attempt and every finished call,
    /// on the thread that makes the call: the merchant's logs say what was sent, what
    /// Cashi answered, how long it took and what was retried.
    pub fn on_event(mut self, listener: impl Fn(&Event<'_>) + Send + Sync + 'static) -> Self {
        self.listener = Some(Arc::new(listener));
        self
    }

    /// A PEM file of CA certificates to trust besides the Mozilla roots the SDK carries
    /// (`webpki-roots`): a TLS-inspecting proxy's, or a private CA's in tests. Unset, the
    /// file named by `CASHI_CA_BUNDLE`, else by `SSL_CERT_FILE`, is used (an empty variable
    /// counts as unset). A file that is missing, unreadable, or holds no usable certificate
    /// makes [`build`](Self::build) fail with `invalid_argument` naming the option or
    /// variable and the path. The file is read once per process (again if it changes), not
    /// per client.
    pub fn ca_bundle(mut self, path: impl Into<PathBuf>) -> Self {
        self.ca_bundle = Some(path.into());
        self
    }

    /// Names the language binding in the user-agent, e.g. `("cashi-python", "0.1.0")`.
    pub fn binding(mut self, name: impl Into<String>, version: impl Into<String>) -> Self {
        self.binding = Some((name.into(), version.into()));
        self
    }

    pub fn build(self) -> Result<Client> {
        let api_key = match self.api_key {
            Some(key) => key,
            None => Zeroizing::new(std::env::var("CASHI_API_KEY").map_err(|_| {
                Error::invalid(
                    "api_key: none given and CASHI_API_KEY is not set; pass your Cashi API key",
                )
            })?),
        };
        validate::api_key(&api_key)?;
        let base_url = match self.base_url {
            Some(url) => url,
            None => std::env::var("CASHI_BASE_URL")
                .ok()
                .filter(|u| !u.trim().is_empty())
                .unwrap_or_else(|| DEFAULT_BASE_URL.to_string()),
        };
        let base = checked_base_url(&base_url)?;
        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        let connect_timeout = self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT);
        validate::duration("timeout", timeout)?;
        validate::duration("connect_timeout", connect_timeout)?;
        let defaults = RetryPolicy::default();
        let retry = RetryPolicy {
            max_retries: self.max_retries.unwrap_or(DEFAULT_MAX_RETRIES),
            base: validate::duration("retry_backoff", self.retry_base.unwrap_or(defaults.base))?,
            cap: validate::duration("retry_backoff_cap", self.retry_cap.unwrap_or(defaults.cap))?,
        };
        if retry.max_retries > 10 {
            return Err(Error::invalid("max_retries: must be at most 10"));
        }
        let user_agent = match &self.binding {
            Some((name, version)) => format!("{name}/{version} cashi-rust/{VERSION}"),
            None => format!("cashi-rust/{VERSION}"),
        };
        let proxy = Proxy::from_env(&base).map_err(Error::invalid)?;
        let tls = trust::resolve(self.ca_bundle.as_deref())?;
        let inner = Inner {
            api_key_header: api_key_header(api_key)?,
            base_url: base.as_str().trim_end_matches('/').to_string(),
            origin: Origin::of(&base)?,
            timeout,
            connect_timeout,
            retry,
            user_agent_header: HeaderValue::from_str(&user_agent)
                .map_err(|_| Error::invalid("binding: name and version must be visible ASCII"))?,
            user_agent,
            transport: Settings {
                connect_timeout,
                proxy,
                tls,
            },
            // Built at the first call, on the runtime that makes it.
            http: PerProcess::new(),
            listener: self.listener,
        };
        Ok(Client {
            inner: Arc::new(inner),
        })
    }
}

/// Checks the base URL: https, or http to a loopback host only, so the API key never
/// crosses a network in clear text.
fn checked_base_url(raw: &str) -> Result<url::Url> {
    let url = url::Url::parse(raw.trim())
        .map_err(|e| Error::invalid(format!("base_url: is not a valid URL ({e})")))?;
    let host = url
        .host()
        .ok_or_else(|| Error::invalid("base_url: has no host"))?;
    let loopback = match &host {
        url::Host::Domain(d) => d.eq_ignore_ascii_case("localhost"),
        url::Host::Ipv4(ip) => ip.is_loopback(),
        url::Host::Ipv6(ip) => ip.is_loopback(),
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(Error::invalid(format!(
                "base_url: http://{host} would send your API key in clear text; use https:// (plain http is allowed only for loopback hosts such as a local sandbox)"
            )))
        }
        other => return Err(Error::invalid(format!("base_url: scheme {other:?} is not supported; use https://"))),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::invalid(
            "base_url: must not contain credentials; pass the API key with api_key",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::invalid(
            "base_url: must not have a query (?) or fragment (#); give the API's root, e.g. https://cashi.id/api",
        ));
    }
    Ok(url)
}

/// The base URL taken apart once: each call's URI is its scheme and host with the call's
/// path appended, not a new parse of a whole URL.
struct Origin {
    scheme: hyper::http::uri::Scheme,
    authority: hyper::http::uri::Authority,
    /// The base path without a trailing slash (`/api`, or empty).
    path: String,
}

impl Origin {
    fn of(base: &url::Url) -> Result<Origin> {
        let uri: Uri = base
            .as_str()
            .parse()
            .map_err(|e| Error::invalid(format!("base_url: is not a valid URL ({e})")))?;
        let parts = uri.into_parts();
        match (parts.scheme, parts.authority) {
            (Some(scheme), Some(authority)) => Ok(Origin {
                scheme,
                authority,
                path: base.path().trim_end_matches('/').to_string(),
            }),
            _ => Err(Error::invalid("base_url: has no host")),
        }
    }
}

/// The `x-api-key` header, built once: marked sensitive so that no debug output of a
/// request shows it. `validate::api_key` refuses every byte a header cannot hold; were one
/// to get through, it is an `invalid_argument`, not a panic (and the key is not quoted).
///
/// It is the client's only copy of the key: its bytes are wiped when the client and the
/// last request that carried it are gone. (The HTTP connection's own write buffer, which
/// the request is copied into, is not the SDK's to wipe.)
fn api_key_header(api_key: Zeroizing<String>) -> Result<HeaderValue> {
    let bytes = Zeroizing::new(api_key.as_bytes().to_vec());
    let mut value = HeaderValue::from_maybe_shared(Bytes::from_owner(bytes))
        .map_err(|_| Error::invalid("api_key: contains a character an HTTP header cannot carry"))?;
    value.set_sensitive(true);
    Ok(value)
}

const X_API_KEY: HeaderName = HeaderName::from_static("x-api-key");
const JSON: HeaderValue = HeaderValue::from_static("application/json");

/// A Cashi API client. Cheap to clone (shared state), `Send + Sync`, pools connections,
/// and survives a `fork()` (the child opens its own connections).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    /// The key, as sent (see [`api_key_header`]).
    api_key_header: HeaderValue,
    /// The base URL without a trailing slash, as the client shows it.
    base_url: String,
    origin: Origin,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    user_agent: String,
    user_agent_header: HeaderValue,
    transport: Settings,
    /// The transport of the shared runtime, made on first use in each process: a forked
    /// child must not reuse the parent's pooled connections, whose I/O tasks lived on
    /// threads the child lacks.
    http: PerProcess<Option<Transport>>,
    listener: Option<Listener>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("api_key", &"[REDACTED]")
            .field("base_url", &self.inner.base_url)
            .field("timeout", &self.inner.timeout)
            .field("max_retries", &self.inner.retry.max_retries)
            .finish()
    }
}

/// Where a `wait_for_payment` stands after a poll that did not end it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitProgress {
    /// Polls made so far.
    pub polls: u32,
    /// The status text last read, or `unknown (<error code>)` after a transient failure.
    pub last_state: String,
    /// Time left before the wait gives up.
    pub remaining: Duration,
}

/// Anything that names an order: an id, an [`Order`], a [`WebhookEvent`], a [`PaymentStatus`].
pub trait OrderRef {
    fn order_id(&self) -> &str;

    /// The verified webhook event this is, if it is one: `confirm` then relies on its
    /// signed amount when a SETTLED check-status answer carries none.
    fn webhook_event(&self) -> Option<&WebhookEvent> {
        None
    }
}

impl OrderRef for str {
    fn order_id(&self) -> &str {
        self
    }
}
impl OrderRef for String {
    fn order_id(&self) -> &str {
        self
    }
}
impl OrderRef for Order {
    fn order_id(&self) -> &str {
        &self.order_id
    }
}
impl OrderRef for WebhookEvent {
    fn order_id(&self) -> &str {
        &self.order_id
    }

    fn webhook_event(&self) -> Option<&WebhookEvent> {
        Some(self)
    }
}
impl OrderRef for PaymentStatus {
    fn order_id(&self) -> &str {
        &self.order_id
    }
}

impl Client {
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from `CASHI_API_KEY` and `CASHI_BASE_URL`.
    pub fn from_env() -> Result<Client> {
        ClientBuilder::default().build()
    }

    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    pub fn user_agent(&self) -> &str {
        &self.inner.user_agent
    }

    /// Creates an order. Validates amount, order id, channel and extra fields before sending.
    pub async fn create_order(&self, request: &CreateOrder) -> Result<Order> {
        request.validate()?;
        let body = Bytes::from(request.body_bytes());
        let (status, answer) = self
            .call::<OrderAnswer>(
                Method::POST,
                "/create-order",
                request.order_id.as_deref(),
                Some(body),
                Idempotency::Unsafe,
            )
            .await?;
        // A 2xx answer that is not the order expected: a `decode` error with its status.
        Order::from_answer(answer, request).map_err(|e| self.inner.redact(e.with_status(status)))
    }

    /// Reads an order's payment status.
    pub async fn check_status(&self, order_id: &str) -> Result<PaymentStatus> {
        validate::order_id(order_id)?;
        let path = format!(
            "/check-status/{}",
            utf8_percent_encode(order_id, PATH_SEGMENT)
        );
        let (status, answer) = self
            .call::<StatusAnswer>(Method::GET, &path, Some(order_id), None, Idempotency::Safe)
            .await?;
        PaymentStatus::from_answer(answer, order_id)
            .map_err(|e| self.inner.redact(e.with_status(status)))
    }

    /// Polls the status, 1 s apart at first and up to 5 s, until the order is SETTLED or
    /// EXPIRED (returned) or `timeout` passes (a `timeout` error). Transient failures in
    /// between are ridden out; a final one (e.g. `not_found`) ends the wait, and so does an
    /// answer about another order (`payment_mismatch`). Only the documented words end it:
    /// an unknown or oddly cased status (`settled`, `PAID`) keeps it polling.
    pub async fn wait_for_payment(
        &self,
        order_id: &str,
        timeout: Duration,
    ) -> Result<PaymentStatus> {
        self.wait_for_payment_with_progress(order_id, timeout, |_| {})
            .await
    }

    /// [`wait_for_payment`](Self::wait_for_payment), telling `progress` after every poll
    /// (a CLI draws its countdown from it).
    pub async fn wait_for_payment_with_progress(
        &self,
        order_id: &str,
        timeout: Duration,
        mut progress: impl FnMut(&WaitProgress),
    ) -> Result<PaymentStatus> {
        validate::order_id(order_id)?;
        validate::duration("timeout", timeout)?;
        let deadline = Instant::now().checked_add(timeout).ok_or_else(|| {
            Error::invalid(format!(
                "timeout: {} s is too long to wait; pass a number of seconds a person would wait",
                timeout.as_secs()
            ))
        })?;
        let mut interval = POLL_FIRST;
        let mut last_state: Option<String> = None;
        let mut polls = 0;
        loop {
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return Err(self.inner.redact(wait_timed_out(
                    order_id,
                    timeout,
                    last_state.as_deref(),
                )));
            }
            match tokio::time::timeout(remaining, self.check_status(order_id)).await {
                Err(_) => {
                    let last = last_state.as_deref();
                    return Err(self.inner.redact(wait_timed_out(order_id, timeout, last)));
                }
                Ok(Ok(status)) => {
                    confirm::same_order(order_id, None, &status)
                        .map_err(|e| self.inner.redact(e))?;
                    if status.state.is_final() {
                        return Ok(status);
                    }
                    last_state = Some(status.state.as_str().to_string());
                }
                Ok(Err(e)) if e.is_retryable() => {
                    last_state = Some(format!("unknown ({})", e.code()))
                }
                Ok(Err(e)) => return Err(e),
            }
            polls += 1;
            progress(&WaitProgress {
                polls,
                last_state: last_state.clone().unwrap_or_default(),
                remaining: deadline.saturating_duration_since(Instant::now()),
            });
            let remaining = deadline.saturating_duration_since(Instant::now());
            tokio::time::sleep(interval.min(remaining)).await;
            interval = interval.mul_f64(1.5).min(POLL_MAX);
        }
    }

    /// Re-reads the status from Cashi and succeeds only when the answer is about this
    /// order, says `SETTLED` (exactly) and carries exactly `expected_amount` (the amount to
    /// pay stored at create-order time); otherwise `payment_mismatch`. Call it before
    /// fulfilling, even after a verified webhook.
    ///
    /// Given the verified [`WebhookEvent`] rather than an id, a SETTLED answer without an
    /// amount (some Cashi providers omit it) is accepted on the event's signed amount when
    /// that is exactly `expected_amount`, and the status says so (`amount_from_webhook`).
    /// Given only an id, such an answer is a `payment_mismatch` saying so.
    ///
    /// Cashi's signature has no timestamp, so a captured webhook can be replayed forever
    /// and `confirm` still passes: fulfil once per order id (store it, ignore repeats).
    pub async fn confirm(
        &self,
        order: &(impl OrderRef + ?Sized),
        expected_amount: i64,
    ) -> Result<PaymentStatus> {
        validate::positive_amount("expected_amount", expected_amount)?;
        let order_id = order.order_id();
        let status = self.check_status(order_id).await?;
        confirm::judge(order_id, order.webhook_event(), expected_amount, status)
            .map_err(|e| self.inner.redact(e))
    }

    /// One API call with its retries: the HTTP status and the fields of the answer.
    /// Any error leaving here has the API key redacted.
    async fn call<T: Reply>(
        &self,
        method: Method,
        path: &str,
        order_id: Option<&str>,
        body: Option<Bytes>,
        idempotency: Idempotency,
    ) -> Result<(u16, Answer<T>)> {
        let http = self.inner.http();
        let url = self.inner.url(path)?;
        let listener = self.inner.listener.as_deref();
        let started = listener.map(|_| Instant::now());
        let mut retries = 0;
        loop {
            let attempt_started = listener.map(|_| Instant::now());
            let outcome = self
                .attempt(&http, method.clone(), &url, body.clone())
                .await;
            let (error, failure, retry_after) = match outcome {
                Ok(answer) => {
                    if let (Some(listen), Some(t0), Some(t)) = (listener, started, attempt_started)
                    {
                        let status = Some(answer.0);
                        listen(&Event::Attempt(Attempt {
                            method: method.as_str(),
                            path,
                            order_id,
                            attempt: retries + 1,
                            http_status: status,
                            elapsed: t.elapsed(),
                            error: None,
                            retry_in: None,
                        }));
                        listen(&Event::Call(CallEnd {
                            method: method.as_str(),
                            path,
                            order_id,
                            attempts: retries + 1,
                            http_status: status,
                            elapsed: t0.elapsed(),
                            error: None,
                        }));
                    }
                    return Ok(answer);
                }
                Err(e) => e,
            };
            let again = self.inner.retry.should_retry(retries, failure, idempotency);
            let pause = again.then(|| self.inner.retry.delay(retries + 1, retry_after));
            let error = self.inner.redact(error);
            if let (Some(listen), Some(t0), Some(t)) = (listener, started, attempt_started) {
                let status = error.http_status();
                listen(&Event::Attempt(Attempt {
                    method: method.as_str(),
                    path,
                    order_id,
                    attempt: retries + 1,
                    http_status: status,
                    elapsed: t.elapsed(),
                    error: Some(&error),
                    retry_in: pause,
                }));
                if pause.is_none() {
                    listen(&Event::Call(CallEnd {
                        method: method.as_str(),
                        path,
                        order_id,
                        attempts: retries + 1,
                        http_status: status,
                        elapsed: t0.elapsed(),
                        error: Some(&error),
                    }));
                }
            }
            let Some(pause) = pause else {
                return Err(error);
            };
            retries += 1;
            tokio::time::sleep(pause).await;
        }
    }

    async fn attempt<T: Reply>(
        &self,
        http: &Transport,
        method: Method,
        url: &Uri,
        body: Option<Bytes>,
    ) -> std::result::Result<(u16, Answer<T>), (Error, Failure, Option<Duration>)> {
        let inner = &self.inner;
        let mut request = hyper::Request::builder()
            .method(method)
            .uri(url.clone())
            .header(X_API_KEY, inner.api_key_header.clone())
            .header(ACCEPT, JSON)
            .header(USER_AGENT, inner.user_agent_header.clone());
        if body.is_some() {
            request = request.header(CONTENT_TYPE, JSON);
        }
        let request = request
            .body(Full::new(body.unwrap_or_default()))
            .expect("method, URI and headers were checked when the client was built");
        let answer = http
            .send(request, inner.timeout)
            .await
            .map_err(|e| self.transport_error(e))?;
        let status = answer.status;
        let retry_after = answer
            .retry_after
            .as_ref()
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        let called = response::Called {
            url,
            names_order: url.path().contains("/check-status/"),
        };
        response::interpret_redacting(status, &answer.body, inner.api_key(), Some(called))
            .map(|answer| (status, answer))
            .map_err(|e| {
                let failure = if (200..300).contains(&status) {
                    Failure::Permanent
                } else {
                    Failure::Status(status)
                };
                (e, failure, retry_after)
            })
    }

    fn transport_error(&self, e: SendError) -> (Error, Failure, Option<Duration>) {
        let inner = &self.inner;
        let via = match &inner.transport.proxy {
            Some(proxy) => format!(" through the proxy {}", proxy.host()),
            None => String::new(),
        };
        match e {
            SendError::Connect { timed_out: true, .. } => (
                Error::new(
                    ErrorKind::Timeout,
                    format!(
                        "could not connect to {}{via} within {:.1} s; nothing was sent",
                        inner.base_url,
                        inner.connect_timeout.as_secs_f64()
                    ),
                ),
                Failure::NotConnected,
                None,
            ),
            SendError::Connect { cause, .. } => (
                Error::new(
                    ErrorKind::Connection,
                    if trust::is_certificate_error(&cause) {
                        format!("could not connect to {}{via}: {cause}; nothing was sent. If a TLS-inspecting proxy or a private CA signs this server's certificate, give that CA's certificate (PEM) with the ca_bundle option (caBundle in Node.js) or CASHI_CA_BUNDLE", inner.base_url)
                    } else {
                        format!("could not connect to {}{via}: {cause}", inner.base_url)
                    },
                ),
                Failure::NotConnected,
                None,
            ),
            SendError::Timeout => (
                Error::new(
                    ErrorKind::Timeout,
                    format!("Cashi did not answer within {:.1} s; the request may or may not have taken effect: check the order's status before creating it again", inner.timeout.as_secs_f64()),
                ),
                Failure::AfterSend,
                None,
            ),
            SendError::Broken { cause } => (
                Error::new(
                    ErrorKind::Connection,
                    format!("the connection to {} broke before an answer arrived ({cause}); the request may or may not have taken effect", inner.base_url),
                ),
                Failure::AfterSend,
                None,
            ),
        }
    }
}

impl Inner {
    /// `error` with every echo of the API key in its message removed.
    fn redact(&self, error: Error) -> Error {
        error.redact(self.api_key())
    }

    /// The API key, read from its header (checked visible ASCII when the client was built).
    fn api_key(&self) -> &str {
        self.api_key_header.to_str().unwrap_or_default()
    }

    /// The URI of an API path (`/create-order`, an already percent-encoded
    /// `/check-status/<id>`) under the base URL.
    fn url(&self, path: &str) -> Result<Uri> {
        let origin = &self.origin;
        Uri::builder()
            .scheme(origin.scheme.clone())
            .authority(origin.authority.clone())
            .path_and_query(format!("{}{path}", origin.path))
            .build()
            .map_err(|e| Error::invalid(format!("order_id: cannot be part of a URL ({e})")))
    }

    /// The transport for this call. Inside `runtime::block_on_local` (the C ABI, Python's
    /// sync client) it is the calling thread's own, shared by every client of that thread
    /// with the same settings: a pooled connection is driven only by the runtime that opened
    /// it, and a PHP-FPM worker, which makes a new client per request, keeps its connections
    /// from one request to the next. Any other runtime, even a current-thread one on the same
    /// thread, gets the client's own pool: a connection of the thread's runtime would not be
    /// driven while that other runtime runs, and the call would wait for its timeout.
    fn http(&self) -> Transport {
        #[cfg(feature = "blocking")]
        if crate::runtime::in_block_on_local() {
            return crate::thread_http::pooled(&self.transport);
        }
        self.shared_http()
    }

    fn shared_http(&self) -> Transport {
        self.http
            .lock()
            .get_or_insert_with(|| Transport::new(&self.transport))
            .clone()
    }
}

fn wait_timed_out(order_id: &str, timeout: Duration, last: Option<&str>) -> Error {
    Error::new(
        ErrorKind::Timeout,
        format!(
            "order {order_id:?} was neither settled nor expired within {:.0} s (last status: {})",
            timeout.as_secs_f64(),
            last.unwrap_or("none read")
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_must_be_https_or_loopback() {
        for ok in [
            "http://127.0.0.1:8080/api",
            "http://127.9.9.9/api",
            "http://localhost:1/api",
            "http://[::1]:9/api",
        ] {
            assert!(checked_base_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://cashi.id/api",
            "http://10.0.0.1/api",
            "ftp://cashi.id",
            "cashi.id/api",
            "https://u:p@cashi.id/api",
            "https://cashi.id/api?lang=id",
            "https://cashi.id/api#top",
        ] {
            let e = checked_base_url(bad).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{bad}");
            assert!(e.message().starts_with("base_url:"));
        }
        assert!(checked_base_url("http://cashi.id/api")
            .unwrap_err()
            .message()
            .contains("clear text"));
    }

    #[test]
    fn call_urls_extend_the_base_path() {
        for base in ["https://cashi.id/api", "https://cashi.id/api/"] {
            let c = Client::builder()
                .api_key("k")
                .base_url(base)
                .build()
                .unwrap();
            assert_eq!(c.base_url(), "https://cashi.id/api");
            assert_eq!(
                c.inner
                    .url("/check-status/INV%2F1%20a")
                    .unwrap()
                    .to_string(),
                "https://cashi.id/api/check-status/INV%2F1%20a"
            );
        }
        let root = Client::builder()
            .api_key("k")
            .base_url("http://127.0.0.1:9")
            .build()
            .unwrap();
        assert_eq!(
            root.inner.url("/create-order").unwrap().to_string(),
            "http://127.0.0.1:9/create-order"
        );
    }

    #[test]
    fn a_key_no_header_can_carry_is_refused_not_a_panic() {
        for key in ["CASHI-KÉY", "CASHI-KEY\u{201d}", "CASHI\x7fKEY"] {
            let e = Client::builder().api_key(key).build().unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{key:?}");
            assert!(e.message().starts_with("api_key:"), "{e}");
            assert!(!e.message().contains("KEY"), "{e}");
        }
        // Past validation (unreachable today), the header itself still refuses, not panics.
        assert!(api_key_header(Zeroizing::new("CASHI-\u{1}".into())).is_err());
    }

    #[test]
    fn builder_rules() {
        let e = Client::builder().api_key("").build().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        let c = Client::builder()
            .api_key("CASHI-SECRETKEY12")
            .binding("cashi-python", "0.1.0")
            .build()
            .unwrap();
        assert!(c.user_agent().starts_with("cashi-python/0.1.0 cashi-rust/"));
        assert_eq!(c.base_url(), "https://cashi.id/api");
        assert!(!format!("{c:?}").contains("SECRETKEY"));
        let b = Client::builder().api_key("CASHI-SECRETKEY12");
        assert!(!format!("{b:?}").contains("SECRETKEY"));
        assert!(Client::builder()
            .api_key("k")
            .timeout(Duration::ZERO)
            .build()
            .is_err());
    }

    #[test]
    fn order_ids_stay_in_their_segment() {
        let encoded = utf8_percent_encode("A/B?C#D E", PATH_SEGMENT).to_string();
        assert_eq!(encoded, "A%2FB%3FC%23D%20E");
    }
}
