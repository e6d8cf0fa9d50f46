//! Unique codes: no two PENDING orders share an amount to pay, under concurrency too.

mod common;

use std::collections::HashSet;

use common::*;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_concurrent_orders_of_one_amount() {
    let sb = start().await;
    let url = format!("{}/create-order", sb.base_url());
    let key = sb.api_key().to_string();
    let mut tasks = Vec::new();
    for _ in 0..200 {
        let (url, key) = (url.clone(), key.clone());
        tasks.push(tokio::spawn(async move {
            let resp = client()
                .post(url)
                .header("x-api-key", key)
                .json(&json!({"amount": 20000}))
                .send()
                .await
                .unwrap();
            answer(resp).await
        }));
    }
    let mut amounts = HashSet::new();
    let mut refused = 0;
    for t in tasks {
        let a = t.await.unwrap();
        match a.status {
            200 => {
                let amount = a.body["amount"].as_i64().unwrap();
                assert!((20001..=20099).contains(&amount));
                assert!(amounts.insert(amount), "duplicate amount to pay {amount}");
            }
            409 => {
                refused += 1;
                assert_eq!(a.body["success"], false);
                let msg = a.body["message"].as_str().unwrap();
                assert!(
                    msg.contains("unique codes") && msg.contains("20000"),
                    "{msg}"
                );
            }
            s => panic!("unexpected status {s}: {}", a.text),
        }
    }
    assert_eq!(amounts.len(), 99);
    assert_eq!(refused, 101);

    // Amounts of other bases collide too: 20001 + 1..99 leaves only 20100 free.
    let a = create(&sb, json!({"amount": 20001})).await;
    assert_eq!(a.body["amount"], 20100);
    assert_eq!(create(&sb, json!({"amount": 20001})).await.status, 409);

    // VA orders carry no unique code and are not limited.
    assert_eq!(
        create(&sb, json!({"amount": 20000, "kode_channel": "BRI"}))
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn settled_and_expired_orders_free_their_code() {
    let sb = start().await;
    let mut ids = Vec::new();
    for i in 0..99 {
        let a = create(&sb, json!({"amount": 5000, "order_id": format!("o{i}")})).await;
        assert_eq!(a.status, 200);
        ids.push((
            a.body["order_id"].as_str().unwrap().to_string(),
            a.body["amount"].clone(),
        ));
    }
    assert_eq!(create(&sb, json!({"amount": 5000})).await.status, 409);
    post(&sb, &format!("/sandbox/orders/{}/pay", ids[3].0), json!({})).await;
    let a = create(&sb, json!({"amount": 5000})).await;
    assert_eq!(a.status, 200);
    assert_eq!(
        a.body["amount"], ids[3].1,
        "the freed code is the only one left"
    );
    assert_eq!(create(&sb, json!({"amount": 5000})).await.status, 409);
    post(&sb, "/sandbox/clock/advance", json!({"seconds": 601})).await;
    assert_eq!(create(&sb, json!({"amount": 5000})).await.status, 200);
}
