//! The client over real HTTP against a scripted loopback server: request shape, every
//! answer variant of `tests/vectors/responses.json`, retries, timeouts and broken connections.

mod support;

use std::time::Duration;

use cashi::{Client, CreateOrder, ErrorKind, PaymentState};
use serde_json::Value;
use support::{MockServer, Reply};

const KEY: &str = "CASHI-TESTKEY0001";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(server.base_url())
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(20))
        .build()
        .unwrap()
}

fn json(status: u16, body: &str) -> Reply {
    Reply::Json(status, body.to_string())
}

fn html(status: u16) -> Reply {
    Reply::With {
        status,
        headers: vec![("content-type".into(), "text/html".into())],
        body: format!("<html><body><h1>{status} Error</h1></body></html>"),
    }
}

const PENDING: &str = r#"{"success":true,"status":"PENDING","amount":15023,"order_id":"A"}"#;
const SETTLED: &str =
    r#"{"success":true,"status":"SETTLED","amount":15023,"order_id":"A","provider_tx_id":"9"}"#;
const CREATED: &str = r#"{"success":true,"orderId":"A","amount":15023}"#;

#[tokio::test]
async fn create_order_sends_key_agent_and_json() {
    let server = MockServer::start().await;
    server.script([json(200, CREATED)]);
    let order = client(&server)
        .create_order(&CreateOrder::new(15000).order_id("A").channel("BCA"))
        .await
        .unwrap();
    assert_eq!(order.amount, 15023);
    let seen = &server.seen()[0];
    assert_eq!(seen.method, "POST");
    assert_eq!(seen.path, "/api/create-order");
    assert_eq!(seen.header("x-api-key"), Some(KEY));
    assert!(seen
        .header("user-agent")
        .unwrap()
        .starts_with("cashi-rust/"));
    let body: Value = serde_json::from_str(&seen.body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"amount": 15000, "order_id": "A", "kode_channel": "BCA"})
    );
}

#[tokio::test]
async fn invalid_input_is_refused_before_sending() {
    let server = MockServer::start().await;
    let c = client(&server);
    for request in [
        CreateOrder::new(1_999),
        CreateOrder::new(10_000_001),
        CreateOrder::new(9_999).channel("MANDIRI"),
        CreateOrder::new(15_000).order_id(""),
        CreateOrder::new(15_000).order_id("x".repeat(101)),
        CreateOrder::new(15_000).order_id("a\u{7}b"),
    ] {
        let e = c.create_order(&request).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{request:?}");
    }
    assert_eq!(
        c.check_status("").await.unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
    assert_eq!(
        c.confirm("A", 0).await.unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
    assert!(server.seen().is_empty());
}

#[tokio::test]
async fn order_id_is_one_path_segment() {
    let server = MockServer::start().await;
    server.script([json(200, PENDING)]);
    client(&server).check_status("A/B?C#D E").await.unwrap();
    assert_eq!(server.seen()[0].path, "/api/check-status/A%2FB%3FC%23D%20E");
}

#[tokio::test]
async fn response_vectors() {
    let path = format!(
        "{}/../tests/vectors/responses.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let server = MockServer::start().await;
    let c = Client::builder()
        .api_key(KEY)
        .base_url(server.base_url())
        .max_retries(0)
        .build()
        .unwrap();
    for case in doc["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        server.script([json(
            case["http_status"].as_u64().unwrap() as u16,
            case["body"].as_str().unwrap(),
        )]);
        let req = &case["request"];
        let expect = &case["expect"];
        let result: Result<Value, cashi::Error> = match case["endpoint"].as_str().unwrap() {
            "create-order" => {
                let mut r = CreateOrder::new(req["amount"].as_i64().unwrap());
                if let Some(id) = req["order_id"].as_str() {
                    r = r.order_id(id);
                }
                if let Some(ch) = req["channel"].as_str() {
                    r = r.channel(ch);
                }
                c.create_order(&r).await.map(|o| {
                    serde_json::json!({
                        "order_id": o.order_id, "amount": o.amount, "requested_amount": o.requested_amount,
                        "unique_code": o.unique_code, "checkout_url": o.checkout_url,
                        "expires_at": o.expires_at.map(|t| t.to_rfc3339()), "provider": o.provider,
                        "fee": o.fee, "expected_net": o.expected_net,
                    })
                })
            }
            _ => c.check_status(req["order_id"].as_str().unwrap()).await.map(|s| {
                serde_json::json!({
                    "status": s.state.as_str(), "is_settled": s.is_settled(), "amount": s.amount,
                    "order_id": s.order_id, "provider_tx_id": s.provider_tx_id,
                })
            }),
        };
        match expect.get("error") {
            Some(code) => {
                let e = result.expect_err(name);
                assert_eq!(e.code(), code.as_str().unwrap(), "{name}: {e}");
                if let Some(status) = expect.get("http_status") {
                    assert_eq!(e.http_status().map(u64::from), status.as_u64(), "{name}");
                }
                if let Some(text) = expect.get("message_contains") {
                    assert!(e.message().contains(text.as_str().unwrap()), "{name}: {e}");
                }
            }
            None => {
                let got = result.unwrap_or_else(|e| panic!("{name}: {e}"));
                for (field, want) in expect.as_object().unwrap() {
                    assert_eq!(&got[field], want, "{name}: {field}");
                }
            }
        }
    }
}

