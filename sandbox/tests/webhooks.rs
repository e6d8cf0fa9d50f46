//! Signed webhooks: body, signature, retries on the sandbox clock, the test webhook,
//! runtime configuration.

mod common;

use common::*;
use serde_json::{json, Value};

async fn delivery_for(sb: &cashi_sandbox::RunningSandbox, order_id: &str) -> Value {
    deliveries(sb)
        .await
        .into_iter()
        .find(|d| d["order_id"] == order_id)
        .unwrap_or_else(|| panic!("no delivery for {order_id}"))
}

async fn wait_attempts(sb: &cashi_sandbox::RunningSandbox, order_id: &str, n: usize) -> Value {
    eventually(20, &format!("{n} attempts for {order_id}"), || async {
        let d = delivery_for(sb, order_id).await;
        (d["attempts"].as_array().unwrap().len() >= n).then_some(d)
    })
    .await
}

#[tokio::test]
async fn receiver_failing_twice_gets_it_on_the_third_attempt() {
    let receiver = Receiver::failing_first(&[500, 503]);
    let url = receiver.start().await;
    // Default schedule (1 min, 5 min, ...): retries come by advancing the clock.
    let sb = start_with(|c| c.webhook_url = Some(url.clone())).await;
    let created = create(&sb, json!({"amount": 15000, "order_id": "INV-9921"})).await;
    let to_pay = created.body["amount"].as_i64().unwrap();
    post(&sb, "/sandbox/orders/INV-9921/pay", json!({})).await;

    let d = wait_attempts(&sb, "INV-9921", 1).await;
    assert_eq!(d["state"], "pending");
    assert_eq!(d["attempts"][0]["http_status"], 500);
    assert_eq!(receiver.count(), 1);
    // The second attempt is due one minute (sandbox clock) after the first.
    let wait_ms = d["next_attempt_at"].as_i64().unwrap() - d["created_at"].as_i64().unwrap();
    assert!((60_000..70_000).contains(&wait_ms), "{wait_ms}");
    post(&sb, "/sandbox/clock/advance", json!({"seconds": 60})).await;
    let d = wait_attempts(&sb, "INV-9921", 2).await;
    assert_eq!(d["attempts"][1]["http_status"], 503);
    post(&sb, "/sandbox/clock/advance", json!({"seconds": 300})).await;
    let d = wait_attempts(&sb, "INV-9921", 3).await;
    assert_eq!(d["attempts"][2]["http_status"], 200);
    assert_eq!(d["state"], "delivered");
    assert_eq!(receiver.count(), 3);

    // Every attempt carried the same bytes and a valid signature.
    let secret = sb.webhook_secret();
    for i in 0..3 {
        let r = receiver.get(i);
        assert_eq!(r.headers["content-type"], "application/json");
        let sig = r.headers["x-gateway-signature"].to_str().unwrap();
        assert_eq!(sig, hmac_hex(&secret, &r.body));
        assert_eq!(sig, d["signature"]);
        assert_eq!(std::str::from_utf8(&r.body).unwrap(), d["body"]);
    }
    let body: Value = serde_json::from_slice(&receiver.get(0).body).unwrap();
    assert_eq!(body["event"], "PAYMENT_SETTLED");
    assert_eq!(body["data"]["order_id"], "INV-9921");
    assert_eq!(body["data"]["status"], "SETTLED");
    assert_eq!(body["data"]["amount"], to_pay);
    assert_eq!(body["data"]["payment_method"], "QRIS");
    let tx = status(&sb, "INV-9921").await.body["provider_tx_id"].clone();
    assert_eq!(body["data"]["transaction_id"], tx);
    assert_eq!(body["data"]["paid_at"].as_str().unwrap().len(), 19);
    let raw = std::str::from_utf8(&receiver.get(0).body)
        .unwrap()
        .to_string();
    assert!(raw.starts_with("{\"event\":\"PAYMENT_SETTLED\",\"data\":{") && !raw.contains(", \""));

    // Delivered means never sent again, however far the clock moves.
    post(&sb, "/sandbox/clock/advance", json!({"seconds": 86400})).await;
    let again = create(&sb, json!({"amount": 15000, "order_id": "marker"})).await;
    assert_eq!(again.status, 200);
    post(&sb, "/sandbox/orders/marker/pay", json!({})).await;
    eventually(20, "marker delivered", || async {
        (receiver.count() >= 4).then_some(())
    })
    .await;
    assert_eq!(receiver.count(), 4);
    assert_eq!(
        serde_json::from_slice::<Value>(&receiver.get(3).body).unwrap()["data"]["order_id"],
        "marker"
    );
}

