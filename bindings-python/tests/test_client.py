"""Every client method against the real sandbox."""

from __future__ import annotations

import asyncio
import dataclasses
import inspect
import json
import pickle
import threading
import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

import cashi
from conftest import Sandbox

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PAID_AT = "2026-11-25 15:04:05"  # Jakarta time, as Cashi's webhooks carry it


def test_create_order_qris(client: cashi.Client, order_id: str) -> None:
    order = client.create_order(15000, order_id=order_id)
    assert isinstance(order, cashi.Order)
    assert order.order_id == order_id
    assert order.requested_amount == 15000
    assert 1 <= order.unique_code <= 99
    assert order.amount == 15000 + order.unique_code
    assert order.checkout_url is not None and order.checkout_url.endswith(f"/pay/{order_id}")
    assert order.provider == "CASHI"
    assert order.expires_at is not None
    assert order.expires_at.utcoffset() == timedelta(hours=7)
    assert order.virtual_account is None and order.retail is None
    assert order.raw["success"] is True
    assert order.raw["amount"] == order.amount
    png = order.qr_png()
    assert png.startswith(PNG_SIGNATURE)
    assert len(png) > 100
    # qr_url stays out of the repr (it is a long data URI); raw too.
    assert "base64" not in repr(order)
    assert order_id in repr(order)


def test_create_order_without_id_gets_one(client: cashi.Client) -> None:
    order = client.create_order(20000)
    assert order.order_id
    assert client.check_status(order).order_id == order.order_id


def test_create_order_qris_custom(client: cashi.Client, order_id: str) -> None:
    order = client.create_order(50000, order_id=order_id, channel="QRIS_CUSTOM")
    assert order.is_qris_custom is True
    assert order.expected_net is not None and order.expected_net < order.amount
    assert order.qr_png().startswith(PNG_SIGNATURE)


@pytest.mark.parametrize("bank", ["BCA", "MANDIRI", "BNI", "BRI", "BSI"])
def test_create_order_virtual_account(client: cashi.Client, order_id: str, bank: str) -> None:
    order = client.create_order(50000, order_id=order_id, channel=bank.lower())
    assert order.provider == "VA"
    va = order.virtual_account
    assert va is not None
    assert va.va_number
    assert va.bank == bank
    assert va.kode_channel == bank
    assert va.bank_name
    assert order.retail is None
    with pytest.raises(cashi.DecodeError) as info:
        order.qr_png()
    assert info.value.code == "decode"
    assert "qrUrl" in info.value.message


@pytest.mark.parametrize("retailer", ["ALFAMART", "INDOMARET"])
def test_create_order_retail(client: cashi.Client, order_id: str, retailer: str) -> None:
    order = client.create_order(25000, order_id=order_id, channel=retailer)
    assert order.provider == "RETAIL"
    assert order.retail is not None
    assert order.retail.payment_code
    assert order.retail.retail_code == retailer
    assert order.retail.retail_name == retailer.capitalize()
    assert order.virtual_account is None


@pytest.mark.parametrize("amount", [15000, 15000.0, Decimal("15000"), Decimal("15000.000")])
def test_integral_amounts_of_any_numeric_type(
    client: cashi.Client, order_id: str, amount: object
) -> None:
    order = client.create_order(amount, order_id=order_id)  # type: ignore[arg-type]
    assert order.requested_amount == 15000
    assert isinstance(order.amount, int)


def test_check_status_pending_then_settled(
    client: cashi.Client, sandbox: Sandbox, order_id: str
) -> None:
    order = client.create_order(15000, order_id=order_id)
    status = client.check_status(order_id)
    assert isinstance(status, cashi.PaymentStatus)
    assert status.status == "PENDING"
    assert not status.is_settled
    assert (status.is_pending, status.is_expired, status.is_final) == (True, False, False)
    assert status.order_id == order_id
    assert status.amount == order.amount
    assert status.provider_tx_id is None
    sandbox.pay(order_id)
    status = client.check_status(order)  # an Order names its order too
    assert status.status == "SETTLED"
    assert status.is_settled
    assert (status.is_pending, status.is_expired, status.is_final) == (False, False, True)
    assert status.amount == order.amount
    assert status.provider_tx_id
    assert status.raw["status"] == "SETTLED"


