//! `cashi-sandbox`: run a local Cashi. The first stdout line is exactly
//! `listening on http://HOST:PORT` (other languages' test fixtures parse it).

use std::io::Write;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use cashi_sandbox::SandboxConfig;

const USAGE: &str = "\
cashi-sandbox: a local Cashi (cashi.id) for tests and demos

USAGE: cashi-sandbox [OPTIONS]

  --host IP                      address to bind (default 127.0.0.1)
  --port N                       port (default 0 = a free port)
  --api-key KEY                  accepted x-api-key; repeatable (default CASHI-SANDBOX01)
  --webhook-url URL              where settlement webhooks go
  --webhook-secret SECRET        HMAC key for x-gateway-signature
  --redirect-url URL             where the checkout page sends the customer once paid
  --db FILE                      keep orders and deliveries in SQLite (default: memory)
  --order-ttl SECS               how long an order stays PENDING (default 600)
  --webhook-retry-schedule LIST  seconds before attempt 2,3,..., e.g. 1,2,5
                                 (default 60,300,900,3600,10800)
  --webhook-max-attempts N       attempts per webhook (default 8)
  --merchant-name NAME           merchant name in the QRIS payload and the page
  --quiet                        no per-request log lines
  -h, --help                     this text
";

fn parse_args() -> Result<Option<SandboxConfig>, String> {
    let mut cfg = SandboxConfig::default();
    let mut keys = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = || -> Result<String, String> {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        let num = |v: String, what: &str| -> Result<u64, String> {
            v.trim()
                .parse::<u64>()
                .map_err(|_| format!("{what} must be a whole number, got '{v}'"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--host" => {
                let v = value()?;
                cfg.host = v
                    .parse::<IpAddr>()
                    .map_err(|_| format!("--host must be an IP address, got '{v}'"))?;
            }
            "--port" => {
                let v = value()?;
                cfg.port = v
                    .parse()
                    .map_err(|_| format!("--port must be 0-65535, got '{v}'"))?;
            }
            "--api-key" => keys.push(value()?),
            "--webhook-url" => cfg.webhook_url = Some(value()?),
            "--webhook-secret" => cfg.webhook_secret = value()?,
            "--redirect-url" => cfg.redirect_url = Some(value()?),
            "--db" => cfg.db_path = Some(PathBuf::from(value()?)),
            "--order-ttl" => cfg.order_ttl = Duration::from_secs(num(value()?, "--order-ttl")?),
            "--webhook-retry-schedule" => {
                cfg.webhook_retry_schedule = value()?
                    .split(',')
                    .filter(|s| !s.trim().is_empty())
                    .map(|s| {
                        s.trim()
                            .parse::<f64>()
                            .ok()
                            .filter(|f| *f >= 0.0 && f.is_finite())
                            .map(Duration::from_secs_f64)
                            .ok_or_else(|| {
                                format!(
                                    "--webhook-retry-schedule takes seconds like 1,2,5; got '{s}'"
                                )
                            })
                    })
                    .collect::<Result<_, _>>()?;
            }
            "--webhook-max-attempts" => {
                cfg.webhook_max_attempts = num(value()?, "--webhook-max-attempts")?.max(1) as u32
            }
            "--merchant-name" => cfg.merchant_name = value()?,
            "--quiet" => cfg.log_requests = false,
            other => return Err(format!("unknown option '{other}'")),
        }
    }
    if keys
        .iter()
        .any(|k| k.trim().is_empty() || k.chars().any(char::is_whitespace))
    {
        return Err("--api-key must be non-empty and contain no whitespace".into());
    }
    if !keys.is_empty() {
        cfg.api_keys = keys;
    }
    Ok(Some(cfg))
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate()).expect("install SIGTERM handler");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cfg = match parse_args() {
        Ok(Some(cfg)) => cfg,
        Ok(None) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("cashi-sandbox: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let sandbox = match cashi_sandbox::start(cfg).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cashi-sandbox: {e}");
            return ExitCode::FAILURE;
        }
    };
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "listening on {}", sandbox.url());
        let _ = writeln!(out, "base url: {}", sandbox.base_url());
        let _ = writeln!(out, "api key: {}", sandbox.api_key());
        let _ = writeln!(out, "webhook secret: {}", sandbox.webhook_secret());
        let _ = out.flush();
    }
    wait_for_signal().await;
    eprintln!("cashi-sandbox: shutting down");
    sandbox.shutdown().await;
    ExitCode::SUCCESS
}
