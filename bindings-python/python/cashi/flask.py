"""Cashi's webhook in Flask: a view, or a blueprint holding it.

::

    from cashi.flask import webhook_blueprint

    app.register_blueprint(webhook_blueprint(
        "/webhooks/cashi",
        secret=os.environ["CASHI_WEBHOOK_SECRET"],
        client=cashi.Client(),                        # CASHI_API_KEY
        expected_amount=lambda order_id: db.amount_to_pay(order_id),   # None: unknown
        on_paid=lambda order_id, amount, event: db.fulfil(order_id),  # once per order id
        already_fulfilled=lambda order_id: db.is_fulfilled(order_id),
    ))

The view reads the raw body (``request.get_data()``) and answers as
:class:`cashi.WebhookHandler` decides (400 bad signature, 200 test / repeat / fulfilled,
409 payment refused by ``confirm``, 500 or 503 so that Cashi retries). Flask is imported
here only: it is not a dependency of the ``cashi`` package. With Flask-WTF's CSRFProtect,
exempt the blueprint (``csrf.exempt(blueprint)``): Cashi sends no CSRF token.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from ._handler import WebhookHandler

__all__ = ["webhook_blueprint", "webhook_view"]


def webhook_view(handler: WebhookHandler | None = None, /, **options: Any) -> Any:
    """A Flask view function answering Cashi's webhook.

    Pass a :class:`cashi.WebhookHandler`, or its arguments (``secret``, ``client``,
    ``expected_amount``, ``on_paid``, ``already_fulfilled``, ``on_mismatch``,
    ``allow_unsigned``) to make one. Mount it for POST:
    ``app.add_url_rule("/webhooks/cashi", view_func=webhook_view(...), methods=["POST"])``.
    """
    handler = _handler(handler, options)

    def cashi_webhook() -> Response:
        answer = handler.handle(request.get_data(), request.headers)
        return Response(answer.text, status=answer.status, mimetype="text/plain")

    return cashi_webhook


def webhook_blueprint(
    path: str = "/webhooks/cashi",
    handler: WebhookHandler | None = None,
    /,
    *,
    name: str = "cashi_webhook",
    **options: Any,
) -> Blueprint:
    """A blueprint with the webhook view at ``path`` (POST only); arguments as :func:`webhook_view`."""
    blueprint = Blueprint(name, __name__)
    blueprint.add_url_rule(
        path, view_func=webhook_view(_handler(handler, options)), methods=["POST"]
    )
    return blueprint


def _handler(handler: WebhookHandler | None, options: dict[str, Any]) -> WebhookHandler:
    if handler is None:
        return WebhookHandler(**options)
    if options:
        raise TypeError("pass a WebhookHandler or its arguments, not both")
    if not isinstance(handler, WebhookHandler):
        raise TypeError(f"handler must be a cashi.WebhookHandler, not {type(handler).__name__}")
    if handler.is_async:
        raise TypeError("Flask views are synchronous: make the WebhookHandler with a cashi.Client")
    return handler
