# The native module: thin glue over the Rust core. Use the `cashi` package, not this.
from collections.abc import Callable
from typing import Any, final

from typing_extensions import TypeAlias

from cashi._errors import CashiError
from cashi._models import Order, PaymentStatus, WebhookEvent

__all__ = [
    "BATCH_IN_FLIGHT",
    "CORE_VERSION",
    "DEFAULT_BASE_URL",
    "DEFAULT_WAIT",
    "MAX_BATCH_ITEMS",
    "SIGNATURE_HEADER",
    "Client",
    "LoopInbox",
    "OrderCore",
    "Pending",
    "RawJson",
    "Webhook",
    "__version__",
    "error_codes",
    "set_log_threshold",
    "sign",
    "webhook_body",
]

__version__: str
CORE_VERSION: str
DEFAULT_BASE_URL: str
SIGNATURE_HEADER: str
DEFAULT_WAIT: float
BATCH_IN_FLIGHT: int
MAX_BATCH_ITEMS: int

_Deliver: TypeAlias = Callable[[Any, bool, Any], None]
# An item of a batch: what the call takes, or the exception it raised before the batch ran.
_StatusItem: TypeAlias = str | CashiError
_OrderItem: TypeAlias = tuple[object, str | None, str | None, str | None] | CashiError

@final
class RawJson:
    def to_dict(self) -> dict[str, Any]: ...

@final
class OrderCore:
    def __new__(cls, body: str, requested_amount: int, order_id: str) -> OrderCore: ...
    def raw(self) -> dict[str, Any]: ...
    def qr_png(self) -> bytes: ...

@final
class LoopInbox:
    def __new__(cls) -> LoopInbox: ...
    def fileno(self) -> int: ...
    def drain(self, deliver: _Deliver) -> None: ...

@final
class Pending:
    def cancel(self) -> None: ...

@final
class Client:
    def __new__(
        cls,
        api_key: str | None,
        base_url: str | None,
        timeout: object,
        connect_timeout: object,
        max_retries: object,
        ca_bundle: str | None = None,
    ) -> Client: ...
    @property
    def base_url(self) -> str: ...
    @property
    def user_agent(self) -> str: ...
    def create_order(
        self, amount: object, order_id: str | None, channel: str | None, extra: str | None
    ) -> Order: ...
    def check_status(self, order_id: str) -> PaymentStatus: ...
    def wait_for_payment(self, order_id: str, timeout: object) -> PaymentStatus: ...
    def confirm(self, order_id: str, expected_amount: object) -> PaymentStatus: ...
    def confirm_event(self, verified_body: bytes, expected_amount: object) -> PaymentStatus: ...
    def check_statuses(self, items: list[_StatusItem]) -> list[PaymentStatus | CashiError]: ...
    def create_orders(self, items: list[_OrderItem]) -> list[Order | CashiError]: ...
    def create_order_async(
        self,
        amount: object,
        order_id: str | None,
        channel: str | None,
        extra: str | None,
        inbox: LoopInbox,
        future: Any,
    ) -> Pending: ...
    def check_status_async(self, order_id: str, inbox: LoopInbox, future: Any) -> Pending: ...
    def wait_for_payment_async(
        self, order_id: str, timeout: object, inbox: LoopInbox, future: Any
    ) -> Pending: ...
    def confirm_async(
        self, order_id: str, expected_amount: object, inbox: LoopInbox, future: Any
    ) -> Pending: ...
    def confirm_event_async(
        self, verified_body: bytes, expected_amount: object, inbox: LoopInbox, future: Any
    ) -> Pending: ...
    def check_statuses_async(
        self, items: list[_StatusItem], inbox: LoopInbox, future: Any
    ) -> Pending: ...
    def create_orders_async(
        self, items: list[_OrderItem], inbox: LoopInbox, future: Any
    ) -> Pending: ...

@final
class Webhook:
    def __new__(cls, secrets: list[bytes]) -> Webhook: ...
    def verify(self, raw_body: bytes, signature: str) -> WebhookEvent: ...
    def verify_headers(self, raw_body: bytes, headers: list[tuple[str, str]]) -> WebhookEvent: ...
    @staticmethod
    def parse_unverified(raw_body: bytes) -> WebhookEvent: ...
    @staticmethod
    def is_signed(headers: list[tuple[str, str]]) -> bool: ...

def sign(secret: bytes, body: bytes) -> str: ...
def webhook_body(order_id: str, amount: object) -> str: ...
def error_codes() -> tuple[str, ...]: ...
def set_log_threshold(level: int) -> None: ...
