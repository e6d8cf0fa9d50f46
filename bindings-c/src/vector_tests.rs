//! The shared known-answer files of `tests/vectors/`, run through the exported C functions:
//! every webhook vector through `cashi_webhook_verify`, every API answer of `responses.json`
//! through `cashi_client_create_order` / `cashi_client_check_status` against a loopback
//! server that serves the answer byte for byte.

use std::ffi::{c_char, CStr, CString};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::ptr;

use serde_json::Value;

use crate::*;

fn cases(file: &str) -> Vec<Value> {
    let path = format!("{}/../tests/vectors/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let doc: Value = serde_json::from_str(&text).unwrap();
    doc["cases"].as_array().unwrap().clone()
}

fn c(text: &str) -> CString {
    CString::new(text).unwrap()
}

fn text(ptr: *const c_char) -> Option<String> {
    (!ptr.is_null()).then(|| unsafe { CStr::from_ptr(ptr) }.to_str().unwrap().to_string())
}

fn body_of(case: &Value) -> Vec<u8> {
    use base64::Engine as _;
    if let Some(text) = case["body"].as_str() {
        return text.as_bytes().to_vec();
    }
    if let Some(b64) = case["body_base64"].as_str() {
        return base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap();
    }
    let p = &case["body_pattern"];
    let times = usize::try_from(p["times"].as_u64().unwrap()).unwrap();
    [
        p["prefix"].as_str().unwrap().to_string(),
        p["repeat"].as_str().unwrap().repeat(times),
        p["suffix"].as_str().unwrap().to_string(),
    ]
    .concat()
    .into_bytes()
}

/// The error's code, message and HTTP status, then frees it.
fn take_error(err: *mut cashi_error) -> (String, String, u16) {
    assert!(!err.is_null(), "a failed call fills in the error");
    let out = (
        text(cashi_error_code(err)).unwrap(),
        text(cashi_error_message(err)).unwrap(),
        cashi_error_http_status(err),
    );
    cashi_error_free(err);
    out
}

fn check_error(name: &str, expect: &Value, err: *mut cashi_error) {
    let (code, message, status) = take_error(err);
    assert_eq!(code, expect["error"].as_str().unwrap(), "{name}: {message}");
    if let Some(field) = expect["field"].as_str() {
        assert!(message.contains(field), "{name}: {message} names {field}");
    }
    if let Some(want) = expect["message_contains"].as_str() {
        assert!(message.contains(want), "{name}: {message} contains {want}");
    }
    if let Some(want) = expect["http_status"].as_u64() {
        assert_eq!(u64::from(status), want, "{name}");
    }
}

fn verify_vectors(file: &str) {
    for case in cases(file) {
        let name = case["name"].as_str().unwrap();
        let secrets: Vec<CString> = case["secrets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| c(s.as_str().unwrap()))
            .collect();
        let mut err: *mut cashi_error = ptr::null_mut();
        let mut webhook: *mut cashi_webhook = ptr::null_mut();
        let rc = cashi_webhook_new(secrets[0].as_ptr(), &mut webhook, &mut err);
        assert_eq!(rc, cashi_result::Ok, "{name}");
        for secret in &secrets[1..] {
            let rc = cashi_webhook_add_secret(webhook, secret.as_ptr(), &mut err);
            assert_eq!(rc, cashi_result::Ok, "{name}");
        }
        let body = body_of(&case);
        let signature = c(case["signature"].as_str().unwrap());
        let mut event: *mut cashi_event = ptr::null_mut();
        let rc = cashi_webhook_verify(
            webhook,
            body.as_ptr().cast(),
            body.len(),
            signature.as_ptr(),
            &mut event,
            &mut err,
        );
        let expect = &case["expect"];
        if expect["ok"].as_bool().unwrap() {
            assert_eq!(rc, cashi_result::Ok, "{name}: {:?}", take_error(err));
            let want = &expect["event"];
            let json: Value = serde_json::from_str(&text(cashi_event_to_json(event)).unwrap())
                .expect("the event's JSON view");
            for field in [
                "event",
                "order_id",
                "status",
                "amount",
                "is_test",
                "is_settled",
            ] {
                assert_eq!(json[field], want[field], "{name}: {field}");
            }
            assert_eq!(cashi_event_amount(event), want["amount"].as_i64().unwrap());
            for field in ["payment_method", "paid_at", "transaction_id"] {
                assert_eq!(json[field], want.get(field).cloned().unwrap_or(Value::Null));
            }
            cashi_event_free(event);
        } else {
            assert_ne!(rc, cashi_result::Ok, "{name}");
            assert!(event.is_null(), "{name}: no event on failure");
            check_error(name, expect, err);
        }
        cashi_webhook_free(webhook);
    }
}

#[test]
fn webhook_signature_vectors() {
    verify_vectors("webhook_signatures.json");
}

#[test]
fn webhook_payload_vectors() {
    verify_vectors("webhook_payloads.json");
}

/// Serves one answer per connection, `Connection: close`, then hands back the request line.
fn serve_once(listener: &TcpListener, status: u16, body: &str) -> std::thread::JoinHandle<String> {
    let listener = listener.try_clone().unwrap();
    let answer = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream);
        let mut request_line = String::new();
        reader.read_line(&mut request_line).unwrap();
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" {
                break;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap();
            }
        }
        let mut request_body = vec![0; length];
        reader.read_exact(&mut request_body).unwrap();
        reader.get_mut().write_all(answer.as_bytes()).unwrap();
        request_line
    })
}

