"""Threads, asyncio and fork."""

from __future__ import annotations

import asyncio
import os
import sys
import threading
import uuid
import warnings
from concurrent.futures import ThreadPoolExecutor

import pytest

import cashi
from conftest import Sandbox


def _id() -> str:
    return f"PY-{uuid.uuid4().hex[:16]}"


def test_eight_threads_share_one_client(client: cashi.Client, sandbox: Sandbox) -> None:
    def work(n: int) -> tuple[int, int, str]:
        # Amounts 100 apart: Cashi's unique codes (1-99) must keep the amounts to pay apart.
        order = client.create_order(50000 + 100 * n, order_id=_id())
        sandbox.pay(order.order_id)
        status = client.confirm(order.order_id, order.amount)
        return order.requested_amount, status.amount or 0, status.status

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, range(40)))
    assert len(results) == 40
    for n, (requested, paid, state) in enumerate(results):
        assert requested == 50000 + 100 * n
        assert paid > requested
        assert state == "SETTLED"


def test_gil_is_released_while_waiting(client: cashi.Client, faults: Sandbox) -> None:
    """While one thread waits on a slow answer, another keeps running Python code."""
    order = client.create_order(15000, order_id=_id())
    faults.fault(kind="latency", count=1, path="check-status", latency_ms=1000)
    started = threading.Event()
    done = threading.Event()

    def slow_call() -> None:
        started.set()
        client.check_status(order.order_id)
        done.set()

    worker = threading.Thread(target=slow_call)
    worker.start()
    started.wait()
    spins = 0
    while not done.is_set():
        # Pure Python work; with the GIL held by the waiting call this could not run.
        sum(range(1000))
        spins += 1
    worker.join()
    assert spins > 100


def test_asyncio_200_concurrent_calls_keep_the_loop_responsive(
    sandbox: Sandbox, faults: Sandbox
) -> None:
    async def main() -> tuple[list[cashi.PaymentStatus], int, int]:
        async with cashi.AsyncClient(sandbox.api_key, base_url=sandbox.base_url) as client:
            orders = await asyncio.gather(
                *(client.create_order(20000 + 100 * n, order_id=_id()) for n in range(200))
            )
            # Every status read answers late: the loop must keep running meanwhile.
            faults.fault(kind="latency", count=200, path="check-status", latency_ms=300)
            ticks = 0
            stop = asyncio.Event()

            async def ticker() -> None:
                nonlocal ticks
                while not stop.is_set():
                    ticks += 1
                    await asyncio.sleep(0.001)

            tick_task = asyncio.create_task(ticker())
            ticks_before = ticks
            statuses = await asyncio.gather(*(client.check_status(o) for o in orders))
            ticks_during = ticks - ticks_before
            stop.set()
            await tick_task
            for order, status in zip(orders, statuses):
                assert status.order_id == order.order_id
                assert status.amount == order.amount
            return statuses, ticks_during, len({o.order_id for o in orders})

    statuses, ticks_during, distinct = asyncio.run(main())
    assert len(statuses) == 200 and distinct == 200
    assert all(s.status == "PENDING" for s in statuses)
    # The loop ticked while 200 slow calls were in flight (each takes >= 300 ms).
    assert ticks_during > 20


def test_asyncio_all_methods_and_errors(sandbox: Sandbox) -> None:
    async def main() -> None:
        client = cashi.AsyncClient(sandbox.api_key, base_url=sandbox.base_url)
        order = await client.create_order(15000, order_id=_id(), channel=None)
        assert order.qr_png().startswith(b"\x89PNG")
        assert (await client.check_status(order)).status == "PENDING"
        with pytest.raises(cashi.PaymentMismatchError):
            await client.confirm(order, order.amount)
        sandbox.pay(order.order_id)
        assert (await client.wait_for_payment(order, timeout=30)).is_settled
        assert (await client.confirm(order.order_id, order.amount)).is_settled
        with pytest.raises(cashi.NotFoundError) as info:
            await client.check_status("PY-does-not-exist")
        assert info.value.status == 404
        with pytest.raises(cashi.InvalidRequestError):
            await client.create_order(True)
        with pytest.raises(cashi.InvalidRequestError):
            await client.wait_for_payment(order, timeout=-1)
        with pytest.raises(cashi.ConflictError):
            await client.create_order(15000, order_id=order.order_id)
        bad = cashi.AsyncClient("CASHI-WRONGKEY999", base_url=sandbox.base_url)
        with pytest.raises(cashi.AuthenticationError):
            await bad.check_status(order)

    asyncio.run(main())