#[tokio::test]
async fn a_final_delivery_can_be_delivered_again_byte_for_byte() {
    let receiver = Receiver::failing_first(&[]);
    let url = receiver.start().await;
    let sb = start_with(|c| c.webhook_url = Some(url.clone())).await;
    create(&sb, json!({"amount": 15000, "order_id": "TWICE"})).await;
    post(&sb, "/sandbox/orders/TWICE/pay", json!({})).await;
    let d = wait_attempts(&sb, "TWICE", 1).await;
    assert_eq!(d["state"], "delivered");
    let id = d["id"].as_u64().unwrap();

    let again = post(&sb, &format!("/sandbox/webhooks/{id}/redeliver"), json!({})).await;
    assert_eq!(again.status, 200, "{}", again.text);
    let attempts = again.body["delivery"]["attempts"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(attempts.len(), 2);
    assert_eq!(attempts[1]["http_status"], 200);
    assert_eq!(attempts[1]["redelivery"], true);
    assert!(attempts[0].get("redelivery").is_none());
    assert_eq!(again.body["delivery"]["state"], "delivered");
    assert_eq!(receiver.count(), 2);
    let (first, second) = (receiver.get(0), receiver.get(1));
    assert_eq!(first.body, second.body, "the same bytes");
    assert_eq!(
        first.headers["x-gateway-signature"],
        second.headers["x-gateway-signature"]
    );
    assert_eq!(
        delivery_for(&sb, "TWICE").await["attempts"],
        json!(attempts)
    );

    let unknown = post(&sb, "/sandbox/webhooks/999999/redeliver", json!({})).await;
    assert_eq!(unknown.status, 404);
    let bad = post(&sb, "/sandbox/webhooks/x/redeliver", json!({})).await;
    assert_eq!(bad.status, 400);
}

#[tokio::test]
async fn a_pending_delivery_is_not_redelivered() {
    let receiver = Receiver::failing_first(&[500]);
    let url = receiver.start().await;
    let sb = start_with(|c| c.webhook_url = Some(url.clone())).await;
    create(&sb, json!({"amount": 15000, "order_id": "RETRYING"})).await;
    post(&sb, "/sandbox/orders/RETRYING/pay", json!({})).await;
    let d = wait_attempts(&sb, "RETRYING", 1).await;
    assert_eq!(d["state"], "pending");
    let id = d["id"].as_u64().unwrap();
    let refused = post(&sb, &format!("/sandbox/webhooks/{id}/redeliver"), json!({})).await;
    assert_eq!(refused.status, 409, "{}", refused.text);
    assert!(refused.text.contains("pending"), "{}", refused.text);
    assert_eq!(receiver.count(), 1);
}

#[tokio::test]
async fn attempts_stop_at_the_limit_and_record_errors() {
    // Nothing listens on this port: every attempt fails to connect.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let sb = start_with(|c| {
        c.webhook_url = Some(format!("http://127.0.0.1:{port}/hook"));
        c.webhook_retry_schedule = vec![std::time::Duration::from_millis(10)];
        c.webhook_max_attempts = 3;
    })
    .await;
    create(&sb, json!({"amount": 15000, "order_id": "x"})).await;
    post(&sb, "/sandbox/orders/x/pay", json!({"amount": 1})).await;
    let d = eventually(20, "failed delivery", || async {
        let d = delivery_for(&sb, "x").await;
        (d["state"] == "failed").then_some(d)
    })
    .await;
    let attempts = d["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 3);
    for a in attempts {
        assert!(a["error"].as_str().unwrap().contains("connection"), "{a}");
        assert!(a.get("http_status").is_none());
        assert!(a["duration_ms"].is_u64() && a["at"].is_string());
    }
    let body: Value = serde_json::from_str(d["body"].as_str().unwrap()).unwrap();
    assert_eq!(
        body["data"]["amount"], 1,
        "the webhook carries the amount actually paid"
    );
}

