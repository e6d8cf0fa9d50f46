"""cashi.flask, cashi.starlette (FastAPI and Starlette) and cashi.django, served for real:
the sandbox delivers its signed webhooks to them, retries what they refuse, redelivers."""

from __future__ import annotations

import asyncio
import json
import sys
import threading
import time
import types
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import cashi
from conftest import VECTORS, Sandbox, free_port

UNSIGNED = "/webhooks/unsigned"
SIGNED = "/webhooks/cashi"


class Shop:
    """The merchant's side: the stored amounts, what was fulfilled, every callback made."""

    def __init__(self) -> None:
        self.orders: dict[str, int] = {}
        self.fulfilled: list[tuple[str, int, cashi.WebhookEvent]] = []
        self.mismatches: list[tuple[str, str]] = []
        self.calls: list[str] = []
        self.fail_paid = 0  # on_paid raises this many more times

    def expected_amount(self, order_id: str) -> int | None:
        self.calls.append("expected_amount")
        return self.orders.get(order_id)

    def already_fulfilled(self, order_id: str) -> bool:
        self.calls.append("already_fulfilled")
        return any(o == order_id for o, _, _ in self.fulfilled)

    def on_paid(self, order_id: str, amount: int, event: cashi.WebhookEvent) -> None:
        self.calls.append("on_paid")
        if self.fail_paid:
            self.fail_paid -= 1
            raise RuntimeError("the order database is down")
        self.fulfilled.append((order_id, amount, event))

    def on_mismatch(
        self, order_id: str, error: cashi.PaymentMismatchError, event: cashi.WebhookEvent
    ) -> None:
        self.calls.append("on_mismatch")
        self.mismatches.append((order_id, error.code))

    def callbacks(self) -> dict[str, Any]:
        return {
            "expected_amount": self.expected_amount,
            "on_paid": self.on_paid,
            "already_fulfilled": self.already_fulfilled,
            "on_mismatch": self.on_mismatch,
        }

    def async_callbacks(self) -> dict[str, Any]:
        """The same, as coroutine functions (the Starlette endpoint awaits them)."""

        def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
            async def call(*args: Any) -> Any:
                await asyncio.sleep(0)
                return fn(*args)

            return call

        return {name: wrap(fn) for name, fn in self.callbacks().items()}


