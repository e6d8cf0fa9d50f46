//! Start-up settings of a sandbox. Everything has a default so that `SandboxConfig::default()`
//! gives a working sandbox on a free port.

use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;
use std::time::Duration;

use crate::limits::{
    check_url, MAX_ORDER_TTL, MAX_RETRY_DELAY, MAX_SECRET_LEN, MAX_WEBHOOK_ATTEMPTS,
    MAX_WEBHOOK_TIMEOUT,
};

/// The API key accepted when none is configured; printed at start so tests can use it.
pub const DEFAULT_API_KEY: &str = "CASHI-SANDBOX01";
/// A secret of the live form `sk_` + 32 hex characters; sandbox-only, safe to print.
pub const DEFAULT_WEBHOOK_SECRET: &str = "sk_5a4db0c5e0f1a2b3c4d5e6f708192a3b";

/// Settings of one sandbox instance.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// Address to bind; 127.0.0.1 by default (the sandbox is not meant to be exposed). An
    /// address other machines can reach needs an API key other than [`DEFAULT_API_KEY`]
    /// or `allow_public`.
    pub host: IpAddr,
    /// Serve on an address other machines can reach even with the published default key.
    pub allow_public: bool,
    /// Host names requests may use besides IP addresses and `localhost` (the `Host` check
    /// that stops DNS rebinding); compared case-insensitively, without port.
    pub allowed_hosts: Vec<String>,
    /// Port to bind; 0 picks a free one (read it back with `RunningSandbox::addr`).
    pub port: u16,
    /// Keys accepted in `x-api-key`; empty means `[DEFAULT_API_KEY]`.
    pub api_keys: Vec<String>,
    /// Where settlement webhooks go; `None` means settlements send no webhook.
    pub webhook_url: Option<String>,
    /// HMAC-SHA256 key for `x-gateway-signature`.
    pub webhook_secret: String,
    /// Where the checkout page sends the customer once paid; `None` shows a paid message.
    pub redirect_url: Option<String>,
    /// SQLite file for orders and deliveries; `None` keeps everything in memory.
    pub db_path: Option<PathBuf>,
    /// How long an order stays PENDING (live Cashi: 10 minutes).
    pub order_ttl: Duration,
    /// Delay before attempt 2, 3, ... of a webhook, on the sandbox clock; the last entry
    /// repeats when there are more attempts than entries (empty: 60 s each).
    pub webhook_retry_schedule: Vec<Duration>,
    /// Attempts per delivery before it is marked failed (the first attempt counts).
    pub webhook_max_attempts: u32,
    /// Per-attempt timeout for webhook delivery (no answer within it counts as a failure).
    pub webhook_timeout: Duration,
    /// Merchant name in the QRIS payload (tag 59, at most 25 characters) and the page.
    pub merchant_name: String,
    /// Merchant city in the QRIS payload (tag 60, at most 15 characters).
    pub merchant_city: String,
    /// Log one line per request to stderr.
    pub log_requests: bool,
    /// Serve HTTPS, with a certificate signed by a CA made at start (for `localhost`,
    /// 127.0.0.1, ::1, the bound address and `allowed_hosts`). Webhooks the sandbox sends
    /// go to `webhook_url` as configured.
    pub tls: bool,
    /// Where to write that CA's certificate (PEM). `None`: next to `db_path` (its name with
    /// `-ca.pem` added), else in a new directory under the system's temporary one, removed
    /// when the sandbox stops. [`RunningSandbox::ca_file`](crate::RunningSandbox::ca_file)
    /// says where it is.
    pub tls_ca_out: Option<PathBuf>,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            allow_public: false,
            allowed_hosts: Vec::new(),
            port: 0,
            api_keys: vec![DEFAULT_API_KEY.to_string()],
            webhook_url: None,
            webhook_secret: DEFAULT_WEBHOOK_SECRET.to_string(),
            redirect_url: None,
            db_path: None,
            order_ttl: Duration::from_secs(600),
            webhook_retry_schedule: [60, 300, 900, 3600, 3 * 3600]
                .into_iter()
                .map(Duration::from_secs)
                .collect(),
            webhook_max_attempts: 8,
            webhook_timeout: Duration::from_secs(10),
            merchant_name: "CASHI SANDBOX".to_string(),
            merchant_city: "JAKARTA".to_string(),
            log_requests: true,
            tls: false,
            tls_ca_out: None,
        }
    }
}

impl SandboxConfig {
    /// Checks every bounded setting; the message names the field and its rule.
    pub(crate) fn check(&self) -> Result<(), String> {
        if self.order_ttl > MAX_ORDER_TTL {
            return Err(format!(
                "order_ttl (--order-ttl) must be at most {} seconds (10 years)",
                MAX_ORDER_TTL.as_secs()
            ));
        }
        if self
            .webhook_retry_schedule
            .iter()
            .any(|d| *d > MAX_RETRY_DELAY)
        {
            return Err(format!(
                "webhook_retry_schedule (--webhook-retry-schedule): each delay must be at \
                 most {} seconds (366 days)",
                MAX_RETRY_DELAY.as_secs()
            ));
        }
        if !(1..=MAX_WEBHOOK_ATTEMPTS).contains(&self.webhook_max_attempts) {
            return Err(format!(
                "webhook_max_attempts (--webhook-max-attempts) must be from 1 to \
                 {MAX_WEBHOOK_ATTEMPTS}"
            ));
        }
        if self.webhook_timeout.is_zero() || self.webhook_timeout > MAX_WEBHOOK_TIMEOUT {
            return Err(format!(
                "webhook_timeout must be more than 0 and at most {} seconds",
                MAX_WEBHOOK_TIMEOUT.as_secs()
            ));
        }
        if let Some(url) = &self.webhook_url {
            check_url("webhook_url (--webhook-url)", url)?;
        }
        if let Some(url) = &self.redirect_url {
            check_url("redirect_url (--redirect-url)", url)?;
        }
        if self.webhook_secret.len() > MAX_SECRET_LEN {
            return Err(format!(
                "webhook_secret (--webhook-secret) is longer than {MAX_SECRET_LEN} bytes"
            ));
        }
        Ok(())
    }
}

/// Checks an `allowed_hosts` entry and returns it as requests are compared with it: lower
/// case, without a trailing dot.
pub(crate) fn allowed_host(name: &str) -> Result<String, String> {
    let trimmed = name.strip_suffix('.').unwrap_or(name);
    if trimmed.is_empty()
        || !trimmed
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    {
        return Err(format!(
            "allowed host {name:?} is not a host name (letters, digits, '-', '_' and '.', \
             no port)"
        ));
    }
    Ok(trimmed.to_ascii_lowercase())
}
