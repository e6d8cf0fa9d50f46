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

/// The core's JSON view, without what a terminal does not need: the QR data URI (the QRIS
/// payload is printed instead).
fn trimmed(mut view: Value) -> Value {
    if let Some(map) = view.as_object_mut() {
        map.remove("qr_url");
    }
    view
}

pub fn order_json(o: &cashi::Order) -> Value {
    trimmed(o.to_json())
}

pub fn status_json(s: &cashi::PaymentStatus) -> Value {
    trimmed(s.to_json())
}

pub fn event_json(e: &cashi::WebhookEvent) -> Value {
    trimmed(e.to_json())
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
