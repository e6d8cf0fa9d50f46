// The properties the C library's fuzz targets check, through its exported functions called
// as a C program calls them (`cashi_ffi` names libcashi). Shared with
// bindings-c/tests/fuzz_regressions.rs, which includes this file, so a crash found here is
// replayed by `cargo test` forever after. Each takes arbitrary bytes and panics on a
// violated property; everything libcashi hands out is freed before it returns.

use std::ffi::{c_char, c_int, CStr, CString};
use std::ptr;

use cashi_ffi::*;

/// The secret and body the C targets sign with.
const C_SECRET: &CStr = c"sk_fuzz";
const C_BODY: &[u8] =
    br#"{"event":"PAYMENT_SETTLED","data":{"order_id":"INV-1","status":"SETTLED","amount":15023}}"#;

/// A text libcashi returned: NULL is `None`; anything else is UTF-8.
fn c_text(p: *const c_char) -> Option<String> {
    (!p.is_null()).then(|| {
        let text = unsafe { CStr::from_ptr(p) };
        text.to_str()
            .expect("libcashi's texts are UTF-8")
            .to_string()
    })
}

/// Checks the error a call stored against its result (never `internal`: that is a panic
/// caught inside libcashi), frees it, and returns its message (`None` on success).
fn take_error(result: cashi_result, err: *mut cashi_error) -> Option<String> {
    if result == cashi_result::Ok {
        assert!(err.is_null(), "an error stored by a call that succeeded");
        return None;
    }
    assert!(!err.is_null(), "{result:?} without an error object");
    let message = c_text(cashi_error_message(err)).expect("an error has a message");
    assert_ne!(
        result,
        cashi_result::Internal,
        "a panic inside libcashi: {message}"
    );
    assert_eq!(cashi_error_result(err), result);
    let code = c_text(cashi_error_code(err)).expect("an error has a code");
    assert_eq!(
        Some(&code),
        c_text(cashi_result_code(result as c_int)).as_ref()
    );
    assert!(!message.is_empty());
    let json = c_text(cashi_error_to_json(err)).expect("an error has its JSON");
    let json: serde_json::Value = serde_json::from_str(&json).expect("the error's JSON is JSON");
    assert_eq!(json["code"], code.as_str());
    assert_eq!(json["message"], message.as_str());
    cashi_error_free(err);
    Some(message)
}

/// A verifier for `secret`, or the result that refused it.
fn c_webhook(secret: *const c_char) -> Result<*mut cashi_webhook, cashi_result> {
    let mut webhook = ptr::null_mut();
    let mut err = ptr::null_mut();
    let result = cashi_webhook_new(secret, &mut webhook, &mut err);
    take_error(result, err);
    assert_eq!(result == cashi_result::Ok, !webhook.is_null());
    if result == cashi_result::Ok {
        Ok(webhook)
    } else {
        Err(result)
    }
}

/// `cashi_testing_sign`: the signature, or the result that refused it.
fn c_sign(secret: *const c_char, body: &[u8]) -> Result<String, cashi_result> {
    let mut signature = ptr::null_mut();
    let mut err = ptr::null_mut();
    let result = cashi_testing_sign(
        secret,
        body.as_ptr().cast(),
        body.len(),
        &mut signature,
        &mut err,
    );
    take_error(result, err);
    assert_eq!(result == cashi_result::Ok, !signature.is_null());
    if result != cashi_result::Ok {
        return Err(result);
    }
    let text = c_text(signature).unwrap();
    cashi_string_free(signature);
    assert!(
        text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()),
        "{text}"
    );
    Ok(text)
}

