//! The API key and the webhook secret appear in no error (message, `Display`, `Debug`,
//! mismatch details) and no `Debug` print, whatever fails: refused input, every kind of
//! answer a server may give (echoing the key as sent, in another case, in hex or base64),
//! broken connections, timeouts, and every webhook failure.

// Shared with http.rs, which uses all of it.
#[allow(dead_code)]
mod support;

use std::time::Duration;

use cashi::{Client, CreateOrder, Error, Webhook};
use support::{MockServer, Reply};

/// `tests/vectors/secrets.json`, which every binding's test of this reads.
fn vectors() -> serde_json::Value {
    let path = format!(
        "{}/../tests/vectors/secrets.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(&path).expect(&path)).unwrap()
}

fn texts(value: &serde_json::Value) -> Vec<String> {
    let list = value.as_array().expect("a list of texts");
    list.iter()
        .map(|t| t.as_str().unwrap().to_string())
        .collect()
}

const KEY: &str = "CASHI-SECRETKEY99";
const SECRET: &str = "sk_0123456789abcdef0123456789abcdef";

#[track_caller]
fn assert_clean(what: &str, text: &str) {
    let leaks = &vectors()["leaks"];
    let lower = text.to_lowercase();
    for form in texts(&leaks["any_case"]) {
        assert!(
            !lower.contains(&form),
            "{what} shows {form:?} (a form of a secret): {text}"
        );
    }
    for form in texts(&leaks["exact"]) {
        assert!(
            !text.contains(&form),
            "{what} shows {form:?} (a form of a secret): {text}"
        );
    }
}

#[track_caller]
fn assert_error_clean(what: &str, e: &Error) {
    assert_clean(what, e.message());
    assert_clean(what, &e.to_string());
    assert_clean(what, &format!("{e:?}"));
    assert_clean(what, &format!("{:?}", e.mismatch_details()));
}

fn client(base_url: &str) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(base_url)
        .max_retries(0)
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap()
}

/// The key as a server might echo it inside its message.
fn echoes() -> Vec<String> {
    texts(&vectors()["echoes"])
}

fn json(status: u16, body: String) -> Reply {
    Reply::Json(status, body)
}

