"""The parity probe for Python (see run.py): the fields and predicates the installed `cashi`
package exposes on real results, made against a sandbox and from a signed webhook, by the
names Python spells them (snake_case already, as the schemas).

    CASHI_SANDBOX_BIN=target/debug/cashi-sandbox \\
        python3 tests/parity/run.py python -- python tests/parity/probe.py

A name counts when the class of a result the native module built declares it (a dataclass
field, or a property) and the result carries it; `raw` (Cashi's whole answer) and methods
such as `qr_png` are not fields.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import threading
import uuid

import cashi

API_KEY = "CASHI-PARITY01"
NOT_FIELDS = {"raw"}


def exposed(result: object) -> list[str]:
    """The fields a result's class declares (the dataclass fields) and its properties, each
    of them carried by the result the native module built."""
    declared = {f.name for f in dataclasses.fields(result)}  # type: ignore[arg-type]
    for cls in type(result).__mro__:
        declared |= {name for name, m in vars(cls).items() if isinstance(m, property)}
    public = {name for name in declared if not name.startswith("_")} - NOT_FIELDS
    unset = sorted(name for name in public if not hasattr(result, name))
    if unset:
        raise SystemExit(f"{type(result).__name__}: declared but not set: {', '.join(unset)}")
    return sorted(public)


def main() -> int:
    sandbox = subprocess.Popen(
        [os.environ["CASHI_SANDBOX_BIN"], "--port", "0", "--api-key", API_KEY, "--quiet"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert sandbox.stdout is not None
        first = sandbox.stdout.readline().strip()
        if not first.startswith("listening on "):
            print(f"the sandbox did not start: {first!r}", file=sys.stderr)
            return 1
        threading.Thread(target=sandbox.stdout.read, daemon=True).start()
        client = cashi.Client(API_KEY, base_url=first.removeprefix("listening on ") + "/api")

        def order(channel: str | None) -> cashi.Order:
            return client.create_order(
                50000, order_id=f"PARITY-{uuid.uuid4().hex}", channel=channel
            )

        qris, va, retail = order(None), order("BCA"), order("ALFAMART")
        assert va.virtual_account is not None and retail.retail is not None
        body = cashi.testing.webhook_body(qris.order_id, qris.amount)
        event = cashi.Webhook("sk_parity").verify(body, cashi.testing.sign("sk_parity", body))
        results = {
            "Order": qris,
            "VirtualAccount": va.virtual_account,
            "RetailCode": retail.retail,
            "PaymentStatus": client.check_status(qris),
            "WebhookEvent": event,
        }
        print(json.dumps({name: exposed(result) for name, result in results.items()}))
        return 0
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
