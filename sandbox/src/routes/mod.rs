//! The HTTP surface: the public API (`api.rs`), the checkout page (`checkout.rs`), the
//! sandbox controls (`control.rs`) and the fault middleware over the API (`faults.rs`), plus
//! what they share: auth, logging, JSON errors.

mod api;
mod checkout;
mod control;
mod faults;

use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, FailedToBufferBody};
use axum::extract::{DefaultBodyLimit, FromRequest, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::{json, Map, Value};

use crate::faults::DropConnection;
use crate::limits::MAX_REQUEST_BODY;
use crate::order::Order;
use crate::state::Sandbox;
use crate::store::StoreError;
use crate::webhooks;

/// Everything but RFC 3986 unreserved characters is encoded in URLs we build.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

pub fn encode_segment(s: &str) -> String {
    utf8_percent_encode(s, PATH_SEGMENT).to_string()
}

pub fn router(sandbox: Arc<Sandbox>) -> Router {
    let auth = middleware::from_fn_with_state(sandbox.clone(), require_api_key);
    let api = Router::new()
        .route("/create-order", post(api::create_order))
        .route("/check-status/{*order_id}", get(api::check_status))
        .layer(auth.clone())
        .layer(middleware::from_fn_with_state(
            sandbox.clone(),
            faults::apply,
        ));
    let control = Router::new()
        .route("/orders/{order_id}", get(control::order))
        .route("/orders/{order_id}/pay", post(control::pay))
        .route("/orders/{order_id}/expire", post(control::expire))
        .route("/test-webhook", post(control::test_webhook))
        .route("/reset", post(control::reset))
        .route("/clock", get(control::clock))
        .route("/clock/advance", post(control::advance_clock))
        .route("/webhooks", get(control::webhooks))
        .route("/webhooks/{id}/redeliver", post(control::redeliver))
        .route(
            "/close-idle-connections",
            post(control::close_idle_connections),
        )
        .route(
            "/config",
            get(control::get_config).post(control::set_config),
        )
        .route(
            "/faults",
            get(control::list_faults)
                .post(control::add_fault)
                .delete(control::clear_faults),
        )
        .layer(auth);
    Router::new()
        .nest("/api/sandbox", control)
        .nest("/api", api)
        .route("/pay/{order_id}", get(checkout::page))
        .route("/pay/{order_id}/status", get(checkout::status))
        .route("/pay/{order_id}/simulate", post(checkout::simulate))
        .route("/", get(checkout::index))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_REQUEST_BODY))
        .layer(middleware::from_fn_with_state(sandbox.clone(), check_host))
        .layer(middleware::from_fn_with_state(sandbox.clone(), log_request))
        .with_state(sandbox)
}

/// `{"success":false,"message":...}`, the contract's error body.
pub fn json_error(status: StatusCode, message: impl Into<String>) -> Response {
    (
        status,
        Json(json!({"success": false, "message": message.into()})),
    )
        .into_response()
}

/// A refused request, kept small (a `Response` is too big for every `Err`); it becomes
/// the contract's error body.
pub struct ApiError(StatusCode, String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        json_error(self.0, self.1)
    }
}

pub fn bad_request(message: impl Into<String>) -> ApiError {
    ApiError(StatusCode::BAD_REQUEST, message.into())
}

pub fn store_error(e: StoreError) -> Response {
    match e {
        StoreError::NotFound(m) => json_error(StatusCode::NOT_FOUND, m),
        StoreError::Conflict(m) => json_error(StatusCode::CONFLICT, m),
    }
}

/// The body of a request, at most [`MAX_REQUEST_BODY`] bytes: reading stops there and the
/// request is refused with 413, whether or not a length was announced.
pub struct LimitedBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for LimitedBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match Bytes::from_request(req, state).await {
            Ok(bytes) => Ok(LimitedBody(bytes)),
            Err(BytesRejection::FailedToBufferBody(FailedToBufferBody::LengthLimitError(_))) => {
                Err(ApiError(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    format!("request body is larger than {MAX_REQUEST_BODY} bytes"),
                ))
            }
            Err(e) => Err(ApiError(
                e.status(),
                format!("cannot read the request body: {}", e.body_text()),
            )),
        }
    }
}

/// Parses a JSON object body; an empty body counts as `{}` when `empty_ok`.
pub fn json_object(body: &Bytes, empty_ok: bool) -> Result<Map<String, Value>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return if empty_ok {
            Ok(Map::new())
        } else {
            Err(bad_request("request body must be a JSON object"))
        };
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(bad_request("request body must be a JSON object")),
        Err(e) => Err(bad_request(format!("request body is not valid JSON: {e}"))),
    }
}

/// Reads a whole-rupiah amount: a JSON integer, or a float with no fraction (15000.0).
/// Strings are refused: the sandbox is strict so that SDKs are caught sending them.
pub fn whole_rupiah(value: Option<&Value>, field: &str) -> Result<Option<i64>, ApiError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => {
            if let Some(i) = n.as_i64() {
                return Ok(Some(i));
            }
            match n.as_f64() {
                Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(Some(f as i64)),
                _ => Err(bad_request(format!(
                    "{field} must be a whole number of rupiah (an integer), got {n}"
                ))),
            }
        }
        Some(other) => Err(bad_request(format!(
            "{field} must be a whole number of rupiah (a JSON integer), got {other}"
        ))),
    }
}

/// Settles a PENDING order and queues its webhook, in one critical section.
pub fn settle(sandbox: &Sandbox, order_id: &str, paid: Option<i64>) -> Result<Order, StoreError> {
    let mut store = sandbox.store.lock();
    let order = store.settle(order_id, paid, sandbox.clock.now())?;
    webhooks::queue_settlement(sandbox, &mut store, &order);
    Ok(order)
}

