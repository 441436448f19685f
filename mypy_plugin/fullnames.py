"""Every dotted name the plugin looks for, once."""

from __future__ import annotations

from typing import Final

DJANGO_TASK_DECORATOR: Final = "django.tasks.base.task"
TYPED_TASK_DECORATOR: Final = "typed_tasks.decorator.task"
TASK_DECORATORS: Final = frozenset({DJANGO_TASK_DECORATOR, TYPED_TASK_DECORATOR})

# What ``typed_tasks.task(...)`` returns; applying it to a function calls ``__call__``.
TYPED_CONTEXT_TASK_DECORATOR_CALL: Final = "typed_tasks.decorator.ContextTaskDecorator.__call__"
TYPED_TASK_DECORATOR_CALLS: Final = frozenset(
    {"typed_tasks.decorator.TaskDecorator.__call__", TYPED_CONTEXT_TASK_DECORATOR_CALL}
)

# The plugin names the callable that ``django.tasks.task(...)`` returns, so that mypy
# calls the plugin again when the decorator is applied (a nameless callable has no hook).
# mypy's messages print the name ("Argument 1 to "task(...)" has incompatible type"), so it
# says what the user wrote; no function's full name can read so.
APPLY_TASK_DECORATOR: Final = "task(...)"

TASK: Final = "django.tasks.base.Task"
# Methods of Task (and of its subclasses) that the plugin checks at each call.
TASK_METHODS: Final = frozenset({"enqueue", "aenqueue", "using"})
TASK_CONTEXT: Final = "django.tasks.base.TaskContext"

COROUTINE: Final = "typing.Coroutine"
AWAITABLE: Final = "typing.Awaitable"
