"""What the SDK did, through the standard :mod:`logging` module: the logger ``cashi``.

Every HTTP attempt, finished call and webhook verification is one record: DEBUG for an
attempt that got its answer, INFO for a finished call or an accepted webhook, WARNING for
a failed attempt (retried or not), a failed call or a refused webhook. The message is the
core's log line (the same in every language); ``record.cashi_event`` holds the event's
fields as a dict (``type``, ``method``, ``path``, ``order_id``, ``attempt``/``attempts``,
``http_status``, ``elapsed_ms``, ``error``, ``retry_in_ms``; a webhook's ``type``,
``order_id``, ``is_test``, ``error``). Never the API key, a webhook secret or a body.

``CASHI_LOG=debug`` (or ``info``) in the environment, read at import, prints them to
stderr without any logging configuration, like ``STRIPE_LOG``.

An event the ``cashi`` logger is not enabled for never reaches Python: before each call the
logger's level is handed to the native module, which drops such events without the GIL.
"""

from __future__ import annotations

import json
import logging
import os
import warnings

from . import _cashi

__all__ = ["LOGGER"]

#: The logger every event goes to.
LOGGER = logging.getLogger("cashi")
# A library adds no handler but this one, which keeps Python's last-resort handler from
# printing the SDK's warnings when the application configured no logging at all.
LOGGER.addHandler(logging.NullHandler())

_NONE = 255  # no level enabled
_threshold = -1  # what the native module was last told


def refresh() -> None:
    """Tells the native module the least level ``cashi`` is enabled for (cheap: isEnabledFor
    is a cached lookup). Called before every call, so a level set at any time applies."""
    global _threshold
    if LOGGER.isEnabledFor(logging.DEBUG):
        level = logging.DEBUG
    elif LOGGER.isEnabledFor(logging.INFO):
        level = logging.INFO
    elif LOGGER.isEnabledFor(logging.WARNING):
        level = logging.WARNING
    else:
        level = _NONE
    if level != _threshold:
        _cashi.set_log_threshold(level)
        _threshold = level


def _emit(level: int, line: str, fields: str) -> None:
    """Called by the native module with an event the logger was enabled for."""
    if LOGGER.isEnabledFor(level):
        LOGGER.log(level, line, extra={"cashi_event": json.loads(fields)})


def _console(value: str) -> None:
    """``CASHI_LOG``: a stderr handler at that level."""
    levels = {"debug": logging.DEBUG, "info": logging.INFO}
    level = levels.get(value.strip().lower())
    if level is None:
        warnings.warn(
            f"CASHI_LOG: {value!r} is not one of debug, info; no SDK log is printed",
            RuntimeWarning,
            stacklevel=2,
        )
        return
    handler = logging.StreamHandler()
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter("%(asctime)s cashi %(levelname)s %(message)s"))
    LOGGER.addHandler(handler)
    if LOGGER.level == logging.NOTSET or LOGGER.level > level:
        LOGGER.setLevel(level)


if os.environ.get("CASHI_LOG", "").strip():
    _console(os.environ["CASHI_LOG"])
refresh()