/// Reads every field of an event through each accessor, checks they agree, then frees it.
/// Returns its order id and amount.
fn take_event(event: *mut cashi_event) -> (String, i64) {
    assert!(!event.is_null());
    let mut fields = std::mem::MaybeUninit::<cashi_event_fields>::uninit();
    assert!(cashi_event_get_fields(event, fields.as_mut_ptr()));
    let fields = unsafe { fields.assume_init() };
    assert_eq!(fields.event, cashi_event_event(event));
    assert_eq!(fields.order_id, cashi_event_order_id(event));
    assert_eq!(fields.status, cashi_event_status(event));
    assert_eq!(fields.payment_method, cashi_event_payment_method(event));
    assert_eq!(fields.paid_at, cashi_event_paid_at(event));
    assert_eq!(fields.paid_at_time, cashi_event_paid_at_time(event));
    assert_eq!(fields.transaction_id, cashi_event_transaction_id(event));
    assert_eq!(fields.amount, cashi_event_amount(event));
    assert_eq!(fields.is_test, cashi_event_is_test(event));
    assert_eq!(fields.is_settled, cashi_event_is_settled(event));
    // Every event here comes from a verify.
    assert!(fields.is_verified && cashi_event_is_verified(event));
    for text in [
        fields.payment_method,
        fields.paid_at,
        fields.paid_at_time,
        fields.transaction_id,
    ] {
        c_text(text);
    }
    let name = c_text(fields.event).expect("an event has a name");
    let order_id = c_text(fields.order_id).expect("an event has an order id");
    let status = c_text(fields.status).expect("an event has a status");
    assert_eq!(fields.is_test, order_id.starts_with("TEST-"));
    if fields.is_settled {
        assert_eq!(
            (name.as_str(), status.as_str()),
            ("PAYMENT_SETTLED", "SETTLED")
        );
    }
    let raw = c_text(cashi_event_raw_json(event)).expect("an event has its body");
    let raw: serde_json::Value = serde_json::from_str(&raw).expect("raw_json is JSON");
    assert!(raw.is_object());
    let json = c_text(cashi_event_to_json(event)).expect("an event has its JSON");
    let json: serde_json::Value = serde_json::from_str(&json).expect("to_json is JSON");
    assert_eq!(json["amount"], fields.amount);
    assert_eq!(json["order_id"], order_id.as_str());
    cashi_event_free(event);
    (order_id, fields.amount)
}

/// `bytes` with each `{sig}` replaced by `signature`.
fn replace_signature(bytes: &[u8], signature: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while !rest.is_empty() {
        if rest.starts_with(b"{sig}") {
            out.extend_from_slice(signature.as_bytes());
            rest = &rest[5..];
        } else {
            out.push(rest[0]);
            rest = &rest[1..];
        }
    }
    out
}

/// `cashi_webhook_verify_headers` reads the headers as documented: text lines `Name: value`
/// split at `\n` (a `\r` before it dropped), the first `x-gateway-signature` in any case
/// (or CGI's `HTTP_X_GATEWAY_SIGNATURE`) wins, its value checked as `cashi_webhook_verify` checks a signature; text that is not
/// UTF-8 or holds a NUL is `invalid_argument`, no such header `signature_invalid`. The
/// input is the headers' text, `{sig}` standing for the body's signature.
pub fn header_lines(data: &[u8]) {
    let Signed(webhook, signature) = signed();
    let webhook = *webhook;
    let headers = replace_signature(data, signature);
    let verify_headers = |headers: &[u8]| {
        let mut event = ptr::null_mut();
        let mut err = ptr::null_mut();
        let result = cashi_webhook_verify_headers(
            webhook,
            C_BODY.as_ptr().cast(),
            C_BODY.len(),
            headers.as_ptr().cast(),
            headers.len(),
            &mut event,
            &mut err,
        );
        take_error(result, err);
        assert_eq!(result == cashi_result::Ok, !event.is_null());
        (result, event)
    };
    let verify = |signature: &str| {
        let signature = CString::new(signature).unwrap();
        let mut event = ptr::null_mut();
        let mut err = ptr::null_mut();
        let result = cashi_webhook_verify(
            webhook,
            C_BODY.as_ptr().cast(),
            C_BODY.len(),
            signature.as_ptr(),
            &mut event,
            &mut err,
        );
        take_error(result, err);
        if !event.is_null() {
            cashi_event_free(event);
        }
        result
    };
    let expected = match std::str::from_utf8(&headers) {
        Ok(text) if !text.contains('\0') => text
            .split('\n')
            .filter_map(|line| line.split_once(':'))
            .find(|(name, _)| {
                let name = name.trim();
                name.eq_ignore_ascii_case("x-gateway-signature")
                    || name == "HTTP_X_GATEWAY_SIGNATURE"
            })
            .map_or(cashi_result::SignatureInvalid, |(_, value)| {
                verify(value.trim_end_matches('\r').trim())
            }),
        _ => cashi_result::InvalidArgument,
    };
    let (result, event) = verify_headers(&headers);
    assert_eq!(result, expected, "{:?}", String::from_utf8_lossy(&headers));
    if !event.is_null() {
        assert_eq!(take_event(event), ("INV-1".to_string(), 15023));
    }
}

