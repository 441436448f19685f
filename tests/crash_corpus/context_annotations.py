# ruff: noqa
"""Every shape of a context parameter, with and without ``takes_context=True``.

Regression: two corpus runs (the benchmark's synthetic project at
``@task(takes_context=True) def t(context: TaskContext[Any, Any], ...)``, and a half-written
copy of task_mistakes.py at ``def context_misnamed(ctx: TaskContext, ...)``) met an
``INTERNAL ERROR`` in the plugin's context check, in a version of it that looked up
``TaskContext`` through mypy's checker while it was being rewritten (docs/reliability.md).
"""

from typing import Any, Protocol

from django.tasks import TaskContext, task
from django.tasks.base import TaskContext as BaseTaskContext

import typed_tasks


class RichContext(TaskContext[Any, Any]):
    extra: int


class HasAttempt(Protocol):
    @property
    def attempt(self) -> int: ...


@task(takes_context=True)
def parametrized(context: TaskContext[Any, Any], x: int) -> int:
    return x


@task(takes_context=True)
def bare_generic(context: TaskContext, x: int) -> None: ...


@task(takes_context=True)
def from_base(context: BaseTaskContext[[int], None], x: int) -> None: ...


@task(takes_context=True)
def misnamed(ctx: TaskContext, x: int) -> None: ...


@task(takes_context=True)
def subclass(context: RichContext) -> None: ...


@task(takes_context=True)
def protocol(context: HasAttempt) -> None: ...


@task(takes_context=True)
def as_object(context: object) -> None: ...


@task(takes_context=True)
def as_union(context: TaskContext | None) -> None: ...


@task(takes_context=True)
def as_any(context: Any) -> None: ...


@task(takes_context=True)
def unannotated(context, x): ...


@task(takes_context=True)
def wrong_type(context: int) -> None: ...


@task(takes_context=True)
def only_star(*args: Any) -> None: ...


@task(takes_context=True)
def keyword_only(*, context: TaskContext) -> None: ...


@task
def flag_missing(context: TaskContext[Any, Any], x: int) -> None: ...


@task(takes_context=False)
def flag_false(context: RichContext) -> None: ...


@typed_tasks.task(takes_context=True)
async def typed_async(context: TaskContext[Any, Any], x: int) -> int:
    return x


def calls() -> None:
    parametrized.enqueue(1)
    misnamed.enqueue(1)
    flag_missing.enqueue(1)
    typed_async.enqueue(1)
