"""The task APIs a process uses: Django's ``django.tasks`` (6.0+) and the ``django_tasks`` backport.

Only an API whose module is already imported counts: code that made a task has imported
it. Nothing here imports either, so discovery and the system check never change a process
(importing the backport patches Django's classes through ``django_stubs_ext``) and work on a
Django without ``django.tasks``.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from django.tasks import Task

# The module that defines ``Task`` and ``TaskContext`` in each API.
BASE_MODULES = ("django.tasks.base", "django_tasks.base")


def task_classes() -> tuple[type[Task[..., Any]], ...]:
    """The ``Task`` classes of the imported APIs."""
    return cast("tuple[type[Task[..., Any]], ...]", _classes("Task"))


def context_classes() -> tuple[type, ...]:
    """The ``TaskContext`` classes of the imported APIs."""
    return _classes("TaskContext")


def _classes(name: str) -> tuple[type, ...]:
    found = (getattr(sys.modules.get(module), name, None) for module in BASE_MODULES)
    return tuple(cls for cls in found if isinstance(cls, type))
