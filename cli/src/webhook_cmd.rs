//! `cashi webhook verify | send`.

use std::io::Read;
use std::time::Duration;

use clap::Subcommand;
use serde_json::json;

use crate::{output, Failure};

#[derive(Subcommand)]
pub enum WebhookCommand {
    /// Verify a webhook body (a file, or - for standard input) against its signature.
    Verify {
        /// Your webhook secret (sk_...); default $CASHI_WEBHOOK_SECRET.
        #[arg(long, env = "CASHI_WEBHOOK_SECRET", hide_env_values = true)]
        secret: String,
        /// The x-gateway-signature header value.
        #[arg(long)]
        signature: String,
        /// The raw body, exactly as received.
        #[arg(default_value = "-")]
        file: String,
    },
    /// Send a correctly signed PAYMENT_SETTLED webhook to your handler, to test it.
    Send {
        /// Your handler, e.g. http://localhost:3000/webhook.
        #[arg(long)]
        url: String,
        /// The secret your handler verifies with; default $CASHI_WEBHOOK_SECRET.
        #[arg(long, env = "CASHI_WEBHOOK_SECRET", hide_env_values = true)]
        secret: String,
        /// Default: a dashboard-style test id, TEST-<random>.
        #[arg(long)]
        order_id: Option<String>,
        #[arg(long, default_value_t = 15023)]
        amount: i64,
    },
}

pub async fn run(command: WebhookCommand, json: bool) -> Result<(), Failure> {
    match command {
        WebhookCommand::Verify {
            secret,
            signature,
            file,
        } => {
            let body = read_body(&file)?;
            let event = cashi::Webhook::new(&secret)?.verify(&body, &signature)?;
            if json {
                println!(
                    "{}",
                    json!({"ok": true, "event": output::event_json(&event)})
                );
            } else {
                println!(
                    "valid signature: {} for order {} ({}, {})",
                    event.event,
                    event.order_id,
                    event.status,
                    output::rupiah(event.amount)
                );
                if event.is_test() {
                    println!("this is a test webhook: answer 200 and fulfil nothing");
                }
            }
            Ok(())
        }
        WebhookCommand::Send {
            url,
            secret,
            order_id,
            amount,
        } => {
            cashi::Webhook::new(&secret)?;
            let order_id = order_id.unwrap_or_else(|| format!("TEST-{:08x}", rand_u32()));
            let body = cashi::testing::webhook_body(&order_id, amount);
            let signature = cashi::testing::sign(&secret, &body);
            let (status, answer) = deliver(&url, &body, &signature).await?;
            if json {
                println!(
                    "{}",
                    json!({"ok": status == 200, "http_status": status, "order_id": order_id, "answer": answer})
                );
            } else {
                println!("POST {url}\n  body       {body}\n  signature  {signature}\n  answer     HTTP {status} {answer}");
            }
            if status == 200 {
                Ok(())
            } else {
                Err(Failure::new(
                    "webhook_rejected",
                    format!("the handler answered HTTP {status}; Cashi would retry this delivery"),
                ))
            }
        }
    }
}

fn read_body(file: &str) -> Result<Vec<u8>, Failure> {
    let mut body = Vec::new();
    let result = if file == "-" {
        std::io::stdin().read_to_end(&mut body).map(|_| ())
    } else {
        std::fs::read(file).map(|b| body = b)
    };
    result
        .map_err(|e| Failure::new("invalid_argument", format!("body: cannot read {file}: {e}")))?;
    Ok(body)
}

/// POSTs a signed webhook as Cashi does; returns the status and a short excerpt of the answer.
pub async fn deliver(url: &str, body: &str, signature: &str) -> Result<(u16, String), Failure> {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| Failure::new("internal", e.to_string()))?;
    let response = http
        .post(url)
        .header("content-type", "application/json")
        .header(cashi::webhook::SIGNATURE_HEADER, signature)
        .body(body.to_string())
        .send()
        .await
        .map_err(|e| Failure::new("connection", format!("could not deliver to {url}: {e}")))?;
    let status = response.status().as_u16();
    let text = response.text().await.unwrap_or_default();
    Ok((status, text.chars().take(200).collect()))
}

fn rand_u32() -> u32 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    nanos.subsec_nanos() ^ std::process::id().rotate_left(16)
}
