//! `cashi-sandbox`: run a local Cashi. The first stdout line is exactly
//! `listening on http://HOST:PORT` (other languages' test fixtures parse it).

use std::process::ExitCode;

use clap::Parser;

/// A local Cashi (cashi.id): the exact wire contract, real QRIS codes, a checkout page,
/// signed webhooks with retries, fault injection. Controls live under /api/sandbox/.
#[derive(Parser)]
#[command(name = "cashi-sandbox", version)]
struct Cli {
    #[command(flatten)]
    args: cashi_sandbox::cli::SandboxArgs,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match cashi_sandbox::cli::serve(cli.args.into_config()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cashi-sandbox: {e}");
            ExitCode::FAILURE
        }
    }
}
