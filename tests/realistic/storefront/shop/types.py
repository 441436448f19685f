"""Payload shapes shared by views and tasks."""

from __future__ import annotations

from enum import Enum, IntEnum
from typing import Any, NamedTuple, Protocol

from typing_extensions import NotRequired, TypedDict


class LinePayload(TypedDict):
    sku: str
    quantity: int
    unit_price: str


class OrderPayload(TypedDict):
    order_id: int
    reference: str
    lines: list[LinePayload]
    coupon: NotRequired[str]


class WebhookEvent(TypedDict):
    type: str
    data: dict[str, Any]


class Carrier(Enum):
    UPS = "ups"
    DHL = "dhl"


class Urgency(IntEnum):
    LOW = 0
    HIGH = 1


class Dimensions(NamedTuple):
    width_cm: int
    height_cm: int
    depth_cm: int


class HasPk(Protocol):
    @property
    def pk(self) -> Any: ...
