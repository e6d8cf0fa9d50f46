#!/usr/bin/env python3
"""Writes secrets.json: a recognisable API key and webhook secret, the echoes of the key a
server might put in its error message, and the texts that must never appear in anything
the SDK shows (errors, reprs, tracebacks, logs). The base64 and hex forms come from
Python's own encoders, not the SDK. Run it again after editing: `python3 tests/vectors/generate_secrets.py`.
"""
import base64
import json
import pathlib

HERE = pathlib.Path(__file__).resolve().parent
API_KEY = "CASHI-SECRETKEY99"
WEBHOOK_SECRET = "sk_0123456789abcdef0123456789abcdef"


def echoes(key: str) -> list:
    """Server messages that hold the key: as sent, in other cases, hex, base64 of it alone and
    of a longer text (so it starts at each offset of a base64 group), and at a long message's end."""
    out = [f"Invalid API key {key}", f"invalid api key {key.lower()}", f"INVALID API KEY {key.upper()}",
           f"key (hex) {key.encode().hex()}", f"key (HEX) {key.encode().hex().upper()}"]
    for text in [key, f"x-api-key: {key}", f"k={key};"]:
        raw = text.encode()
        out.append(f"request header {base64.b64encode(raw).decode()}")
        out.append(f"request header {base64.b64encode(raw).decode().rstrip('=')}")
        out.append(f"request header {base64.urlsafe_b64encode(raw).decode()}")
        out.append(f"request header {base64.urlsafe_b64encode(raw).decode().rstrip('=')}")
    out.append("x" * 190 + key)
    return list(dict.fromkeys(out))


def leaks(secret: str) -> dict:
    """What must not appear: in any letter case, the secret, a distinctive middle part of it,
    its hex; exactly, the part of its base64 (either alphabet) that only its own bytes decide,
    at each of the 3 offsets a base64 group allows."""
    raw = secret.encode()
    any_case = [secret.lower(), secret[4:-4].lower(), raw.hex()]
    exact = []
    for shift in range(3):
        encoded = base64.b64encode(b"\0" * shift + raw).decode().rstrip("=")
        fragment = encoded[-(-8 * shift // 6):8 * (shift + len(raw)) // 6]
        exact.append(fragment)
        url_safe = fragment.replace("+", "-").replace("/", "_")
        if url_safe != fragment:
            exact.append(url_safe)
    return {"any_case": any_case, "exact": exact}


doc = {
    "description": "A recognisable API key and webhook secret for the tests that provoke every error path: "
                   "`echoes` are server messages holding the key (for the sandbox's error fault `message`); "
                   "no text the SDK shows may contain a string of `leaks.any_case` (compared in lower case) "
                   "or of `leaks.exact`, for either secret.",
    "generated_by": "tests/vectors/generate_secrets.py",
    "api_key": API_KEY,
    "webhook_secret": WEBHOOK_SECRET,
    "echoes": echoes(API_KEY),
    "leaks": {k: leaks(API_KEY)[k] + leaks(WEBHOOK_SECRET)[k] for k in ("any_case", "exact")},
}
(HERE / "secrets.json").write_text(json.dumps(doc, indent=2) + "\n")
