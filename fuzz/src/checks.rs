// The properties the fuzz targets check, shared with the regression test in
// core/tests/fuzz_regressions.rs (included there, so a crash found here is replayed by
// `cargo test` forever after). Each takes arbitrary bytes and panics on a violated property.

/// Webhook verification never panics; a body signed with the right secret is never refused
/// for its signature, and any error has the documented code.
pub fn webhook_verify(data: &[u8]) {
    const SECRET: &str = "sk_fuzz";
    let webhook = cashi::Webhook::new(SECRET).unwrap();
    let (mode, rest) = match data.split_first() {
        Some((m, r)) => (*m, r),
        None => return,
    };
    if mode & 1 == 0 {
        // Signature and body both from the input: anything goes, but no panic.
        let split = (mode as usize / 2).min(rest.len());
        let signature = String::from_utf8_lossy(&rest[..split]);
        if let Err(e) = webhook.verify(&rest[split..], &signature) {
            assert!(
                matches!(e.code(), "signature_invalid" | "webhook_payload"),
                "{e}"
            );
        }
    } else {
        // A correct signature: only the payload can be refused.
        let signature = cashi::testing::sign(SECRET, rest);
        match webhook.verify(rest, &signature) {
            Ok(event) => {
                let again = cashi::WebhookEvent::parse_verified(rest).unwrap();
                assert_eq!(event, again);
                // The event reads its fields in one pass and `raw` later: both must agree
                // with a plain parse of the whole body.
                let whole: serde_json::Value = serde_json::from_slice(rest).unwrap();
                assert_eq!(serde_json::Value::Object(event.raw()), whole);
                assert_eq!(event.body().as_bytes(), rest);
            }
            Err(e) => {
                assert_eq!(e.code(), "webhook_payload", "{e}");
                assert!(!is_plainly_valid_event(rest), "refused a valid body: {e}");
            }
        }
    }
}

/// A body any reader accepts: a JSON object whose `event` is text and whose `data` holds
/// text `order_id` and `status` and an integer `amount` from 1 to 2^53 − 1.
fn is_plainly_valid_event(body: &[u8]) -> bool {
    let Ok(serde_json::Value::Object(top)) = serde_json::from_slice(body) else {
        return false;
    };
    let data = top.get("data").and_then(serde_json::Value::as_object);
    top.get("event").is_some_and(serde_json::Value::is_string)
        && data.is_some_and(|d| {
            d.get("order_id").is_some_and(serde_json::Value::is_string)
                && d.get("status").is_some_and(serde_json::Value::is_string)
                && d.get("amount")
                    .and_then(serde_json::Value::as_i64)
                    .is_some_and(|a| (1..=cashi::validate::MAX_AMOUNT).contains(&a))
        })
}

/// Any HTTP answer becomes an order, a status or a classified error; never a panic (nor an
/// overflow: the targets are built with debug assertions), and every amount read is within
/// the amount rule's 1 to 2^53 − 1. An answer is read in one pass and `raw` later: `raw`
/// must then agree with a plain parse of the whole body.
pub fn response_decode(data: &[u8]) {
    if data.len() < 2 {
        return;
    }
    let status = 100 + u16::from_le_bytes([data[0], data[1]]) % 500;
    let body = &data[2..];
    let whole = || match serde_json::from_slice(body) {
        Ok(serde_json::Value::Object(map)) => map,
        other => panic!("an accepted answer is a JSON object: {other:?}"),
    };
    let refused = |e: cashi::Error| {
        assert_eq!(e.http_status(), Some(status), "{e}");
        assert!(
            e.message().chars().count() < 600,
            "error excerpts stay short"
        );
    };
    let request = cashi::CreateOrder::new(15_000).order_id("FUZZ");
    match cashi::Order::from_http(status, body, &request) {
        Ok(order) => {
            assert!((200..300).contains(&status));
            let amounts = 1..=cashi::validate::MAX_AMOUNT;
            assert!(amounts.contains(&order.amount), "{order:?}");
            assert_eq!(order.requested_amount, 15_000);
            assert_eq!(order.unique_code, order.amount - 15_000);
            let va = order.virtual_account.as_ref();
            for amount in [order.expected_net, va.and_then(|v| v.total_amount)] {
                assert!(amount.map_or(true, |a| amounts.contains(&a)), "{order:?}");
            }
            let fee = va.and_then(|v| v.admin_fee);
            assert!(fee.map_or(true, |a| (0..=cashi::validate::MAX_AMOUNT).contains(&a)));
            if let Some(t) = order.expires_at {
                assert_eq!(t.offset().local_minus_utc(), 7 * 3600);
            }
            assert_eq!(order.raw(), whole());
            assert_eq!(order.body().as_bytes(), body);
        }
        Err(e) => refused(e),
    }
    match cashi::PaymentStatus::from_http(status, body, "FUZZ") {
        Ok(payment) => {
            assert!((200..300).contains(&status));
            assert!(!payment.state.as_str().is_empty());
            let amounts = 1..=cashi::validate::MAX_AMOUNT;
            assert!(
                payment.amount.map_or(true, |a| amounts.contains(&a)),
                "{payment:?}"
            );
            assert_eq!(payment.raw(), whole());
            assert_eq!(payment.body().as_bytes(), body);
        }
        Err(e) => refused(e),
    }
}

