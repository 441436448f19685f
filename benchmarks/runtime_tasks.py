"""The tasks ``runtime_bench`` enqueues: each body twice, one per decorator.

Import this module only once Django is configured: ``@task`` looks up its backend
at decoration. Each task is a module-level name because ``DummyBackend`` returns
a deep copy of the result, and copying a task re-imports it by its module path.
"""

from typing import TypedDict

from django.tasks import task

from typed_tasks import task as typed_task


class Customer(TypedDict):
    name: str
    email: str


class Line(TypedDict):
    sku: str
    quantity: int
    price_cents: int


class Order(TypedDict):
    id: int
    customer: Customer
    lines: list[Line]
    note: str


@task
def plain_small(customer_id: int, email: str, amount: float, notify: bool) -> None:
    """A few scalars."""


@typed_task
def typed_small(customer_id: int, email: str, amount: float, notify: bool) -> None:
    """A few scalars."""


@task
def plain_medium(order: Order) -> None:
    """A nested dict of about 1 KB of JSON."""


@typed_task
def typed_medium(order: Order) -> None:
    """A nested dict of about 1 KB of JSON."""


@task
def plain_large(matrix: list[list[int]]) -> None:
    """Nested lists of any size."""


@typed_task
def typed_large(matrix: list[list[int]]) -> None:
    """Nested lists of any size."""
