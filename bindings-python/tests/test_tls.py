"""HTTPS with a CA of one's own: a sandbox started with ``--tls``, trusted through its CA
certificate's file with ``ca_bundle`` (Client and AsyncClient); without it the certificate
is refused, and a bundle that cannot be used is an invalid_argument naming the path."""

from __future__ import annotations

import asyncio
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import cashi
from conftest import API_KEY, _sandbox_bin


class TlsSandbox:
    def __init__(self, base_url: str, ca: Path) -> None:
        self.base_url = base_url
        self.ca = ca


@pytest.fixture(scope="module")
def tls_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsSandbox]:
    ca = tmp_path_factory.mktemp("tls") / "ca.pem"
    process = subprocess.Popen(
        [
            _sandbox_bin(),
            "--port",
            "0",
            "--api-key",
            API_KEY,
            "--quiet",
            "--tls",
            "--tls-ca-out",
            str(ca),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    first = process.stdout.readline().strip()
    assert first.startswith("listening on https://127.0.0.1:"), first
    threading.Thread(target=process.stdout.read, daemon=True).start()
    try:
        yield TlsSandbox(first.removeprefix("listening on ") + "/api", ca)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(autouse=True)
def no_bundle_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CASHI_CA_BUNDLE", raising=False)
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)


def test_the_sandbox_is_trusted_with_its_ca_bundle(tls_sandbox: TlsSandbox, order_id: str) -> None:
    for ca_bundle in (tls_sandbox.ca, str(tls_sandbox.ca)):  # os.PathLike or str
        client = cashi.Client(API_KEY, base_url=tls_sandbox.base_url, ca_bundle=ca_bundle)
        assert client.base_url.startswith("https://")
    order = client.create_order(15000, order_id=order_id)
    assert order.amount > 15000
    assert client.check_status(order_id).status == "PENDING"


def test_the_async_client_too(tls_sandbox: TlsSandbox, order_id: str) -> None:
    async def run() -> cashi.PaymentStatus:
        async with cashi.AsyncClient(
            API_KEY, base_url=tls_sandbox.base_url, ca_bundle=tls_sandbox.ca
        ) as client:
            await client.create_order(15000, order_id=order_id)
            return await client.check_status(order_id)

    assert asyncio.run(run()).status == "PENDING"


def test_without_the_bundle_the_certificate_is_refused(tls_sandbox: TlsSandbox) -> None:
    client = cashi.Client(API_KEY, base_url=tls_sandbox.base_url, max_retries=0)
    with pytest.raises(cashi.APIConnectionError) as e:
        client.check_status("PY-TLS-NONE")
    assert e.value.code == "connection"
    assert "invalid peer certificate" in e.value.message
    assert "ca_bundle" in e.value.message


def test_a_bad_bundle_is_an_invalid_argument_naming_the_path(
    tls_sandbox: TlsSandbox, tmp_path: Path
) -> None:
    not_pem = tmp_path / "not.pem"
    not_pem.write_text("PY-JUNK-CONTENT is not a certificate\n")
    missing = tmp_path / "missing.pem"
    for client_class in (cashi.Client, cashi.AsyncClient):
        for path, says in ((missing, "cannot be read"), (not_pem, "holds no PEM certificate")):
            with pytest.raises(cashi.InvalidRequestError) as e:
                client_class(API_KEY, base_url=tls_sandbox.base_url, ca_bundle=path)
            assert e.value.code == "invalid_argument"
            assert e.value.message.startswith(f"ca_bundle: {path} "), e.value.message
            assert says in e.value.message
            assert "JUNK" not in e.value.message
    with pytest.raises(
        cashi.InvalidRequestError, match=r"^invalid_argument: ca_bundle: must be a path"
    ):
        cashi.Client(API_KEY, base_url=tls_sandbox.base_url, ca_bundle=5)  # type: ignore[arg-type]