/// The QR data URI decoder returns PNG bytes or a decode error.
pub fn data_uri(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    match cashi::data_uri::decode_png(&text) {
        Ok(png) => assert!(png.starts_with(b"\x89PNG\r\n\x1a\n")),
        Err(e) => assert_eq!(e.code(), "decode"),
    }
}

/// `Retry-After` is a number of seconds or nothing: never a panic, never a negative wait,
/// the number it says (a wait too long for a `Duration` is the longest one), and no retry
/// waits longer than the policy's cap.
pub fn retry_after(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let parsed = cashi::retry::parse_retry_after(&text);
    let seconds = text
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s >= 0.0);
    match (parsed, seconds) {
        (None, None) => {}
        (Some(wait), Some(seconds)) if seconds >= 18_446_744_073_709_551_616.0 => {
            assert_eq!(wait, std::time::Duration::MAX, "{text:?}")
        }
        (Some(wait), Some(seconds)) => {
            let error = (wait.as_secs_f64() - seconds).abs();
            assert!(error <= 1e-9 + seconds * 1e-12, "{text:?}: {wait:?}");
        }
        (parsed, _) => panic!("{text:?} read as {parsed:?}"),
    }
    let policy = cashi::retry::RetryPolicy::default();
    for retry in [1, 2, 3, 40] {
        let delay = policy.delay(retry, parsed);
        assert!(delay <= policy.cap, "{text:?}: {delay:?}");
        if let Some(wait) = parsed {
            assert_eq!(delay, wait.min(policy.cap));
        }
    }
}

/// The webhook secret and body the signature targets sign with.
const SIGNED_SECRET: &str = "sk_fuzz";
const SIGNED_BODY: &[u8] =
    br#"{"event":"PAYMENT_SETTLED","data":{"order_id":"INV-1","status":"SETTLED","amount":15023}}"#;

/// The input as text, `{sig}` and `{SIG}` standing for the body's signature in lower and
/// upper case, so the fuzzer can dress a valid signature as it likes.
fn with_signature(data: &[u8], signature: &str) -> String {
    String::from_utf8_lossy(data)
        .replace("{sig}", signature)
        .replace("{SIG}", &signature.to_uppercase())
}

/// Whether a signature header holds `signature` as documented: hex in either case, an
/// optional `sha256=` prefix in any case, surrounding whitespace.
fn is_signature(header: &str, signature: &str) -> bool {
    let mut text = header.trim();
    if text
        .as_bytes()
        .get(..7)
        .is_some_and(|p| p.eq_ignore_ascii_case(b"sha256="))
    {
        text = text[7..].trim_start();
    }
    text.eq_ignore_ascii_case(signature)
}

/// The signature header, alone and among a list of headers (one per line, the name before
/// the first `:`): accepted exactly when it holds the signature as documented, never a
/// panic, any refusal `signature_invalid`, and a tampered body is always refused.
pub fn signature_header(data: &[u8]) {
    static SIGNED: std::sync::OnceLock<(String, cashi::Webhook, cashi::Webhook)> =
        std::sync::OnceLock::new();
    let (signature, webhook, rotating) = SIGNED.get_or_init(|| {
        (
            cashi::testing::sign(SIGNED_SECRET, SIGNED_BODY),
            cashi::Webhook::new(SIGNED_SECRET).unwrap(),
            cashi::Webhook::with_secrets(["sk_fuzz_next", SIGNED_SECRET]).unwrap(),
        )
    });
    let text = with_signature(data, signature);
    let refused = |result: cashi::Result<cashi::WebhookEvent>| match result {
        Ok(_) => false,
        Err(e) => {
            assert_eq!(e.code(), "signature_invalid", "{text:?}: {e}");
            true
        }
    };

    let accepted = !refused(webhook.verify(SIGNED_BODY, &text));
    assert_eq!(accepted, is_signature(&text, signature), "{text:?}");
    assert_eq!(accepted, !refused(rotating.verify(SIGNED_BODY, &text)));
    let mut tampered = SIGNED_BODY.to_vec();
    tampered[data.len() % SIGNED_BODY.len()] ^= 1;
    assert!(refused(webhook.verify(&tampered, &text)), "{text:?}");

    let headers: Vec<(&str, &str)> = text
        .split('\n')
        .map(|line| line.split_once(':').unwrap_or((line, "")))
        .collect();
    let found = headers.iter().find(|(name, _)| {
        name.trim()
            .eq_ignore_ascii_case(cashi::webhook::SIGNATURE_HEADER)
    });
    let listed = webhook.verify_headers(SIGNED_BODY, headers.iter().copied());
    match found {
        Some((_, value)) => assert_eq!(!refused(listed), is_signature(value, signature)),
        None => assert!(refused(listed), "{text:?}"),
    }
}

