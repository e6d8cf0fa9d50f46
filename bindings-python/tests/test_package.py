"""The installed package: where it comes from, what importing it does, docs and stubs."""

from __future__ import annotations

import ast
import importlib.metadata
import inspect
import pydoc
import re
import subprocess
import sys
import sysconfig
from pathlib import Path

import cashi
from cashi import _cashi

PUBLIC_CLASSES = [
    cashi.Client,
    cashi.AsyncClient,
    cashi.Webhook,
    cashi.Order,
    cashi.PaymentStatus,
    cashi.WebhookEvent,
    cashi.WebhookHandler,
    cashi.WebhookResponse,
    cashi.VirtualAccount,
    cashi.RetailCode,
    cashi.CashiError,
    cashi.InvalidRequestError,
    cashi.AuthenticationError,
    cashi.NotFoundError,
    cashi.ConflictError,
    cashi.RateLimitError,
    cashi.ServerError,
    cashi.APIError,
    cashi.APIConnectionError,
    cashi.APITimeoutError,
    cashi.DecodeError,
    cashi.SignatureVerificationError,
    cashi.WebhookPayloadError,
    cashi.PaymentMismatchError,
    cashi.InternalError,
]


def test_tested_package_is_the_installed_wheel() -> None:
    installed = Path(sysconfig.get_paths()["purelib"]).resolve()
    assert Path(cashi.__file__).resolve().is_relative_to(installed), cashi.__file__
    assert Path(_cashi.__file__).name.startswith("_cashi")
    assert (Path(cashi.__file__).parent / "py.typed").exists()
    assert (Path(cashi.__file__).parent / "_cashi.pyi").exists()
    assert cashi.__version__ == _cashi.__version__


def test_the_wheel_carries_the_licences_and_the_third_party_notices() -> None:
    files = {f.name for f in importlib.metadata.files("cashi") or []}
    assert {"LICENSE-MIT", "LICENSE-APACHE", "THIRD-PARTY-NOTICES.txt"} <= files, sorted(files)
    notices = (Path(cashi.__file__).parent / "THIRD-PARTY-NOTICES.txt").read_text(encoding="utf-8")
    assert re.search(r"^pyo3 +\S+ +MIT OR Apache-2.0$", notices, re.MULTILINE)


def test_version_is_the_workspaces() -> None:
    """Every package ships at the workspace's version (scripts/check-versions.py)."""
    cargo = (Path(__file__).resolve().parents[2] / "Cargo.toml").read_text(encoding="utf-8")
    workspace = re.search(r'^\[workspace\.package\]\nversion = "([^"]+)"$', cargo, re.MULTILINE)
    assert workspace, "no [workspace.package] version in Cargo.toml"
    assert cashi.__version__ == workspace.group(1)


def _threads_in_fresh_interpreter(code: str) -> list[int]:
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    return [int(x) for x in out.split()]


def test_import_starts_no_threads() -> None:
    counts = _threads_in_fresh_interpreter(
        "import asyncio, os\n"
        "n = lambda: len(os.listdir('/proc/self/task'))\n"
        "before = n()\n"
        "import cashi\n"
        "after_import = n()\n"
        "c = cashi.Client('CASHI-X1', base_url='http://127.0.0.1:1/api', max_retries=0)\n"
        "w = cashi.Webhook('sk_x')\n"
        "after_setup = n()\n"
        "try:\n"
        "    c.check_status('INV-1')\n"
        "except cashi.APIConnectionError:\n"
        "    pass\n"
        "after_sync = n()\n"
        "async def call():\n"
        "    url = 'http://127.0.0.1:1/api'\n"
        "    async with cashi.AsyncClient('CASHI-X1', base_url=url, max_retries=0) as a:\n"
        "        try:\n"
        "            await a.check_status('INV-1')\n"
        "        except cashi.APIConnectionError:\n"
        "            pass\n"
        "asyncio.run(call())\n"
        "print(before, after_import, after_setup, after_sync, n())\n"
    )
    before, after_import, after_setup, after_sync, after_async = counts
    assert after_import == before
    assert after_setup == before  # building a client or verifier starts nothing either
    assert after_sync == before  # a sync call runs on the caller's own thread
    assert after_async > before  # the shared runtime starts with the first async call


def test_every_public_name_is_exported() -> None:
    for name in cashi.__all__:
        assert hasattr(cashi, name), name
    assert {cls.__name__ for cls in PUBLIC_CLASSES} <= set(cashi.__all__)


def test_docstrings_on_every_public_class_and_method() -> None:
    assert cashi.__doc__ and cashi.testing.__doc__
    for cls in PUBLIC_CLASSES:
        assert cls.__doc__ and cls.__doc__.strip(), cls
        for name, member in vars(cls).items():
            if name.startswith("_") and name not in ("__init__",):
                continue
            if inspect.isfunction(member) or isinstance(member, property):
                if name == "__init__":
                    continue  # documented on the class
                assert member.__doc__ and member.__doc__.strip(), f"{cls.__name__}.{name}"
    for fn in (cashi.testing.sign, cashi.testing.webhook_body, cashi.testing.signed_headers):
        assert fn.__doc__
    text = pydoc.render_doc(cashi.Client, renderer=pydoc.plaintext)
    assert "Creates an order" in text
    assert "PaymentMismatchError" in text
    text = pydoc.render_doc(cashi.Webhook.verify, renderer=pydoc.plaintext)
    assert "raw request body" in text.lower() or "raw body" in text.lower()


def test_native_stub_matches_the_module() -> None:
    """Every name in _cashi.pyi exists in the native module, and the other way round."""
    stub = ast.parse((Path(_cashi.__file__).parent / "_cashi.pyi").read_text())
    stub_names: dict[str, set[str]] = {}
    for node in stub.body:
        if isinstance(node, ast.ClassDef):
            stub_names[node.name] = {n.name for n in node.body if isinstance(n, ast.FunctionDef)}
        elif isinstance(node, ast.FunctionDef):
            stub_names[node.name] = set()
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            stub_names[node.target.id] = set()
    runtime = {n for n in dir(_cashi) if not (n.startswith("__") and n != "__version__")}
    stub_public = {n for n in stub_names if not n.startswith("_") or n == "__version__"}
    assert stub_public == runtime
    for name, methods in stub_names.items():
        obj = getattr(_cashi, name, None)
        for method in methods:
            assert hasattr(obj, method), f"{name}.{method}"
        if inspect.isclass(obj):
            real = {m for m in vars(obj) if not m.startswith("_")}
            assert real <= methods, f"{name}: {real - methods} missing from the stub"
