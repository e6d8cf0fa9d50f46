//! `cashi`: the Cashi SDK's command line. Orders and webhooks through the core crate,
//! a local sandbox, and `cashi demo`, the whole payment flow in one command.

mod demo;
mod order_cmd;
mod output;
mod sandbox_cmd;
mod terminal_qr;
mod webhook_cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "cashi",
    version,
    about = "Take Cashi (cashi.id) QRIS payments from the command line"
)]
struct Cli {
    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a local Cashi sandbox (orders, QR codes, checkout page, signed webhooks).
    Sandbox(sandbox_cmd::SandboxArgs),
    /// Create an order, read its status, wait for its payment.
    #[command(subcommand)]
    Order(order_cmd::OrderCommand),
    /// Verify a webhook, or send a signed one to your handler.
    #[command(subcommand)]
    Webhook(webhook_cmd::WebhookCommand),
    /// The whole flow on an embedded sandbox: order, QR, payment, signed webhook, confirm.
    Demo(demo::DemoArgs),
}

/// The API connection flags shared by the order commands.
#[derive(clap::Args, Clone)]
pub struct ApiArgs {
    /// Your Cashi API key (default: $CASHI_API_KEY).
    #[arg(long, env = "CASHI_API_KEY", hide_env_values = true)]
    api_key: Option<String>,
    /// The API base URL (default: $CASHI_BASE_URL, else https://cashi.id/api).
    #[arg(long, env = "CASHI_BASE_URL")]
    base_url: Option<String>,
    /// Print each HTTP attempt and call to stderr: status, time taken, retries (never the key).
    #[arg(long, short)]
    verbose: bool,
    /// A PEM file of CA certificates to trust besides the built-in roots, e.g. a
    /// TLS-inspecting proxy's or `cashi sandbox --tls`'s (default: $CASHI_CA_BUNDLE, else
    /// $SSL_CERT_FILE).
    #[arg(long, value_name = "FILE")]
    ca_bundle: Option<std::path::PathBuf>,
}

impl ApiArgs {
    pub fn client(&self) -> cashi::Result<cashi::Client> {
        let mut builder = cashi::Client::builder().binding("cashi-cli", env!("CARGO_PKG_VERSION"));
        if let Some(key) = &self.api_key {
            builder = builder.api_key(key);
        }
        if let Some(url) = &self.base_url {
            builder = builder.base_url(url);
        }
        if self.verbose {
            builder = builder.on_event(|event| eprintln!("cashi: {event}"));
        }
        if let Some(path) = &self.ca_bundle {
            builder = builder.ca_bundle(path);
        }
        builder.build()
    }
}

/// What a command reports when it fails: printed, then the exit code.
pub struct Failure {
    pub code: &'static str,
    pub message: String,
    pub exit: u8,
}

impl From<cashi::Error> for Failure {
    fn from(e: cashi::Error) -> Self {
        let message = match e.http_status() {
            Some(status) => format!("{} (HTTP {status})", e.message()),
            None => e.message().to_string(),
        };
        Failure {
            code: e.code(),
            message,
            exit: 1,
        }
    }
}

impl Failure {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Failure {
            code,
            message: message.into(),
            exit: 1,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let json = cli.json;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let result = runtime.block_on(async move {
        match cli.command {
            Command::Sandbox(args) => sandbox_cmd::run(args).await,
            Command::Order(cmd) => order_cmd::run(cmd, json).await,
            Command::Webhook(cmd) => webhook_cmd::run(cmd, json).await,
            Command::Demo(args) => demo::run(args, json).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            output::failure(&failure, json);
            ExitCode::from(failure.exit)
        }
    }
}