/// What the amount rule makes of one JSON value's text, worked out apart from the SDK's
/// reader: `Some(None)` absent (null), `Some(Some(n))` the amount `n`, `None` refused.
fn amount_rule(value: &str) -> Option<Option<i64>> {
    /// A run of decimal digits as a number, if it is from 1 to 2^53 − 1.
    fn whole(digits: &str) -> Option<i64> {
        let significant = digits.trim_start_matches('0');
        if digits.is_empty()
            || !digits.bytes().all(|b| b.is_ascii_digit())
            || significant.len() > 16
        {
            return None;
        }
        let n: i64 = significant.parse().unwrap_or(0);
        (1..=cashi::validate::MAX_AMOUNT).contains(&n).then_some(n)
    }
    match value.as_bytes().first()? {
        b'n' => Some(None),
        b'"' => whole(&serde_json::from_str::<String>(value).ok()?).map(Some),
        b'0'..=b'9' => {
            // JSON's grammar: digits, then perhaps `.digits`, then perhaps an exponent.
            let (integer, fraction) = value.split_once('.').unwrap_or((value, ""));
            let plain = fraction.bytes().all(|b| b == b'0') && !integer.contains(['e', 'E']);
            if plain {
                whole(integer).map(Some)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// The amount reader (core's amount rule), given one JSON value as the `amount` of a
/// webhook, a create-order answer and a check-status answer: each accepts exactly what the
/// rule accepts, as the same number; absent or null is an error for the required amounts
/// and nothing for check-status's; every refusal is `webhook_payload` or `decode` naming
/// the field; never a panic.
pub fn amount(data: &[u8]) {
    let splice = |before: &[u8], after: &[u8]| [before, data, after].concat();
    let webhook = cashi::WebhookEvent::parse_verified(&splice(
        br#"{"event":"PAYMENT_SETTLED","data":{"order_id":"A","status":"SETTLED","amount":"#,
        b"}}",
    ));
    let order = cashi::Order::from_http(
        200,
        &splice(br#"{"success":true,"order_id":"A","amount":"#, b"}"),
        &cashi::CreateOrder::new(15_000),
    );
    let status = cashi::PaymentStatus::from_http(
        200,
        &splice(
            br#"{"success":true,"status":"SETTLED","order_id":"A","amount":"#,
            b"}",
        ),
        "A",
    );
    let named = |e: &cashi::Error, code: &str, field: &str| {
        assert_eq!(e.code(), code, "{e}");
        assert!(e.message().contains(field), "{e}");
    };
    // The input as one JSON value (surrounding whitespace allowed), or the rule has nothing
    // to say: the answers are then malformed or have other fields, and only need to fail
    // or succeed cleanly. An answer can then also be `api`: the input may give `success`
    // again, as false (`1, "success":0`), which is Cashi refusing the request.
    let value = std::str::from_utf8(data)
        .ok()
        .and_then(|text| serde_json::from_str::<&serde_json::value::RawValue>(text).ok())
        .map(|raw| raw.get().to_string());
    let Some(value) = value else {
        if let Err(e) = &webhook {
            assert_eq!(e.code(), "webhook_payload", "{e}");
        }
        for e in [order.err(), status.err()].iter().flatten() {
            assert!(matches!(e.code(), "decode" | "api"), "{e}");
        }
        return;
    };
    match amount_rule(&value) {
        Some(Some(n)) => {
            assert_eq!(webhook.unwrap().amount, n, "{value}");
            let order = order.unwrap();
            assert_eq!(
                (order.amount, order.unique_code),
                (n, n - 15_000),
                "{value}"
            );
            assert_eq!(status.unwrap().amount, Some(n), "{value}");
        }
        Some(None) => {
            named(&webhook.unwrap_err(), "webhook_payload", "data.amount");
            named(&order.unwrap_err(), "decode", "amount");
            assert_eq!(status.unwrap().amount, None, "{value}");
        }
        None => {
            named(&webhook.unwrap_err(), "webhook_payload", "data.amount");
            named(&order.unwrap_err(), "decode", "amount");
            named(&status.unwrap_err(), "decode", "amount");
        }
    }
}

/// The checks on what a merchant passes, given arbitrary text and numbers: the base URL
/// (through the client builder, as every binding passes it), the API key, the order id, the
/// amounts and the durations. Each accepts exactly what its documented rule accepts and
/// refuses anything else with `invalid_argument` naming the field; never a panic; no message
/// quotes the API key.
///
/// The input: 8 bytes read as an `i64` and as an `f64`, then text (split at the first NUL
/// into a key and the rest).
pub fn validators(data: &[u8]) {
    use cashi::validate::{self, MAX_AMOUNT, MAX_ORDER_ID_LEN};
    let Some((number, text)) = data.split_first_chunk::<8>() else {
        return;
    };
    let integer = i64::from_le_bytes(*number);
    let float = f64::from_le_bytes(*number);
    let text = String::from_utf8_lossy(text);
    let refused = |result: cashi::Result<()>, field: &str| match result {
        Ok(()) => false,
        Err(e) => {
            assert_eq!(e.code(), "invalid_argument", "{e}");
            assert!(e.message().starts_with(&format!("{field}:")), "{e}");
            true
        }
    };

    // Amounts.
    let in_range = (1..=MAX_AMOUNT).contains(&integer);
    let positive = validate::positive_amount("expected_amount", integer).map(drop);
    assert_eq!(!refused(positive, "expected_amount"), in_range, "{integer}");
    for channel in ["QRIS", "BCA", "ALFAMART", "NEW", &*text] {
        let channel = cashi::Channel::parse(channel);
        let limits = channel.limits();
        let expected = in_range && limits.map_or(true, |l| (l.min..=l.max).contains(&integer));
        let checked = validate::amount(integer, &channel).map(drop);
        assert_eq!(
            !refused(checked, "amount"),
            expected,
            "{integer} {channel:?}"
        );
        assert_eq!(cashi::Channel::parse(channel.code().unwrap_or("")), channel);
        let request = cashi::CreateOrder::new(integer).channel(channel.clone());
        assert_eq!(
            request.validate().is_ok(),
            expected,
            "{integer} {channel:?}"
        );
    }
    match validate::amount_from_f64("amount", float) {
        Ok(n) => {
            assert!(float.fract() == 0.0 && float.abs() <= 9_007_199_254_740_992.0);
            assert_eq!(n as f64, float);
        }
        Err(e) => {
            refused(Err(e), "amount");
            assert!(
                !float.is_finite() || float.fract() != 0.0 || float.abs() > 9_007_199_254_740_992.0
            );
        }
    }
    match validate::amount_to_f64("amount", integer) {
        Ok(f) => assert_eq!(f as i64, integer),
        Err(e) => {
            assert_eq!(e.code(), "internal", "{e}");
            assert!(integer.unsigned_abs() > MAX_AMOUNT.unsigned_abs());
        }
    }
    let seconds = validate::seconds("timeout", float).map(drop);
    let expected = float.is_finite()
        && float > 0.0
        && std::time::Duration::try_from_secs_f64(float)
            .is_ok_and(|d| !d.is_zero() && d <= validate::MAX_DURATION);
    assert_eq!(!refused(seconds, "timeout"), expected, "{float}");

    // The order id.
    let id_ok = !text.is_empty()
        && text.chars().count() <= MAX_ORDER_ID_LEN
        && !text.chars().any(char::is_control);
    assert_eq!(
        !refused(validate::order_id(&text).map(drop), "order_id"),
        id_ok,
        "{text:?}"
    );

    // The API key and the base URL, through the builder as the bindings use it.
    let (key, url) = text
        .split_once('\0')
        .unwrap_or((&text, "https://cashi.id/api"));
    let key_ok = !key.is_empty()
        && key.is_ascii()
        && !key.chars().any(|c| c.is_whitespace() || c.is_control());
    assert_eq!(
        !refused(validate::api_key(key).map(drop), "api_key"),
        key_ok,
        "{key:?}"
    );
    // A key that no message could hold but by quoting it.
    let marked = format!("CASHI-QUOTED{key}");
    if let Err(e) = cashi::Client::builder().api_key(&*marked).build() {
        assert!(!e.message().contains("QUOTED"), "the key is quoted: {e}");
        refused(Err(e), "api_key");
    }
    let built = cashi::Client::builder()
        .api_key("CASHI-FUZZ")
        .base_url(url)
        .build();
    match built {
        Ok(client) => {
            let base = url::Url::parse(client.base_url()).expect("the base URL parses again");
            let loopback = match base.host() {
                Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
                Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
                Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
                None => panic!("{url:?}: accepted without a host"),
            };
            assert!(
                base.scheme() == "https" || (base.scheme() == "http" && loopback),
                "{url:?}"
            );
            assert!(
                base.username().is_empty() && base.password().is_none(),
                "{url:?}"
            );
            assert!(
                base.query().is_none() && base.fragment().is_none(),
                "{url:?}"
            );
            assert!(!client.base_url().ends_with('/'), "{url:?}");
        }
        Err(e) => {
            refused(Err(e), "base_url");
        }
    }
}