#[tokio::test]
async fn check_status_retries_5xx_then_succeeds() {
    let server = MockServer::start().await;
    server.script([html(502), html(503), json(200, PENDING)]);
    let s = client(&server).check_status("A").await.unwrap();
    assert_eq!(s.state, PaymentState::Pending);
    assert_eq!(server.seen().len(), 3);
}

#[tokio::test]
async fn server_error_once_retries_are_spent() {
    let server = MockServer::start().await;
    server.fallback(html(500));
    let e = client(&server).check_status("A").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Server);
    assert_eq!(e.http_status(), Some(500));
    assert_eq!(server.seen().len(), 3, "one try and two retries");
}

#[tokio::test]
async fn create_order_is_not_retried_after_a_500() {
    let server = MockServer::start().await;
    server.fallback(html(500));
    let e = client(&server)
        .create_order(&CreateOrder::new(15000))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Server);
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test]
async fn create_order_is_retried_after_503_and_429() {
    let server = MockServer::start().await;
    let limited = Reply::With {
        status: 429,
        headers: vec![("retry-after".into(), "0".into())],
        body: r#"{"success":false,"message":"slow down"}"#.into(),
    };
    server.script([html(503), limited, json(200, CREATED)]);
    let order = client(&server)
        .create_order(&CreateOrder::new(15000))
        .await
        .unwrap();
    assert_eq!(order.order_id, "A");
    assert_eq!(server.seen().len(), 3);
}

/// A `Retry-After` too long for any clock (a broken or hostile proxy) is waited as the cap.
#[tokio::test]
async fn a_retry_after_beyond_any_duration_waits_the_cap() {
    let server = MockServer::start().await;
    let limited = |wait: &str| Reply::With {
        status: 429,
        headers: vec![("retry-after".into(), wait.into())],
        body: String::new(),
    };
    server.script([
        limited("1e300"),
        limited("18446744073709551616"),
        json(200, SETTLED),
    ]);
    let s = client(&server).check_status("A").await.unwrap();
    assert!(s.is_settled());
    assert_eq!(server.seen().len(), 3);
}

#[tokio::test]
async fn rate_limited_once_retries_are_spent() {
    let server = MockServer::start().await;
    server.fallback(Reply::With {
        status: 429,
        headers: vec![("retry-after".into(), "0".into())],
        body: String::new(),
    });
    let e = client(&server).check_status("A").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::RateLimited);
    assert_eq!(e.http_status(), Some(429));
}

#[tokio::test]
async fn dropped_connection_is_retried_for_check_status() {
    let server = MockServer::start().await;
    server.script([Reply::Drop, json(200, SETTLED)]);
    let s = client(&server).check_status("A").await.unwrap();
    assert!(s.is_settled());
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test]
async fn dropped_connection_is_not_retried_for_create_order() {
    let server = MockServer::start().await;
    server.script([Reply::Drop, json(200, CREATED)]);
    let e = client(&server)
        .create_order(&CreateOrder::new(15000))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Connection);
    assert!(e.message().contains("may or may not"), "{e}");
    assert_eq!(
        server.seen().len(),
        1,
        "a second POST could create a second order"
    );
}

