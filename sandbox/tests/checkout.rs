//! The checkout page's HTTP side (the browser test drives the real page).

mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn page_status_and_simulate() {
    let receiver = Receiver::default();
    let url = receiver.start().await;
    let sb = start_with(|c| {
        c.webhook_url = Some(url);
        c.redirect_url = Some("http://shop.example/thanks".into());
    })
    .await;
    let a = create(&sb, json!({"amount": 1234567, "order_id": "INV 7/8"})).await;
    let checkout = a.body["checkout_url"].as_str().unwrap().to_string();
    assert_eq!(checkout, format!("{}/pay/INV%207%2F8", sb.url()));

    let page = client().get(&checkout).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let html = page.text().await.unwrap();
    let to_pay = a.body["amount"].as_i64().unwrap();
    let rupiah = format!(
        "Rp {}.{:03}.{:03}",
        to_pay / 1_000_000,
        to_pay / 1000 % 1000,
        to_pay % 1000
    );
    assert!(html.contains(&rupiah), "{rupiah}");
    assert!(
        !html.contains("http://") || !html.contains("<script src"),
        "no external assets"
    );

    let st = answer(
        client()
            .get(format!("{checkout}/status"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(st.status, 200, "no API key needed");
    assert_eq!(st.body["status"], "PENDING");
    assert_eq!(st.body["amount_text"], rupiah.as_str());
    let remaining = st.body["remaining_ms"].as_i64().unwrap();
    assert!(remaining > 590_000 && remaining <= 600_000, "{remaining}");
    assert_eq!(st.body["redirect_url"], "http://shop.example/thanks");

    let sim = answer(
        client()
            .post(format!("{checkout}/simulate"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(sim.status, 200);
    assert_eq!(sim.body["status"], "SETTLED");
    assert_eq!(status(&sb, "INV 7/8").await.body["status"], "SETTLED");
    eventually(20, "webhook from the page", || async {
        (receiver.count() == 1).then_some(())
    })
    .await;
    let again = client()
        .post(format!("{checkout}/simulate"))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 409);

    let missing = client()
        .get(format!("{}/pay/nope", sb.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn va_page_shows_the_payment_code() {
    let sb = start().await;
    let a = create(&sb, json!({"amount": 50000, "kode_channel": "MANDIRI"})).await;
    let html = client()
        .get(a.body["checkout_url"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(a.body["va_number"].as_str().unwrap()));
    assert!(html.contains("Rp 50.000"));
    assert!(!html.contains("id=\"qr\""));
}
