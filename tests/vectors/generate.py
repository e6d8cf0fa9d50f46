#!/usr/bin/env python3
"""Writes the known-answer files in this folder: webhook signatures and payloads, and the
API answers of responses.json.

Expected signatures come from `openssl dgst -sha256 -hmac`, not from the SDK, so the
vectors check the SDK against an independent implementation. Run it again after editing
the cases below: `python3 tests/vectors/generate.py`.
"""
import base64
import json
import pathlib
import subprocess

HERE = pathlib.Path(__file__).resolve().parent
SECRET = "sk_0123456789abcdef0123456789abcdef"
OLD_SECRET = "sk_fedcba9876543210fedcba9876543210"
BODY = '{"event":"PAYMENT_SETTLED","data":{"order_id":"INV-9921","status":"SETTLED","amount":15023}}'
EVENT = {"event": "PAYMENT_SETTLED", "order_id": "INV-9921", "status": "SETTLED", "amount": 15023,
         "is_test": False, "is_settled": True}


def hmac_hex(secret: str, body: bytes) -> str:
    out = subprocess.run(["openssl", "dgst", "-sha256", "-hmac", secret, "-r"],
                         input=body, capture_output=True, check=True).stdout.decode()
    return out.split()[0]


def case(name, body, signature, expect, secrets=(SECRET,), note=""):
    entry = {"name": name, "secrets": list(secrets)}
    if isinstance(body, Pattern):
        entry["body_pattern"] = body.describe()
    elif isinstance(body, bytes):
        entry["body_base64"] = base64.b64encode(body).decode()
    else:
        entry["body"] = body
    entry["signature"] = signature
    entry["expect"] = expect
    if note:
        entry["note"] = note
    return entry


class Pattern:
    """A large body described instead of stored: prefix + repeat * times + suffix."""

    def __init__(self, prefix: str, repeat: str, times: int, suffix: str):
        self.prefix, self.repeat, self.times, self.suffix = prefix, repeat, times, suffix

    def describe(self):
        return {"prefix": self.prefix, "repeat": self.repeat, "times": self.times, "suffix": self.suffix}

    def bytes(self) -> bytes:
        return (self.prefix + self.repeat * self.times + self.suffix).encode()


def signatures():
    good = hmac_hex(SECRET, BODY.encode())
    ok = {"ok": True, "event": EVENT}
    bad = {"ok": False, "error": "signature_invalid"}
    invalid_utf8 = b'{"event":"PAYMENT_SETTLED","data":{"order_id":"INV-\xff","status":"SETTLED","amount":1}}'
    big = Pattern('{"pad":"', "x", 2 * 1024 * 1024, '"}')
    return [
        case("valid", BODY, good, ok),
        case("upper-case hex", BODY, good.upper(), ok),
        case("sha256= prefix", BODY, "sha256=" + good, ok),
        case("surrounding whitespace", BODY, "  " + good + "\n", ok),
        case("second secret of a rotation", BODY, hmac_hex(OLD_SECRET, BODY.encode()), ok,
             secrets=(SECRET, OLD_SECRET)),
        case("tampered body", BODY.replace("15023", "15024"), good, bad),
        case("re-encoded body (spaces)", json.dumps(json.loads(BODY)), good, bad,
             note="what a handler gets when it verifies JSON.stringify(req.body) instead of the raw bytes"),
        case("wrong secret", BODY, hmac_hex("sk_wrong", BODY.encode()), bad),
        case("empty signature", BODY, "", bad),
        case("truncated signature", BODY, good[:32], bad),
        case("one character short", BODY, good[:-1], bad),
        case("not hex", BODY, "z" * 64, bad),
        case("signature of an empty body", "", hmac_hex(SECRET, b""),
             {"ok": False, "error": "webhook_payload"}, note="signed correctly, but not a payload"),
        case("invalid UTF-8, signed", invalid_utf8, hmac_hex(SECRET, invalid_utf8),
             {"ok": False, "error": "webhook_payload"}),
        case("2 MiB body", big, hmac_hex(SECRET, big.bytes()), {"ok": False, "error": "webhook_payload"},
             note="refused before hashing: over the 1 MiB limit"),
    ]


