//! Command-line flags and the foreground server loop, shared by the `cashi-sandbox`
//! binary and `cashi sandbox` (crate `cashi-cli`), so both take the same flags and print
//! the same lines.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;
use std::time::Duration;

use crate::limits::{MAX_ORDER_TTL, MAX_RETRY_DELAY, MAX_WEBHOOK_ATTEMPTS};
use crate::{SandboxConfig, SandboxError};

/// Flags of a sandbox started from the command line.
#[derive(Debug, Clone, clap::Args)]
pub struct SandboxArgs {
    /// Address to bind. One other machines can reach (0.0.0.0, a LAN address) needs
    /// --api-key with a key of your own, or --allow-public.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub host: IpAddr,
    /// Serve on an address other machines can reach even with the published default key.
    #[arg(long)]
    pub allow_public: bool,
    /// A host name clients reach the sandbox by (a Docker Compose service name, say);
    /// IP addresses and localhost always work, other names are refused; repeatable.
    #[arg(long = "allowed-host", value_name = "NAME", value_parser = parse_allowed_host)]
    pub allowed_hosts: Vec<String>,
    /// Port to bind; 0 picks a free one (read it from the first line printed).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Accepted x-api-key; repeat for several [default: CASHI-SANDBOX01].
    #[arg(long = "api-key", value_name = "KEY", value_parser = parse_api_key)]
    pub api_keys: Vec<String>,
    /// Where settlement webhooks are POSTed.
    #[arg(long, value_name = "URL")]
    pub webhook_url: Option<String>,
    /// HMAC-SHA256 key for x-gateway-signature [default: a fixed sk_... sandbox secret].
    #[arg(long, value_name = "SECRET")]
    pub webhook_secret: Option<String>,
    /// Where the checkout page sends the customer once paid.
    #[arg(long, value_name = "URL")]
    pub redirect_url: Option<String>,
    /// Keep orders and webhook deliveries in this SQLite file (default: in memory).
    #[arg(long = "db", value_name = "FILE")]
    pub db_path: Option<PathBuf>,
    /// Seconds an order stays PENDING (at most 10 years).
    #[arg(long, value_name = "SECS", default_value_t = 600,
          value_parser = clap::value_parser!(u64).range(..=MAX_ORDER_TTL.as_secs()))]
    pub order_ttl: u64,
    /// Seconds before webhook attempt 2, 3, ...; the last repeats; each at most 366 days
    /// [default: 60,300,900,3600,10800].
    #[arg(long, value_name = "SECS,...", value_parser = parse_schedule)]
    pub webhook_retry_schedule: Option<RetrySchedule>,
    /// Attempts per webhook before it is marked failed (at most 100000).
    #[arg(long, value_name = "N", default_value_t = 8,
          value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_WEBHOOK_ATTEMPTS)))]
    pub webhook_max_attempts: u32,
    /// Merchant name shown on the checkout page and put in the QRIS payload.
    #[arg(long, value_name = "NAME")]
    pub merchant_name: Option<String>,
    /// Do not log one line per request to stderr.
    #[arg(long)]
    pub quiet: bool,
    /// Serve HTTPS with a certificate signed by a CA made at start; the CA certificate's
    /// file is printed (give it to an SDK as its CA bundle).
    #[arg(long)]
    pub tls: bool,
    /// Write the CA certificate (PEM) here [default: next to --db as FILE-ca.pem, else in
    /// a temporary directory removed at exit].
    #[arg(long, value_name = "FILE", requires = "tls")]
    pub tls_ca_out: Option<PathBuf>,
}

/// A parsed `--webhook-retry-schedule`.
#[derive(Debug, Clone)]
pub struct RetrySchedule(pub Vec<Duration>);

fn parse_api_key(s: &str) -> Result<String, String> {
    if s.is_empty() || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("an API key must be non-empty, without spaces or control characters".into());
    }
    Ok(s.to_string())
}

fn parse_allowed_host(s: &str) -> Result<String, String> {
    crate::config::allowed_host(s)
}