def _post(url: str, body: bytes | str, headers: dict[str, str]) -> tuple[int, str]:
    data = body.encode() if isinstance(body, str) else body
    request = urllib.request.Request(url, data=data, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def _serve_wsgi(app: Any) -> Iterator[str]:
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", free_port(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


def _serve_asgi(app: Any) -> Iterator[str]:
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(500):
        if server.started:
            break
        time.sleep(0.01)
    assert server.started
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join()


def _flask(sandbox: Sandbox, shop: Shop) -> Iterator[str]:
    from flask import Flask

    from cashi.flask import webhook_blueprint, webhook_view

    client = cashi.Client(sandbox.api_key, base_url=sandbox.base_url, max_retries=0)
    app = Flask(__name__)
    app.register_blueprint(
        webhook_blueprint(SIGNED, secret=sandbox.webhook_secret, client=client, **shop.callbacks())
    )
    unsigned = cashi.WebhookHandler(
        sandbox.webhook_secret, client=client, allow_unsigned=True, **shop.callbacks()
    )
    app.add_url_rule(UNSIGNED, view_func=webhook_view(unsigned), methods=["POST"])
    yield from _serve_wsgi(app)


def _fastapi(sandbox: Sandbox, shop: Shop) -> Iterator[str]:
    from fastapi import FastAPI

    from cashi.starlette import webhook_endpoint

    client = cashi.AsyncClient(sandbox.api_key, base_url=sandbox.base_url, max_retries=0)
    app = FastAPI()
    app.post(SIGNED, include_in_schema=False)(
        webhook_endpoint(secret=sandbox.webhook_secret, client=client, **shop.async_callbacks())
    )
    app.add_api_route(
        UNSIGNED,
        webhook_endpoint(
            secret=sandbox.webhook_secret,
            client=client,
            allow_unsigned=True,
            **shop.callbacks(),  # plain functions work too
        ),
        methods=["POST"],
    )
    yield from _serve_asgi(app)


def _starlette(sandbox: Sandbox, shop: Shop) -> Iterator[str]:
    from starlette.applications import Starlette

    from cashi.starlette import webhook_route

    client = cashi.AsyncClient(sandbox.api_key, base_url=sandbox.base_url, max_retries=0)
    signed = cashi.WebhookHandler(sandbox.webhook_secret, client=client, **shop.async_callbacks())
    app = Starlette(
        routes=[
            webhook_route(SIGNED, signed),
            webhook_route(
                UNSIGNED,
                secret=sandbox.webhook_secret,
                client=client,
                allow_unsigned=True,
                **shop.async_callbacks(),
            ),
        ]
    )
    yield from _serve_asgi(app)


def _django(sandbox: Sandbox, shop: Shop) -> Iterator[str]:
    import django
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.urls import clear_url_caches, path

    from cashi.django import webhook_view

    urls = types.ModuleType("cashi_test_urls")
    sys.modules[urls.__name__] = urls
    if not settings.configured:
        settings.configure(
            DEBUG=False,
            SECRET_KEY="django-test-only",
            ALLOWED_HOSTS=["127.0.0.1"],
            ROOT_URLCONF=urls.__name__,
            # CSRF protection on, as in every Django project: the view must be exempt.
            MIDDLEWARE=["django.middleware.csrf.CsrfViewMiddleware"],
        )
        django.setup()
    client = cashi.Client(sandbox.api_key, base_url=sandbox.base_url, max_retries=0)
    urls.urlpatterns = [  # type: ignore[attr-defined]
        path(
            SIGNED.lstrip("/"),
            webhook_view(secret=sandbox.webhook_secret, client=client, **shop.callbacks()),
        ),
        path(
            UNSIGNED.lstrip("/"),
            webhook_view(
                secret=sandbox.webhook_secret,
                client=client,
                allow_unsigned=True,
                **shop.callbacks(),
            ),
        ),
    ]
    clear_url_caches()
    yield from _serve_wsgi(WSGIHandler())


SERVERS = {"flask": _flask, "fastapi": _fastapi, "starlette": _starlette, "django": _django}


@pytest.fixture(params=list(SERVERS))
def shop_server(
    request: pytest.FixtureRequest, sandbox: Sandbox
) -> Iterator[tuple[str, Shop, Sandbox]]:
    sandbox.clear_faults()
    shop = Shop()
    served = SERVERS[request.param](sandbox, shop)
    url = next(served)
    sandbox.configure(webhook_url=url + SIGNED)
    try:
        yield url, shop, sandbox
    finally:
        sandbox.configure(webhook_url=None)
        sandbox.clear_faults()
        served.close()


def _new_order(client: cashi.Client, shop: Shop, amount: int = 15000) -> cashi.Order:
    order = client.create_order(amount, order_id=f"HOOK-{uuid.uuid4().hex[:12]}")
    shop.orders[order.order_id] = order.amount
    return order


def _answers(delivery: dict[str, Any]) -> list[tuple[int | None, str]]:
    return [(a.get("http_status"), a.get("response_body", "")) for a in delivery["attempts"]]


def test_handlers_against_the_sandboxs_deliveries(
    shop_server: tuple[str, Shop, Sandbox],
) -> None:
    url, shop, sandbox = shop_server
    client = cashi.Client(sandbox.api_key, base_url=sandbox.base_url)

    # Paid: confirmed against the stored amount, then on_paid, once.
    order = _new_order(client, shop)
    sandbox.pay(order.order_id)
    delivery = sandbox.wait_delivered(order.order_id)
    assert _answers(delivery) == [(200, "fulfilled")]
    assert delivery["state"] == "delivered"
    [(paid_id, paid_amount, event)] = shop.fulfilled
    assert (paid_id, paid_amount) == (order.order_id, order.amount)
    assert event.is_verified and event.order_id == order.order_id

    # The same webhook again (a lost 200, a replay): 200, not fulfilled twice, and Cashi is
    # not even asked again (already_fulfilled answers first).
    calls = len(shop.calls)
    again = sandbox.control("POST", f"webhooks/{delivery['id']}/redeliver", {})["delivery"]
    assert again["attempts"][-1]["redelivery"] is True
    assert _answers(again)[-1] == (200, "already fulfilled")
    assert shop.calls[calls:] == ["already_fulfilled"]
    assert len(shop.fulfilled) == 1

    # The dashboard's Test Webhook: 200, and none of the merchant's callbacks runs.
    calls = len(shop.calls)
    test = sandbox.test_webhook()["delivery"]
    assert test["order_id"].startswith("TEST-")
    assert _answers(test) == [(200, "test webhook: nothing fulfilled")]
    assert shop.calls[calls:] == []

    # Bad signatures: 400, nothing called. A forged secret, a re-encoded body, no signature.
    genuine = delivery["body"]
    forged = cashi.testing.signed_headers("sk_not_the_secret", genuine)
    assert _post(url + SIGNED, genuine, forged) == (400, "invalid signature")
    reencoded = json.dumps(json.loads(genuine), indent=1)
    signed = cashi.testing.signed_headers(sandbox.webhook_secret, genuine)
    assert _post(url + SIGNED, reencoded, signed) == (400, "invalid signature")
    assert _post(url + SIGNED, genuine, {"content-type": "application/json"})[0] == 400
    not_cashi = '{"hello":"world"}'
    headers = cashi.testing.signed_headers(sandbox.webhook_secret, not_cashi)
    assert _post(url + SIGNED, not_cashi, headers) == (400, "invalid payload")
    assert shop.calls[calls:] == []

    # on_paid raises: 500, the sandbox delivers again, and the retry fulfils.
    flaky = _new_order(client, shop)
    shop.fail_paid = 1
    sandbox.pay(flaky.order_id)
    delivery = sandbox.wait_delivered(flaky.order_id, attempts=2)
    assert _answers(delivery) == [(500, "handler error: retry later"), (200, "fulfilled")]
    assert [o for o, _, _ in shop.fulfilled].count(flaky.order_id) == 1

    # confirm cannot reach Cashi (the connection drops): 503, and the retry fulfils.
    dropped = _new_order(client, shop)
    sandbox.fault(kind="drop", path="check-status", count=1)
    sandbox.pay(dropped.order_id)
    delivery = sandbox.wait_delivered(dropped.order_id, attempts=2)
    assert _answers(delivery) == [
        (503, "could not confirm the payment yet: retry later"),
        (200, "fulfilled"),
    ]

    # An order this shop never stored: 404, so Cashi keeps it in its delivery log.
    stranger = cashi.testing.webhook_body("HOOK-not-ours", 15023)
    headers = cashi.testing.signed_headers(sandbox.webhook_secret, stranger)
    assert _post(url + SIGNED, stranger, headers) == (404, "unknown order")

    # Paid with another amount: confirm refuses, 409, on_mismatch, never on_paid. (Last:
    # the sandbox keeps retrying it, and each retry asks Cashi again.)
    short = _new_order(client, shop, 20000)
    sandbox.pay(short.order_id, amount=short.amount - 5)
    delivery = sandbox.wait_delivered(short.order_id)
    assert _answers(delivery)[0] == (409, "payment not confirmed: not fulfilled")
    assert set(shop.mismatches) == {(short.order_id, "payment_mismatch")}
    assert short.order_id not in [o for o, _, _ in shop.fulfilled]


def test_allow_unsigned_is_a_hint_that_confirm_decides(
    shop_server: tuple[str, Shop, Sandbox],
) -> None:
    url, shop, sandbox = shop_server
    client = cashi.Client(sandbox.api_key, base_url=sandbox.base_url)
    sandbox.configure(webhook_url=url + UNSIGNED)

    # A signed delivery to the route that allows unsigned ones is verified as usual.
    order = _new_order(client, shop)
    sandbox.pay(order.order_id)
    assert _answers(sandbox.wait_delivered(order.order_id)) == [(200, "fulfilled")]
    assert shop.fulfilled[-1][2].is_verified

    sandbox.configure(webhook_url=None)  # from here on the test sends the bodies itself
    plain = {"content-type": "application/json"}

    # Unsigned, for a paid order: confirm says SETTLED with the stored amount, so it is
    # fulfilled, with the stored amount, whatever amount the body claims.
    paid = _new_order(client, shop)
    sandbox.pay(paid.order_id)
    claim = cashi.testing.webhook_body(paid.order_id, 1)
    assert _post(url + UNSIGNED, claim, plain) == (200, "fulfilled")
    order_id, amount, event = shop.fulfilled[-1]
    assert (order_id, amount) == (paid.order_id, paid.amount)
    assert event.is_verified is False and event.amount == 1

    # Unsigned, for an order nobody paid: confirm refuses, nothing is fulfilled.
    unpaid = _new_order(client, shop)
    body = cashi.testing.webhook_body(unpaid.order_id, unpaid.amount)
    assert _post(url + UNSIGNED, body, plain) == (409, "payment not confirmed: not fulfilled")
    assert unpaid.order_id not in [o for o, _, _ in shop.fulfilled]

    # Unsigned, paid, but Cashi's answer carries no amount: the unsigned body's amount
    # vouches for nothing (a signed one would), so it is refused.
    quiet = _new_order(client, shop)
    sandbox.pay(quiet.order_id)
    sandbox.fault(kind="patch", path="check-status", remove=["amount"], count=1)
    body = cashi.testing.webhook_body(quiet.order_id, quiet.amount)
    assert _post(url + UNSIGNED, body, plain) == (409, "payment not confirmed: not fulfilled")
    assert quiet.order_id not in [o for o, _, _ in shop.fulfilled]

    # A wrong signature is still refused on that route, and unsigned bodies on the other.
    forged = cashi.testing.signed_headers("sk_not_the_secret", body)
    assert _post(url + UNSIGNED, body, forged) == (400, "invalid signature")
    blank = {"content-type": "application/json", "X-Gateway-Signature": ""}
    assert _post(url + UNSIGNED, body, blank) == (400, "invalid signature")
    assert _post(url + SIGNED, body, plain) == (400, "invalid signature")
    assert quiet.order_id not in [o for o, _, _ in shop.fulfilled]

    # A test webhook, unsigned: 200, nothing called.
    calls = len(shop.calls)
    test = cashi.testing.webhook_body("TEST-123", 15023)
    assert _post(url + UNSIGNED, test, plain) == (200, "test webhook: nothing fulfilled")
    assert shop.calls[calls:] == []


def test_handler_arguments_and_edge_cases(sandbox: Sandbox) -> None:
    shop = Shop()
    client = cashi.Client(sandbox.api_key, base_url=sandbox.base_url)
    with pytest.raises(TypeError, match="allow_unsigned=True"):
        cashi.WebhookHandler(client=client, **shop.callbacks())
    with pytest.raises(TypeError, match="on_paid must be a function"):
        cashi.WebhookHandler("sk_x", client=client, expected_amount=shop.expected_amount, on_paid=1)  # type: ignore[arg-type]
    with pytest.raises(cashi.InvalidRequestError):
        cashi.WebhookHandler("", client=client, **shop.callbacks())

    async_client = cashi.AsyncClient(sandbox.api_key, base_url=sandbox.base_url)
    handler = cashi.WebhookHandler("sk_x", client=async_client, **shop.callbacks())
    assert handler.is_async
    with pytest.raises(TypeError, match="handle_async"):
        handler.handle(b"{}", {})
    # Each framework module refuses, when it is mounted, a handler on the other kind of client.
    from cashi.django import webhook_view as django_view
    from cashi.flask import webhook_view as flask_view
    from cashi.starlette import webhook_endpoint

    for mount in (flask_view, django_view):
        with pytest.raises(TypeError, match=r"cashi\.Client"):
            mount(handler)
    sync_handler = cashi.WebhookHandler("sk_x", client=client, **shop.callbacks())
    with pytest.raises(TypeError, match="AsyncClient"):
        webhook_endpoint(sync_handler)
    with pytest.raises(TypeError, match="handle\\(\\)"):
        asyncio.run(
            cashi.WebhookHandler("sk_x", client=client, **shop.callbacks()).handle_async(b"{}", {})
        )

    # No secret at all (an account that signs nothing): a signed request cannot be checked.
    unsigned_only = cashi.WebhookHandler(client=client, allow_unsigned=True, **shop.callbacks())
    body = cashi.testing.webhook_body("TEST-1", 100)
    answer = unsigned_only.handle(body, cashi.testing.signed_headers("sk_x", body))
    assert (answer.status, answer.text, answer.outcome) == (
        400,
        "signed, but no webhook secret is configured",
        "no_secret",
    )
    assert unsigned_only.handle(body, [("Content-Type", "application/json")]).status == 200
    # CGI's spelling of the header counts as a signature too (PHP-style servers).
    assert unsigned_only.handle(body, {"HTTP_X_GATEWAY_SIGNATURE": "00"}).status == 400

    # A coroutine callback given to the synchronous handler, and an amount that is not one.
    order = client.create_order(15000, order_id=f"HOOK-{uuid.uuid4().hex[:12]}")
    body = cashi.testing.webhook_body(order.order_id, order.amount)
    headers = cashi.testing.signed_headers("sk_x", body)

    async def amount(order_id: str) -> int:
        return order.amount

    for wrong in (amount, lambda order_id: "15023", lambda order_id: True):
        handler = cashi.WebhookHandler(
            "sk_x", client=client, expected_amount=wrong, on_paid=shop.on_paid
        )
        answer = handler.handle(body, headers)
        assert (answer.status, answer.outcome) == (500, "handler_error")
    assert "on_paid" not in shop.calls

    # A paid order, handled directly (no framework): the response carries the event.
    sandbox.pay(order.order_id)
    handler = cashi.WebhookHandler(
        "sk_x", client=client, expected_amount=lambda _: order.amount, on_paid=shop.on_paid
    )
    answer = handler.handle(body, headers)
    assert (answer.status, answer.text, answer.outcome) == (200, "fulfilled", "fulfilled")
    assert answer.event is not None and answer.event.order_id == order.order_id
    # Without already_fulfilled, a repeat reaches on_paid again: idempotency is then on_paid's.
    assert handler.handle(body, headers).status == 200
    assert [o for o, _, _ in shop.fulfilled].count(order.order_id) == 2


def test_each_answer_is_logged_to_cashi_webhooks(
    sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    shop = Shop()
    client = cashi.Client(sandbox.api_key, base_url=sandbox.base_url)
    order = client.create_order(15000, order_id=f"HOOK-{uuid.uuid4().hex[:12]}")
    sandbox.pay(order.order_id)
    handler = cashi.WebhookHandler(
        "sk_x", client=client, expected_amount=shop.expected_amount, on_paid=shop.on_paid
    )
    shop.orders[order.order_id] = order.amount
    body = cashi.testing.webhook_body(order.order_id, order.amount)
    unknown = cashi.testing.webhook_body("HOOK-NOT-OURS", 15023)
    with caplog.at_level("INFO", logger="cashi.webhooks"):
        handler.handle(body, cashi.testing.signed_headers("sk_x", body))
        handler.handle(body, cashi.testing.signed_headers("sk_not_the_secret", body))
        handler.handle(unknown, cashi.testing.signed_headers("sk_x", unknown))
    answers = [
        (r.levelname, r.getMessage(), r.cashi_event)
        for r in caplog.records
        if getattr(r, "cashi_event", {}).get("type") == "webhook_answer"
    ]
    assert answers == [
        (
            "INFO",
            f"webhook for order {order.order_id}: 200 fulfilled",
            {
                "type": "webhook_answer",
                "order_id": order.order_id,
                "outcome": "fulfilled",
                "status": 200,
                "text": "fulfilled",
                "is_test": False,
                "is_verified": True,
            },
        ),
        (
            "WARNING",
            "webhook: 400 invalid signature",
            {
                "type": "webhook_answer",
                "order_id": None,
                "outcome": "invalid_signature",
                "status": 400,
                "text": "invalid signature",
                "is_test": None,
                "is_verified": None,
            },
        ),
        (
            "WARNING",
            "webhook for order HOOK-NOT-OURS: 404 unknown order",
            {
                "type": "webhook_answer",
                "order_id": "HOOK-NOT-OURS",
                "outcome": "unknown_order",
                "status": 404,
                "text": "unknown order",
                "is_test": False,
                "is_verified": True,
            },
        ),
    ]
    assert "sk_x" not in caplog.text


def test_the_secret_stays_out_of_reprs_and_tracebacks(sandbox: Sandbox) -> None:
    secret = "sk_0123456789abcdef0123456789abcdef"
    shop = Shop()
    client = cashi.Client(sandbox.api_key, base_url=sandbox.base_url)
    handler = cashi.WebhookHandler(secret, client=client, **shop.callbacks())
    assert secret not in repr(handler) and secret not in repr(vars(handler))
    try:
        cashi.WebhookHandler(secret, client=client, expected_amount=None, on_paid=shop.on_paid)  # type: ignore[arg-type]
    except TypeError as e:
        assert e.__traceback__ is not None
        tb = e.__traceback__.tb_next  # the SDK's frames, after this test's own
        assert tb is not None
        while tb is not None:
            assert secret not in repr(tb.tb_frame.f_locals), tb.tb_frame.f_code.co_name
            tb = tb.tb_next
    else:
        raise AssertionError("no TypeError")


# The shared cases, which the Node and PHP handlers answer too: one delivery each, its
# status, outcome and the callbacks called, in order.
HANDLER_VECTORS: dict[str, Any] = json.loads((VECTORS / "webhook_handler.json").read_text())


@pytest.mark.parametrize("case", HANDLER_VECTORS["cases"], ids=lambda case: case["name"])
def test_handler_vectors(sandbox: Sandbox, case: dict[str, Any]) -> None:
    client = cashi.Client(sandbox.api_key, base_url=sandbox.base_url, max_retries=0)
    order_id, amount = case["order"], 15023
    if order_id in ("paid", "unpaid"):
        order = client.create_order(15000, order_id=f"HV-{uuid.uuid4().hex[:12]}")
        if case["order"] == "paid":
            sandbox.pay(order.order_id)
        order_id, amount = order.order_id, order.amount
    body = (
        case.get("body", HANDLER_VECTORS["settled_body"])
        .replace("{order_id}", order_id)
        .replace("{amount}", str(amount))
    )
    headers = {
        "valid": cashi.testing.signed_headers("sk_vectors", body),
        "wrong": {"content-type": "application/json", cashi.SIGNATURE_HEADER: "0" * 64},
        "none": {"content-type": "application/json"},
    }[case["signature"]]
    stored = {"amount": amount, "other": amount + 1}.get(case["stored"], case["stored"])
    confirm_on = {
        "sandbox": client,
        "wrong_key": cashi.Client("CASHI-WRONGKEY01", base_url=sandbox.base_url, max_retries=0),
        "unreachable": cashi.Client(
            sandbox.api_key, base_url="http://127.0.0.1:9/api", max_retries=0
        ),
    }[case["client"]]
    calls: list[str] = []

    def callback(name: str, result: Any = None) -> Callable[..., Any]:
        def call(*args: Any) -> Any:
            calls.append(name)
            if case.get("raises") == name:
                raise RuntimeError(f"{name} failed")
            return result

        return call

    handler = cashi.WebhookHandler(
        "sk_vectors",
        client=confirm_on,
        allow_unsigned=case.get("allow_unsigned", False),
        already_fulfilled=callback("already_fulfilled", case.get("already_fulfilled", False)),
        expected_amount=callback("expected_amount", stored),
        on_paid=callback("on_paid"),
        on_mismatch=callback("on_mismatch"),
    )
    answer = handler.handle(body, headers)
    assert (answer.status, answer.outcome) == (case["status"], case["outcome"])
    assert calls == case["calls"]