#[tokio::test]
async fn slow_answer_is_a_timeout() {
    let server = MockServer::start().await;
    server.fallback(Reply::Late(
        Duration::from_secs(3),
        Box::new(json(200, PENDING)),
    ));
    let c = Client::builder()
        .api_key(KEY)
        .base_url(server.base_url())
        .timeout(Duration::from_millis(200))
        .max_retries(0)
        .build()
        .unwrap();
    let e = c.check_status("A").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    let e = c.create_order(&CreateOrder::new(15000)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
}

#[tokio::test]
async fn nothing_listening_is_a_connection_error() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let c = Client::builder()
        .api_key(KEY)
        .base_url(format!("http://127.0.0.1:{port}/api"))
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(5))
        .build()
        .unwrap();
    let e = c.create_order(&CreateOrder::new(15000)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Connection, "{e}");
    assert!(!e.message().contains(KEY));
}

#[tokio::test]
async fn an_answer_longer_than_a_mebibyte_is_refused_not_read_whole() {
    let server = MockServer::start().await;
    let huge = format!(r#"{{"success":true,"pad":"{}"}}"#, "x".repeat(2 << 20));
    server.fallback(json(200, &huge));
    let e = client(&server).check_status("A").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Connection, "{e}");
    assert!(e.message().contains("longer than 1048576 bytes"), "{e}");
}

#[tokio::test]
async fn api_key_echoed_by_the_server_is_redacted() {
    let server = MockServer::start().await;
    server.script([json(
        400,
        &format!(r#"{{"success":false,"message":"bad key {KEY}"}}"#),
    )]);
    let e = client(&server)
        .create_order(&CreateOrder::new(15000))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert!(!e.to_string().contains(KEY), "{e}");
    assert!(!format!("{e:?}").contains(KEY));
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let server = MockServer::start().await;
    server.script([Reply::With {
        status: 302,
        headers: vec![("location".into(), "http://127.0.0.1:1/steal".into())],
        body: String::new(),
    }]);
    let e = client(&server).check_status("A").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.http_status(), Some(302));
}

#[tokio::test]
async fn wait_for_payment_polls_until_settled() {
    let server = MockServer::start().await;
    server.script([
        json(200, PENDING),
        html(502),
        html(502),
        html(502),
        json(200, SETTLED),
    ]);
    let s = client(&server)
        .wait_for_payment("A", Duration::from_secs(30))
        .await
        .unwrap();
    assert!(s.is_settled());
    assert_eq!(server.seen().len(), 5);
}

#[tokio::test]
async fn wait_for_payment_ends_at_expired() {
    let server = MockServer::start().await;
    server.script([json(
        200,
        r#"{"success":true,"status":"EXPIRED","amount":15023}"#,
    )]);
    let s = client(&server)
        .wait_for_payment("A", Duration::from_secs(30))
        .await
        .unwrap();
    assert_eq!(s.state, PaymentState::Expired);
}

#[tokio::test]
async fn wait_for_payment_times_out() {
    let server = MockServer::start().await;
    server.fallback(json(200, PENDING));
    let e = client(&server)
        .wait_for_payment("A", Duration::from_millis(1500))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert!(e.message().contains("PENDING"), "{e}");
}

#[tokio::test]
async fn wait_for_payment_refuses_an_endless_timeout() {
    let server = MockServer::start().await;
    let e = client(&server)
        .wait_for_payment("A", Duration::MAX)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(e.message().starts_with("timeout:"), "{e}");
    assert!(server.seen().is_empty());
}

