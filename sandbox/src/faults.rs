//! Fault injection for the next N matching API requests (not the sandbox controls or
//! the checkout page), so SDK reliability code meets slow answers, CDN error pages, rate
//! limits, dropped connections, truncated bodies and odd-but-valid payload variants.
//!
//! `error`, `rate_limit` and `respond` answer instead of the handler (nothing happens, as
//! when a CDN or limiter refuses; `respond` serves an exact answer a test supplies). `latency`, `drop`, `truncate` and `patch` run the handler first:
//! for create-order under `drop`, or `latency` longer than the client's timeout, the order
//! IS created and only the answer is lost, which is the dangerous case a client must
//! handle (it must not blindly create it again).
//!
//! This module holds the armed faults; `routes/faults.rs` is the middleware that applies them.

use serde::{Deserialize, Serialize};

use crate::limits::{MAX_FAULT_COUNT, MAX_FAULT_PATH_LEN, MAX_LATENCY_MS, MAX_RETRY_AFTER_SECS};
use crate::lock::Lock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    Latency,
    Error,
    RateLimit,
    Drop,
    Truncate,
    Patch,
    Respond,
}

/// One armed fault, as posted to `POST /api/sandbox/faults`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fault {
    pub kind: FaultKind,
    /// How many matching requests it still applies to.
    #[serde(default = "one")]
    pub count: u32,
    /// `create-order`, `check-status`, or none for any API request.
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u64>,
    /// HTTP status for `error` (default 502) and `respond` (default 200).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// For `error`: answer `{"success":false,"message":...}` with this text instead of an
    /// HTML page, `{api_key}` in it replaced by the request's `x-api-key` (a server that
    /// echoes the key, to test that an SDK never shows it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// `Retry-After` seconds for `rate_limit` (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
    /// Top-level JSON fields to set in the answer (`patch`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set: Option<serde_json::Map<String, serde_json::Value>>,
    /// Top-level JSON fields to remove from the answer (`patch`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remove: Option<Vec<String>>,
    /// The exact body text to answer with (`respond`), served as `application/json`: any
    /// text, so answers a JSON encoder would never write (`15023.0000000000000001`, a
    /// truncated object, HTML) reach the SDKs byte for byte.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

fn one() -> u32 {
    1
}

impl Fault {
    /// Reads a posted fault, each number checked against its bounds first so that the
    /// refusal names the field; returns a message for a 400.
    pub fn from_json(map: serde_json::Map<String, serde_json::Value>) -> Result<Fault, String> {
        let bounds = [
            ("count", 1, u64::from(MAX_FAULT_COUNT)),
            ("latency_ms", 0, MAX_LATENCY_MS),
            ("retry_after", 0, MAX_RETRY_AFTER_SECS),
            ("status", 200, 599),
        ];
        for (field, min, max) in bounds {
            match map.get(field) {
                None | Some(serde_json::Value::Null) => {}
                Some(v) => {
                    if !v.as_u64().is_some_and(|n| (min..=max).contains(&n)) {
                        return Err(format!(
                            "{field} must be a whole number from {min} to {max}, got {v}"
                        ));
                    }
                }
            }
        }
        let mut fault: Fault =
            serde_json::from_value(serde_json::Value::Object(map)).map_err(|e| e.to_string())?;
        fault.validate()?;
        Ok(fault)
    }

    /// Checks the parts that serde cannot; returns a message for a 400.
    fn validate(&mut self) -> Result<(), String> {
        if self.count == 0 {
            return Err("count must be at least 1".into());
        }
        if let Some(p) = &self.path {
            if p.chars().count() > MAX_FAULT_PATH_LEN {
                return Err(format!(
                    "path is longer than {MAX_FAULT_PATH_LEN} characters"
                ));
            }
            let p = p.trim_start_matches('/').trim_start_matches("api/");
            if p.is_empty() {
                self.path = None;
            } else {
                self.path = Some(p.trim_end_matches('/').to_string());
            }
        }
        match self.kind {
            FaultKind::Error => {
                let s = self.status.unwrap_or(502);
                if !(400..=599).contains(&s) {
                    return Err(
                        "status must be an HTTP error status (400-599), e.g. 500, 502 or 503"
                            .into(),
                    );
                }
                self.status = Some(s);
            }
            _ if self.message.is_some() => {
                return Err("message is only for kind error".into());
            }
            FaultKind::Latency if self.latency_ms.is_none() => {
                return Err("latency needs latency_ms".into());
            }
            FaultKind::Patch if self.set.is_none() && self.remove.is_none() => {
                return Err("patch needs set and/or remove".into());
            }
            FaultKind::Respond => {
                if self.body.is_none() {
                    return Err("respond needs body (the exact text to answer with)".into());
                }
                let s = self.status.unwrap_or(200);
                if !(200..=599).contains(&s) {
                    return Err("status must be an HTTP status from 200 to 599".into());
                }
                self.status = Some(s);
            }
            _ => {}
        }
        Ok(())
    }

    fn matches(&self, rest: &str) -> bool {
        match &self.path {
            None => true,
            Some(p) => rest == p || rest.starts_with(&format!("{p}/")),
        }
    }
}

/// The armed faults, first armed first used.
#[derive(Default)]
pub struct Faults(Lock<Vec<Fault>>);

impl Faults {
    pub fn add(&self, f: Fault) {
        self.0.lock().push(f);
    }

    pub fn clear(&self) {
        self.0.lock().clear();
    }

    pub fn list(&self) -> Vec<Fault> {
        self.0.lock().clone()
    }

    /// Takes one use of the first fault matching the path after `/api/`.
    pub fn take(&self, rest: &str) -> Option<Fault> {
        let mut faults = self.0.lock();
        let i = faults.iter().position(|f| f.matches(rest))?;
        faults[i].count -= 1;
        let f = faults[i].clone();
        if faults[i].count == 0 {
            faults.remove(i);
        }
        Some(f)
    }
}

/// Marks a response whose connection must be closed without sending it (see `server.rs`).
#[derive(Clone, Copy)]
pub struct DropConnection;