/// Every /api request needs one of the configured keys in `x-api-key`.
async fn require_api_key(
    State(sandbox): State<Arc<Sandbox>>,
    req: Request,
    next: Next,
) -> Response {
    let ok = req
        .headers()
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|k| !k.is_empty() && sandbox.api_keys.iter().any(|a| a == k));
    if ok {
        next.run(req).await
    } else {
        json_error(StatusCode::UNAUTHORIZED, "Invalid or missing API key")
    }
}

/// Every request must name the sandbox by an IP address, `localhost` (or a subdomain of
/// it) or an allowed name. A page whose DNS name was switched to the sandbox's address
/// (DNS rebinding) is same-origin with it in the browser and could read the config, the
/// webhook secret included; its `Host` is still that name, so it is refused here. The
/// port is not compared: port mappings (Docker) change it, and it does not tell an
/// attacker's page from a legitimate client. A request without `Host` (HTTP/1.0) passes:
/// browsers always send one.
async fn check_host(State(sandbox): State<Arc<Sandbox>>, req: Request, next: Next) -> Response {
    let host = match req.headers().get(header::HOST) {
        Some(v) => Some(v.to_str().unwrap_or("")),
        None => req.uri().authority().map(|a| a.as_str()),
    };
    let Some(host) = host else {
        return next.run(req).await;
    };
    let name = host_name(host);
    if let Some(name) = &name {
        if host_allowed(name, &sandbox.allowed_hosts) {
            return next.run(req).await;
        }
    }
    let shown: String = host.chars().take(100).collect();
    let message = match name {
        Some(HostName::Name(n)) => format!(
            "Host '{shown}' is not a name this sandbox answers to: it answers to IP \
             addresses, localhost and the names given with --allowed-host; start it with \
             --allowed-host {n} to reach it by this name"
        ),
        _ => format!(
            "Host '{shown}' is not a valid host: this sandbox answers to IP addresses, \
             localhost and the names given with --allowed-host"
        ),
    };
    if req.uri().path().starts_with("/api/") {
        json_error(StatusCode::FORBIDDEN, message)
    } else {
        (StatusCode::FORBIDDEN, format!("{message}\n")).into_response()
    }
}

/// The host part of a `Host` value, without its port.
#[derive(Debug, PartialEq)]
enum HostName {
    Ip,
    /// Lower case, without a trailing dot.
    Name(String),
}

fn host_name(value: &str) -> Option<HostName> {
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if let Some(rest) = value.strip_prefix('[') {
        let (ip, after) = rest.split_once(']')?;
        let port_ok = after.is_empty() || after.strip_prefix(':').is_some_and(digits);
        return (port_ok && ip.parse::<std::net::Ipv6Addr>().is_ok()).then_some(HostName::Ip);
    }
    let name = match value.rsplit_once(':') {
        Some((name, port)) if digits(port) => name,
        Some(_) => return None,
        None => value,
    };
    let name = name.strip_suffix('.').unwrap_or(name);
    if name.is_empty()
        || !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    {
        return None;
    }
    if name.parse::<std::net::Ipv4Addr>().is_ok() {
        return Some(HostName::Ip);
    }
    Some(HostName::Name(name.to_ascii_lowercase()))
}

fn host_allowed(name: &HostName, allowed: &[String]) -> bool {
    match name {
        // An address cannot be rebound: the page's origin is the address itself.
        HostName::Ip => true,
        // Browsers resolve `localhost` and its subdomains to loopback themselves.
        HostName::Name(n) => {
            n == "localhost" || n.ends_with(".localhost") || allowed.iter().any(|a| a == n)
        }
    }
}

/// One line per request on stderr: method, path, status, milliseconds. Never headers or
/// bodies, so neither the API key nor the webhook secret can leak into logs.
async fn log_request(State(sandbox): State<Arc<Sandbox>>, req: Request, next: Next) -> Response {
    if !sandbox.config.log_requests {
        return next.run(req).await;
    }
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let resp = next.run(req).await;
    let status = if resp.extensions().get::<DropConnection>().is_some() {
        "dropped".to_string()
    } else {
        resp.status().as_u16().to_string()
    };
    eprintln!(
        "{method} {path} {status} {}ms",
        started.elapsed().as_millis()
    );
    resp
}

async fn not_found(req: Request) -> Response {
    if req.uri().path().starts_with("/api/") {
        json_error(StatusCode::NOT_FOUND, "Not found")
    } else {
        (StatusCode::NOT_FOUND, "Not found\n").into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::{host_name, HostName};

    #[test]
    fn host_values() {
        let name = |n: &str| Some(HostName::Name(n.to_string()));
        assert_eq!(host_name("127.0.0.1:8080"), Some(HostName::Ip));
        assert_eq!(host_name("[::1]"), Some(HostName::Ip));
        assert_eq!(host_name("[::1]:80"), Some(HostName::Ip));
        assert_eq!(host_name("Sandbox.:80"), name("sandbox"));
        assert_eq!(host_name("sandbox"), name("sandbox"));
        assert_eq!(host_name("::1"), None);
        assert_eq!(host_name("[::1]x"), None);
        assert_eq!(host_name("[nope]"), None);
        assert_eq!(host_name("a:b"), None);
        assert_eq!(host_name(":80"), None);
        assert_eq!(host_name(""), None);
        assert_eq!(host_name("a b"), None);
        assert_eq!(host_name("user@host"), None);
    }
}
