"""Tasks under postponed annotations: the check resolves the strings."""

from __future__ import annotations

from datetime import datetime

from tests.task_api import TaskContext, task


@task
def deferred_when(when: datetime, name: str) -> None:  # E003
    pass


@task
def deferred_context(ctx: TaskContext[int, int], name: str) -> None:  # E006
    pass


class DeferredDurableContext(TaskContext):
    """A backend's own context, named in a postponed annotation."""


@task(takes_context=True)
def deferred_durable(context: DeferredDurableContext, name: str) -> None:
    pass
