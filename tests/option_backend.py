"""A backend whose ``task_class`` has a field of its own, as Django 6.1 lets backends declare.

``@task(dedup=True)`` reaches ``DedupTask`` through the decorator's extra options.
"""

from dataclasses import dataclass

from tests.task_api import BACKPORT, Task

if BACKPORT:
    from django_tasks.backends.immediate import ImmediateBackend
else:
    from django.tasks.backends.immediate import ImmediateBackend


@dataclass(frozen=True, slots=True, kw_only=True)
class DedupTask(Task):  # type: ignore[type-arg]
    dedup: bool = False


class DedupBackend(ImmediateBackend):
    task_class = DedupTask
