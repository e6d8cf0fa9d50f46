"""The Python runner of the conformance suite (see ../run.py): one JSON request per line in,
one normalized JSON outcome per line out, every call through the installed `cashi` package."""

import base64
import json
import sys

import cashi


def native(value):
    """{"$float": x} is a Python float (NaN and Infinity included); the rest as JSON gives it."""
    if isinstance(value, dict) and "$float" in value:
        return float(value["$float"])
    return value


def body(call):
    if "body" in call:
        return call["body"].encode()
    if "body_base64" in call:
        return base64.b64decode(call["body_base64"])
    p = call["body_pattern"]
    return (p["prefix"] + p["repeat"] * p["times"] + p["suffix"]).encode()


def client(spec):
    timeout = spec.get("timeout_ms")
    return cashi.Client(spec.get("api_key"), base_url=spec.get("base_url"),
                        timeout=None if timeout is None else timeout / 1000, max_retries=spec.get("max_retries"))


def status_value(s):
    return {"order_id": s.order_id, "status": s.status, "amount": s.amount, "is_settled": s.is_settled,
            "has_provider_tx_id": s.provider_tx_id is not None, "provider_tx_id": s.provider_tx_id,
            "amount_from_webhook": s.amount_from_webhook}


def order_value(o):
    try:
        has_qr = o.qr_png().startswith(b"\x89PNG")
    except cashi.CashiError:
        has_qr = False
    return {"order_id": o.order_id, "amount": o.amount, "requested_amount": o.requested_amount,
            "unique_code": o.unique_code, "has_qr": has_qr, "has_checkout_url": o.checkout_url is not None,
            "has_expires_at": o.expires_at is not None,
            "expires_at": o.expires_at.isoformat() if o.expires_at else None, "provider": o.provider,
            "checkout_url": o.checkout_url, "fee": o.fee, "expected_net": o.expected_net}


def failure(e):
    return {"ok": False, "error": e.code, "http_status": e.status, "message": e.message}


def items(results, value):
    """A batch's answer: each item's outcome, as a single call's, in the items' order."""
    return {"items": [failure(r) if isinstance(r, cashi.CashiError) else {"ok": True, "value": value(r)}
                      for r in results]}


def run(request):
    call = request["call"]
    op = call["op"]
    if op == "webhook_verify":
        e = cashi.Webhook(call["secrets"]).verify(body(call), call["signature"])
        return {"event": e.event, "order_id": e.order_id, "status": e.status, "amount": e.amount,
                "is_test": e.is_test, "is_settled": e.is_settled, "payment_method": e.payment_method,
                "paid_at": e.paid_at, "transaction_id": e.transaction_id}
    c = client(request["client"])
    if op == "create_order":
        return order_value(c.create_order(
            native(call["amount"]), order_id=call.get("order_id"), channel=call.get("channel"), extra=call.get("extra")
        ))
    if op == "create_orders":
        requests = [{k: native(v) if k == "amount" else v for k, v in r.items()} for r in call["requests"]]
        return items(c.create_orders(requests), order_value)
    if op == "check_statuses":
        return items(c.check_statuses(call["order_ids"]), status_value)
    if op == "check_status":
        return status_value(c.check_status(call["order_id"]))
    if op == "wait_for_payment":
        return status_value(c.wait_for_payment(call["order_id"], timeout=call["timeout_ms"] / 1000))
    if op == "confirm":
        # With "event": confirmed with the verified webhook event itself, not its order id.
        target = call["order_id"]
        if "event" in call:
            event = call["event"]
            target = cashi.Webhook(event["secrets"]).verify(body(event), event["signature"])
        return status_value(c.confirm(target, expected_amount=native(call["expected_amount"])))
    raise ValueError(f"unknown op {op}")


def main():
    for line in sys.stdin:
        try:
            answer = {"ok": True, "value": run(json.loads(line))}
        except cashi.CashiError as e:
            answer = failure(e)
        except Exception as e:  # a non-SDK exception is a conformance failure, reported as such
            answer = {"ok": False, "error": f"python:{type(e).__name__}", "http_status": None, "message": str(e)}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
