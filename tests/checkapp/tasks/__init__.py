"""Tasks for the system check tests; each bad one says which check it trips."""

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from tests.task_api import TaskContext, task
from tests.task_api import api_task as django_task

from .deferred import (  # re-exported: discovery finds them
    deferred_context,
    deferred_durable,
    deferred_when,
)

__all__ = ["deferred_context", "deferred_durable", "deferred_when"]


@task
def good(name: str, ids: list[int], options: dict[str, Any] | None = None) -> dict[str, int]:
    return {name: len(ids)}


also_good = good  # the same task under a second name is reported once


@task
def untyped(first, second):  # type: ignore[no-untyped-def]
    return first


@task
def anything(first: Any, second: object) -> Any:
    return first


@task(takes_context=True)
def right_context(context: TaskContext, count: int) -> int:
    return count


class DurableContext(TaskContext):
    """A backend's own context, passed in place of Django's (as django-absurd's is)."""


@task(takes_context=True)
def durable_context(context: DurableContext, count: int) -> int:
    return count


@django_task
def send_report(when: datetime, corner: tuple[int, int]) -> None:  # E003, W001
    pass


@task
def stamps(moments: dict[str, list[datetime]]) -> None:  # E003, naming the part at fault
    pass


@task
def total() -> Decimal:  # E004
    return Decimal(1)


@task
def corners() -> tuple[int, int]:  # W002
    return (0, 0)


@task
def names() -> Iterable[str]:  # E004: may return a generator or a QuerySet
    return ["a"]


@task
async def fetch_time() -> datetime:  # E004: the awaited type is judged
    return datetime(2026, 1, 1)


@task
def variadic(*moments: datetime, **pairs: tuple[int, int]) -> None:  # E003, W001
    pass


@task(takes_context=True)
def wrong_context(context: int, count: int) -> None:  # E005
    pass


@task
def forgot_context(ctx: TaskContext, count: int) -> None:  # E006
    pass


class Reports:
    @task
    def send(count: int) -> None:  # E007
        pass

    @staticmethod
    @task
    def archive(count: int) -> None:  # E007
        pass
