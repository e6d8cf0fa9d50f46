# The native module: thin glue over the Rust core. Use the `cashi` package, not this.
from collections.abc import Callable
from typing import Any, final

from typing_extensions import TypeAlias

__all__ = [
    "CORE_VERSION",
    "DEFAULT_BASE_URL",
    "SIGNATURE_HEADER",
    "Client",
    "Pending",
    "Webhook",
    "__version__",
    "decode_png",
    "error_codes",
    "shutdown",
    "sign",
    "webhook_body",
]

__version__: str
CORE_VERSION: str
DEFAULT_BASE_URL: str
SIGNATURE_HEADER: str

_Deliver: TypeAlias = Callable[[Any, bool, Any], None]

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
        self, amount: object, order_id: str | None, channel: str | None
    ) -> dict[str, Any]: ...
    def check_status(self, order_id: str) -> dict[str, Any]: ...
    def wait_for_payment(self, order_id: str, timeout: float) -> dict[str, Any]: ...
    def confirm(self, order_id: str, expected_amount: object) -> dict[str, Any]: ...
    def create_order_async(
        self,
        amount: object,
        order_id: str | None,
        channel: str | None,
        event_loop: Any,
        future: Any,
        deliver: _Deliver,
    ) -> Pending: ...
    def check_status_async(
        self, order_id: str, event_loop: Any, future: Any, deliver: _Deliver
    ) -> Pending: ...
    def wait_for_payment_async(
        self, order_id: str, timeout: float, event_loop: Any, future: Any, deliver: _Deliver
    ) -> Pending: ...
    def confirm_async(
        self,
        order_id: str,
        expected_amount: object,
        event_loop: Any,
        future: Any,
        deliver: _Deliver,
    ) -> Pending: ...

@final
class Webhook:
    def __new__(cls, secrets: list[bytes]) -> Webhook: ...
    def verify(self, raw_body: bytes, signature: str) -> dict[str, Any]: ...
    def verify_headers(self, raw_body: bytes, headers: list[tuple[str, str]]) -> dict[str, Any]: ...

def sign(secret: bytes, body: bytes) -> str: ...
def webhook_body(order_id: str, amount: object) -> str: ...
def decode_png(uri: str) -> bytes: ...
def error_codes() -> tuple[str, ...]: ...
def shutdown() -> None: ...
