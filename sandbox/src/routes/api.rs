//! The public API of the contract: create-order and check-status.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::{
    bad_request, encode_segment, json_object, store_error, whole_rupiah, ApiError, LimitedBody,
};
use crate::channels::{self, Channel, Retailer, QRIS_FEE_PERCENT, VA_ADMIN_FEE};
use crate::limits::MAX_ORDER_ID_LEN;
use crate::order::Order;
use crate::state::Sandbox;
use crate::store::{unknown_channel_message, NewOrder, StoreError};
use crate::{qr_png, qris, time_fmt};

pub async fn create_order(
    State(sandbox): State<Arc<Sandbox>>,
    LimitedBody(body): LimitedBody,
) -> Response {
    let req = match parse(&body) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let cfg = &sandbox.config;
    let ttl_ms = cfg.order_ttl.as_millis() as i64;
    let created = sandbox
        .store
        .lock()
        .create(req, sandbox.clock.now(), ttl_ms, |id, amount| {
            qris::payload(&qris::QrisData {
                amount,
                merchant_name: &cfg.merchant_name,
                merchant_city: &cfg.merchant_city,
                reference: id,
            })
        });
    match created {
        Ok(order) => Json(created_json(&sandbox, &order)).into_response(),
        Err(e) => store_error(e),
    }
}

/// Validates the create-order body; every refusal names the field at fault.
fn parse(body: &Bytes) -> Result<NewOrder, ApiError> {
    let map = json_object(body, false)?;
    let amount = whole_rupiah(map.get("amount"), "amount")?
        .ok_or_else(|| bad_request("amount is required (whole rupiah, e.g. 15000)"))?;
    let order_id = match map.get("order_id") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.is_empty() => {
            return Err(bad_request(
                "order_id must not be empty (leave it out to get a generated one)",
            ))
        }
        Some(Value::String(s)) if s.chars().count() > MAX_ORDER_ID_LEN => {
            return Err(bad_request(format!(
                "order_id is longer than {MAX_ORDER_ID_LEN} characters"
            )))
        }
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(bad_request("order_id must be a string")),
    };
    let custom_flag = match map.get("QRIS_CUSTOM") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(bad_request("QRIS_CUSTOM must be true or false")),
    };
    let channel = match map.get("kode_channel") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::String(s)) => {
            Some(Channel::from_code(s).ok_or_else(|| bad_request(unknown_channel_message(s)))?)
        }
        Some(_) => return Err(bad_request("kode_channel must be a string")),
    };
    let channel = match (channel, custom_flag) {
        (None, false) => Channel::Qris,
        (None, true) | (Some(Channel::QrisCustom), _) => Channel::QrisCustom,
        (Some(c), false) => c,
        (Some(c), true) => {
            return Err(bad_request(format!(
                "QRIS_CUSTOM: true conflicts with kode_channel '{}'",
                c.code()
            )))
        }
    };
    let (min, max) = channel.limits();
    if amount < min || amount > max {
        return Err(bad_request(format!(
            "amount {amount} is outside the limits of channel {}: minimum {min}, maximum {max}",
            channel.code()
        )));
    }
    // Kept in the order received.
    let extra = map
        .into_iter()
        .filter(|(k, _)| {
            !["amount", "order_id", "kode_channel", "QRIS_CUSTOM"].contains(&k.as_str())
        })
        .collect();
    Ok(NewOrder {
        order_id,
        channel,
        amount,
        extra,
    })
}

/// The create-order answer, with the fields of the order's channel.
fn created_json(sandbox: &Sandbox, o: &Order) -> Value {
    let mut v = json!({
        "success": true,
        "orderId": o.order_id,
        "order_id": o.order_id,
        "amount": o.amount,
        "expires_at": time_fmt::jakarta(o.expires_at),
        "provider": o.channel.provider(),
    });
    let checkout_url = format!("{}/pay/{}", sandbox.origin, encode_segment(&o.order_id));
    if let Some(payload) = &o.qris_payload {
        v["qrUrl"] = qr_png::data_uri(payload).into();
        v["fee"] = QRIS_FEE_PERCENT.into();
    }
    match o.channel {
        Channel::Qris => {
            v["checkout_url"] = checkout_url.into();
        }
        Channel::QrisCustom => {
            v["expected_net"] = channels::qris_expected_net(o.amount).into();
            v["is_qris_custom"] = true.into();
        }
        Channel::Va(bank) => {
            v["checkout_url"] = checkout_url.into();
            v["total_amount"] = o.amount.into();
            v["admin_fee"] = VA_ADMIN_FEE.into();
            v["expected_net"] = (o.amount - VA_ADMIN_FEE).into();
            v["va_number"] = o.payment_code.clone().into();
            v["bank"] = bank.code().into();
            v["bank_name"] = bank.name().into();
            v["kode_channel"] = bank.code().into();
        }
        Channel::Retail(r) => {
            v["checkout_url"] = checkout_url.into();
            v["payment_code"] = o.payment_code.clone().into();
            v["retail_code"] = o.channel.code().into();
            v["retail_name"] = match r {
                Retailer::Alfamart => "Alfamart",
                Retailer::Indomaret => "Indomaret",
            }
            .into();
        }
    }
    v
}

/// `{orderId}` is the rest of the path, percent-decoded, so ids with `/` work whether the
/// client encodes it as `%2F` or not.
pub async fn check_status(
    State(sandbox): State<Arc<Sandbox>>,
    Path(order_id): Path<String>,
) -> Response {
    let order = sandbox.store.lock().get(&order_id, sandbox.clock.now());
    match order {
        Some(o) => Json(o.status_json()).into_response(),
        None => store_error(StoreError::NotFound(format!(
            "order '{order_id}' not found"
        ))),
    }
}