#[tokio::test]
async fn no_error_or_debug_output_shows_the_key_or_the_secret() {
    let vectors = vectors();
    assert_eq!(
        (
            vectors["api_key"].as_str(),
            vectors["webhook_secret"].as_str()
        ),
        (Some(KEY), Some(SECRET))
    );
    // Refused before sending: the key itself malformed, or another setting.
    for bad_key in [
        format!("{KEY} "),
        format!("{KEY}\n"),
        format!("{KEY}é"),
        format!("\t{KEY}"),
    ] {
        let builder = Client::builder()
            .api_key(bad_key)
            .base_url("https://cashi.id/api");
        assert_clean("ClientBuilder Debug", &format!("{builder:?}"));
        let e = builder.build().unwrap_err();
        assert_error_clean("a malformed key", &e);
    }
    for builder in [
        Client::builder()
            .api_key(KEY)
            .base_url("http://example.com/api"),
        Client::builder().api_key(KEY).base_url("not a url"),
        Client::builder().api_key(KEY).max_retries(11),
        Client::builder().api_key(KEY).timeout(Duration::ZERO),
    ] {
        assert_clean("ClientBuilder Debug", &format!("{builder:?}"));
        assert_error_clean("a refused setting", &builder.build().unwrap_err());
    }

    let server = MockServer::start().await;
    let c = client(&server.base_url());
    assert_clean("Client Debug", &format!("{c:?}"));
    for request in [
        CreateOrder::new(1),
        CreateOrder::new(15_000).order_id("a\nb"),
    ] {
        let e = c.create_order(&request).await.unwrap_err();
        assert_error_clean("refused input", &e);
    }

    // Every kind of answer, each echoing the key in every form.
    for echo in echoes() {
        let message = serde_json::to_string(&echo).unwrap();
        let replies = [
            json(401, format!(r#"{{"success":false,"message":{message}}}"#)),
            json(
                403,
                format!(r#"{{"success":false,"error":{{"message":{message}}}}}"#),
            ),
            json(400, format!(r#"{{"success":false,"error":{message}}}"#)),
            json(404, format!(r#"{{"success":false,"message":{message}}}"#)),
            json(409, format!(r#"{{"success":false,"message":{message}}}"#)),
            json(429, format!(r#"{{"success":false,"message":{message}}}"#)),
            json(200, format!(r#"{{"success":false,"message":{message}}}"#)),
            json(200, format!(r#"{{"success":"false","message":{message}}}"#)),
            Reply::With {
                status: 502,
                headers: vec![("content-type".into(), "text/html".into())],
                body: format!("<html><body><h1>502</h1><p>key {echo}</p></body></html>"),
            },
            Reply::With {
                status: 200,
                headers: vec![("content-type".into(), "text/html".into())],
                body: format!("<p>proxy saw x-api-key {echo}</p>"),
            },
            json(200, format!(r#"{{"success":true,"message":{message}"#)),
            json(
                200,
                format!(r#"{{"success":true,"orderId":"A","amount":{message}}}"#),
            ),
            json(200, format!(r#"{{"success":true,"order_id":{message}}}"#)),
        ];
        for reply in replies {
            server.script([reply.clone(), reply.clone()]);
            let e = c
                .create_order(&CreateOrder::new(15_000).order_id("A"))
                .await
                .unwrap_err();
            assert_error_clean(&format!("create-order answered {reply:?}"), &e);
            let e = c.check_status("A").await.unwrap_err();
            assert_error_clean(&format!("check-status answered {reply:?}"), &e);
        }
        // A status text that echoes the key: confirm's mismatch, wait_for_payment's timeout.
        let answer =
            format!(r#"{{"success":true,"status":{message},"amount":15023,"order_id":"A"}}"#);
        server.script([json(200, answer.clone())]);
        let e = c.confirm("A", 15_023).await.unwrap_err();
        assert_error_clean("confirm's mismatch", &e);
    }
    server.fallback(json(
        200,
        format!(r#"{{"success":true,"status":"WAITING {KEY}","amount":15023,"order_id":"A"}}"#),
    ));
    let e = c
        .wait_for_payment("A", Duration::from_millis(1200))
        .await
        .unwrap_err();
    assert_error_clean("wait_for_payment's timeout", &e);

    // No answer: a dropped connection, an answer too late, nobody listening.
    server.script([Reply::Drop]);
    assert_error_clean(
        "a dropped connection",
        &c.check_status("A").await.unwrap_err(),
    );
    server.script([Reply::Late(
        Duration::from_secs(2),
        Box::new(json(200, "{}".into())),
    )]);
    assert_error_clean("a late answer", &c.check_status("A").await.unwrap_err());
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let nobody = client(&format!("http://127.0.0.1:{port}/api"));
    assert_error_clean("no listener", &nobody.check_status("A").await.unwrap_err());
}

#[test]
fn no_webhook_error_or_debug_output_shows_the_secret() {
    let webhook = Webhook::new(SECRET).unwrap();
    assert_clean("Webhook Debug", &format!("{webhook:?}"));
    let rotation = Webhook::with_secrets([SECRET, "sk_old"]).unwrap();
    assert_clean("Webhook Debug", &format!("{rotation:?}"));
    assert_error_clean(
        "an empty secret",
        &Webhook::with_secrets([SECRET, ""]).unwrap_err(),
    );

    let body = cashi::testing::webhook_body("INV-1", 15_023);
    let signed = |body: &str| cashi::testing::sign(SECRET, body);
    let failures = [
        (body.clone(), String::new()),
        (body.clone(), SECRET.to_string()),
        (body.clone(), format!("sha256={SECRET}")),
        (body.clone(), signed("other")),
        (body.clone(), cashi::testing::sign("sk_wrong", &body)),
        ("not json".to_string(), signed("not json")),
        (
            format!(r#"{{"event":"{SECRET}"}}"#),
            signed(&format!(r#"{{"event":"{SECRET}"}}"#)),
        ),
        (
            "x".repeat(cashi::webhook::MAX_BODY_BYTES + 1),
            String::new(),
        ),
    ];
    for (body, signature) in failures {
        let e = webhook.verify(body.as_bytes(), &signature).unwrap_err();
        assert_error_clean("a failed verify", &e);
        let e = webhook
            .verify_headers(
                body.as_bytes(),
                [("X-Gateway-Signature", signature.as_str())],
            )
            .unwrap_err();
        assert_error_clean("a failed verify_headers", &e);
    }
    let e = webhook
        .verify_headers(body.as_bytes(), [("x-other", SECRET)])
        .unwrap_err();
    assert_error_clean("no signature header", &e);
    let event = webhook.verify(body.as_bytes(), &signed(&body)).unwrap();
    assert_clean("WebhookEvent Debug", &format!("{event:?}"));
}
