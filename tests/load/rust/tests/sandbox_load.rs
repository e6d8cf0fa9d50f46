//! Many orders paid at once, with webhooks to a receiver that fails one delivery in five:
//! every order is SETTLED exactly once, every webhook arrives, none twice after a 200;
//! then the same with a sandbox restart (`--db`) in the middle.
//! Size: CASHI_LOAD_ORDERS (default 300; `scripts/robustness.sh` runs 5,000).

use std::sync::Arc;
use std::time::{Duration, Instant};

use cashi_load::{control, deliveries, size, FlakyReceiver, SECRET};
use cashi_sandbox::{RunningSandbox, SandboxConfig};

async fn start(webhook_url: &str, db: Option<std::path::PathBuf>) -> RunningSandbox {
    cashi_sandbox::start(SandboxConfig {
        webhook_url: Some(webhook_url.to_string()),
        webhook_secret: SECRET.to_string(),
        webhook_retry_schedule: vec![Duration::from_millis(50)],
        webhook_max_attempts: 10,
        // A 200 that arrives after the webhook timeout is a failed attempt, delivered again;
        // on a loaded machine the receiver can be that slow, and "never twice after a 200"
        // is about the sandbox's bookkeeping, not about slow receivers.
        webhook_timeout: Duration::from_secs(120),
        db_path: db,
        log_requests: false,
        ..SandboxConfig::default()
    })
    .await
    .unwrap()
}

/// Creates and pays orders `range` concurrently (64 in flight) through the SDK and controls.
async fn create_and_pay(
    sb: &RunningSandbox,
    range: std::ops::Range<usize>,
    prefix: &str,
) -> Vec<(String, i64)> {
    let client = cashi::Client::builder()
        .api_key(sb.api_key())
        .base_url(sb.base_url())
        .build()
        .unwrap();
    let limit = Arc::new(tokio::sync::Semaphore::new(64));
    let mut tasks = Vec::new();
    for i in range {
        let (client, limit, base, key) = (
            client.clone(),
            limit.clone(),
            sb.base_url(),
            sb.api_key().to_string(),
        );
        let id = format!("{prefix}-{i:05}");
        tasks.push(tokio::spawn(async move {
            let _permit = limit.acquire().await.unwrap();
            // Base amounts 100 apart: at most 99 pending orders can share a window of amounts to pay.
            let order = client
                .create_order(&cashi::CreateOrder::new(10_000 + 100 * i as i64).order_id(&id))
                .await
                .unwrap();
            control(
                &base,
                &key,
                &format!("/sandbox/orders/{id}/pay"),
                serde_json::json!({}),
            )
            .await;
            (id, order.amount)
        }));
    }
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

/// Waits (bounded) until every order was acknowledged once, then checks the invariants.
async fn check_all_delivered(
    sb: &RunningSandbox,
    receiver: &FlakyReceiver,
    orders: &[(String, i64)],
) {
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        let acked = receiver.acknowledged();
        if orders.iter().all(|(id, _)| acked.contains_key(id)) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{} of {} webhooks acknowledged",
            acked.len(),
            orders.len()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Let any wrongly repeated delivery show itself before counting.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let acked = receiver.acknowledged();
    for (id, times) in &acked {
        assert_eq!(*times, 1, "order {id} was delivered again after a 200");
    }
    assert_eq!(receiver.bad_signatures(), 0);
    let client = cashi::Client::builder()
        .api_key(sb.api_key())
        .base_url(sb.base_url())
        .build()
        .unwrap();
    for (id, amount) in orders {
        client.confirm(id.as_str(), *amount).await.unwrap();
    }
    let list = deliveries(&sb.base_url(), sb.api_key()).await;
    for (id, _) in orders {
        let mine: Vec<_> = list
            .iter()
            .filter(|d| d["order_id"] == id.as_str())
            .collect();
        assert_eq!(mine.len(), 1, "order {id} settled {} times", mine.len());
        assert_eq!(mine[0]["state"], "delivered", "{id}");
    }
    println!(
        "{} orders, {} webhook requests ({} refused by the receiver and retried)",
        orders.len(),
        receiver.requests(),
        receiver.requests() - orders.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_payments_with_a_flaky_receiver() {
    let n = size("CASHI_LOAD_ORDERS", 300);
    let receiver = FlakyReceiver::default();
    let url = receiver.start(5).await;
    let sb = start(&url, None).await;
    let orders = create_and_pay(&sb, 0..n, "LOAD").await;
    check_all_delivered(&sb, &receiver, &orders).await;
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restart_in_the_middle_loses_nothing() {
    let n = size("CASHI_LOAD_ORDERS", 300);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sandbox.db");
    let receiver = FlakyReceiver::default();
    let url = receiver.start(5).await;

    let sb = start(&url, Some(db.clone())).await;
    let mut orders = create_and_pay(&sb, 0..n / 2, "RESTART").await;
    // Stop while deliveries (and their retries) are still in flight.
    sb.shutdown().await;

    let sb = start(&url, Some(db)).await;
    orders.extend(create_and_pay(&sb, n / 2..n, "RESTART").await);
    check_all_delivered(&sb, &receiver, &orders).await;
    sb.shutdown().await;
}