fn parse_schedule(s: &str) -> Result<RetrySchedule, String> {
    let delays = s
        .split(',')
        .map(|part| {
            part.trim()
                .parse::<f64>()
                .ok()
                .and_then(|f| Duration::try_from_secs_f64(f).ok())
                .filter(|d| *d <= MAX_RETRY_DELAY)
                .ok_or_else(|| {
                    format!(
                        "expected seconds from 0 to {} (366 days) like 1,2,5; got '{part}'",
                        MAX_RETRY_DELAY.as_secs()
                    )
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(RetrySchedule(delays))
}

impl SandboxArgs {
    pub fn into_config(self) -> SandboxConfig {
        let d = SandboxConfig::default();
        SandboxConfig {
            host: self.host,
            allow_public: self.allow_public,
            allowed_hosts: self.allowed_hosts,
            port: self.port,
            api_keys: if self.api_keys.is_empty() {
                d.api_keys.clone()
            } else {
                self.api_keys
            },
            webhook_url: self.webhook_url,
            webhook_secret: self.webhook_secret.unwrap_or(d.webhook_secret.clone()),
            redirect_url: self.redirect_url,
            db_path: self.db_path,
            order_ttl: Duration::from_secs(self.order_ttl),
            webhook_retry_schedule: self
                .webhook_retry_schedule
                .map_or(d.webhook_retry_schedule.clone(), |s| s.0),
            webhook_max_attempts: self.webhook_max_attempts,
            merchant_name: self.merchant_name.unwrap_or(d.merchant_name.clone()),
            log_requests: !self.quiet,
            tls: self.tls,
            tls_ca_out: self.tls_ca_out,
            ..d
        }
    }
}

/// Runs a sandbox in the foreground until SIGINT or SIGTERM.
///
/// Prints to stdout, flushed: first exactly `listening on http://HOST:PORT` (test fixtures
/// in other languages parse this line; `https://` with TLS), then `base url: ...`,
/// `api key: ...` and `webhook secret: ...` (sandbox-only values), and with TLS
/// `ca certificate: FILE`. Requests are logged to stderr, and so is a warning when the
/// address is one other machines can reach.
pub async fn serve(config: SandboxConfig) -> Result<(), SandboxError> {
    let sandbox = crate::start(config).await?;
    let signal = shutdown_signal();
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "listening on {}", sandbox.url());
        let _ = writeln!(out, "base url: {}", sandbox.base_url());
        let _ = writeln!(out, "api key: {}", sandbox.api_key());
        let _ = writeln!(out, "webhook secret: {}", sandbox.webhook_secret());
        if let Some(ca) = sandbox.ca_file() {
            let _ = writeln!(out, "ca certificate: {}", ca.display());
        }
        let _ = out.flush();
    }
    if let Some(warning) = sandbox.public_warning() {
        eprintln!("cashi-sandbox: {warning}");
    }
    signal.await;
    eprintln!("cashi-sandbox: shutting down");
    sandbox.shutdown().await;
    Ok(())
}

/// Registers for SIGINT and SIGTERM now (so a signal sent as soon as the first line is
/// read is not lost) and returns a future that finishes when one arrives.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let term = signal(SignalKind::terminate());
        let int = signal(SignalKind::interrupt());
        async move {
            match (term, int) {
                (Ok(mut term), Ok(mut int)) => {
                    tokio::select! {
                        _ = term.recv() => {}
                        _ = int.recv() => {}
                    }
                }
                _ => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: SandboxArgs,
    }

    fn parse(args: &[&str]) -> Result<SandboxConfig, clap::Error> {
        let mut argv = vec!["cashi-sandbox"];
        argv.extend_from_slice(args);
        Cli::try_parse_from(argv).map(|c| c.args.into_config())
    }

    #[test]
    fn defaults_match_sandbox_config() {
        let c = parse(&[]).unwrap();
        let d = SandboxConfig::default();
        assert_eq!(c.api_keys, d.api_keys);
        assert_eq!(c.webhook_secret, d.webhook_secret);
        assert_eq!(c.webhook_retry_schedule, d.webhook_retry_schedule);
        assert_eq!(c.order_ttl, Duration::from_secs(600));
        assert_eq!(c.port, 0);
        assert_eq!(c.host, d.host);
        assert!(!c.allow_public && c.allowed_hosts.is_empty());
        assert!(!c.tls && c.tls_ca_out.is_none());
    }

    #[test]
    fn tls_flags() {
        let c = parse(&["--tls", "--tls-ca-out", "ca.pem"]).unwrap();
        assert!(c.tls);
        assert_eq!(c.tls_ca_out, Some(PathBuf::from("ca.pem")));
        assert!(parse(&["--tls"]).unwrap().tls_ca_out.is_none());
        // Where to write a CA only means something with --tls.
        assert!(parse(&["--tls-ca-out", "ca.pem"]).is_err());
    }

    #[test]
    fn flags_are_applied() {
        let c = parse(&[
            "--api-key",
            "a",
            "--api-key",
            "b",
            "--webhook-retry-schedule",
            "1,2.5,5",
            "--db",
            "x.db",
            "--order-ttl",
            "30",
            "--quiet",
            "--port",
            "8080",
            "--host",
            "0.0.0.0",
            "--allow-public",
            "--allowed-host",
            "Sandbox",
        ])
        .unwrap();
        assert_eq!(c.host, IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        assert!(c.allow_public);
        assert_eq!(c.allowed_hosts, ["sandbox"]);
        assert_eq!(c.api_keys, ["a", "b"]);
        assert_eq!(
            c.webhook_retry_schedule,
            [1000, 2500, 5000].map(Duration::from_millis)
        );
        assert_eq!(c.db_path, Some(PathBuf::from("x.db")));
        assert_eq!(c.order_ttl, Duration::from_secs(30));
        assert!(!c.log_requests);
        assert_eq!(c.port, 8080);
    }

    #[test]
    fn bad_values_are_refused() {
        assert!(parse(&["--api-key", "has space"]).is_err());
        assert!(parse(&["--webhook-retry-schedule", "1,x"]).is_err());
        assert!(parse(&["--webhook-retry-schedule", "1e300"]).is_err());
        assert!(parse(&["--webhook-retry-schedule", "-1"]).is_err());
        assert!(parse(&["--webhook-retry-schedule", "NaN"]).is_err());
        assert!(parse(&["--order-ttl", "18446744073709551615"]).is_err());
        assert!(parse(&["--webhook-max-attempts", "4294967295"]).is_err());
        assert!(parse(&["--webhook-max-attempts", "0"]).is_err());
        assert!(parse(&["--port", "70000"]).is_err());
        assert!(parse(&["--allowed-host", "sandbox:8080"]).is_err());
        assert!(parse(&["--allowed-host", ""]).is_err());
    }
}
