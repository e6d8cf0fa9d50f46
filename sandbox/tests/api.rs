//! The public API over real HTTP: auth, create-order rules per channel, check-status.

mod common;

use common::*;
use serde_json::{json, Value};

#[tokio::test]
async fn every_api_request_needs_a_configured_key() {
    let sb = start_with(|c| c.api_keys = vec!["k-one".into(), "k-two".into()]).await;
    let url = format!("{}/create-order", sb.base_url());
    let body = json!({"amount": 15000});
    for key in [None, Some(""), Some("wrong"), Some("K-ONE")] {
        let mut req = client().post(&url).json(&body);
        if let Some(k) = key {
            req = req.header("x-api-key", k);
        }
        let a = answer(req.send().await.unwrap()).await;
        assert_eq!(a.status, 401, "key {key:?}");
        assert_eq!(
            a.body,
            json!({"success": false, "message": "Invalid or missing API key"})
        );
    }
    // Any configured key, header name in any case.
    for (name, key) in [("x-api-key", "k-one"), ("X-Api-Key", "k-two")] {
        let a = answer(
            client()
                .post(&url)
                .header(name, key)
                .json(&body)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(a.status, 200);
    }
    // check-status and the controls too.
    for (method, path) in [
        ("GET", "/check-status/x"),
        ("GET", "/sandbox/webhooks"),
        ("POST", "/sandbox/clock/advance"),
        ("POST", "/sandbox/faults"),
    ] {
        let req = client().request(method.parse().unwrap(), format!("{}{path}", sb.base_url()));
        let a = answer(req.send().await.unwrap()).await;
        assert_eq!(a.status, 401, "{method} {path}");
    }
}

async fn expect_400(sb: &cashi_sandbox::RunningSandbox, body: Value, needle: &str) {
    let a = create(sb, body.clone()).await;
    assert_eq!(a.status, 400, "{body} -> {}", a.text);
    assert_eq!(a.body["success"], false);
    let msg = a.body["message"].as_str().unwrap();
    assert!(
        msg.contains(needle),
        "{body}: message {msg:?} lacks {needle:?}"
    );
}

#[tokio::test]
async fn bad_amounts_are_refused_naming_the_field() {
    let sb = start().await;
    expect_400(&sb, json!({}), "amount").await;
    expect_400(&sb, json!({"amount": null}), "amount").await;
    expect_400(&sb, json!({"amount": "15000"}), "amount").await;
    expect_400(&sb, json!({"amount": 15000.5}), "amount").await;
    expect_400(&sb, json!({"amount": true}), "amount").await;
    expect_400(&sb, json!({"amount": [15000]}), "amount").await;
    expect_400(&sb, json!({"amount": 1999}), "amount").await;
    expect_400(&sb, json!({"amount": -5}), "amount").await;
    expect_400(&sb, json!([1]), "JSON object").await;
    let raw = client()
        .post(format!("{}/create-order", sb.base_url()))
        .header("x-api-key", sb.api_key())
        .body("amount=15000")
        .send()
        .await
        .unwrap();
    let a = answer(raw).await;
    assert_eq!(a.status, 400);
    assert!(a.body["message"].as_str().unwrap().contains("JSON"));
    expect_400(&sb, json!({"amount": 15000, "order_id": ""}), "order_id").await;
    expect_400(&sb, json!({"amount": 15000, "order_id": 7}), "order_id").await;
    expect_400(
        &sb,
        json!({"amount": 15000, "kode_channel": "OVO"}),
        "kode_channel",
    )
    .await;
    expect_400(
        &sb,
        json!({"amount": 15000, "QRIS_CUSTOM": "yes"}),
        "QRIS_CUSTOM",
    )
    .await;
    expect_400(
        &sb,
        json!({"amount": 15000, "QRIS_CUSTOM": true, "kode_channel": "BCA"}),
        "QRIS_CUSTOM",
    )
    .await;
}

#[tokio::test]
async fn integral_float_amounts_and_unknown_fields_are_accepted() {
    let sb = start().await;
    let a = create(
        &sb,
        json!({"amount": 15000.0, "customer": {"name": "Budi"}, "extra": [1, 2]}),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.text);
    let paid = a.body["amount"].as_i64().unwrap();
    assert!((15001..=15099).contains(&paid));
}

#[tokio::test]
async fn each_channel_enforces_its_limits() {
    let sb = start().await;
    let cases: &[(Value, i64, i64)] = &[
        (json!(null), 2_000, 10_000_000),
        (json!("QRIS_CUSTOM"), 2_000, 10_000_000),
        (json!("BCA"), 10_000, 50_000_000),
        (json!("MANDIRI"), 10_000, 50_000_000),
        (json!("BNI"), 10_000, 50_000_000),
        (json!("BRI"), 10_000, 50_000_000),
        (json!("BSI"), 10_000, 50_000_000),
        (json!("ALFAMART"), 15_000, 2_500_000),
        (json!("INDOMARET"), 15_000, 2_500_000),
    ];
    for (channel, min, max) in cases {
        for (amount, ok) in [
            (*min - 1, false),
            (*min, true),
            (*max, true),
            (*max + 1, false),
        ] {
            let mut body = json!({"amount": amount});
            if !channel.is_null() {
                body["kode_channel"] = channel.clone();
            }
            let a = create(&sb, body).await;
            if ok {
                assert_eq!(a.status, 200, "{channel} {amount}: {}", a.text);
            } else {
                assert_eq!(a.status, 400, "{channel} {amount}: {}", a.text);
                let msg = a.body["message"].as_str().unwrap();
                assert!(
                    msg.contains("amount") && msg.contains(&min.to_string()),
                    "{msg}"
                );
            }
        }
    }
    // The older form of QRIS Custom has the same limits.
    assert_eq!(
        create(&sb, json!({"amount": 1999, "QRIS_CUSTOM": true}))
            .await
            .status,
        400
    );
    assert_eq!(
        create(&sb, json!({"amount": 2000, "QRIS_CUSTOM": true}))
            .await
            .status,
        200
    );
}

fn assert_jakarta_time(s: &str) {
    let ok = s.len() == 19
        && s.chars().enumerate().all(|(i, c)| match i {
            4 | 7 => c == '-',
            10 => c == ' ',
            13 | 16 => c == ':',
            _ => c.is_ascii_digit(),
        });
    assert!(ok, "not YYYY-MM-DD HH:MM:SS: {s:?}");
}

#[tokio::test]
async fn standard_qris_answer_has_the_contract_fields() {
    let sb = start().await;
    let a = create(&sb, json!({"amount": 15000, "order_id": "INV-9921"})).await;
    assert_eq!(a.status, 200);
    let b = &a.body;
    assert_eq!(b["success"], true);
    assert_eq!(b["orderId"], "INV-9921");
    assert_eq!(b["order_id"], "INV-9921");
    let amount = b["amount"].as_i64().unwrap();
    assert!(
        (15001..=15099).contains(&amount),
        "unique code 1-99: {amount}"
    );
    assert_eq!(b["checkout_url"], format!("{}/pay/INV-9921", sb.url()));
    assert!(b["qrUrl"]
        .as_str()
        .unwrap()
        .starts_with("data:image/png;base64,"));
    assert_eq!(b["provider"], "CASHI");
    assert_eq!(b["fee"], 0.7);
    assert!(b.get("is_qris_custom").is_none());
    let expires = b["expires_at"].as_str().unwrap();
    assert_jakarta_time(expires);
    // Ten minutes after "now" on the sandbox clock, in Jakarta time.
    let clock = get(&sb, "/sandbox/clock").await.body;
    let now = chrono::NaiveDateTime::parse_from_str(
        clock["now_jakarta"].as_str().unwrap(),
        "%Y-%m-%d %H:%M:%S",
    )
    .unwrap();
    let exp = chrono::NaiveDateTime::parse_from_str(expires, "%Y-%m-%d %H:%M:%S").unwrap();
    let secs = (exp - now).num_seconds();
    assert!((590..=600).contains(&secs), "expires in {secs}s");
}

#[tokio::test]
async fn qris_custom_has_expected_net_and_no_checkout_url() {
    let sb = start().await;
    for body in [
        json!({"amount": 50000, "kode_channel": "QRIS_CUSTOM"}),
        json!({"amount": 50000, "QRIS_CUSTOM": true}),
    ] {
        let a = create(&sb, body).await;
        assert_eq!(a.status, 200);
        let amount = a.body["amount"].as_i64().unwrap();
        assert!((50001..=50099).contains(&amount));
        assert!(a.body.get("checkout_url").is_none());
        assert_eq!(a.body["is_qris_custom"], true);
        assert_eq!(a.body["provider"], "CASHI");
        assert_eq!(a.body["fee"], 0.7);
        assert_eq!(
            a.body["expected_net"].as_i64().unwrap(),
            amount - amount * 7 / 1000
        );
        assert!(a.body["qrUrl"]
            .as_str()
            .unwrap()
            .starts_with("data:image/png;base64,"));
    }
}

#[tokio::test]
async fn va_and_retail_have_their_fields() {
    let sb = start().await;
    let a = create(&sb, json!({"amount": 100000, "kode_channel": "BCA"})).await;
    assert_eq!(a.status, 200);
    let b = &a.body;
    assert_eq!(b["provider"], "VA");
    assert_eq!(b["amount"], 100000, "VA amounts carry no unique code");
    assert_eq!(b["total_amount"], 100000);
    assert_eq!(b["admin_fee"], 4000);
    assert_eq!(b["expected_net"], 96000);
    assert_eq!(b["bank"], "BCA");
    assert_eq!(b["kode_channel"], "BCA");
    assert_eq!(b["bank_name"], "Bank Central Asia");
    let va = b["va_number"].as_str().unwrap();
    assert!(
        va.len() == 16 && va.chars().all(|c| c.is_ascii_digit()),
        "{va}"
    );
    assert!(b["checkout_url"].as_str().unwrap().starts_with(&sb.url()));
    assert!(b.get("qrUrl").is_none());

    let a = create(&sb, json!({"amount": 20000, "kode_channel": "indomaret"})).await;
    assert_eq!(a.status, 200);
    let b = &a.body;
    assert_eq!(b["provider"], "RETAIL");
    assert_eq!(b["retail_code"], "INDOMARET");
    assert_eq!(b["retail_name"], "Indomaret");
    assert_eq!(b["amount"], 20000);
    assert!(b["payment_code"].as_str().unwrap().len() >= 10);
}

#[tokio::test]
async fn order_ids_duplicate_409_and_generated() {
    let sb = start().await;
    assert_eq!(
        create(&sb, json!({"amount": 15000, "order_id": "dup"}))
            .await
            .status,
        200
    );
    let a = create(&sb, json!({"amount": 16000, "order_id": "dup"})).await;
    assert_eq!(a.status, 409);
    assert_eq!(a.body["success"], false);
    assert!(a.body["message"]
        .as_str()
        .unwrap()
        .contains("already exists"));

    let a = create(&sb, json!({"amount": 15000})).await;
    let id = a.body["orderId"].as_str().unwrap();
    assert!(id.starts_with("ORD-"), "{id}");
    assert_eq!(a.body["order_id"], id);
    assert_eq!(status(&sb, id).await.body["status"], "PENDING");
}

#[tokio::test]
async fn check_status_lifecycle_and_404() {
    let sb = start().await;
    let created = create(&sb, json!({"amount": 25000, "order_id": "INV-1"}))
        .await
        .body;
    let to_pay = created["amount"].as_i64().unwrap();
    let s = status(&sb, "INV-1").await;
    assert_eq!(s.status, 200);
    assert_eq!(
        s.body,
        json!({"success": true, "status": "PENDING", "amount": to_pay, "order_id": "INV-1"})
    );

    let paid = post(&sb, "/sandbox/orders/INV-1/pay", json!({})).await;
    assert_eq!(paid.status, 200);
    let s = status(&sb, "INV-1").await.body;
    assert_eq!(s["status"], "SETTLED");
    assert_eq!(s["amount"], to_pay);
    let tx = s["provider_tx_id"].as_str().unwrap();
    assert!(!tx.is_empty() && tx.chars().all(|c| c.is_ascii_digit()));
    assert_eq!(paid.body, s);

    // Paying twice, or expiring a paid order, is a conflict.
    assert_eq!(
        post(&sb, "/sandbox/orders/INV-1/pay", json!({}))
            .await
            .status,
        409
    );
    assert_eq!(
        post(&sb, "/sandbox/orders/INV-1/expire", json!({}))
            .await
            .status,
        409
    );

    let missing = status(&sb, "no-such-order").await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.body["success"], false);
    assert_eq!(
        post(&sb, "/sandbox/orders/nope/pay", json!({}))
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn orders_expire_on_the_sandbox_clock() {
    let sb = start().await;
    create(&sb, json!({"amount": 25000, "order_id": "late"})).await;
    post(&sb, "/sandbox/clock/advance", json!({"seconds": 599})).await;
    assert_eq!(status(&sb, "late").await.body["status"], "PENDING");
    let adv = post(&sb, "/sandbox/clock/advance", json!({"seconds": 2})).await;
    assert_eq!(adv.status, 200);
    assert_eq!(adv.body["offset_ms"], 601_000);
    let s = status(&sb, "late").await.body;
    assert_eq!(s["status"], "EXPIRED");
    assert!(s.get("provider_tx_id").is_none());
    assert_eq!(
        post(&sb, "/sandbox/orders/late/pay", json!({}))
            .await
            .status,
        409
    );
    assert_eq!(
        post(&sb, "/sandbox/clock/advance", json!({"seconds": -1}))
            .await
            .status,
        400
    );
}

#[tokio::test]
async fn expire_control_and_paying_a_different_amount() {
    let sb = start().await;
    create(&sb, json!({"amount": 30000, "order_id": "e"})).await;
    let a = post(&sb, "/sandbox/orders/e/expire", json!({})).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.body["status"], "EXPIRED");

    create(&sb, json!({"amount": 30000, "order_id": "m"})).await;
    let a = post(&sb, "/sandbox/orders/m/pay", json!({"amount": 29000})).await;
    assert_eq!(a.body["status"], "SETTLED");
    assert_eq!(a.body["amount"], 29000);
    assert_eq!(status(&sb, "m").await.body["amount"], 29000);
    assert_eq!(
        post(&sb, "/sandbox/orders/m/pay", json!({"amount": "x"}))
            .await
            .status,
        400
    );
}

#[tokio::test]
async fn odd_order_ids_round_trip() {
    let sb = start().await;
    for id in ["A/B?C#D E", "100%", "pesanan/ñ/日本", "a+b&c=d"] {
        let a = create(&sb, json!({"amount": 15000, "order_id": id})).await;
        assert_eq!(a.status, 200, "{id}: {}", a.text);
        assert_eq!(a.body["orderId"], id);
        let s = status(&sb, id).await;
        assert_eq!(s.status, 200, "{id}");
        assert_eq!(s.body["order_id"], id);
        let pay = post(&sb, &format!("/sandbox/orders/{}/pay", enc(id)), json!({})).await;
        assert_eq!(pay.status, 200, "{id}");
        // The checkout URL encodes the id so that it reaches the right page.
        let page = client()
            .get(a.body["checkout_url"].as_str().unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 200, "{id}");
    }
    // An unencoded `/` reaches the same order too.
    create(&sb, json!({"amount": 15000, "order_id": "x/y"})).await;
    assert_eq!(get(&sb, "/check-status/x/y").await.body["order_id"], "x/y");
}

#[tokio::test]
async fn unknown_api_paths_answer_json_404() {
    let sb = start().await;
    let a = get(&sb, "/balance").await;
    assert_eq!(a.status, 404);
    assert_eq!(a.body["success"], false);
}

#[tokio::test]
async fn dropping_the_handle_stops_the_server() {
    let sb = start().await;
    let addr = sb.addr();
    assert_eq!(sb.base_url(), format!("http://{addr}/api"));
    drop(sb);
    eventually(10, "listener closed", || async {
        tokio::net::TcpStream::connect(addr)
            .await
            .is_err()
            .then_some(())
    })
    .await;
}

#[tokio::test]
async fn order_record_control_shows_the_stored_order() {
    let sb = start().await;
    let a = create(&sb, json!({"amount": 15000, "order_id": "rec"})).await;
    let r = get(&sb, "/sandbox/orders/rec").await;
    assert_eq!(r.status, 200);
    let o = &r.body["order"];
    assert_eq!(o["channel"], "QRIS");
    assert_eq!(o["base_amount"], 15000);
    assert_eq!(o["amount"], a.body["amount"]);
    assert_eq!(
        o["unique_code"].as_i64().unwrap(),
        a.body["amount"].as_i64().unwrap() - 15000
    );
    assert_eq!(o["status"], "PENDING");
    assert!(o["qris_payload"]
        .as_str()
        .unwrap()
        .starts_with("000201010212"));
    assert_eq!(get(&sb, "/sandbox/orders/none").await.status, 404);
    create(
        &sb,
        json!({"amount": 15000, "order_id": "va", "kode_channel": "bni"}),
    )
    .await;
    assert_eq!(
        get(&sb, "/sandbox/orders/va").await.body["order"]["channel"],
        "BNI"
    );
}

#[tokio::test]
async fn reset_forgets_everything() {
    let sb = start().await;
    for i in 0..99 {
        create(&sb, json!({"amount": 15000, "order_id": format!("r{i}")})).await;
    }
    assert_eq!(create(&sb, json!({"amount": 15000})).await.status, 409);
    post(&sb, "/sandbox/clock/advance", json!({"seconds": 5})).await;
    post(&sb, "/sandbox/config", json!({"redirect_url": "http://x/"})).await;
    post(
        &sb,
        "/sandbox/faults",
        json!({"kind": "error", "path": "check-status"}),
    )
    .await;
    let a = post(&sb, "/sandbox/reset", json!({})).await;
    assert_eq!(a.status, 200);
    assert_eq!(
        status(&sb, "r0").await.status,
        404,
        "orders gone, fault gone"
    );
    assert_eq!(
        create(&sb, json!({"amount": 15000, "order_id": "r0"}))
            .await
            .status,
        200
    );
    assert_eq!(get(&sb, "/sandbox/clock").await.body["offset_ms"], 0);
    assert_eq!(
        get(&sb, "/sandbox/config").await.body["config"]["redirect_url"],
        Value::Null
    );
    assert!(deliveries(&sb).await.is_empty());
}

#[tokio::test]
async fn close_idle_connections_closes_a_keep_alive_connection_before_answering() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let sb = start().await;
    let mut idle = tokio::net::TcpStream::connect(sb.addr()).await.unwrap();
    let request = format!(
        "GET /api/check-status/none HTTP/1.1\r\nhost: 127.0.0.1\r\nx-api-key: {}\r\n\r\n",
        sb.api_key()
    );
    idle.write_all(request.as_bytes()).await.unwrap();
    let mut answer = vec![0u8; 4096];
    let n = idle.read(&mut answer).await.unwrap();
    assert!(
        String::from_utf8_lossy(&answer[..n]).starts_with("HTTP/1.1 404"),
        "a keep-alive answer first"
    );

    let closed = post(&sb, "/sandbox/close-idle-connections", json!({})).await;
    assert_eq!(closed.status, 200);
    assert_eq!(closed.body["success"], true);
    // Closed before the control call answered: the FIN is already there to read.
    let mut rest = [0u8; 64];
    let read = tokio::time::timeout(std::time::Duration::from_millis(100), idle.read(&mut rest))
        .await
        .expect("the idle connection was closed, not left open");
    assert_eq!(read.unwrap(), 0, "EOF, with no more bytes");
}

#[tokio::test]
async fn unknown_create_order_fields_are_ignored_and_kept_on_the_record() {
    let sb = start().await;
    let extra = json!({"callback_url": "https://shop.example/cb", "customer": {"name": "Ani"}});
    let mut body = json!({"amount": 15000, "order_id": "EXTRA-1"});
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    let a = create(&sb, body).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.body.get("callback_url"), None, "not echoed in the answer");
    let rec = get(&sb, "/sandbox/orders/EXTRA-1").await;
    assert_eq!(rec.body["order"]["request_extra"], extra);
    // In the order received, whichever fields the sandbox reads came before them.
    let text = serde_json::to_string(&rec.body["order"]["request_extra"]).unwrap();
    assert_eq!(text, extra.to_string());
    // Without any, the record has none.
    create(&sb, json!({"amount": 15000, "order_id": "PLAIN-1"})).await;
    let rec = get(&sb, "/sandbox/orders/PLAIN-1").await;
    assert_eq!(rec.body["order"].get("request_extra"), None);
}