/// A verifier for [`C_SECRET`] and the signature of [`C_BODY`], made once: a verifier may
/// be used from any number of threads at once.
struct Signed(*mut cashi_webhook, String);
unsafe impl Send for Signed {}
unsafe impl Sync for Signed {}

fn signed() -> &'static Signed {
    static SIGNED: std::sync::OnceLock<Signed> = std::sync::OnceLock::new();
    SIGNED.get_or_init(|| {
        Signed(
            c_webhook(C_SECRET.as_ptr()).unwrap(),
            c_sign(C_SECRET.as_ptr(), C_BODY).unwrap(),
        )
    })
}

/// The result code's text (`"ok"` for success), for comparing with the core's error codes.
fn code_of(result: cashi_result) -> String {
    c_text(cashi_result_code(result as c_int)).expect("every result has a code")
}

/// What the core makes of a call, as libcashi's result code.
fn core_code<T>(result: &cashi::Result<T>) -> String {
    match result {
        Ok(_) => "ok".to_string(),
        Err(e) => e.code().to_string(),
    }
}

/// The result libcashi gives for what the core made of a webhook: the core's, except that
/// an event with a text holding a NUL is `invalid_argument`.
fn c_expected(core: cashi::Result<cashi::WebhookEvent>) -> String {
    match core {
        Ok(e) => {
            let texts = [
                Some(e.event.as_str()),
                Some(&*e.order_id),
                Some(e.status.as_str()),
                e.payment_method.as_deref(),
                e.paid_at.as_deref(),
                e.transaction_id.as_deref(),
            ];
            if texts.iter().flatten().any(|t| t.contains('\0')) {
                "invalid_argument".to_string()
            } else {
                "ok".to_string()
            }
        }
        Err(e) => e.code().to_string(),
    }
}

/// Bytes as a C caller hands them over in a NUL-terminated string: up to the first NUL.
fn c_string(bytes: &[u8]) -> CString {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    CString::new(&bytes[..end]).unwrap()
}

/// The verifier's result on `body` and `signature`, with the event (checked and freed)
/// compared with the core's; returns the result's code.
fn c_verify(webhook: *const cashi_webhook, body: &[u8], signature: &CStr) -> String {
    let mut event = ptr::null_mut();
    let mut err = ptr::null_mut();
    let result = cashi_webhook_verify(
        webhook,
        body.as_ptr().cast(),
        body.len(),
        signature.as_ptr(),
        &mut event,
        &mut err,
    );
    take_error(result, err);
    assert_eq!(result == cashi_result::Ok, !event.is_null());
    if !event.is_null() {
        let parsed = cashi::WebhookEvent::parse_verified(body).expect("libcashi accepted it");
        assert_eq!(take_event(event), (parsed.order_id, parsed.amount));
    }
    code_of(result)
}

