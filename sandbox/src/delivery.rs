//! One webhook delivery as the sandbox stores (and persists) it, with its attempts.

use serde::{Deserialize, Serialize};

use crate::clock::Millis;
use crate::limits::{
    check_time, MAX_ORDER_ID_LEN, MAX_REQUEST_BODY, MAX_URL_LEN, MAX_WEBHOOK_ATTEMPTS,
};

/// Most bytes of a receiver's answer kept in a delivery record.
pub const EXCERPT_BYTES: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryState {
    /// Not yet answered 200; another attempt will come.
    Pending,
    /// Answered 200; never sent again.
    Delivered,
    /// The attempt limit was reached without a 200.
    Failed,
}

/// One try to deliver: when, and what the merchant answered (or why nothing came back).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Attempt {
    /// RFC 3339 UTC on the sandbox clock.
    pub at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub duration_ms: u64,
    /// The start of the merchant's answer body: at most [`EXCERPT_BYTES`] bytes, cut at a
    /// character boundary (enough to see what a handler said, too little to read pages).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_body: Option<String>,
    /// Made by `POST /api/sandbox/webhooks/{id}/redeliver`, after the delivery was final.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub redelivery: bool,
}

/// One webhook to deliver, with its history. Also the persisted form.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Delivery {
    pub id: u64,
    /// `settlement` or `test` (the dashboard's Test Webhook button).
    pub kind: String,
    pub order_id: String,
    pub url: String,
    /// The exact bytes sent (compact JSON).
    pub body: String,
    /// The `x-gateway-signature` sent: lower-case hex HMAC-SHA256 of `body`.
    pub signature: String,
    pub state: DeliveryState,
    pub attempts: Vec<Attempt>,
    pub max_attempts: u32,
    /// When the next attempt is due (sandbox clock, epoch ms); none once final.
    pub next_attempt_at: Option<Millis>,
    pub created_at: Millis,
}

impl Delivery {
    /// Checks a record read back from the database, `key` being its row id: every field
    /// as the sandbox writes it, so that no later arithmetic on it can overflow.
    pub fn check(&self, key: i64) -> Result<(), String> {
        if i64::try_from(self.id).ok() != Some(key) || key < 1 {
            return Err(format!(
                "id {} must be from 1 to {} and match its row id {key}",
                self.id,
                i64::MAX
            ));
        }
        if self.kind != "settlement" && self.kind != "test" {
            return Err(format!(
                "kind must be settlement or test, not {:?}",
                self.kind
            ));
        }
        let len = self.order_id.chars().count();
        if len == 0 || len > MAX_ORDER_ID_LEN {
            return Err(format!(
                "order_id must be 1 to {MAX_ORDER_ID_LEN} characters, has {len}"
            ));
        }
        if self.url.is_empty() || self.url.len() > MAX_URL_LEN {
            return Err(format!("url must be 1 to {MAX_URL_LEN} bytes"));
        }
        if self.body.len() > MAX_REQUEST_BODY {
            return Err(format!("body is longer than {MAX_REQUEST_BODY} bytes"));
        }
        if self.signature.len() != 64
            || !self
                .signature
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return Err("signature must be 64 lower-case hex digits".into());
        }
        if !(1..=MAX_WEBHOOK_ATTEMPTS).contains(&self.max_attempts) {
            return Err(format!(
                "max_attempts {} must be from 1 to {MAX_WEBHOOK_ATTEMPTS}",
                self.max_attempts
            ));
        }
        if self.attempts.len() > self.max_attempts as usize {
            return Err(format!(
                "{} attempts recorded, more than max_attempts {}",
                self.attempts.len(),
                self.max_attempts
            ));
        }
        check_time("created_at", self.created_at)?;
        match self.next_attempt_at {
            Some(at) => check_time("next_attempt_at", at)?,
            None if self.state == DeliveryState::Pending => {
                return Err("a pending delivery needs next_attempt_at".into())
            }
            None => {}
        }
        for a in &self.attempts {
            let long = a.at.len() > 64
                || a.error.as_ref().is_some_and(|e| e.len() > 4096)
                || a.response_body.as_ref().is_some_and(|b| b.len() > 4096);
            if long {
                return Err("an attempt has a field longer than the sandbox writes".into());
            }
        }
        Ok(())
    }
}