def payloads():
    """Signed correctly; what matters is how the body is read."""
    def p(name, body, expect):
        return case(name, body, hmac_hex(SECRET, body.encode()), expect)

    def err(field):
        return {"ok": False, "error": "webhook_payload", "field": field}

    def event(**fields):
        return {"ok": True, "event": {**EVENT, **fields}}

    full = ('{"event":"PAYMENT_SETTLED","data":{"order_id":"INV-7","status":"SETTLED","amount":50078,'
            '"payment_method":"QRIS","paid_at":"2025-03-01 10:20:30","transaction_id":"31277571482",'
            '"timestamp":1740799230}}')
    return [
        p("minimal", BODY, event()),
        p("all optional fields", full,
          event(order_id="INV-7", amount=50078, payment_method="QRIS", paid_at="2025-03-01 10:20:30",
                transaction_id="31277571482")),
        p("test webhook", BODY.replace("INV-9921", "TEST-1a2b3c"), event(order_id="TEST-1a2b3c", is_test=True)),
        p("amount as numeric string", BODY.replace("15023", '"15023"'), event()),
        p("amount as float without fraction", BODY.replace("15023", "15023.0"), event()),
        p("unknown event", BODY.replace("PAYMENT_SETTLED", "PAYMENT_REFUNDED"),
          event(event="PAYMENT_REFUNDED", is_settled=False)),
        p("status not settled", BODY.replace('"SETTLED"', '"PENDING"'), event(status="PENDING", is_settled=False)),
        p("unknown extra fields", BODY.replace('"amount":15023', '"amount":15023,"new":{"x":[1]}'), event()),
        p("not JSON", "OK", err("body")),
        p("JSON array", "[1,2]", err("body")),
        p("JSON string", '"PAYMENT_SETTLED"', err("body")),
        p("missing event", '{"data":{"order_id":"A","status":"SETTLED","amount":1}}', err("event")),
        p("event not a string", '{"event":1,"data":{"order_id":"A","status":"SETTLED","amount":1}}', err("event")),
        p("missing data", '{"event":"PAYMENT_SETTLED"}', err("data")),
        p("data not an object", '{"event":"PAYMENT_SETTLED","data":[1]}', err("data")),
        p("missing order_id", '{"event":"PAYMENT_SETTLED","data":{"status":"SETTLED","amount":1}}', err("order_id")),
        p("order_id not a string", '{"event":"PAYMENT_SETTLED","data":{"order_id":7,"status":"SETTLED","amount":1}}',
          err("order_id")),
        p("missing status", '{"event":"PAYMENT_SETTLED","data":{"order_id":"A","amount":1}}', err("status")),
        p("missing amount", '{"event":"PAYMENT_SETTLED","data":{"order_id":"A","status":"SETTLED"}}', err("amount")),
        p("amount with a fraction", BODY.replace("15023", "15023.5"), err("amount")),
        p("amount a boolean", BODY.replace("15023", "true"), err("amount")),
        p("amount not a number", BODY.replace("15023", '"lima belas ribu"'), err("amount")),
    ] + amount_rule()


# The amount rule, for every amount the SDK reads: a whole number of rupiah from 1 to
# 2^53 - 1, written as a JSON integer, a JSON number with no fraction, or a string of digits.
MAX_AMOUNT = 2**53 - 1
ACCEPTED_AMOUNTS = [
    ("the largest amount, 2^53 - 1", str(MAX_AMOUNT), MAX_AMOUNT),
    ("the largest amount as a string", f'"{MAX_AMOUNT}"', MAX_AMOUNT),
    ("one rupiah", "1", 1),
    ("a float with zeros after the point", "15023.000", 15023),
    ("a string with leading zeros", '"015023"', 15023),
]
REFUSED_AMOUNTS = [
    ("negative", "-15023"),
    ("zero", "0"),
    ("zero as a float", "0.0"),
    ("negative zero", "-0"),
    ("a string with a plus sign", '"+15023"'),
    ("a string with a minus sign", '"-15023"'),
    ("a string with an exponent", '"1.5023e4"'),
    ("a number with an exponent", "1.5023e4"),
    ("a string with a point", '"15023.0"'),
    ("a string with spaces", '" 15023 "'),
    ("an empty string", '""'),
    ("2^53, beyond exact integers in a double", str(2**53)),
    ("2^53 + 1, which a double rounds to 2^53", str(2**53 + 1)),
    ("2^53 + 1 as a string", f'"{2**53 + 1}"'),
    ("2^53 + 1 with a zero fraction", f"{2**53 + 1}.0"),
    ("the largest 64-bit integer", str(2**63 - 1)),
    ("the smallest 64-bit integer", str(-(2**63))),
    ("beyond 64 bits", str(2**64)),
    ("a fraction a double rounds away", "15023.0000000000000001"),
    ("out of a double's range", "1e999"),
    ("given twice, the first time out of a double's range", '1e999,"amount":15023'),
    ("an object", '{"value":15023}'),
]


