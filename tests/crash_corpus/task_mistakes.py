# ruff: noqa
"""Every mistake the plugin reports, and a few it cannot see through."""

import enum
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple, TypedDict
from uuid import UUID

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.tasks import Task, TaskContext, task


class Color(str, enum.Enum):
    RED = "red"


class Shade(enum.Enum):
    DARK = 1


class Point(NamedTuple):
    x: int
    y: int


class Payload(TypedDict):
    pair: tuple[int, int]


@dataclass
class Parcel:
    weight: int


@task
def unserializable(when: datetime, amount: Decimal, ids: set[int], user: User) -> None: ...


@task
def lossy(pair: tuple[int, int], color: Color, raw: bytes, keyed: dict[int, str]) -> None: ...


@task
def lossy_nested(points: list[Point], payload: Payload, q: deque[int]) -> None: ...


@task
def bad_return() -> datetime:
    return datetime.now()


@task
def lossy_return() -> tuple[int, str]:
    return (1, "a")


@task
async def async_bad_return() -> set[int]:
    return set()


@task(takes_context=True)
def context_misnamed(ctx: TaskContext, x: int) -> None: ...


@task(takes_context=True)
def context_missing() -> None: ...


@task
def context_without_flag(context: TaskContext, x: int) -> None: ...


@task(priority=101)
def priority_too_high() -> None: ...


@task(priority=-1000)
def priority_too_low() -> None: ...


@task(priority="high")
def priority_wrong_type() -> None: ...


@task(queue_name="nowhere")
def unknown_queue() -> None: ...


@task(backend="nowhere")
def unknown_backend() -> None: ...


@task(run_after=datetime.now())
def run_after_in_decorator() -> None: ...


@task(queue_name=None, backend=None, priority=None)
def options_none() -> None: ...


def outer() -> None:
    @task
    def nested(x: int) -> None: ...

    nested.enqueue(1)


class Service:
    @task
    def method(self, x: int) -> None: ...

    @task
    @staticmethod
    def static(x: int) -> None: ...

    @task
    @classmethod
    def klass(cls, x: int) -> None: ...


lambda_task = task(lambda x: x)


@task
def takes_any(value: Any, anything: object) -> None: ...


@task
def takes_sequence(values: Sequence[int], mapping: Mapping[str, int]) -> None: ...


@task
def takes_callable(f: Callable[[int], int], it: Iterator[int], qs: QuerySet[User]) -> None: ...


def calls(user: User, stamp: datetime, when: date) -> None:
    takes_any.enqueue(user, stamp)
    takes_any.enqueue({1, 2}, (1, 2))
    takes_any.enqueue({"when": when}, [Decimal("1")])
    takes_any.enqueue(UUID(int=1), Parcel(1))
    takes_any.enqueue(Shade.DARK, lambda: 1)
    takes_sequence.enqueue((1, 2), {"a": 1})
    lossy.enqueue((1, 2), Color.RED, b"x", {1: "a"})
    lossy.enqueue(1, 2, 3, 4)
    lossy.enqueue()
    lossy.enqueue(pair=(1, 2), nope=1)
    unserializable.using(priority=500).enqueue(stamp, Decimal(1), set(), user)
    unserializable.using(queue_name="nowhere", backend="nowhere").enqueue(
        stamp, Decimal(1), set(), user
    )
    unserializable.using(priority="x").enqueue()
    unserializable.using(run_after="tomorrow").enqueue()
    unserializable.using(1).enqueue()
    unserializable.usingg().enqueue()
    context_misnamed.enqueue(1)
    context_without_flag.enqueue(1)
    context_without_flag.enqueue(None, 1)
    bad_return.enqueue().return_value.year
    takes_any.call(user, stamp)
    takes_any.enqueue(*[user], **{"anything": stamp})
    Task.enqueue(takes_any, user, stamp)
    t: Task[..., Any] = takes_any
    t.enqueue(user)


async def async_calls(user: User) -> None:
    await takes_any.aenqueue(user, user)
    result = await async_bad_return.aenqueue()
    result.return_value.add(1)
