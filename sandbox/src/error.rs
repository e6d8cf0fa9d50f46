//! Why a sandbox could not start.

use std::fmt;

/// A sandbox failed to start.
#[derive(Debug)]
pub enum SandboxError {
    /// The listening socket could not be bound to `addr` (host:port as configured).
    Bind {
        addr: String,
        source: std::io::Error,
    },
    /// The SQLite file could not be opened, created or read.
    Database(String),
    /// A setting is unusable (for instance no non-empty API key).
    Config(String),
}

impl fmt::Display for SandboxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SandboxError::Bind { addr, source } => {
                write!(f, "cannot listen on {addr}: {source}")?;
                if source.kind() == std::io::ErrorKind::AddrInUse {
                    // The usual cause: a sandbox (or another server) already runs there.
                    write!(
                        f,
                        " (another process uses this port: stop it, choose another with --port, \
                         or --port 0 for a free one, which the first line of output names)"
                    )?;
                }
                Ok(())
            }
            SandboxError::Database(e) => write!(f, "sandbox database error: {e}"),
            SandboxError::Config(e) => write!(f, "invalid sandbox configuration: {e}"),
        }
    }
}

impl std::error::Error for SandboxError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SandboxError::Bind { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl From<rusqlite::Error> for SandboxError {
    fn from(e: rusqlite::Error) -> Self {
        SandboxError::Database(e.to_string())
    }
}
