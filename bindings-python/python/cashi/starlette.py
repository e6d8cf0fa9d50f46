"""Cashi's webhook in Starlette and FastAPI: an async endpoint on :class:`cashi.AsyncClient`.

::

    from cashi.starlette import webhook_endpoint

    endpoint = webhook_endpoint(
        secret=os.environ["CASHI_WEBHOOK_SECRET"],
        client=cashi.AsyncClient(),                    # CASHI_API_KEY
        expected_amount=amount_to_pay,                 # async or not: order_id -> int | None
        on_paid=fulfil,                                # (order_id, amount, event), once per order
        already_fulfilled=is_fulfilled,
    )
    app.add_api_route("/webhooks/cashi", endpoint, methods=["POST"], include_in_schema=False)  # FastAPI
    Starlette(routes=[Route("/webhooks/cashi", endpoint, methods=["POST"])])                    # Starlette

The endpoint reads the raw body (``await request.body()``), confirms with the
:class:`cashi.AsyncClient` without blocking the event loop, awaits coroutine callbacks, and
answers as :class:`cashi.WebhookHandler` decides. Plain-function callbacks run on the event
loop: keep them quick, or make them ``async``. Starlette is imported here only: it is not a
dependency of the ``cashi`` package.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from ._client import AsyncClient
from ._handler import WebhookHandler

__all__ = ["webhook_endpoint", "webhook_route"]


def webhook_endpoint(
    handler: WebhookHandler | None = None, /, **options: Any
) -> Callable[[Request], Awaitable[Response]]:
    """An async endpoint answering Cashi's webhook.

    Pass a :class:`cashi.WebhookHandler` made with an :class:`cashi.AsyncClient`, or its
    arguments (``secret``, ``client``, ``expected_amount``, ``on_paid``,
    ``already_fulfilled``, ``on_mismatch``, ``allow_unsigned``); without ``client`` an
    :class:`cashi.AsyncClient` is made from ``CASHI_API_KEY``.
    """
    if handler is None:
        if options.get("client") is None:
            options["client"] = AsyncClient()
        handler = WebhookHandler(**options)
    elif options:
        raise TypeError("pass a WebhookHandler or its arguments, not both")
    elif not isinstance(handler, WebhookHandler):
        raise TypeError(f"handler must be a cashi.WebhookHandler, not {type(handler).__name__}")
    if not handler.is_async:
        raise TypeError(
            "the endpoint is async: make the WebhookHandler with a cashi.AsyncClient, so that "
            "confirm does not block the event loop"
        )
    chosen = handler

    async def cashi_webhook(request: Request) -> Response:
        answer = await chosen.handle_async(await request.body(), request.headers)
        return PlainTextResponse(answer.text, status_code=answer.status)

    return cashi_webhook


def webhook_route(
    path: str = "/webhooks/cashi", handler: WebhookHandler | None = None, /, **options: Any
) -> Route:
    """A Starlette ``Route`` (POST) for :func:`webhook_endpoint`: ``Starlette(routes=[...])``,
    or ``app.router.routes.append(...)`` in FastAPI."""
    return Route(path, webhook_endpoint(handler, **options), methods=["POST"])