def test_order_ids_with_path_characters(client: cashi.Client, sandbox: Sandbox) -> None:
    tricky = "INV/2025?x#y z-é"
    order = client.create_order(15000, order_id=tricky)
    assert order.order_id == tricky
    assert client.check_status(tricky).order_id == tricky


def test_wait_for_payment_returns_when_paid(
    client: cashi.Client, sandbox: Sandbox, order_id: str
) -> None:
    order = client.create_order(15000, order_id=order_id)
    payer = threading.Timer(0.3, sandbox.pay, args=(order_id,))
    payer.start()
    try:
        status = client.wait_for_payment(order, timeout=30)
    finally:
        payer.join()
    assert status.is_settled
    assert status.amount == order.amount


def test_wait_for_payment_returns_expired(
    client: cashi.Client, sandbox: Sandbox, order_id: str
) -> None:
    client.create_order(15000, order_id=order_id)
    sandbox.expire(order_id)
    status = client.wait_for_payment(order_id, timeout=30)
    assert status.status == "EXPIRED"
    assert not status.is_settled
    assert (status.is_pending, status.is_expired, status.is_final) == (False, True, True)


def test_wait_for_payment_times_out(client: cashi.Client, order_id: str) -> None:
    client.create_order(15000, order_id=order_id)
    with pytest.raises(cashi.APITimeoutError) as info:
        client.wait_for_payment(order_id, timeout=0.3)
    assert info.value.code == "timeout"
    assert "PENDING" in info.value.message


def test_confirm_success(client: cashi.Client, sandbox: Sandbox, order_id: str) -> None:
    order = client.create_order(15000, order_id=order_id)
    sandbox.pay(order_id)
    status = client.confirm(order_id, expected_amount=order.amount)
    assert status.is_settled
    assert status.amount == order.amount


def test_confirm_mismatched_amount(client: cashi.Client, sandbox: Sandbox, order_id: str) -> None:
    order = client.create_order(15000, order_id=order_id)
    sandbox.pay(order_id, amount=order.amount - 1)
    with pytest.raises(cashi.PaymentMismatchError) as info:
        client.confirm(order_id, expected_amount=order.amount)
    e = info.value
    assert e.code == "payment_mismatch"
    assert e.order_id == order_id
    assert e.expected_amount == order.amount
    assert e.actual_amount == order.amount - 1
    assert e.payment_status == "SETTLED"
    assert e.status is None
    assert "do not fulfil" in e.message


def _verified_event(order_id: str, amount: int) -> cashi.WebhookEvent:
    secret = "sk_test_confirm"
    body = cashi.testing.webhook_body(order_id, amount)
    return cashi.Webhook(secret).verify(body, cashi.testing.sign(secret, body))


def test_confirm_settled_without_amount_relies_on_the_verified_event(
    client: cashi.Client, faults: Sandbox, order_id: str
) -> None:
    order = client.create_order(15000, order_id=order_id)
    faults.pay(order_id)
    event = _verified_event(order_id, order.amount)
    no_amount = {"kind": "patch", "path": "check-status", "remove": ["amount"]}
    faults.fault(**no_amount)
    with pytest.raises(cashi.PaymentMismatchError) as info:
        client.confirm(order_id, expected_amount=order.amount)
    assert "carried no amount" in info.value.message
    assert "webhook event" in info.value.message
    assert info.value.actual_amount is None

    faults.fault(**no_amount)
    status = client.confirm(event, expected_amount=order.amount)
    assert status.amount_from_webhook is True
    assert status.amount == order.amount and status.is_settled
    assert "amount" not in status.raw

    faults.fault(**no_amount)
    with pytest.raises(cashi.PaymentMismatchError):
        client.confirm(_verified_event(order_id, order.amount - 1), order.amount)

    async def through_asyncio() -> cashi.PaymentStatus:
        async with cashi.AsyncClient(faults.api_key, base_url=faults.base_url) as aclient:
            return await aclient.confirm(event, order.amount)

    faults.fault(**no_amount)
    assert asyncio.run(through_asyncio()).amount_from_webhook is True
    # With the amount in the answer, it is Cashi's amount, as always.
    assert client.confirm(event, order.amount).amount_from_webhook is False


