"""`create_order(extra=...)`: fields the SDK does not model, sent as given; `raw` for answers."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import cashi
from conftest import Sandbox

EXTRA: dict[str, Any] = {
    "callback_url": "https://shop.example/cashi",
    "customer": {"name": "Ani Ünal", "phone": "+628123", "tags": [1, None, True]},
}


def received(sandbox: Sandbox, order_id: str) -> Any:
    """The fields the sandbox received beyond the ones it reads."""
    return sandbox.control("GET", f"orders/{order_id}")["order"].get("request_extra")


def test_extra_fields_reach_cashi_as_given(
    client: cashi.Client, sandbox: Sandbox, order_id: str
) -> None:
    order = client.create_order(15000, order_id=order_id, extra=EXTRA)
    assert order.requested_amount == 15000
    assert received(sandbox, order_id) == EXTRA


def test_extra_fields_through_asyncio(sandbox: Sandbox, order_id: str) -> None:
    async def create() -> cashi.Order:
        async with cashi.AsyncClient(sandbox.api_key, base_url=sandbox.base_url) as aclient:
            return await aclient.create_order(20000, order_id=order_id, extra=EXTRA)

    assert asyncio.run(create()).order_id == order_id
    assert received(sandbox, order_id) == EXTRA


def test_no_extra_sends_nothing_more(client: cashi.Client, sandbox: Sandbox, order_id: str) -> None:
    client.create_order(15000, order_id=order_id, extra={})
    assert received(sandbox, order_id) is None


@pytest.mark.parametrize("key", ["amount", "order_id", "kode_channel", "QRIS_CUSTOM"])
def test_a_key_the_sdk_sets_is_refused(client: cashi.Client, order_id: str, key: str) -> None:
    with pytest.raises(cashi.InvalidRequestError) as info:
        client.create_order(15000, order_id=order_id, extra={"note": "x", key: 1})
    assert info.value.code == "invalid_argument"
    assert f'"{key}"' in str(info.value)


@pytest.mark.parametrize(
    "value, words",
    [
        ([["callback_url", "x"]], "not a list"),
        ("callback_url=x", "not a string"),
        ({"when": object()}, "cannot be written as JSON"),
        ({"ratio": float("nan")}, "cannot be written as JSON"),
        ({"note": "x" * 16 * 1024}, "the limit is 16384 bytes"),
    ],
)
def test_extra_that_cannot_be_sent_is_refused(
    client: cashi.Client, sandbox: Sandbox, order_id: str, value: Any, words: str
) -> None:
    with pytest.raises(cashi.InvalidRequestError) as info:
        client.create_order(15000, order_id=order_id, extra=value)
    assert words in str(info.value)
    assert info.value.message.startswith("extra:")


def test_unknown_answer_fields_are_in_raw(client: cashi.Client, faults: Sandbox) -> None:
    faults.fault(kind="patch", path="create-order", set={"payment_link": {"short": "c.id/x"}})
    order = client.create_order(15000)
    assert order.raw["payment_link"] == {"short": "c.id/x"}
