//! Writes, checks or prints what the bindings derive from the core (its schemas, the webhook
//! handlers' answers).
//!
//! ```text
//! cargo run -p cashi-codegen -- write    # after changing core/src/model.rs or webhook_answer.rs
//! cargo run -p cashi-codegen -- check    # in the test command: exit 1 naming stale files
//! cargo run -p cashi-codegen -- schema   # the schemas as JSON (the parity test reads it)
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cashi_codegen::generate;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn main() -> ExitCode {
    let command = std::env::args().nth(1).unwrap_or_default();
    match command.as_str() {
        "schema" => {
            let json = cashi::model::schemas_json();
            println!("{}", serde_json::to_string_pretty(&json).expect("JSON"));
            ExitCode::SUCCESS
        }
        "write" => {
            for file in generate() {
                let path = root().join(file.path);
                if std::fs::read_to_string(&path).ok().as_deref() != Some(&file.text) {
                    std::fs::write(&path, &file.text)
                        .unwrap_or_else(|e| panic!("writing {}: {e}", file.path));
                    println!("wrote {}", file.path);
                }
            }
            ExitCode::SUCCESS
        }
        "check" => {
            let stale: Vec<_> = generate()
                .into_iter()
                .filter(|f| {
                    std::fs::read_to_string(root().join(f.path)).ok().as_deref() != Some(&f.text)
                })
                .map(|f| f.path)
                .collect();
            if stale.is_empty() {
                println!("generated files are up to date");
                ExitCode::SUCCESS
            } else {
                eprintln!(
                    "stale generated files (run `cargo run -p cashi-codegen -- write`): {}",
                    stale.join(", ")
                );
                ExitCode::FAILURE
            }
        }
        _ => {
            eprintln!("usage: cashi-codegen write|check|schema");
            ExitCode::from(2)
        }
    }
}
