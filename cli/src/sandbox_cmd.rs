//! `cashi sandbox`: the same local Cashi as the `cashi-sandbox` binary.

pub use cashi_sandbox::cli::SandboxArgs;

use crate::Failure;

pub async fn run(args: SandboxArgs) -> Result<(), Failure> {
    cashi_sandbox::cli::serve(args.into_config())
        .await
        .map_err(|e| Failure::new("sandbox", e.to_string()))
}
