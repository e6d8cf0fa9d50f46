"""What Cashi answers: orders, payment statuses and webhook events (immutable).

Their fields are declared once, in the core (core/src/model.rs), and generated into
``_records.py``; the classes here add what is Python's own: ``raw``, ``qr_png``, reprs
without the QR data URI. The native module builds their instances by field name.
"""

from __future__ import annotations

import inspect
import json
from dataclasses import dataclass, field, fields
from typing import Any

from ._records import (
    OrderFields,
    PaymentStatusFields,
    RetailCodeFields,
    VirtualAccountFields,
    WebhookEventFields,
)

__all__ = ["Order", "PaymentStatus", "RetailCode", "VirtualAccount", "WebhookEvent"]


def _doc(generated: type, notes: str = "") -> str:
    """A class's docstring: the core's doc and fields (the generated base's), then notes."""
    doc = inspect.cleandoc(generated.__doc__ or "")
    return f"{doc}\n\n{inspect.cleandoc(notes)}" if notes else doc


class _RawOnDemand:
    """``raw``, the whole answer as a dict, built on first read: most code never reads it,
    and converting it (for an order, the QR data URI a second time) was most of a call's
    cost in Python. ``_raw`` holds the native answer or the webhook's body until then."""

    _raw: Any

    @property
    def raw(self) -> dict[str, Any]:
        """Cashi's whole answer (or the webhook's body) as a dict, built on first read."""
        raw = self._raw
        if type(raw) is not dict:
            raw = json.loads(raw) if isinstance(raw, bytes) else raw.to_dict()
            object.__setattr__(self, "_raw", raw)  # once; the model stays immutable
        parsed: dict[str, Any] = raw
        return parsed


@dataclass(frozen=True)
class VirtualAccount(VirtualAccountFields):
    __doc__ = _doc(VirtualAccountFields, "Channels BCA, MANDIRI, BNI, BRI, BSI.")


@dataclass(frozen=True)
class RetailCode(RetailCodeFields):
    __doc__ = _doc(RetailCodeFields, "Channels ALFAMART, INDOMARET; shown at the till.")


@dataclass(frozen=True)
class Order(OrderFields):
    __doc__ = _doc(
        OrderFields,
        """
        Store ``amount`` with the order: it is what the customer pays (the requested amount
        plus a unique code of 1-99 rupiah for QRIS), what the webhook carries, and what to
        pass to :meth:`Client.confirm` before fulfilling. ``raw`` is Cashi's whole answer,
        for fields newer than this SDK (a dict, built on first read); :meth:`qr_png` decodes
        the QR code. The repr leaves out ``qr_url``, a long data URI.
        """,
    )

    #: The core's order: its QR code and whole answer.
    _core: Any = field(repr=False, compare=False)

    @property
    def raw(self) -> dict[str, Any]:
        """Cashi's whole answer as a dict, built on first read."""
        raw: dict[str, Any] = self._core.raw()
        return raw

    def qr_png(self) -> bytes:
        """The QR code as PNG bytes, decoded from ``qr_url``.

        Raises:
            DecodeError: The order has no QR (not a QRIS order) or ``qr_url`` is not a PNG.
        """
        png: bytes = self._core.qr_png()
        return png

    def __repr__(self) -> str:
        shown = (f for f in fields(self) if f.repr and f.name != "qr_url")
        values = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in shown)
        return f"{type(self).__qualname__}({values})"


@dataclass(frozen=True)
class PaymentStatus(PaymentStatusFields, _RawOnDemand):
    __doc__ = _doc(
        PaymentStatusFields,
        """
        Only the exact upper-case words ``PENDING``, ``SETTLED`` and ``EXPIRED`` are known:
        another letter case (``"settled"``) or an unknown word is neither settled, pending,
        expired nor final. Before fulfilling, compare the amount too: :meth:`Client.confirm`
        does both. ``raw`` is Cashi's whole answer (a dict, built on first read).
        """,
    )

    _raw: Any = field(repr=False, compare=False)


@dataclass(frozen=True)
class WebhookEvent(WebhookEventFields, _RawOnDemand):
    __doc__ = _doc(
        WebhookEventFields,
        """
        Order ids starting with ``TEST-`` come from the dashboard's "Test Webhook" button
        (``is_test``). An event read without a signature (:meth:`Webhook.parse_unverified`)
        has ``is_verified`` false: a hint that the order may be paid, which
        :meth:`Client.confirm` with the stored amount decides. ``raw`` is the whole body,
        parsed on first read.
        """,
    )

    _raw: Any = field(repr=False, compare=False)
    #: The body, for :meth:`Client.confirm` (``_raw`` becomes the dict once read).
    _body: bytes = field(repr=False, compare=False)
