//! One order as the sandbox stores (and persists) it, and its check-status answer.

use serde::{Deserialize, Serialize};

use crate::channels::Channel;
use crate::clock::Millis;
use crate::limits::{check_amount, check_time, MAX_ORDER_ID_LEN};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum OrderStatus {
    Pending,
    Settled,
    Expired,
}

impl OrderStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Pending => "PENDING",
            OrderStatus::Settled => "SETTLED",
            OrderStatus::Expired => "EXPIRED",
        }
    }
}

/// One order, as stored (and persisted as JSON).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Order {
    pub order_id: String,
    pub channel: Channel,
    /// The amount the merchant asked for.
    pub base_amount: i64,
    /// The amount to pay: base plus the unique code (QRIS), or the base (VA, retail).
    pub amount: i64,
    pub unique_code: i64,
    pub created_at: Millis,
    pub expires_at: Millis,
    pub status: OrderStatus,
    pub paid_amount: Option<i64>,
    pub paid_at: Option<Millis>,
    pub provider_tx_id: Option<String>,
    /// VA number or retail payment code.
    pub payment_code: Option<String>,
    /// The QRIS payload the QR image encodes (QRIS channels only).
    pub qris_payload: Option<String>,
    /// The create-order body's fields the sandbox does not read (Cashi ignores them), kept
    /// as received so a test can see what a client sent.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub request_extra: serde_json::Map<String, serde_json::Value>,
}

impl Order {
    /// Checks a record read back from the database: every field as the sandbox writes it,
    /// so that no later arithmetic on its times or amounts can overflow.
    pub fn check(&self) -> Result<(), String> {
        let len = self.order_id.chars().count();
        if len == 0 || len > MAX_ORDER_ID_LEN {
            return Err(format!(
                "order_id must be 1 to {MAX_ORDER_ID_LEN} characters, has {len}"
            ));
        }
        check_amount("base_amount", self.base_amount)?;
        let codes = if self.channel.is_qris() {
            1..=99
        } else {
            0..=0
        };
        if !codes.contains(&self.unique_code) {
            return Err(format!(
                "unique_code {} is not one channel {} uses ({}..={})",
                self.unique_code,
                self.channel.code(),
                codes.start(),
                codes.end()
            ));
        }
        check_amount("amount", self.amount)?;
        if self.base_amount.checked_add(self.unique_code) != Some(self.amount) {
            return Err(format!(
                "amount {} is not base_amount {} + unique_code {}",
                self.amount, self.base_amount, self.unique_code
            ));
        }
        check_time("created_at", self.created_at)?;
        check_time("expires_at", self.expires_at)?;
        if self.expires_at < self.created_at {
            return Err("expires_at is before created_at".into());
        }
        if let Some(paid) = self.paid_amount {
            check_amount("paid_amount", paid)?;
        }
        if let Some(at) = self.paid_at {
            check_time("paid_at", at)?;
        }
        let settled = self.status == OrderStatus::Settled;
        for (field, present) in [
            ("paid_amount", self.paid_amount.is_some()),
            ("paid_at", self.paid_at.is_some()),
            ("provider_tx_id", self.provider_tx_id.is_some()),
        ] {
            if present != settled {
                return Err(format!(
                    "a {} order {} {field}",
                    self.status.as_str(),
                    if settled { "needs" } else { "has no" }
                ));
            }
        }
        for (field, value, max) in [
            ("provider_tx_id", &self.provider_tx_id, 64),
            ("payment_code", &self.payment_code, 64),
            ("qris_payload", &self.qris_payload, 1024),
        ] {
            if value.as_ref().is_some_and(|v| v.len() > max) {
                return Err(format!("{field} is longer than {max} bytes"));
            }
        }
        Ok(())
    }

    /// The check-status answer for this order.
    pub fn status_json(&self) -> serde_json::Value {
        let mut v = serde_json::json!({
            "success": true,
            "status": self.status.as_str(),
            "amount": self.paid_amount.unwrap_or(self.amount),
            "order_id": self.order_id,
        });
        if let Some(tx) = &self.provider_tx_id {
            v["provider_tx_id"] = tx.clone().into();
        }
        v
    }
}
