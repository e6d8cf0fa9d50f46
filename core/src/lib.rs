//! # cashi
//!
//! The client and webhook verification for [Cashi](https://cashi.id), the Indonesian QRIS
//! payment gateway, written once and shared by the Python, Node.js, PHP and C SDKs.
//!
//! ```no_run
//! # async fn run() -> cashi::Result<()> {
//! let client = cashi::Client::builder().api_key("CASHI-XXXXXXXXXXX").build()?;
//! let order = client.create_order(&cashi::CreateOrder::new(15_000).order_id("INV-9921")).await?;
//! // store order.amount: it is the amount the customer pays and the webhook carries
//! let status = client.confirm(&order, order.amount).await?; // before fulfilling
//! # Ok(()) }
//! ```

// The README's examples compile with the crate's doctests, so they cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

mod batch;
pub mod channel;
mod client;
mod confirm;
pub mod data_uri;
mod decode;
pub mod error;
pub mod events;
pub mod model;
pub mod order;
mod process_local;
pub mod retry;
#[cfg(feature = "blocking")]
pub mod runtime;
pub mod status;
#[cfg(feature = "blocking")]
mod thread_http;
pub mod timestamp;
mod tls_sessions;
mod transport;
mod trust;
pub mod validate;
pub mod webhook;
pub mod webhook_answer;

pub use batch::{BATCH_IN_FLIGHT, MAX_BATCH_ITEMS};
pub use channel::{AmountLimits, Bank, Channel, Retailer};
pub use client::{
    Client, ClientBuilder, OrderRef, WaitProgress, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, DEFAULT_WAIT, VERSION,
};
pub use decode::response;
pub use error::{Error, ErrorKind, Mismatch, Result};
pub use model::{Record, Schema};
pub use order::{
    CreateOrder, Order, RetailCode, VirtualAccount, MAX_EXTRA_BYTES, RESERVED_ORDER_FIELDS,
};
pub use status::{PaymentState, PaymentStatus};
pub use webhook::{EventKind, Webhook, WebhookEvent};

/// Helpers for merchants' own tests.
pub mod testing {
    pub use crate::webhook::sign;

    /// A compact webhook body as Cashi sends it, for signing in tests.
    pub fn webhook_body(order_id: &str, amount: i64) -> String {
        serde_json::json!({
            "event": "PAYMENT_SETTLED",
            "data": {"order_id": order_id, "status": "SETTLED", "amount": amount}
        })
        .to_string()
    }
}
