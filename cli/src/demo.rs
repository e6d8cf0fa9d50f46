//! `cashi demo`: the whole payment flow, end to end, on an embedded sandbox.
//!
//! A merchant's server does exactly these steps against the live Cashi; only the customer's
//! payment is simulated (through the sandbox's control API).

use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use serde_json::json;
use tokio::sync::mpsc;

use crate::{output, terminal_qr, Failure};

#[derive(clap::Args)]
pub struct DemoArgs {
    /// Amount of the demo order, in whole rupiah.
    #[arg(long, default_value_t = 15000)]
    amount: i64,
    /// Do not draw the QR code.
    #[arg(long)]
    no_qr: bool,
}

/// What the webhook receiver saw: the verified event, or why it refused the request.
type Received = Result<cashi::WebhookEvent, cashi::Error>;

struct Timeline {
    start: Instant,
    steps: Vec<serde_json::Value>,
    json: bool,
}

impl Timeline {
    fn step(&mut self, what: &str, detail: String) {
        let ms = self.start.elapsed().as_millis();
        if !self.json {
            println!("[{:>6} ms] {what:<22} {detail}", ms);
        }
        self.steps
            .push(json!({"ms": ms, "step": what, "detail": detail}));
    }
}

pub async fn run(args: DemoArgs, json: bool) -> Result<(), Failure> {
    let mut t = Timeline {
        start: Instant::now(),
        steps: Vec::new(),
        json,
    };
    let secret = cashi_sandbox::DEFAULT_WEBHOOK_SECRET;

    let (events, mut received) = mpsc::unbounded_channel::<Received>();
    let receiver_url = start_receiver(secret, events).await?;
    t.step("webhook receiver", format!("listening on {receiver_url}"));

    let sandbox = cashi_sandbox::start(cashi_sandbox::SandboxConfig {
        webhook_url: Some(receiver_url),
        webhook_secret: secret.to_string(),
        webhook_retry_schedule: vec![Duration::from_millis(200)],
        log_requests: false,
        ..Default::default()
    })
    .await
    .map_err(|e| Failure::new("sandbox", e.to_string()))?;
    t.step("sandbox", format!("Cashi API at {}", sandbox.base_url()));

    let client = cashi::Client::builder()
        .api_key(sandbox.api_key())
        .base_url(sandbox.base_url())
        .binding("cashi-cli", env!("CARGO_PKG_VERSION"))
        .build()?;
    let order_id = format!("DEMO-{}", chrono::Utc::now().format("%Y%m%d%H%M%S%3f"));
    let order = client
        .create_order(&cashi::CreateOrder::new(args.amount).order_id(&order_id))
        .await?;
    t.step(
        "order created",
        format!(
            "{} to pay {} (requested {} + unique code {}), expires {}",
            order.order_id,
            output::rupiah(order.amount),
            output::rupiah(order.requested_amount),
            order.unique_code,
            output::time(order.expires_at)
        ),
    );
    // The merchant stores this amount: the webhook and confirm are checked against it.
    let stored_amount = order.amount;

    let png = order.qr_png()?;
    let (art, payload) = terminal_qr::draw(&png).map_err(|why| Failure::new("decode", why))?;
    t.step(
        "QR code",
        format!("{} bytes of PNG; QRIS payload {payload}", png.len()),
    );
    if !json && !args.no_qr {
        println!("\n{art}");
    }
    if let Some(url) = &order.checkout_url {
        t.step("checkout page", url.clone());
    }

    let status = client.check_status(&order.order_id).await?;
    t.step("status", status.state.to_string());

    pay(&sandbox, &order).await?;
    t.step(
        "customer pays",
        format!("{} through QRIS (simulated)", output::rupiah(order.amount)),
    );

    let event = tokio::time::timeout(Duration::from_secs(20), received.recv())
        .await
        .map_err(|_| Failure::new("timeout", "no webhook arrived within 20 s"))?
        .ok_or_else(|| Failure::new("internal", "the webhook receiver stopped"))??;
    t.step(
        "webhook verified",
        format!(
            "{} {} {} (signature checked on the raw body)",
            event.event,
            event.order_id,
            output::rupiah(event.amount)
        ),
    );

    let confirmed = client.confirm(&event, stored_amount).await?;
    t.step(
        "payment confirmed",
        format!(
            "check-status says {} with exactly {}; transaction {}",
            confirmed.state,
            output::rupiah(stored_amount),
            confirmed.provider_tx_id.as_deref().unwrap_or("-")
        ),
    );
    t.step(
        "fulfil",
        format!("order {} may now be delivered", order.order_id),
    );

    sandbox.shutdown().await;
    if json {
        println!(
            "{}",
            json!({"ok": true, "order": output::order_json(&order), "event": output::event_json(&event), "timeline": t.steps})
        );
    } else {
        println!("\nDone: created, paid, signed webhook verified, amount confirmed. The same calls work against https://cashi.id/api.");
    }
    Ok(())
}

/// A merchant's webhook endpoint: verify the raw body, answer 200 quickly.
async fn start_receiver(
    secret: &str,
    events: mpsc::UnboundedSender<Received>,
) -> Result<String, Failure> {
    let webhook = cashi::Webhook::new(secret)?;
    let app = axum::Router::new()
        .route(
            "/webhook",
            post(
                |State((webhook, events)): State<(
                    cashi::Webhook,
                    mpsc::UnboundedSender<Received>,
                )>,
                 headers: HeaderMap,
                 body: Bytes| async move {
                    let pairs = headers
                        .iter()
                        .filter_map(|(n, v)| Some((n.as_str(), v.to_str().ok()?)));
                    let result = webhook.verify_headers(&body, pairs);
                    let answer = if result.is_ok() {
                        StatusCode::OK
                    } else {
                        StatusCode::BAD_REQUEST
                    };
                    let _ = events.send(result);
                    answer
                },
            ),
        )
        .with_state((webhook, events));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| {
            Failure::new(
                "connection",
                format!("cannot open the webhook receiver: {e}"),
            )
        })?;
    let addr = listener
        .local_addr()
        .map_err(|e| Failure::new("internal", e.to_string()))?;
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(format!("http://{addr}/webhook"))
}

/// The customer's payment, through the sandbox's control API.
async fn pay(sandbox: &cashi_sandbox::RunningSandbox, order: &cashi::Order) -> Result<(), Failure> {
    let url = format!(
        "{}/sandbox/orders/{}/pay",
        sandbox.base_url(),
        order.order_id
    );
    let response = reqwest::Client::new()
        .post(&url)
        .header("x-api-key", sandbox.api_key())
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .map_err(|e| Failure::new("connection", format!("sandbox payment failed: {e}")))?;
    if !response.status().is_success() {
        return Err(Failure::new(
            "api",
            format!("sandbox payment answered HTTP {}", response.status()),
        ));
    }
    Ok(())
}