/// libcashi's exported functions driven with arbitrary bytes, as a C program calls them:
/// verifiers made from any secret (alone, in a list, added), webhooks verified with any
/// body and signature and with the body's own signature, the test helpers, and client
/// options and `cashi_client_new` with any key, URL, binding and numbers (no call that
/// would reach the network). Each agrees with the core it wraps, except that a text holding
/// a NUL is `invalid_argument` (a C string would end there); no call panics (`internal`),
/// no message quotes the API key, and everything handed out is freed.
///
/// The input: a byte of switches, 8 bytes of number, then texts separated by 0xFE (never
/// part of UTF-8): secret, body, signature, second secret, order id, API key, base URL,
/// binding name, binding version.
pub fn c_abi(data: &[u8]) {
    let Some((&switches, rest)) = data.split_first() else {
        return;
    };
    let Some((number, rest)) = rest.split_first_chunk::<8>() else {
        return;
    };
    let number = u64::from_le_bytes(*number);
    let mut parts = rest.split(|&b| b == 0xFE);
    let mut next = || parts.next().unwrap_or_default();
    let (secret, body, signature, second) = (next(), next(), next(), next());
    let (order_id, api_key, base_url, name, version) = (next(), next(), next(), next(), next());
    let c_secret = c_string(secret);
    let as_text = |c: &CString| c.to_str().ok().map(str::to_string);

    // A verifier for any secret.
    let expected = match as_text(&c_secret) {
        Some(s) => core_code(&cashi::Webhook::new(&s)),
        None => "invalid_argument".to_string(),
    };
    let made = c_webhook(c_secret.as_ptr());
    assert_eq!(made.map_or_else(code_of, |_| "ok".to_string()), expected);
    if let Ok(webhook) = made {
        let core = cashi::Webhook::new(as_text(&c_secret).unwrap()).unwrap();
        // Any signature: the core's verdict, or invalid_argument for a text holding a NUL.
        let c_signature = c_string(signature);
        let expected = match as_text(&c_signature) {
            None => "invalid_argument".to_string(),
            Some(s) => c_expected(core.verify(body, &s)),
        };
        assert_eq!(c_verify(webhook, body, &c_signature), expected);
        // The body's own signature, upper-cased or not: only the body can be refused.
        let signature = c_sign(c_secret.as_ptr(), body).unwrap();
        assert_eq!(
            signature,
            cashi::testing::sign(as_text(&c_secret).unwrap(), body)
        );
        let signature = if switches & 1 == 1 {
            signature.to_uppercase()
        } else {
            signature
        };
        let signature = CString::new(signature).unwrap();
        let code = c_verify(webhook, body, &signature);
        assert_eq!(code, c_expected(cashi::WebhookEvent::parse_verified(body)));

        // Another secret added, and both in a list: the body's signature still passes.
        let c_second = c_string(second);
        let mut err = ptr::null_mut();
        let added = cashi_webhook_add_secret(webhook, c_second.as_ptr(), &mut err);
        take_error(added, err);
        let expected = match as_text(&c_second) {
            Some(s) => core_code(&core.clone().add_secret(&s)),
            None => "invalid_argument".to_string(),
        };
        assert_eq!(code_of(added), expected);
        assert_eq!(c_verify(webhook, body, &signature), code);
        let secrets = [c_second.as_ptr(), c_secret.as_ptr()];
        let mut listed = ptr::null_mut();
        let mut err = ptr::null_mut();
        let result = cashi_webhook_new_with_secrets(secrets.as_ptr(), 2, &mut listed, &mut err);
        take_error(result, err);
        assert_eq!(result == cashi_result::Ok, added == cashi_result::Ok);
        if !listed.is_null() {
            assert_eq!(c_verify(listed, body, &signature), code);
        }
        cashi_webhook_free(listed);
        cashi_webhook_free(webhook);
    }

    // The test helpers: a body for any order id and amount, signed, verifies as that order
    // exactly when the amount follows the amount rule.
    let c_order_id = c_string(order_id);
    let amount = number as i64;
    let mut made = ptr::null_mut();
    let mut err = ptr::null_mut();
    let result = cashi_testing_webhook_body(c_order_id.as_ptr(), amount, &mut made, &mut err);
    take_error(result, err);
    match as_text(&c_order_id) {
        None => assert_eq!(result, cashi_result::InvalidArgument),
        Some(id) => {
            assert_eq!(result, cashi_result::Ok);
            let made_body = c_text(made).unwrap();
            cashi_string_free(made);
            assert_eq!(made_body, cashi::testing::webhook_body(&id, amount));
            let Signed(webhook, _) = signed();
            let signature =
                CString::new(c_sign(C_SECRET.as_ptr(), made_body.as_bytes()).unwrap()).unwrap();
            let code = c_verify(*webhook, made_body.as_bytes(), &signature);
            let valid = (1..=cashi::validate::MAX_AMOUNT).contains(&amount);
            assert_eq!(
                code,
                if valid { "ok" } else { "webhook_payload" },
                "{id:?} {amount}"
            );
        }
    }

    // Client options and a client, with the core's builder as the reference.
    let marked = switches & 2 == 0;
    let key = if marked {
        [b"CASHI-QUOTED".as_slice(), api_key].concat()
    } else {
        api_key.to_vec()
    };
    let (c_key, c_url) = (c_string(&key), c_string(base_url));
    let (c_name, c_version) = (c_string(name), c_string(version));
    let options = cashi_client_options_new();
    assert!(!options.is_null());
    let mut builder = cashi::Client::builder();
    let mut problem: Option<String> = None;
    let mut set = |result: cashi_result, err: *mut cashi_error| {
        let message = take_error(result, err);
        if marked {
            assert!(
                !message.as_deref().unwrap_or("").contains("QUOTED"),
                "{message:?}"
            );
        }
        if problem.is_none() && result != cashi_result::Ok {
            problem = Some(code_of(result));
        }
    };
    let mut err = ptr::null_mut();
    set(
        cashi_client_options_set_api_key(options, c_key.as_ptr(), &mut err),
        err,
    );
    if let Some(key) = as_text(&c_key) {
        builder = builder.api_key(key);
    }
    if switches & 4 == 4 {
        let mut err = ptr::null_mut();
        set(
            cashi_client_options_set_base_url(options, c_url.as_ptr(), &mut err),
            err,
        );
        if let Some(url) = as_text(&c_url) {
            builder = builder.base_url(url);
        }
    } else {
        builder = builder.base_url("https://cashi.id/api");
        let mut err = ptr::null_mut();
        set(
            cashi_client_options_set_base_url(options, c"https://cashi.id/api".as_ptr(), &mut err),
            err,
        );
    }
    if switches & 8 == 8 {
        // The one rule for durations, applied when the option is set: a refused timeout
        // leaves the option unset.
        let mut err = ptr::null_mut();
        let result = cashi_client_options_set_timeout_ms(options, number, &mut err);
        let rule = cashi::validate::milliseconds("timeout_ms", number);
        assert_eq!(result == cashi_result::Ok, rule.is_ok(), "{number} ms");
        set(result, err);
        if let Ok(timeout) = rule {
            builder = builder.timeout(timeout);
        }
        let retries = (number >> 32) as u32;
        let mut err = ptr::null_mut();
        set(
            cashi_client_options_set_max_retries(options, retries, &mut err),
            err,
        );
        builder = builder.max_retries(retries);
    }
    let mut binding_ok = true;
    if switches & 16 == 16 {
        let mut err = ptr::null_mut();
        let result = cashi_client_options_set_binding(
            options,
            c_name.as_ptr(),
            c_version.as_ptr(),
            &mut err,
        );
        binding_ok = result == cashi_result::Ok;
        set(result, err);
        let word = |t: &str| !t.chars().any(|c| c.is_whitespace() || c.is_control());
        let rule = match (as_text(&c_name), as_text(&c_version)) {
            (Some(n), Some(v)) => !n.is_empty() && word(&n) && word(&v),
            _ => false,
        };
        assert_eq!(binding_ok, rule, "{c_name:?} {c_version:?}");
        if binding_ok {
            builder = builder.binding(as_text(&c_name).unwrap(), as_text(&c_version).unwrap());
        }
    }
    let mut client = ptr::null_mut();
    let mut err = ptr::null_mut();
    let result = cashi_client_new(options, &mut client, &mut err);
    set(result, err);
    cashi_client_options_free(options);
    // An option whose setter refused it is not set: the client is made without it.
    let core = builder.build();
    assert_eq!(code_of(result), core_code(&core));
    if let Ok(core) = core {
        assert_eq!(
            c_text(cashi_client_base_url(client)).unwrap(),
            core.base_url()
        );
        let user_agent = c_text(cashi_client_user_agent(client)).unwrap();
        if switches & 16 == 16 && binding_ok {
            assert_eq!(user_agent, core.user_agent());
        } else {
            assert!(user_agent.starts_with("cashi-c/"), "{user_agent}");
        }
    }
    assert_eq!(result == cashi_result::Ok, !client.is_null());
    cashi_client_free(client);

    // Any int is safe to ask a code for; NULL handles are refused or ignored.
    let code = c_text(cashi_result_code(number as c_int));
    assert_eq!(code.is_some(), (0..=14).contains(&(number as c_int)));
    assert!(c_text(cashi_error_message(ptr::null())).is_none());
    assert_eq!(cashi_event_amount(ptr::null()), 0);
    cashi_event_free(ptr::null_mut());
    cashi_webhook_free(ptr::null_mut());
    cashi_string_free(ptr::null_mut());
}