def amount_rule():
    """Signed webhook bodies whose data.amount is each accepted and refused spelling."""
    out = []
    for name, text, value in ACCEPTED_AMOUNTS:
        body = BODY.replace("15023", text)
        out.append(case(f"amount: {name}", body, hmac_hex(SECRET, body.encode()),
                        {"ok": True, "event": {**EVENT, "amount": value}}))
    for name, text in REFUSED_AMOUNTS:
        body = BODY.replace("15023", text)
        out.append(case(f"amount refused: {name}", body, hmac_hex(SECRET, body.encode()),
                        {"ok": False, "error": "webhook_payload", "field": "amount"}))
    return out


def responses():
    """API answers: serve `body` with `http_status` for `endpoint` called with `request`."""
    def answer(name, endpoint, request, status, body, expect):
        return {"name": name, "endpoint": endpoint, "request": request, "http_status": status,
                "body": body, "expect": expect}

    def decode(field):
        return {"error": "decode", "http_status": 200, "message_contains": field}

    cases = [
        answer('create-order, documented answer', 'create-order', {'amount': 15000, 'order_id': 'INV-9921'}, 200,
               '{"success":true,"order_id":"INV-9921","amount":15023,"checkout_url":"https://cashi.id/pay/INV-9921","qrUrl":"data:image/png;base64,iVBORw0KGgo="}',
               {'order_id': 'INV-9921', 'amount': 15023, 'requested_amount': 15000, 'unique_code': 23, 'checkout_url': 'https://cashi.id/pay/INV-9921', 'expires_at': None}),
        answer('create-order, camelCase orderId only, Jakarta expiry', 'create-order', {'amount': 15000, 'order_id': 'INV-1'}, 200,
               '{"success":true,"orderId":"INV-1","amount":15007,"expires_at":"2025-03-01 10:20:30","provider":"CASHI","fee":0.7}',
               {'order_id': 'INV-1', 'amount': 15007, 'unique_code': 7, 'expires_at': '2025-03-01T10:20:30+07:00', 'provider': 'CASHI', 'fee': 0.7}),
        answer('create-order, both id spellings, ISO expiry in UTC', 'create-order', {'amount': 20000}, 200,
               '{"success":true,"orderId":"ORD-77","order_id":"ORD-77","amount":20099,"expires_at":"2025-03-01T03:20:30.000Z"}',
               {'order_id': 'ORD-77', 'amount': 20099, 'unique_code': 99, 'expires_at': '2025-03-01T10:20:30+07:00'}),
        answer('create-order, expiry "0" means unknown', 'create-order', {'amount': 15000, 'order_id': 'INV-2'}, 200,
               '{"success":true,"order_id":"INV-2","amount":15001,"expires_at":"0"}',
               {'order_id': 'INV-2', 'amount': 15001, 'expires_at': None}),
        answer('create-order, amount as a numeric string', 'create-order', {'amount': 15000, 'order_id': 'INV-3'}, 200,
               '{"success":true,"order_id":"INV-3","amount":"15023"}',
               {'order_id': 'INV-3', 'amount': 15023}),
        answer('create-order, amount as a float without fraction', 'create-order', {'amount': 15000, 'order_id': 'INV-4'}, 200,
               '{"success":true,"order_id":"INV-4","amount":15023.0,"unknown":{"nested":true}}',
               {'order_id': 'INV-4', 'amount': 15023}),
        answer('create-order, QRIS Custom', 'create-order', {'amount': 50000, 'order_id': 'INV-5', 'channel': 'QRIS_CUSTOM'}, 200,
               '{"success":true,"orderId":"INV-5","amount":50042,"qrUrl":"data:image/png;base64,iVBORw0KGgo=","expected_net":49692,"is_qris_custom":true,"fee":0.7}',
               {'order_id': 'INV-5', 'amount': 50042, 'expected_net': 49692, 'checkout_url': None}),
        answer('create-order, amount with a fraction is not money', 'create-order', {'amount': 15000, 'order_id': 'INV-6'}, 200,
               '{"success":true,"order_id":"INV-6","amount":15023.5}',
               {'error': 'decode', 'http_status': 200}),
        answer('create-order, success false with HTTP 200', 'create-order', {'amount': 15000, 'order_id': 'INV-7'}, 200,
               '{"success":false,"message":"QRIS Custom is not active"}',
               {'error': 'api', 'http_status': 200, 'message_contains': 'QRIS Custom is not active'}),
        answer('create-order, error text under `error`', 'create-order', {'amount': 15000, 'order_id': 'INV-8'}, 400,
               '{"success":false,"error":"Minimal amount 2000"}',
               {'error': 'api', 'http_status': 400, 'message_contains': 'Minimal amount 2000'}),
        answer('create-order, wrong key', 'create-order', {'amount': 15000, 'order_id': 'INV-9'}, 401,
               '{"success":false,"message":"Invalid API Key"}',
               {'error': 'authentication', 'http_status': 401}),
        answer('create-order, duplicate id', 'create-order', {'amount': 15000, 'order_id': 'INV-10'}, 409,
               '{"success":false,"message":"Order ID already exists"}',
               {'error': 'conflict', 'http_status': 409}),
        answer('create-order, truncated JSON', 'create-order', {'amount': 15000, 'order_id': 'INV-11'}, 200,
               '{"success":true,"order_id":"INV-11","amo',
               {'error': 'decode', 'http_status': 200}),
        answer('check-status, documented answer', 'check-status', {'order_id': 'INV-123'}, 200,
               '{"success":true,"status":"SETTLED","amount":50078,"order_id":"INV-123","provider_tx_id":"31277571482"}',
               {'status': 'SETTLED', 'is_settled': True, 'amount': 50078, 'order_id': 'INV-123', 'provider_tx_id': '31277571482'}),
        answer('check-status, pending without provider id', 'check-status', {'order_id': 'INV-124'}, 200,
               '{"success":true,"status":"PENDING","amount":"15023","orderId":"INV-124"}',
               {'status': 'PENDING', 'is_settled': False, 'amount': 15023, 'order_id': 'INV-124', 'provider_tx_id': None}),
        answer('check-status, a status word the SDK does not know', 'check-status', {'order_id': 'INV-125'}, 200,
               '{"success":true,"status":"REFUNDED","amount":15023,"order_id":"INV-125"}',
               {'status': 'REFUNDED', 'is_settled': False, 'amount': 15023, 'order_id': 'INV-125'}),
        answer('check-status, expired, numeric provider id', 'check-status', {'order_id': 'INV-126'}, 200,
               '{"success":true,"status":"EXPIRED","amount":15023.0,"order_id":"INV-126","provider_tx_id":31277571482}',
               {'status': 'EXPIRED', 'is_settled': False, 'amount': 15023, 'provider_tx_id': '31277571482'}),
        answer('check-status, unknown order', 'check-status', {'order_id': 'NOPE'}, 404,
               '{"success":false,"message":"Order not found"}',
               {'error': 'not_found', 'http_status': 404}),
        answer('check-status, CDN error page', 'check-status', {'order_id': 'INV-127'}, 502,
               '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>cloudflare</center></body></html>',
               {'error': 'server', 'http_status': 502, 'message_contains': '502 Bad Gateway'}),
        answer('check-status, no status field', 'check-status', {'order_id': 'INV-128'}, 200,
               '{"success":true,"amount":15023}',
               {'error': 'decode', 'http_status': 200}),
        answer('check-status, HTML with HTTP 200', 'check-status', {'order_id': 'INV-129'}, 200,
               '<!doctype html><html><body>Maintenance</body></html>',
               {'error': 'decode', 'http_status': 200}),
    ]
    for name, text, value in ACCEPTED_AMOUNTS:
        cases.append(answer(f"create-order, amount: {name}", "create-order",
                            {"amount": 2000, "order_id": "INV-A"}, 200,
                            f'{{"success":true,"order_id":"INV-A","amount":{text}}}',
                            {"order_id": "INV-A", "amount": value, "unique_code": value - 2000}))
        cases.append(answer(f"check-status, amount: {name}", "check-status", {"order_id": "INV-A"}, 200,
                            f'{{"success":true,"status":"SETTLED","amount":{text},"order_id":"INV-A"}}',
                            {"status": "SETTLED", "amount": value, "order_id": "INV-A"}))
    for name, text in REFUSED_AMOUNTS:
        cases.append(answer(f"create-order, amount refused: {name}", "create-order",
                            {"amount": 15000, "order_id": "INV-R"}, 200,
                            f'{{"success":true,"order_id":"INV-R","amount":{text}}}', decode("amount")))
        cases.append(answer(f"check-status, amount refused: {name}", "check-status", {"order_id": "INV-R"}, 200,
                            f'{{"success":true,"status":"SETTLED","amount":{text},"order_id":"INV-R"}}',
                            decode("amount")))
    return cases + [
        answer("check-status, amount null stays absent", "check-status", {"order_id": "INV-N"}, 200,
               '{"success":true,"status":"PENDING","amount":null,"order_id":"INV-N"}',
               {"status": "PENDING", "amount": None, "order_id": "INV-N"}),
        answer("check-status, no amount stays absent", "check-status", {"order_id": "INV-N"}, 200,
               '{"success":true,"status":"PENDING","order_id":"INV-N"}',
               {"status": "PENDING", "amount": None, "order_id": "INV-N"}),
        answer("create-order, optional expected_net refused when negative", "create-order",
               {"amount": 50000, "order_id": "INV-E", "channel": "QRIS_CUSTOM"}, 200,
               '{"success":true,"orderId":"INV-E","amount":50042,"expected_net":-49692}', decode("expected_net")),
        answer("create-order, optional expected_net null stays absent", "create-order",
               {"amount": 50000, "order_id": "INV-E", "channel": "QRIS_CUSTOM"}, 200,
               '{"success":true,"orderId":"INV-E","amount":50042,"expected_net":null}',
               {"order_id": "INV-E", "amount": 50042, "expected_net": None}),
        answer("create-order, optional total_amount refused as a signed string", "create-order",
               {"amount": 50000, "order_id": "INV-V", "channel": "BCA"}, 200,
               '{"success":true,"orderId":"INV-V","amount":50000,"va_number":"8808","total_amount":"+54000"}',
               decode("total_amount")),
        answer("create-order, admin_fee of zero is a fee, not an error", "create-order",
               {"amount": 50000, "order_id": "INV-V", "channel": "BCA"}, 200,
               '{"success":true,"orderId":"INV-V","amount":50000,"va_number":"8808","admin_fee":0,"total_amount":50000}',
               {"order_id": "INV-V", "amount": 50000, "unique_code": 0}),
    ]


def write(name, description, cases, generated=True):
    doc = {"description": description}
    doc["generated_by"] = ("tests/vectors/generate.py (openssl dgst -sha256 -hmac)" if generated
                           else "tests/vectors/generate.py")
    doc["cases"] = cases
    (HERE / name).write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")


write("webhook_signatures.json",
      "Webhook signature checks. Build a verifier with `secrets`, verify the body (`body` as UTF-8, the "
      "bytes of `body_base64`, or `body_pattern`: prefix + repeat x times + suffix) with `signature`; "
      "expect the event, or the error code.", signatures())
write("webhook_payloads.json",
      "Correctly signed webhook bodies: the event read from each, or the webhook_payload error naming `field`.",
      payloads())
write("responses.json",
      "Answers Cashi has been seen to give, and what the SDK must read from them. Serve `body` with "
      "`http_status` for the `endpoint` called with `request`; expect the fields, or the error code "
      "(and text the message contains). Times are RFC 3339 at +07:00; null means unknown.",
      responses(), generated=False)
