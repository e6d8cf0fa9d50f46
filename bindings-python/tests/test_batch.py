"""Batches: check_statuses and create_orders, sync and asyncio, against the sandbox."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from typing import Any

import pytest

import cashi
from conftest import Sandbox


def _id() -> str:
    return f"PY-{uuid.uuid4().hex[:16]}"


def _untouched(faults: Sandbox) -> list[int]:
    """What is left of each armed fault: a request to its path uses one up."""
    return [int(f["count"]) for f in faults.control("GET", "faults")["faults"]]


def test_check_statuses_keeps_the_order_and_each_items_outcome(
    client: cashi.Client, sandbox: Sandbox
) -> None:
    paid = client.create_order(15100, order_id=_id())
    pending = client.create_order(15200, order_id=_id())
    sandbox.pay(paid.order_id)
    missing = _id()
    items: list[Any] = [pending, missing, paid.order_id, 42, "", pending.order_id]
    results = client.check_statuses(items)
    assert len(results) == len(items)
    first, unknown, settled, not_an_id, empty, again = results
    assert isinstance(first, cashi.PaymentStatus) and first.order_id == pending.order_id
    assert (first.status, first.is_pending, first.is_final) == ("PENDING", True, False)
    assert isinstance(unknown, cashi.NotFoundError) and unknown.code == "not_found"
    assert isinstance(settled, cashi.PaymentStatus) and settled.is_settled and settled.is_final
    assert settled.amount == paid.amount
    # An item check_status refuses gives the error check_status raises, not raised.
    assert isinstance(not_an_id, cashi.InvalidRequestError)
    assert not_an_id.message.startswith("order_id:") and "int" in not_an_id.message
    assert not_an_id.__traceback__ is None  # returned, never raised
    assert isinstance(empty, cashi.InvalidRequestError) and empty.message.startswith("order_id:")
    assert isinstance(again, cashi.PaymentStatus) and again.order_id == pending.order_id


def test_create_orders_keeps_the_order_and_each_items_outcome(
    client: cashi.Client, order_id: str
) -> None:
    taken = client.create_order(16000, order_id=order_id)
    fresh = _id()
    requests: list[Any] = [
        {"amount": 16100, "order_id": fresh},
        {"amount": 16200, "order_id": order_id},  # exists
        {"amount": 1},  # below QRIS's minimum
        {"amount": 50000, "channel": "BCA", "extra": {"note": "batch"}},
        "not a dict",
        {"amount": 16300, "orderid": "typo"},
        {"order_id": _id()},  # no amount
        {"amount": 16400, "order_id": 7},
    ]
    results = client.create_orders(requests)
    assert len(results) == len(requests)
    ok, conflict, too_small, va, not_a_dict, typo, no_amount, bad_id = results
    assert isinstance(ok, cashi.Order) and ok.order_id == fresh and ok.requested_amount == 16100
    assert client.check_status(fresh).amount == ok.amount
    assert isinstance(conflict, cashi.ConflictError) and taken.order_id == order_id
    assert isinstance(too_small, cashi.InvalidRequestError)
    assert too_small.message.startswith("amount:")
    assert isinstance(va, cashi.Order) and va.virtual_account is not None
    assert isinstance(not_a_dict, cashi.InvalidRequestError)
    assert "dict" in not_a_dict.message and "str" in not_a_dict.message
    assert isinstance(typo, cashi.InvalidRequestError) and "'orderid'" in typo.message
    assert isinstance(no_amount, cashi.InvalidRequestError)
    assert no_amount.message.startswith("amount:")
    assert isinstance(bad_id, cashi.InvalidRequestError)
    assert bad_id.message.startswith("order_id:")


def test_empty_batches_give_empty_lists(client: cashi.Client) -> None:
    assert client.check_statuses([]) == []
    assert client.create_orders([]) == []
    assert client.check_statuses(iter(())) == []


@pytest.mark.parametrize("items", ["INV-1", b"INV-1", {"INV-1": 1}, 5, None])
def test_a_batch_that_is_not_a_list_is_refused(client: cashi.Client, items: Any) -> None:
    with pytest.raises(cashi.InvalidRequestError) as info:
        client.check_statuses(items)
    assert info.value.message.startswith("order_ids: must be a list")
    with pytest.raises(cashi.InvalidRequestError) as info:
        client.create_orders(items)
    assert info.value.message.startswith("requests: must be a list")


def test_a_batch_too_big_is_refused_whole_and_nothing_is_sent(
    client: cashi.Client, faults: Sandbox
) -> None:
    too_many = cashi.MAX_BATCH_ITEMS + 1
    for path in ("check-status", "create-order"):
        faults.fault(kind="latency", count=100, path=path, latency_ms=1)
    # Refused items count too: the limit is on the batch as given.
    ids: list[Any] = ["INV-1"] * (too_many - 1) + [None]
    with pytest.raises(cashi.InvalidRequestError) as info:
        client.check_statuses(ids)
    assert info.value.code == "invalid_argument"
    assert info.value.message.startswith("order_ids:")
    assert str(cashi.MAX_BATCH_ITEMS) in info.value.message
    with pytest.raises(cashi.InvalidRequestError) as info:
        client.create_orders([{"amount": 15000}] * too_many)
    assert info.value.message.startswith("requests:")
    assert _untouched(faults) == [100, 100]


def test_the_batch_runs_its_items_concurrently(client: cashi.Client, faults: Sandbox) -> None:
    """Eight answers each a second late take about a second together, not eight."""
    order = client.create_order(15300, order_id=_id())
    faults.fault(kind="latency", count=8, path="check-status", latency_ms=1000)
    start = time.monotonic()
    results = client.check_statuses([order.order_id] * 8)
    elapsed = time.monotonic() - start
    assert all(isinstance(r, cashi.PaymentStatus) for r in results), results
    assert elapsed < 4, elapsed


def test_the_gil_is_released_during_a_batch(client: cashi.Client, faults: Sandbox) -> None:
    order = client.create_order(15400, order_id=_id())
    faults.fault(kind="latency", count=4, path="check-status", latency_ms=800)
    done = threading.Event()
    spins = 0

    def batch() -> None:
        client.check_statuses([order.order_id] * 4)
        done.set()

    worker = threading.Thread(target=batch)
    worker.start()
    while not done.is_set():
        sum(range(1000))
        spins += 1
    worker.join()
    assert spins > 100


def test_async_batches(sandbox: Sandbox) -> None:
    async def main() -> None:
        async with cashi.AsyncClient(sandbox.api_key, base_url=sandbox.base_url) as client:
            fresh = _id()
            created = await client.create_orders(
                [{"amount": 15500, "order_id": fresh}, {"amount": "15000"}]
            )
            order, refused = created
            assert isinstance(order, cashi.Order) and order.order_id == fresh
            assert isinstance(refused, cashi.InvalidRequestError)
            # The loop keeps running other tasks while the batch is in flight.
            ticks = 0

            async def ticker() -> None:
                nonlocal ticks
                while True:
                    await asyncio.sleep(0.001)
                    ticks += 1

            ticking = asyncio.create_task(ticker())
            statuses = await client.check_statuses([fresh, _id(), 3])
            ticking.cancel()
            status, missing, not_an_id = statuses
            assert isinstance(status, cashi.PaymentStatus) and status.is_pending
            assert isinstance(missing, cashi.NotFoundError)
            assert isinstance(not_an_id, cashi.InvalidRequestError)
            assert await client.check_statuses([]) == []
            with pytest.raises(cashi.InvalidRequestError) as info:
                await client.check_statuses(["INV-1"] * (cashi.MAX_BATCH_ITEMS + 1))
            assert info.value.message.startswith("order_ids:")
            with pytest.raises(cashi.InvalidRequestError):
                await client.create_orders("not a list")  # type: ignore[arg-type]
            assert ticks >= 0

    asyncio.run(main())


def test_an_async_batch_is_cancelled_with_its_task(faults: Sandbox) -> None:
    async def main() -> None:
        async with cashi.AsyncClient(faults.api_key, base_url=faults.base_url) as client:
            order = await client.create_order(15600, order_id=_id())
            faults.fault(kind="latency", count=2, path="check-status", latency_ms=3000)
            task = asyncio.create_task(client.check_statuses([order.order_id] * 2))
            await asyncio.sleep(0.2)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            # The client goes on serving.
            assert (await client.check_status(order)).is_pending

    asyncio.run(main())