#[tokio::test]
async fn test_webhook_has_a_test_prefix_and_is_signed() {
    let receiver = Receiver::default();
    let url = receiver.start().await;
    let sb = start().await;
    // No URL anywhere: a clear 400.
    let a = post(&sb, "/sandbox/test-webhook", json!({})).await;
    assert_eq!(a.status, 400);
    assert!(a.body["message"].as_str().unwrap().contains("webhook URL"));

    let a = post(&sb, "/sandbox/test-webhook", json!({"url": url})).await;
    assert_eq!(a.status, 200, "{}", a.text);
    let d = &a.body["delivery"];
    assert_eq!(d["state"], "delivered");
    assert_eq!(d["kind"], "test");
    assert!(d["order_id"].as_str().unwrap().starts_with("TEST-"));
    assert_eq!(d["attempts"][0]["http_status"], 200);
    assert_eq!(d["attempts"][0]["response_body"], "ok");
    assert_eq!(receiver.count(), 1);
    let r = receiver.get(0);
    assert_eq!(
        r.headers["x-gateway-signature"].to_str().unwrap(),
        hmac_hex(&sb.webhook_secret(), &r.body)
    );
    let body: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(body["event"], "PAYMENT_SETTLED");
    assert!(body["data"]["order_id"]
        .as_str()
        .unwrap()
        .starts_with("TEST-"));
    assert_eq!(deliveries(&sb).await.len(), 1);
}

#[tokio::test]
async fn config_changes_apply_to_later_webhooks() {
    let sb = start().await;
    // Settled with no URL configured: no delivery at all.
    create(&sb, json!({"amount": 15000, "order_id": "before"})).await;
    post(&sb, "/sandbox/orders/before/pay", json!({})).await;
    assert!(deliveries(&sb).await.is_empty());

    // The receiver starts after the sandbox, as in most test suites.
    let receiver = Receiver::default();
    let url = receiver.start().await;
    let secret = "sk_00112233445566778899aabbccddeeff";
    let a = post(
        &sb,
        "/sandbox/config",
        json!({"webhook_url": url, "webhook_secret": secret, "redirect_url": "http://shop/ok"}),
    )
    .await;
    assert_eq!(a.status, 200);
    assert_eq!(a.body["config"]["webhook_url"], url.as_str());
    assert_eq!(a.body["config"]["redirect_url"], "http://shop/ok");
    assert_eq!(
        get(&sb, "/sandbox/config").await.body["config"]["webhook_secret"],
        secret
    );
    assert_eq!(sb.webhook_secret(), secret);

    create(&sb, json!({"amount": 15000, "order_id": "after"})).await;
    post(&sb, "/sandbox/orders/after/pay", json!({})).await;
    eventually(20, "webhook", || async {
        (receiver.count() == 1).then_some(())
    })
    .await;
    let r = receiver.get(0);
    assert_eq!(
        r.headers["x-gateway-signature"].to_str().unwrap(),
        hmac_hex(secret, &r.body)
    );
    let list = get(&sb, "/sandbox/webhooks?order_id=after").await.body["deliveries"].clone();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["url"], url.as_str());

    // null clears a URL; a bad type is refused.
    let a = post(&sb, "/sandbox/config", json!({"webhook_url": null})).await;
    assert_eq!(a.body["config"]["webhook_url"], Value::Null);
    assert_eq!(
        post(&sb, "/sandbox/config", json!({"redirect_url": 5}))
            .await
            .status,
        400
    );
}

