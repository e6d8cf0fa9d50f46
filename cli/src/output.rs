//! Printing results as text for people or as JSON for scripts.

use chrono::{DateTime, FixedOffset};
use serde_json::{json, Value};

use crate::Failure;

pub fn failure(f: &Failure, as_json: bool) {
    if as_json {
        println!(
            "{}",
            json!({"ok": false, "error": {"code": f.code, "message": f.message}})
        );
    } else {
        eprintln!("error [{}]: {}", f.code, f.message);
    }
}

/// `Rp 15.023`: Indonesian thousands separator.
pub fn rupiah(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    format!("{}Rp {out}", if amount < 0 { "-" } else { "" })
}

pub fn time(t: Option<DateTime<FixedOffset>>) -> String {
    t.map(|t| t.format("%Y-%m-%d %H:%M:%S %:z").to_string())
        .unwrap_or_else(|| "unknown".into())
}

pub fn order_json(o: &cashi::Order) -> Value {
    json!({
        "order_id": o.order_id,
        "amount": o.amount,
        "requested_amount": o.requested_amount,
        "unique_code": o.unique_code,
        "checkout_url": o.checkout_url,
        "expires_at": o.expires_at.map(|t| t.to_rfc3339()),
        "provider": o.provider,
        "va_number": o.virtual_account.as_ref().map(|v| v.va_number.clone()),
        "payment_code": o.retail.as_ref().map(|r| r.payment_code.clone()),
    })
}

pub fn status_json(s: &cashi::PaymentStatus) -> Value {
    json!({
        "order_id": s.order_id,
        "status": s.state.as_str(),
        "is_settled": s.is_settled(),
        "amount": s.amount,
        "provider_tx_id": s.provider_tx_id,
    })
}

pub fn event_json(e: &cashi::WebhookEvent) -> Value {
    json!({
        "event": e.event.as_str(),
        "order_id": e.order_id,
        "status": e.status.as_str(),
        "amount": e.amount,
        "is_test": e.is_test(),
        "is_settled": e.is_settled(),
        "payment_method": e.payment_method,
        "paid_at": e.paid_at,
        "transaction_id": e.transaction_id,
    })
}

#[cfg(test)]
mod tests {
    use super::rupiah;

    #[test]
    fn rupiah_groups_thousands_with_dots() {
        assert_eq!(rupiah(15023), "Rp 15.023");
        assert_eq!(rupiah(999), "Rp 999");
        assert_eq!(rupiah(10_000_000), "Rp 10.000.000");
    }
}
