"""Neither the API key nor a webhook secret shows anywhere, whatever fails.

Every error path the SDK has is provoked with the recognisable key and secret of
``tests/vectors/secrets.json`` (the sandbox of the test run accepts that key), and each error is
looked at the ways a developer sees it: ``str``, ``repr``, its attributes, a plain
traceback, a traceback with every frame's local variables (``pytest -l``,
``traceback.TracebackException(capture_locals=True)``), Django's debug page, and the
log records written meanwhile. So are the reprs of clients and verifiers, half-built ones
included.
"""

from __future__ import annotations

import asyncio
import logging
import traceback
import uuid
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest

import cashi
from conftest import SECRETS, Sandbox, free_port

KEY: str = SECRETS["api_key"]
SECRET: str = SECRETS["webhook_secret"]


def assert_clean(what: str, text: str) -> None:
    lower = text.lower()
    for form in SECRETS["leaks"]["any_case"]:
        assert form not in lower, f"{what} shows {form!r}:\n{text}"
    for form in SECRETS["leaks"]["exact"]:
        assert form not in text, f"{what} shows {form!r}:\n{text}"


def django_debug_page(error: BaseException) -> str:
    """The text of Django's technical 500 page for `error`: every frame with its locals."""
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(DEBUG=True, SECRET_KEY="django-test-only")
    django.setup()
    from django.views.debug import ExceptionReporter

    reporter = ExceptionReporter(None, type(error), error, error.__traceback__)
    return str(reporter.get_traceback_text())


def sdk_frames(error: BaseException) -> BaseException:
    """`error` with its traceback starting at the first frame of the SDK: the test's own
    frames hold the secrets it passes, which are its own business."""
    tb = error.__traceback__
    while tb is not None and not str(tb.tb_frame.f_globals["__name__"]).startswith("cashi"):
        tb = tb.tb_next
    return error.with_traceback(tb)


def views_of(error: BaseException) -> Iterator[tuple[str, str]]:
    error = sdk_frames(error)
    yield "str", str(error)
    yield "repr", repr(error)
    yield "args", repr(error.args)
    yield "attributes", repr(getattr(error, "__dict__", {}))
    plain = traceback.format_exception(type(error), error, error.__traceback__)
    yield "traceback", "".join(plain)
    with_locals = traceback.TracebackException.from_exception(error, capture_locals=True)
    yield "traceback with locals", "".join(with_locals.format())
    yield "Django's debug page", django_debug_page(error)


class Seen:
    """Checks every error the calls it makes raise, and the log records written meanwhile."""

    def __init__(self, caplog: pytest.LogCaptureFixture) -> None:
        self.caplog = caplog
        self.count = 0

    def check(self, what: str, error: BaseException) -> None:
        for view, text in views_of(error):
            assert_clean(f"{what}: {view}", text)
        self.count += 1

    def fails(
        self, what: str, kind: type[BaseException], call: Callable[..., Any], *args: Any, **kw: Any
    ) -> None:
        with pytest.raises(kind) as info:
            call(*args, **kw)
        self.check(what, info.value)

    def fails_async(
        self, what: str, kind: type[BaseException], call: Callable[..., Awaitable[Any]], *args: Any
    ) -> None:
        async def run() -> None:
            await call(*args)

        with pytest.raises(kind) as info:
            asyncio.run(run())
        self.check(what, info.value)

    def check_logs(self) -> None:
        for record in self.caplog.records:
            assert_clean("a log record", record.getMessage())
            assert_clean("a log record", repr(record.__dict__))


@pytest.fixture
def seen(caplog: pytest.LogCaptureFixture) -> Iterator[Seen]:
    caplog.set_level(logging.DEBUG)
    seen = Seen(caplog)
    yield seen
    seen.check_logs()


