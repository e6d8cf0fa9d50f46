//! The sandbox's command-line flags and its serve-until-signal loop, shared by the
//! `cashi-sandbox` binary and `cashi sandbox`.

use std::io::Write;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::SandboxConfig;

/// Flags of a sandbox run.
#[derive(clap::Args, Debug, Clone)]
pub struct SandboxArgs {
    /// Address to bind.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: IpAddr,
    /// Port; 0 picks a free one (printed on the first line).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Accepted x-api-key; repeatable (default CASHI-SANDBOX01).
    #[arg(long = "api-key", value_parser = api_key)]
    pub api_keys: Vec<String>,
    /// Where settlement webhooks go.
    #[arg(long)]
    pub webhook_url: Option<String>,
    /// HMAC key for x-gateway-signature (default: a fixed sandbox secret, printed at start).
    #[arg(long)]
    pub webhook_secret: Option<String>,
    /// Where the checkout page sends the customer once paid.
    #[arg(long)]
    pub redirect_url: Option<String>,
    /// Keep orders and pending webhook deliveries in this SQLite file (default: memory).
    #[arg(long)]
    pub db: Option<PathBuf>,
    /// Seconds an order stays PENDING.
    #[arg(long, default_value_t = 600)]
    pub order_ttl: u64,
    /// Seconds before webhook attempt 2, 3, ..., e.g. 1,2,5 (default spreads over hours).
    #[arg(long, value_delimiter = ',', value_parser = seconds)]
    pub webhook_retry_schedule: Vec<Duration>,
    /// Attempts per webhook before it is marked failed.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..))]
    pub webhook_max_attempts: u32,
    /// Merchant name in the QRIS payload and on the checkout page.
    #[arg(long)]
    pub merchant_name: Option<String>,
    /// No per-request log lines.
    #[arg(long)]
    pub quiet: bool,
}

fn api_key(text: &str) -> Result<String, String> {
    if text.is_empty() || text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("an API key must be non-empty, without whitespace".into());
    }
    Ok(text.to_string())
}

fn seconds(text: &str) -> Result<Duration, String> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| format!("{text:?} is not a number of seconds"))
}

impl SandboxArgs {
    pub fn into_config(self) -> SandboxConfig {
        let mut config = SandboxConfig {
            host: self.host,
            port: self.port,
            webhook_url: self.webhook_url,
            redirect_url: self.redirect_url,
            db_path: self.db,
            order_ttl: Duration::from_secs(self.order_ttl),
            webhook_max_attempts: self.webhook_max_attempts,
            log_requests: !self.quiet,
            ..SandboxConfig::default()
        };
        if !self.api_keys.is_empty() {
            config.api_keys = self.api_keys;
        }
        if let Some(secret) = self.webhook_secret {
            config.webhook_secret = secret;
        }
        if !self.webhook_retry_schedule.is_empty() {
            config.webhook_retry_schedule = self.webhook_retry_schedule;
        }
        if let Some(name) = self.merchant_name {
            config.merchant_name = name;
        }
        config
    }
}

/// Starts a sandbox, prints where it listens (the first stdout line is exactly
/// `listening on http://HOST:PORT`, which test fixtures parse), and serves until SIGINT or
/// SIGTERM.
pub async fn serve(config: SandboxConfig) -> Result<(), crate::SandboxError> {
    let sandbox = crate::start(config).await?;
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "listening on {}", sandbox.url());
        let _ = writeln!(out, "base url: {}", sandbox.base_url());
        let _ = writeln!(out, "api key: {}", sandbox.api_key());
        let _ = writeln!(out, "webhook secret: {}", sandbox.webhook_secret());
        let _ = out.flush();
    }
    wait_for_signal().await;
    eprintln!("cashi sandbox: shutting down");
    sandbox.shutdown().await;
    Ok(())
}

async fn wait_for_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate()).expect("install a SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}