#[tokio::test]
async fn wait_for_payment_stops_on_not_found() {
    let server = MockServer::start().await;
    server.fallback(json(
        404,
        r#"{"success":false,"message":"Order not found"}"#,
    ));
    let e = client(&server)
        .wait_for_payment("A", Duration::from_secs(30))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn confirm_requires_settled_and_the_exact_amount() {
    let server = MockServer::start().await;
    let c = client(&server);
    server.script([json(200, SETTLED)]);
    assert!(c.confirm("A", 15023).await.unwrap().is_settled());

    server.script([json(200, SETTLED)]);
    let e = c.confirm("A", 15024).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PaymentMismatch);
    let m = e.mismatch_details().unwrap();
    assert_eq!(
        (m.expected_amount, m.actual_amount, m.status.as_str()),
        (15024, Some(15023), "SETTLED")
    );

    server.script([json(200, PENDING)]);
    let e = c.confirm("A", 15023).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PaymentMismatch);
    assert_eq!(e.mismatch_details().unwrap().status, "PENDING");

    let body = cashi::testing::webhook_body("A", 15023);
    let event = cashi::Webhook::new("sk_x")
        .unwrap()
        .verify(body.as_bytes(), &cashi::testing::sign("sk_x", &body))
        .unwrap();
    server.script([json(200, SETTLED)]);
    assert!(c.confirm(&event, event.amount).await.is_ok());
    assert_eq!(server.seen().last().unwrap().path, "/api/check-status/A");
}

#[tokio::test]
async fn confirm_and_wait_refuse_an_answer_about_another_order() {
    let server = MockServer::start().await;
    let c = client(&server);
    let other = r#"{"success":true,"status":"SETTLED","amount":15023,"order_id":"OTHER","provider_tx_id":"9"}"#;
    server.script([json(200, other)]);
    let e = c.confirm("MINE", 15023).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PaymentMismatch);
    assert!(e.message().contains("\"OTHER\""), "{e}");
    assert_eq!(e.mismatch_details().unwrap().order_id, "MINE");
    server.script([json(200, other)]);
    let e = c
        .wait_for_payment("MINE", Duration::from_secs(30))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PaymentMismatch, "{e}");
    assert_eq!(
        server.seen().len(),
        2,
        "the wait ends at the first such answer"
    );
}

#[tokio::test]
async fn a_status_word_in_another_case_is_not_a_settlement() {
    let server = MockServer::start().await;
    let c = client(&server);
    let lower = r#"{"success":true,"status":"settled","amount":15023,"order_id":"A"}"#;
    server.script([json(200, lower)]);
    let e = c.confirm("A", 15023).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PaymentMismatch);
    assert_eq!(e.mismatch_details().unwrap().status, "settled");
    // Not final either: the wait polls on until its deadline.
    server.fallback(json(200, lower));
    let e = c
        .wait_for_payment("A", Duration::from_millis(1500))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert!(e.message().contains("settled"), "{e}");
}

#[tokio::test]
async fn settled_without_an_amount_needs_the_verified_webhook() {
    let server = MockServer::start().await;
    let c = client(&server);
    let no_amount = r#"{"success":true,"status":"SETTLED","order_id":"A","provider_tx_id":"9"}"#;
    server.script([json(200, no_amount)]);
    let e = c.confirm("A", 15023).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PaymentMismatch);
    assert!(e.message().contains("carried no amount"), "{e}");
    assert!(e.message().contains("webhook event"), "{e}");

    let verified = |amount: i64| {
        let body = cashi::testing::webhook_body("A", amount);
        cashi::Webhook::new("sk_x")
            .unwrap()
            .verify(body.as_bytes(), &cashi::testing::sign("sk_x", &body))
            .unwrap()
    };
    server.script([json(200, no_amount)]);
    let status = c.confirm(&verified(15023), 15023).await.unwrap();
    assert!(status.amount_from_webhook);
    assert_eq!(status.amount, Some(15023));
    assert!(status.is_settled());

    server.script([json(200, no_amount)]);
    let e = c.confirm(&verified(15022), 15023).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PaymentMismatch);
    assert!(e.message().contains("15022"), "{e}");
}

#[tokio::test]
async fn one_client_many_tasks() {
    let server = MockServer::start().await;
    server.fallback(json(200, PENDING));
    let c = client(&server);
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move { c.check_status("A").await })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap().state, PaymentState::Pending);
    }
}

