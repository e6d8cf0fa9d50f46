"""Python soak, fork and thread checks against a running sandbox (scripts/robustness.sh).

    CASHI_API_KEY=... CASHI_BASE_URL=... python soak.py [CALLS]

Mixed calls on one client with resident memory after warm-up and at the end; 20 children
forked after the client was used, each making calls; 8 threads x 500 calls on one client.
Prints `soak:`, `fork:` and `threads:` lines; exits non-zero on any failure.
"""

import os
import sys
import threading

import cashi


def rss_kib() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def soak(client: cashi.Client, calls: int) -> None:
    webhook = cashi.Webhook("sk_soak")
    body = cashi.testing.webhook_body("SOAK", 15023)
    signature = cashi.testing.sign("sk_soak", body)
    start = 0
    warm = calls // 10
    for i in range(calls):
        if i == warm:
            start = rss_kib()
        kind = i % 4
        if kind == 0:
            client.create_order(40_000 + 100 * (i // 4), order_id=f"PYSOAK-{os.getpid()}-{i}")
        elif kind == 1:
            client.check_status(f"PYSOAK-{os.getpid()}-{i - 1}")
        elif kind == 2:
            try:
                client.check_status("MISSING")
                raise AssertionError("MISSING was found")
            except cashi.NotFoundError:
                pass
        else:
            webhook.verify(body, signature)
    end = rss_kib()
    per_call = (end - start) * 1024 / (calls - warm)
    print(f"soak: python, {calls} calls, RSS after warm-up {start} KiB, at the end {end} KiB ({per_call:.1f} B/call)")
    assert per_call < 512, f"memory grew {per_call:.0f} bytes per call"


def fork_children(client: cashi.Client, children: int) -> None:
    order = client.create_order(15_000, order_id=f"PYFORK-{os.getpid()}")
    pids = []
    for n in range(children):
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                for _ in range(5):
                    assert client.check_status(order.order_id).order_id == order.order_id
                child = client.create_order(60_000 + 100 * n, order_id=f"PYFORK-{os.getppid()}-{n}")
                assert child.requested_amount == 60_000 + 100 * n
                code = 0
            finally:
                os._exit(code)
        pids.append(pid)
    failed = sum(1 for pid in pids if os.waitpid(pid, 0)[1] != 0)
    client.check_status(order.order_id)  # the parent still works
    print(f"fork: python, {children} children each made 6 calls after the parent used the client, {failed} failed")
    assert failed == 0


def threads(client: cashi.Client, per_thread: int) -> None:
    errors: list[BaseException] = []

    def work(t: int) -> None:
        try:
            for i in range(per_thread):
                oid = f"PYTHR-{os.getpid()}-{t}-{i}"
                order = client.create_order(100_000 + 100 * (t * per_thread + i), order_id=oid)
                assert client.check_status(oid).amount == order.amount
        except BaseException as e:  # reported below
            errors.append(e)

    pool = [threading.Thread(target=work, args=(t,)) for t in range(8)]
    for th in pool:
        th.start()
    for th in pool:
        th.join()
    print(f"threads: python, 8 threads x {per_thread} x 2 calls on one client, {len(errors)} errors")
    assert not errors, errors[0]


def main() -> int:
    calls = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    client = cashi.Client()
    soak(client, calls)
    fork_children(client, 20)
    threads(client, int(os.environ.get("CASHI_THREAD_CALLS", "500")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
