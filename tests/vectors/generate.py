#!/usr/bin/env python3
"""Writes the webhook known-answer files in this folder.

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
    ]


def write(name, description, cases):
    doc = {"description": description, "generated_by": "tests/vectors/generate.py (openssl dgst -sha256 -hmac)",
           "cases": cases}
    (HERE / name).write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")


write("webhook_signatures.json",
      "Webhook signature checks. Build a verifier with `secrets`, verify the body (`body` as UTF-8, the "
      "bytes of `body_base64`, or `body_pattern`: prefix + repeat x times + suffix) with `signature`; "
      "expect the event, or the error code.", signatures())
write("webhook_payloads.json",
      "Correctly signed webhook bodies: the event read from each, or the webhook_payload error naming `field`.",
      payloads())
