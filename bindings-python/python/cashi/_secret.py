"""Keeping the API key and webhook secrets out of reprs and tracebacks.

A traceback that shows each frame's local variables (``pytest -l``, Django's debug page,
rich, Sentry) shows every argument of every SDK function it passes through. So the
functions that receive a secret first move it into a :class:`Redacted` and delete the
argument, and raise only from frames whose locals hold nothing but the wrapper.
"""

from __future__ import annotations

from typing import Any, NoReturn

from ._errors import _invalid


class Redacted:
    """Holds a secret; its repr and str never show it, and it does not pickle."""

    __slots__ = ("_value",)

    def __init__(self, value: object) -> None:
        self._value = value

    def __repr__(self) -> str:
        return "<redacted>"

    __str__ = __repr__

    def __reduce__(self) -> NoReturn:
        raise TypeError("a Cashi secret is not pickled")

    def reveal(self) -> Any:
        """The secret itself: pass it straight to a call, never keep it in a variable."""
        return self._value

    def text_or_none(self, field: str) -> str | None:
        """The secret as a str (``None`` stays ``None``); anything else is refused by type."""
        if self._value is None or isinstance(self._value, str):
            return self._value
        # The type, never the value.
        raise _invalid(f"{field}: must be a str, not {type(self._value).__name__}")

    def as_bytes(self, field: str) -> bytes:
        """The secret as bytes (a str as UTF-8); anything else is a TypeError naming its type."""
        if isinstance(self._value, str):
            return self._value.encode("utf-8")
        if isinstance(self._value, (bytes, bytearray, memoryview)):
            return bytes(self._value)
        raise TypeError(f"{field} must be a str or bytes, not {type(self._value).__name__}")

    def secret_list(self) -> tuple[Redacted, None] | tuple[None, str]:
        """One secret or an iterable of them as a (redacted) list of bytes, or why not. Returns
        instead of raising: this frame's locals hold the secrets, so no traceback may pass
        through it."""
        value: Any = self._value
        if isinstance(value, (str, bytes, bytearray)):
            items: list[Any] = [value]
        else:
            try:
                items = list(value)
            except TypeError:
                return None, (
                    f"secret must be a str, bytes or a list of them, not {type(value).__name__}"
                )
            except Exception as e:  # an iterator of the caller's that failed
                return None, f"reading the secrets failed with {type(e).__name__}"
        encoded = []
        for item in items:
            if isinstance(item, str):
                encoded.append(item.encode("utf-8"))
            elif isinstance(item, (bytes, bytearray)):
                encoded.append(bytes(item))
            else:
                return None, f"each secret must be a str or bytes, not {type(item).__name__}"
        return Redacted(encoded), None