def test_asyncio_cancellation_stops_the_call(client: cashi.Client, faults: Sandbox) -> None:
    order = client.create_order(15000, order_id=_id())
    # A harmless fault on every status read: its remaining count shows how many polls came.
    faults.fault(kind="patch", count=1000, path="check-status", set={"polled": True})

    def remaining() -> int:
        return int(faults.control("GET", "faults")["faults"][0]["count"])

    async def main() -> list[dict[str, object]]:
        loop_errors: list[dict[str, object]] = []
        asyncio.get_running_loop().set_exception_handler(lambda _, ctx: loop_errors.append(ctx))
        async_client = cashi.AsyncClient(faults.api_key, base_url=faults.base_url)
        task = asyncio.create_task(async_client.wait_for_payment(order, timeout=600))
        await asyncio.sleep(1.5)  # the first polls have been made
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        after_cancel = remaining()
        assert after_cancel < 1000
        await asyncio.sleep(3)  # several poll intervals: a poller still running would poll
        assert remaining() == after_cancel
        # The loop and the client go on working.
        status = await async_client.check_status(order)
        assert status.status == "PENDING" and status.raw["polled"] is True
        return loop_errors

    assert asyncio.run(main()) == []


def test_a_result_for_a_cancelled_future_is_dropped() -> None:
    """The race where the answer was already on its way when the call was cancelled."""
    from cashi._client import _deliver

    async def main() -> None:
        loop = asyncio.get_running_loop()
        for ok, value in ((True, {"x": 1}), (False, cashi.NotFoundError("gone", 404))):
            future: asyncio.Future[object] = loop.create_future()
            future.cancel()
            _deliver(future, ok, value)  # no InvalidStateError
            assert future.cancelled()
        future = loop.create_future()
        _deliver(future, True, 7)
        assert future.result() == 7

    asyncio.run(main())


def test_one_async_client_across_loops(sandbox: Sandbox) -> None:
    client = cashi.AsyncClient(sandbox.api_key, base_url=sandbox.base_url)
    ids = [asyncio.run(client.create_order(15000, order_id=_id())).order_id for _ in range(3)]
    assert len(set(ids)) == 3


def test_loops_in_several_threads_each_get_their_own_answers(sandbox: Sandbox) -> None:
    """Answers travel through one inbox per event loop: with four loops running at once in
    four threads, every answer must reach the loop (and the call) that asked for it."""
    client = cashi.AsyncClient(sandbox.api_key, base_url=sandbox.base_url)

    async def calls(thread: int) -> list[tuple[str, str, int, int | None]]:
        orders = await asyncio.gather(
            *(client.create_order(30000 + 100 * n + thread, order_id=_id()) for n in range(25))
        )
        statuses = await asyncio.gather(*(client.check_status(o) for o in orders))
        return [(o.order_id, s.order_id, o.amount, s.amount) for o, s in zip(orders, statuses)]

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda t: asyncio.run(calls(t)), range(4)))
    pairs = [pair for result in results for pair in result]
    assert len(pairs) == 100 and len({p[0] for p in pairs}) == 100
    assert all(asked == answered for asked, answered, _, _ in pairs)
    assert all(ordered == reported for _, _, ordered, reported in pairs)


def test_client_used_before_fork_works_in_child(client: cashi.Client, sandbox: Sandbox) -> None:
    order = client.create_order(15000, order_id=_id())  # runtime and pool now exist
    assert client.check_status(order).status == "PENDING"
    async_client = cashi.AsyncClient(sandbox.api_key, base_url=sandbox.base_url)
    asyncio.run(async_client.check_status(order))
    with warnings.catch_warnings():
        # Python 3.12+ warns about forking a process with threads: that is the point here.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the child
        code = 1
        try:
            child_order = client.create_order(16000, order_id=_id())
            sandbox.pay(child_order.order_id)
            client.confirm(child_order, child_order.amount)
            status = asyncio.run(async_client.check_status(order))
            code = 0 if status.status == "PENDING" else 2
        except BaseException as e:
            print(f"child failed: {e!r}", file=sys.stderr)
        finally:
            os._exit(code)
    _, wait_status = os.waitpid(pid, 0)
    assert os.WIFEXITED(wait_status) and os.WEXITSTATUS(wait_status) == 0
    # The parent still works too.
    assert client.check_status(order).status == "PENDING"


_ASYNC_THEN_EXIT = """
import asyncio, cashi
async def main():
    async with cashi.AsyncClient('CASHI-X1', base_url='http://127.0.0.1:1/api', max_retries=0) as c:
        for _ in range(3):
            try:
                await c.check_status('INV-1')
            except cashi.APIConnectionError:
                pass
asyncio.run(main())
"""


def test_exiting_right_after_async_calls_never_crashes() -> None:
    # A runtime thread still inside Python (delivering a result) when the interpreter
    # finalizes is killed by Python, aborting the process (SIGABRT / SIGSEGV). Runtime
    # threads never enter Python (answers wait in the loop's inbox), so an exit right after
    # async calls must always be clean; eight processes at a time make the load under which
    # such a crash would show.
    import subprocess

    def run(_: int) -> int:
        return subprocess.run(
            [sys.executable, "-c", _ASYNC_THEN_EXIT], capture_output=True
        ).returncode

    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(run, range(48)))
    assert codes == [0] * 48