def test_confirm_takes_only_the_order_id_from_an_unverified_event(
    client: cashi.Client, faults: Sandbox, order_id: str
) -> None:
    order = client.create_order(15000, order_id=order_id)
    faults.pay(order_id)
    unsigned = cashi.Webhook.parse_unverified(cashi.testing.webhook_body(order_id, order.amount))
    assert unsigned.is_verified is False
    faults.fault(kind="patch", path="check-status", remove=["amount"])
    with pytest.raises(cashi.PaymentMismatchError) as info:
        client.confirm(unsigned, expected_amount=order.amount)
    assert "carried no amount" in info.value.message

    async def through_asyncio() -> None:
        async with cashi.AsyncClient(faults.api_key, base_url=faults.base_url) as aclient:
            faults.fault(kind="patch", path="check-status", remove=["amount"])
            with pytest.raises(cashi.PaymentMismatchError):
                await aclient.confirm(unsigned, order.amount)
            assert (await aclient.confirm(unsigned, order.amount)).amount == order.amount

    asyncio.run(through_asyncio())
    # Cashi's own answer with the amount decides, as for an order id.
    assert client.confirm(unsigned, order.amount).is_settled
    with pytest.raises(cashi.PaymentMismatchError):
        client.confirm(unsigned, order.amount + 1)


def test_confirm_and_wait_refuse_an_answer_about_another_order(
    client: cashi.Client, faults: Sandbox, order_id: str
) -> None:
    order = client.create_order(15000, order_id=order_id)
    faults.pay(order_id)
    other = {"kind": "patch", "path": "check-status", "set": {"order_id": "OTHER"}}
    faults.fault(**other)
    with pytest.raises(cashi.PaymentMismatchError) as info:
        client.confirm(order_id, expected_amount=order.amount)
    assert '"OTHER"' in info.value.message
    faults.fault(**other)
    with pytest.raises(cashi.PaymentMismatchError):
        client.wait_for_payment(order_id, timeout=10)


def test_a_status_word_in_another_case_is_not_settled(
    client: cashi.Client, faults: Sandbox, order_id: str
) -> None:
    order = client.create_order(15000, order_id=order_id)
    faults.pay(order_id)
    faults.fault(kind="patch", count=2, path="check-status", set={"status": "settled"})
    status = client.check_status(order_id)
    assert (status.status, status.is_settled, status.is_final) == ("settled", False, False)
    assert (status.is_pending, status.is_expired) == (False, False)
    with pytest.raises(cashi.PaymentMismatchError) as info:
        client.confirm(order_id, expected_amount=order.amount)
    assert info.value.payment_status == "settled"


def test_confirm_unpaid(client: cashi.Client, order_id: str) -> None:
    order = client.create_order(15000, order_id=order_id)
    with pytest.raises(cashi.PaymentMismatchError) as info:
        client.confirm(order, order.amount)
    assert info.value.payment_status == "PENDING"


def test_wait_for_payment_is_interruptible_by_signals(
    client: cashi.Client, faults: Sandbox, order_id: str
) -> None:
    """An exception from a signal handler (Ctrl-C's KeyboardInterrupt, here SIGALRM's)
    stops a blocking wait, and the polling behind it."""
    import signal

    client.create_order(15000, order_id=order_id)
    faults.fault(kind="patch", count=1000, path="check-status", set={"polled": True})

    def remaining() -> int:
        return int(faults.control("GET", "faults")["faults"][0]["count"])

    class Interrupted(Exception):
        pass

    def on_alarm(signum: int, frame: object) -> None:
        raise Interrupted

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, 1.5)
    try:
        with pytest.raises(Interrupted):
            client.wait_for_payment(order_id, timeout=600)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    after = remaining()
    assert after < 1000  # it was polling
    time.sleep(3)  # several poll intervals
    assert remaining() == after  # and it stopped


def test_models_pickle(client: cashi.Client, sandbox: Sandbox, order_id: str) -> None:
    order = client.create_order(50000, order_id=order_id, channel="BRI")
    sandbox.pay(order_id)
    status = client.check_status(order_id)
    body = cashi.testing.webhook_body(order_id, order.amount)
    event = cashi.Webhook("sk").verify(body, cashi.testing.sign("sk", body))
    for model in (order, status, event):
        copy = pickle.loads(pickle.dumps(model))
        assert copy == model
        assert copy.raw == model.raw
        assert repr(copy) == repr(model)
    # An unpickled order still has the core's order behind it: the same QR rule.
    copy = pickle.loads(pickle.dumps(order))
    with pytest.raises(cashi.DecodeError) as info:
        copy.qr_png()
    assert "qrUrl" in info.value.message
    qris = client.create_order(15000, order_id=order_id + "-QR")
    assert pickle.loads(pickle.dumps(qris)).qr_png() == qris.qr_png()