/// A thread that calls through cashi's own per-thread runtime (`block_on_local`: the C ABI,
/// Python's sync client) and also through another current-thread runtime must not hand the
/// first one's pooled connection to the second: that connection's task only runs inside
/// `block_on_local`, so the call would wait for its timeout (found by the benchmark, which
/// alternates both on one thread).
#[cfg(feature = "blocking")]
#[test]
fn cashis_own_thread_runtime_and_another_runtime_on_one_thread_do_not_share_connections() {
    let server_runtime = tokio::runtime::Runtime::new().unwrap();
    let server = server_runtime.block_on(MockServer::start());
    server.fallback(json(200, PENDING));
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.base_url())
        .timeout(Duration::from_secs(3))
        .max_retries(0)
        .build()
        .unwrap();
    let other = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    for _ in 0..2 {
        cashi::runtime::block_on_local(client.check_status("A")).unwrap();
        other.block_on(client.check_status("A")).unwrap();
    }
}

/// Servers close keep-alive connections left idle. A call made after that must go out on
/// a new connection, not be written to the closed one, where a create-order (not retried
/// once it may have been sent) fails. `create` makes one call on the runtime under test.
fn calls_after_the_server_closed_the_idle_connection(
    create: impl Fn(&Client, &CreateOrder) -> cashi::Result<cashi::Order>,
) {
    let server_runtime = tokio::runtime::Runtime::new().unwrap();
    let server = server_runtime.block_on(MockServer::start());
    server.close_idle_after(Duration::from_millis(50));
    server.fallback(json(200, CREATED));
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.base_url())
        .max_retries(0)
        .build()
        .unwrap();
    for i in 0..3 {
        let order = CreateOrder::new(15000).order_id(format!("IDLE-{i}"));
        create(&client, &order).unwrap_or_else(|e| {
            panic!("call {i}, made after the server closed the idle connection: {e}")
        });
        std::thread::sleep(Duration::from_millis(250));
    }
    assert_eq!(server.seen().len(), 3, "one request per call, none retried");
}

/// Through cashi's own per-thread runtime (the C ABI, PHP, Python's sync client): nothing
/// runs between two calls, so the pooled connection's task had not seen the close when the
/// next call picked it, and every other create-order failed.
#[cfg(feature = "blocking")]
#[test]
fn a_blocking_call_after_the_server_closed_the_idle_connection_opens_a_new_one() {
    calls_after_the_server_closed_the_idle_connection(|client, order| {
        cashi::runtime::block_on_local(client.create_order(order))
    });
}

/// The same on a runtime that keeps running (Node, Python's AsyncClient, async Rust).
#[test]
fn an_async_call_after_the_server_closed_the_idle_connection_opens_a_new_one() {
    let caller = tokio::runtime::Runtime::new().unwrap();
    calls_after_the_server_closed_the_idle_connection(|client, order| {
        caller.block_on(client.create_order(order))
    });
}

#[tokio::test]
async fn batches_answer_per_item_in_the_items_order() {
    let server = MockServer::start().await;
    server.fallback(json(200, r#"{"success":true,"status":"PENDING"}"#));
    let client = client(&server);
    let ids: Vec<String> = (0..150)
        .map(|i| format!("B{i}"))
        .chain(["".into()])
        .collect();
    let statuses = client.check_statuses(&ids).await.unwrap();
    assert_eq!(statuses.len(), ids.len());
    for (id, status) in ids.iter().zip(&statuses).take(150) {
        assert_eq!(&status.as_ref().unwrap().order_id, id);
    }
    let bad = statuses.last().unwrap().as_ref().unwrap_err();
    assert_eq!(bad.kind(), ErrorKind::InvalidArgument, "{bad}");
    assert_eq!(server.seen().len(), 150, "the invalid id is refused unsent");

    let requests = [CreateOrder::new(15000).order_id("A"), CreateOrder::new(-1)];
    server.fallback(json(200, CREATED));
    let orders = client.create_orders(&requests).await.unwrap();
    assert_eq!(orders[0].as_ref().unwrap().amount, 15023);
    let bad = orders[1].as_ref().unwrap_err();
    assert!(bad.message().starts_with("amount:"), "{bad}");

    let too_many = vec!["A"; cashi::MAX_BATCH_ITEMS + 1];
    let e = client.check_statuses(&too_many).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(e.message().starts_with("order_ids: 10001 items"), "{e}");
    assert!(client.check_statuses::<&str>(&[]).await.unwrap().is_empty());
}
