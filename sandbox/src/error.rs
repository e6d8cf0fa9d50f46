//! Why a sandbox could not start.

use std::fmt;

/// A sandbox failed to start.
#[derive(Debug)]
pub enum SandboxError {
    /// The listening socket could not be bound.
    Bind(std::io::Error),
    /// The SQLite file could not be opened, created or read.
    Database(String),
    /// A setting is unusable (for instance no non-empty API key).
    Config(String),
}

impl fmt::Display for SandboxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SandboxError::Bind(e) => write!(f, "cannot bind the sandbox address: {e}"),
            SandboxError::Database(e) => write!(f, "sandbox database error: {e}"),
            SandboxError::Config(e) => write!(f, "invalid sandbox configuration: {e}"),
        }
    }
}

impl std::error::Error for SandboxError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SandboxError::Bind(e) => Some(e),
            _ => None,
        }
    }
}

impl From<rusqlite::Error> for SandboxError {
    fn from(e: rusqlite::Error) -> Self {
        SandboxError::Database(e.to_string())
    }
}