def test_constructors_keep_secrets_out_of_tracebacks_and_reprs(
    sandbox: Sandbox, seen: Seen
) -> None:
    url = sandbox.base_url
    invalid = cashi.InvalidRequestError
    for cls in (cashi.Client, cashi.AsyncClient):
        name = cls.__name__
        seen.fails(f"{name}: a key with a space", invalid, cls, KEY + " ", base_url=url)
        seen.fails(f"{name}: a key with a line break", invalid, cls, KEY + "\n", base_url=url)
        seen.fails(f"{name}: a key not ASCII", invalid, cls, KEY + "é", base_url=url)
        seen.fails(f"{name}: the key as bytes", invalid, cls, KEY.encode(), base_url=url)
        seen.fails(f"{name}: cleartext", invalid, cls, KEY, base_url="http://cashi.example/api")
        seen.fails(f"{name}: a bad timeout", invalid, cls, KEY, base_url=url, timeout="30")
        seen.fails(f"{name}: connect timeout", invalid, cls, KEY, base_url=url, connect_timeout=-1)
        seen.fails(f"{name}: retries", invalid, cls, KEY, base_url=url, max_retries=-1)
        seen.fails(f"{name}: too many retries", invalid, cls, KEY, base_url=url, max_retries=11)
        assert_clean(f"{name} repr", repr(cls(KEY, base_url=url)))
        # A half-built client (its __init__ never ran, or failed) has a repr, and a clean one.
        assert_clean(f"half-built {name} repr", repr(cls.__new__(cls)))
        with pytest.raises(invalid) as info:
            cls(KEY, base_url="http://cashi.example/api")
        tb = sdk_frames(info.value).__traceback__
        assert tb is not None
        failed = repr(tb.tb_frame.f_locals["self"])
        assert "not configured" in failed
        assert_clean(f"failed {name} repr", failed)

    seen.fails("an empty secret", invalid, cashi.Webhook, "")
    seen.fails("an empty second secret", invalid, cashi.Webhook, [SECRET, ""])
    seen.fails("no secret", invalid, cashi.Webhook, [])
    seen.fails("a number", TypeError, cashi.Webhook, 5)
    seen.fails("a number among secrets", TypeError, cashi.Webhook, [SECRET, 5])
    seen.fails("a failing iterator", TypeError, cashi.Webhook, _failing(SECRET))
    seen.fails("signing a number", TypeError, cashi.testing.sign, SECRET, None)
    seen.fails("signing under a number", TypeError, cashi.testing.sign, 5, "{}")
    seen.fails("headers under a number", TypeError, cashi.testing.signed_headers, 5, "{}")
    assert_clean("Webhook repr", repr(cashi.Webhook([SECRET, "sk_old"])))
    assert_clean("half-built Webhook repr", repr(cashi.Webhook.__new__(cashi.Webhook)))
    assert seen.count >= 25


def _failing(first: str) -> Iterator[str]:
    yield first
    raise RuntimeError("the caller's iterator failed")