def test_models_are_built_by_name_with_every_declared_field(
    client: cashi.Client, order_id: str
) -> None:
    """Each result carries exactly the fields its class declares (generated from the core's
    schemas), with their declared types; timestamps are aware datetimes at +07:00."""
    order = client.create_order(50000, order_id=order_id, channel="BNI")
    status = client.check_status(order)
    data = {"order_id": order_id, "status": "SETTLED", "amount": order.amount}
    body = json.dumps({"event": "PAYMENT_SETTLED", "data": {**data, "paid_at": PAID_AT}})
    event = cashi.Webhook("sk").verify(body, cashi.testing.sign("sk", body))
    assert order.virtual_account is not None
    for model in (order, order.virtual_account, status, event):
        declared = [f.name for f in dataclasses.fields(model) if not f.name.startswith("_")]
        public = [name for name in vars(model) if not name.startswith("_")]
        assert public == declared, type(model).__name__
    assert isinstance(event.paid_at_time, datetime)
    assert event.paid_at_time.utcoffset() == timedelta(hours=7)
    assert event.paid_at == PAID_AT
    assert event.paid_at_time == datetime(
        2026, 11, 25, 15, 4, 5, tzinfo=timezone(timedelta(hours=7))
    )
    assert type(order.unique_code) is int and order.fee is None
    assert type(order.virtual_account.admin_fee) is int
    custom = client.create_order(50000, order_id=order_id + "-C", channel="QRIS_CUSTOM")
    assert type(custom.fee) is float and custom.is_qris_custom is True
    assert custom.expires_at is not None and custom.expires_at.utcoffset() == timedelta(hours=7)


def test_raw_is_built_on_first_read_and_models_stay_frozen(
    client: cashi.Client, order_id: str
) -> None:
    order = client.create_order(15000, order_id=order_id)
    status = client.check_status(order)
    body = cashi.testing.webhook_body(order_id, order.amount)
    event = cashi.Webhook("sk").verify(body, cashi.testing.sign("sk", body))
    assert order.raw["qrUrl"] == order.qr_url
    assert status.raw["status"] == status.status == "PENDING"
    assert event.raw["data"]["order_id"] == order_id
    for model in (order, status, event):
        assert model.raw is model.raw  # built once
        with pytest.raises(dataclasses.FrozenInstanceError):
            model.order_id = "other"  # type: ignore[misc]
        with pytest.raises(AttributeError):
            model.raw = {}  # type: ignore[misc]
        assert dataclasses.replace(model).raw == model.raw


def test_client_context_manager_and_repr(sandbox: Sandbox) -> None:
    with cashi.Client(sandbox.api_key, base_url=sandbox.base_url + "/") as c:
        assert c.base_url == sandbox.base_url
        assert c.user_agent.startswith(f"cashi-python/{cashi.__version__} cashi-rust/")
        assert sandbox.api_key not in repr(c)
        assert repr(c) == f"Client(base_url={sandbox.base_url!r})"
    # The settings given are shown; the others are the core's defaults, not restated here.
    c = cashi.Client(sandbox.api_key, base_url=sandbox.base_url, timeout=5, max_retries=0)
    assert repr(c) == f"Client(base_url={sandbox.base_url!r}, timeout=5, max_retries=0)"


def test_wait_for_payment_waits_the_cores_default(client: cashi.Client) -> None:
    assert cashi.DEFAULT_WAIT == cashi._cashi.DEFAULT_WAIT > 0
    for cls in (cashi.Client, cashi.AsyncClient):
        timeout = inspect.signature(cls.wait_for_payment).parameters["timeout"]
        assert timeout.default == cashi.DEFAULT_WAIT


def test_client_reads_environment(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, order_id: str
) -> None:
    monkeypatch.setenv("CASHI_API_KEY", sandbox.api_key)
    monkeypatch.setenv("CASHI_BASE_URL", sandbox.base_url)
    c = cashi.Client()
    assert c.base_url == sandbox.base_url
    assert c.create_order(15000, order_id=order_id).order_id == order_id
    monkeypatch.delenv("CASHI_API_KEY")
    with pytest.raises(cashi.InvalidRequestError) as info:
        cashi.Client()
    assert "CASHI_API_KEY" in info.value.message