#[tokio::test]
async fn no_answer_within_the_timeout_is_a_failed_attempt() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    // A receiver that hangs on the first request and answers the next ones.
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move || {
            let counter = counter.clone();
            async move {
                if counter.fetch_add(1, Ordering::SeqCst) == 0 {
                    tokio::time::sleep(std::time::Duration::from_secs(30)).await;
                }
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let sb = start_with(|c| {
        c.webhook_url = Some(url);
        c.webhook_timeout = std::time::Duration::from_millis(300);
        c.webhook_retry_schedule = vec![std::time::Duration::from_millis(10)];
    })
    .await;
    create(&sb, json!({"amount": 15000, "order_id": "hang"})).await;
    post(&sb, "/sandbox/orders/hang/pay", json!({})).await;
    let d = eventually(20, "delivered after a timeout", || async {
        let d = delivery_for(&sb, "hang").await;
        (d["state"] == "delivered").then_some(d)
    })
    .await;
    assert!(
        d["attempts"][0]["error"]
            .as_str()
            .unwrap()
            .contains("timeout"),
        "{d}"
    );
    assert_eq!(d["attempts"][1]["http_status"], 200);
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn redirects_are_not_followed_so_internal_pages_stay_unread() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    // An internal service the sandbox can reach and the caller cannot.
    let internal_hits = Arc::new(AtomicUsize::new(0));
    let hits = internal_hits.clone();
    let internal = serve_app(axum::Router::new().route(
        "/secret",
        axum::routing::any(move || {
            hits.fetch_add(1, Ordering::SeqCst);
            async { "INTERNAL-SECRET-7f3a" }
        }),
    ))
    .await;
    // A "receiver" that sends every request on to it, with each kind of redirect.
    let target = format!("{internal}/secret");
    let redirector = serve_app(axum::Router::new().route(
        "/hook/{code}",
        axum::routing::post(move |axum::extract::Path(code): axum::extract::Path<u16>| {
            let target = target.clone();
            async move {
                (
                    axum::http::StatusCode::from_u16(code).unwrap(),
                    [(axum::http::header::LOCATION, target)],
                    "moved",
                )
            }
        }),
    ))
    .await;
    let sb = start().await;
    for code in [301, 302, 303, 307, 308] {
        let a = post(
            &sb,
            "/sandbox/test-webhook",
            json!({"url": format!("{redirector}/hook/{code}")}),
        )
        .await;
        assert_eq!(a.status, 200, "{}", a.text);
        let attempt = &a.body["delivery"]["attempts"][0];
        // The redirect itself is the answer: recorded, not followed, not a delivery.
        assert_eq!(attempt["http_status"], code, "{attempt}");
        assert_eq!(attempt["response_body"], "moved");
        assert_eq!(a.body["delivery"]["state"], "failed");
        assert!(!a.text.contains("INTERNAL-SECRET"), "{}", a.text);
    }
    let list = get(&sb, "/sandbox/webhooks").await;
    assert_eq!(list.body["deliveries"].as_array().unwrap().len(), 5);
    assert!(!list.text.contains("INTERNAL-SECRET"), "{}", list.text);
    assert_eq!(internal_hits.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn only_a_short_excerpt_of_the_receivers_answer_is_kept() {
    // 1 + 2 × 1000 bytes: the 200-byte cut falls inside a two-byte character.
    let answer = format!("a{}", "é".repeat(1000));
    let url = serve_app(
        axum::Router::new().route("/hook", axum::routing::post(move || async move { answer })),
    )
    .await;
    let sb = start().await;
    let a = post(
        &sb,
        "/sandbox/test-webhook",
        json!({"url": format!("{url}/hook")}),
    )
    .await;
    let attempt = &a.body["delivery"]["attempts"][0];
    assert_eq!(attempt["http_status"], 200);
    assert_eq!(
        attempt["response_body"].as_str().unwrap(),
        format!("a{}", "é".repeat(99)),
        "the first 200 bytes, cut back to a whole character"
    );
    let list = deliveries(&sb).await;
    assert_eq!(
        list[0]["attempts"][0]["response_body"],
        attempt["response_body"]
    );
}

#[tokio::test]
async fn an_endless_answer_is_read_only_as_far_as_the_excerpt() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    // A receiver that answers 200 and then body bytes without end, counting what it
    // manages to send. It gives up at 64 MiB so that a sandbox reading everything fails
    // this test rather than filling the machine's memory.
    const GIVE_UP: usize = 64 << 20;
    let sent = Arc::new(AtomicUsize::new(0));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let counter = sent.clone();
    tokio::spawn(async move {
        let (mut tcp, _) = listener.accept().await.unwrap();
        let mut request = [0u8; 4096];
        let _ = tcp.read(&mut request).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n";
        tcp.write_all(head.as_bytes()).await.unwrap();
        let chunk = vec![b'x'; 64 * 1024];
        while counter.load(Ordering::SeqCst) < GIVE_UP {
            if tcp.write_all(&chunk).await.is_err() {
                return;
            }
            counter.fetch_add(chunk.len(), Ordering::SeqCst);
        }
        std::future::pending::<()>().await;
    });
    let sb = start().await;
    let a = post(&sb, "/sandbox/test-webhook", json!({"url": url})).await;
    assert_eq!(a.status, 200, "{}", a.text);
    let attempt = &a.body["delivery"]["attempts"][0];
    assert_eq!(attempt["http_status"], 200);
    assert_eq!(attempt["response_body"], "x".repeat(200));
    // The sandbox closed the connection: the receiver stopped within the kernel's
    // socket buffers, far from the end it never reaches.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let sent = sent.load(Ordering::SeqCst);
    assert!(sent < GIVE_UP / 2, "the sandbox read {sent} bytes");
}
