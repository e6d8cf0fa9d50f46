# The native module: thin glue over the Rust core. Use the `cashi` package, not this.
from collections.abc import Callable
from typing import Any, final

from typing_extensions import TypeAlias

__all__ = [
    "CORE_VERSION",
    "DEFAULT_BASE_URL",
    "SIGNATURE_HEADER",
    "Client",
    "LoopInbox",
    "Pending",
    "RawJson",
    "Webhook",
    "__version__",
    "decode_png",
    "error_codes",
    "sign",
    "webhook_body",
]

__version__: str
CORE_VERSION: str
DEFAULT_BASE_URL: str
SIGNATURE_HEADER: str

_Deliver: TypeAlias = Callable[[Any, bool, Any], None]

# The models' fields, in the order of the dataclasses in cashi._models (expires_at and
# paid_at_time as ISO 8601 text; the virtual account and retail code as tuples).
_OrderFields: TypeAlias = tuple[Any, ...]
_StatusFields: TypeAlias = tuple[str, str, int | None, str | None, bool, bool, bool, RawJson]
_EventFields: TypeAlias = tuple[Any, ...]

@final
class RawJson:
    def to_dict(self) -> dict[str, Any]: ...

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
        timeout: float,
        connect_timeout: float,
        max_retries: int,
    ) -> Client: ...
    @property
    def base_url(self) -> str: ...
    @property
    def user_agent(self) -> str: ...
    def create_order(
        self, amount: object, order_id: str | None, channel: str | None, extra: str | None
    ) -> _OrderFields: ...
    def check_status(self, order_id: str) -> _StatusFields: ...
    def wait_for_payment(self, order_id: str, timeout: float) -> _StatusFields: ...
    def confirm(self, order_id: str, expected_amount: object) -> _StatusFields: ...
    def confirm_event(self, verified_body: bytes, expected_amount: object) -> _StatusFields: ...
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
        self, order_id: str, timeout: float, inbox: LoopInbox, future: Any
    ) -> Pending: ...
    def confirm_async(
        self, order_id: str, expected_amount: object, inbox: LoopInbox, future: Any
    ) -> Pending: ...
    def confirm_event_async(
        self, verified_body: bytes, expected_amount: object, inbox: LoopInbox, future: Any
    ) -> Pending: ...

@final
class Webhook:
    def __new__(cls, secrets: list[bytes]) -> Webhook: ...
    def verify(self, raw_body: bytes, signature: str) -> _EventFields: ...
    def verify_headers(self, raw_body: bytes, headers: list[tuple[str, str]]) -> _EventFields: ...
    @staticmethod
    def parse_unverified(raw_body: bytes) -> _EventFields: ...

def sign(secret: bytes, body: bytes) -> str: ...
def webhook_body(order_id: str, amount: object) -> str: ...
def decode_png(uri: str) -> bytes: ...
def error_codes() -> tuple[str, ...]: ...