def test_no_error_of_any_call_shows_the_key(sandbox: Sandbox, faults: Sandbox, seen: Seen) -> None:
    client = cashi.Client(KEY, base_url=sandbox.base_url, max_retries=0, timeout=3)
    aclient = cashi.AsyncClient(KEY, base_url=sandbox.base_url, max_retries=0, timeout=3)
    statuses = {
        401: cashi.AuthenticationError,
        403: cashi.AuthenticationError,
        400: cashi.APIError,
        404: cashi.NotFoundError,
        409: cashi.ConflictError,
        429: cashi.RateLimitError,
        500: cashi.ServerError,
        503: cashi.ServerError,
    }
    for i, echo in enumerate(SECRETS["echoes"]):
        for status, kind in statuses.items():
            faults.fault(kind="error", status=status, message=echo)
            seen.fails(f"HTTP {status}, echo #{i}", kind, client.check_status, "A")
            faults.fault(kind="error", status=status, message=echo)
            seen.fails_async(f"async HTTP {status}, echo #{i}", kind, aclient.check_status, "A")
        faults.fault(kind="patch", path="create-order", set={"success": False, "message": echo})
        seen.fails(
            f"success:false, echo #{i}", cashi.APIError, client.create_order, 15000, channel="BCA"
        )
        faults.fault(kind="patch", path="create-order", set={"amount": echo})
        seen.fails(
            f"unreadable amount, echo #{i}",
            cashi.DecodeError,
            client.create_order,
            15000,
            channel="BCA",
        )
        order = client.create_order(15000, order_id=_id(), channel="BCA")
        faults.fault(kind="patch", path="check-status", set={"status": echo})
        mismatch = cashi.PaymentMismatchError
        seen.fails(f"a mismatch, echo #{i}", mismatch, client.confirm, order, order.amount)
    faults.clear_faults()

    plain: list[tuple[dict[str, Any], type[cashi.CashiError]]] = [
        ({"kind": "error", "status": 502}, cashi.ServerError),
        ({"kind": "rate_limit", "retry_after": 0}, cashi.RateLimitError),
        ({"kind": "truncate"}, cashi.DecodeError),
        ({"kind": "drop"}, cashi.APIConnectionError),
        ({"kind": "latency", "latency_ms": 4000}, cashi.APITimeoutError),
    ]
    for fault, kind in plain:
        faults.fault(**fault)
        seen.fails(f"the fault {fault}", kind, client.check_status, "A")

    order = client.create_order(15000, order_id=_id(), channel="BCA")
    seen.fails("refused amount", cashi.InvalidRequestError, client.create_order, 1)
    seen.fails("refused order id", cashi.InvalidRequestError, client.check_status, "a\nb")
    seen.fails("unknown order", cashi.NotFoundError, client.check_status, "NO-SUCH-ORDER")
    seen.fails(
        "order id used twice",
        cashi.ConflictError,
        client.create_order,
        15000,
        order_id=order.order_id,
        channel="BCA",
    )
    seen.fails("wrong amount", cashi.PaymentMismatchError, client.confirm, order, 1)
    seen.fails("a wait", cashi.APITimeoutError, client.wait_for_payment, order, 0.3)
    nobody = cashi.Client(KEY, base_url=f"http://127.0.0.1:{free_port()}/api", max_retries=0)
    seen.fails("no listener", cashi.APIConnectionError, nobody.check_status, "A")
    seen.fails_async("async wrong amount", cashi.PaymentMismatchError, aclient.confirm, order, 1)
    assert seen.count >= 200


def test_no_webhook_error_shows_the_secret(seen: Seen) -> None:
    webhook = cashi.Webhook([SECRET, "sk_old"])
    body = cashi.testing.webhook_body("INV-1", 15023)
    invalid = cashi.SignatureVerificationError
    # (A signature or header holding the secret would be the caller's own argument, shown
    # with the frame's locals like any other.)
    for signature in ["", "sha256=", "0" * 64, cashi.testing.sign("sk_x", body)]:
        seen.fails("a wrong signature", invalid, webhook.verify, body, signature)
        headers = {"X-Gateway-Signature": signature}
        seen.fails("a wrong signature header", invalid, webhook.verify_headers, body, headers)
    seen.fails("no signature header", invalid, webhook.verify_headers, body, {"x-other": "v"})
    for payload in ["not json", '{"event":"PAYMENT_SETTLED"}']:
        signature = cashi.testing.sign(SECRET, payload)
        seen.fails(
            "a signed non-event", cashi.WebhookPayloadError, webhook.verify, payload, signature
        )
    seen.fails("a parsed body", TypeError, webhook.verify, {"a": 1}, "x")
    event = webhook.verify(body, cashi.testing.sign(SECRET, body))
    assert_clean("event repr", repr(event))


def _id() -> str:
    return f"PY-SECRET-{uuid.uuid4().hex[:12]}"
