"""Cashi's webhook in Django: a view, CSRF-exempt and POST-only.

::

    # urls.py
    from cashi.django import webhook_view

    urlpatterns = [
        path("webhooks/cashi", webhook_view(
            secret=settings.CASHI_WEBHOOK_SECRET,
            client=cashi.Client(),                         # CASHI_API_KEY
            expected_amount=lambda order_id: Order.objects.filter(pk=order_id)
                .values_list("amount_to_pay", flat=True).first(),   # None: unknown
            on_paid=fulfil,                                # (order_id, amount, event)
            already_fulfilled=lambda order_id: Order.objects.filter(pk=order_id, paid=True).exists(),
        )),
    ]

The view reads the raw ``request.body`` and answers as :class:`cashi.WebhookHandler`
decides. Cashi sends no CSRF token, so the view is ``csrf_exempt``: its safety is the
signature and ``confirm``. Django is imported here only: it is not a dependency of the
``cashi`` package.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ._handler import WebhookHandler

__all__ = ["webhook_view"]


def webhook_view(handler: WebhookHandler | None = None, /, **options: Any) -> Any:
    """A Django view answering Cashi's webhook (POST only, CSRF-exempt).

    Pass a :class:`cashi.WebhookHandler`, or its arguments (``secret``, ``client``,
    ``expected_amount``, ``on_paid``, ``already_fulfilled``, ``on_mismatch``,
    ``allow_unsigned``) to make one.
    """
    if handler is None:
        handler = WebhookHandler(**options)
    elif options:
        raise TypeError("pass a WebhookHandler or its arguments, not both")
    elif not isinstance(handler, WebhookHandler):
        raise TypeError(f"handler must be a cashi.WebhookHandler, not {type(handler).__name__}")
    if handler.is_async:
        raise TypeError("this view is synchronous: make the WebhookHandler with a cashi.Client")
    chosen = handler

    @csrf_exempt
    @require_POST
    def cashi_webhook(request: HttpRequest) -> HttpResponse:
        answer = chosen.handle(request.body, request.headers)
        return HttpResponse(answer.text, status=answer.status, content_type="text/plain")

    return cashi_webhook