#[test]
fn response_vectors() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base_url = c(&format!("http://{}/api", listener.local_addr().unwrap()));
    let mut err: *mut cashi_error = ptr::null_mut();
    let options = cashi_client_options_new();
    let key = c("CASHI-VECTORS0001");
    assert_eq!(
        cashi_client_options_set_api_key(options, key.as_ptr(), &mut err),
        cashi_result::Ok
    );
    assert_eq!(
        cashi_client_options_set_base_url(options, base_url.as_ptr(), &mut err),
        cashi_result::Ok
    );
    assert_eq!(
        cashi_client_options_set_max_retries(options, 0, &mut err),
        cashi_result::Ok
    );
    let mut client: *mut cashi_client = ptr::null_mut();
    assert_eq!(
        cashi_client_new(options, &mut client, &mut err),
        cashi_result::Ok
    );
    cashi_client_options_free(options);
    let all = cases("responses.json");
    assert!(all.len() >= 20);
    for case in all {
        let name = case["name"].as_str().unwrap();
        let status = u16::try_from(case["http_status"].as_u64().unwrap()).unwrap();
        let served = serve_once(&listener, status, case["body"].as_str().unwrap());
        let request = &case["request"];
        let expect = &case["expect"];
        let (rc, json) = match case["endpoint"].as_str().unwrap() {
            "create-order" => {
                let order_id = request["order_id"].as_str().map(c);
                let channel = request["channel"].as_str().map(c);
                let mut order: *mut cashi_order = ptr::null_mut();
                let rc = cashi_client_create_order(
                    client,
                    request["amount"].as_i64().unwrap(),
                    order_id.as_ref().map_or(ptr::null(), |s| s.as_ptr()),
                    channel.as_ref().map_or(ptr::null(), |s| s.as_ptr()),
                    &mut order,
                    &mut err,
                );
                let json = text(cashi_order_to_json(order));
                cashi_order_free(order);
                (rc, json)
            }
            _ => {
                let order_id = c(request["order_id"].as_str().unwrap());
                let mut status: *mut cashi_status = ptr::null_mut();
                let rc =
                    cashi_client_check_status(client, order_id.as_ptr(), &mut status, &mut err);
                let json = text(cashi_status_to_json(status));
                cashi_status_free(status);
                (rc, json)
            }
        };
        served.join().unwrap();
        if expect.get("error").is_some() {
            assert_ne!(rc, cashi_result::Ok, "{name}");
            check_error(name, expect, err);
            err = ptr::null_mut();
        } else {
            assert_eq!(rc, cashi_result::Ok, "{name}: {:?}", take_error(err));
            let got: Value = serde_json::from_str(&json.unwrap()).unwrap();
            for (field, want) in expect.as_object().unwrap() {
                assert_eq!(&got[field], want, "{name}: {field}");
            }
        }
    }
    cashi_client_free(client);
}
