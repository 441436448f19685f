"""Every dotted name the plugin looks for, once.

Two packages define tasks with the same API: Django's ``django.tasks`` (6.0+) and the
``django-tasks`` backport (module ``django_tasks``, on Django 5.2 LTS and 6.x). Each check
takes the names of both, so backport code goes through the same hooks.
"""

from __future__ import annotations

from typing import Final

DJANGO_TASK_DECORATOR: Final = "django.tasks.base.task"
BACKPORT_TASK_DECORATOR: Final = "django_tasks.base.task"
TYPED_TASK_DECORATOR: Final = "typed_tasks.decorator.task"
# typed_tasks.backport.task: the same decorator, typed in the backport's classes.
TYPED_BACKPORT_TASK_DECORATOR: Final = "typed_tasks.backport.task"
TASK_DECORATORS: Final = frozenset(
    {
        DJANGO_TASK_DECORATOR,
        BACKPORT_TASK_DECORATOR,
        TYPED_TASK_DECORATOR,
        TYPED_BACKPORT_TASK_DECORATOR,
    }
)
# The decorators whose declared options may lack what the backend's ``task_class`` accepts:
# their calls get a signature hook (``task_class_options``). typed_tasks' own take
# ``**options`` in every overload, so mypy is spared the hook's per-overload work there.
DECORATORS_WITH_FIXED_OPTIONS: Final = frozenset({DJANGO_TASK_DECORATOR, BACKPORT_TASK_DECORATOR})

# What ``typed_tasks.task(...)`` and ``typed_tasks.backport.task(...)`` return; applying it
# to a function calls ``__call__``.
TYPED_BACKPORT_TASK_DECORATOR_CLASS: Final = "typed_tasks.backport.TaskDecorator"
TYPED_BACKPORT_CONTEXT_TASK_DECORATOR_CLASS: Final = "typed_tasks.backport.ContextTaskDecorator"
# What the backport's twin returns before it is applied: it makes backport tasks.
TYPED_BACKPORT_DECORATOR_CLASSES: Final = frozenset(
    {TYPED_BACKPORT_TASK_DECORATOR_CLASS, TYPED_BACKPORT_CONTEXT_TASK_DECORATOR_CLASS}
)
TYPED_CONTEXT_TASK_DECORATOR_CALLS: Final = frozenset(
    {
        "typed_tasks.decorator.ContextTaskDecorator.__call__",
        f"{TYPED_BACKPORT_CONTEXT_TASK_DECORATOR_CLASS}.__call__",
    }
)
TYPED_TASK_DECORATOR_CALLS: Final = TYPED_CONTEXT_TASK_DECORATOR_CALLS | {
    "typed_tasks.decorator.TaskDecorator.__call__",
    f"{TYPED_BACKPORT_TASK_DECORATOR_CLASS}.__call__",
}

# The plugin names the callable that ``django.tasks.task(...)`` returns, so that mypy
# calls the plugin again when the decorator is applied (a nameless callable has no hook).
# mypy's messages print the name ("Argument 1 to "task(...)" has incompatible type"), so it
# says what the user wrote; no function's full name can read so.
APPLY_TASK_DECORATOR: Final = "task(...)"

TASK_CLASS: Final = "django.tasks.base.Task"
BACKPORT_TASK_CLASS: Final = "django_tasks.base.Task"
TASK_CLASSES: Final = frozenset({TASK_CLASS, BACKPORT_TASK_CLASS})
# Methods of Task (and of its subclasses) that the plugin checks at each call.
TASK_METHODS: Final = frozenset({"enqueue", "aenqueue", "using"})
TASK_CONTEXT_CLASS: Final = "django.tasks.base.TaskContext"
BACKPORT_TASK_CONTEXT_CLASS: Final = "django_tasks.base.TaskContext"
TASK_CONTEXT_CLASSES: Final = frozenset({TASK_CONTEXT_CLASS, BACKPORT_TASK_CONTEXT_CLASS})
# The context each package's task is given.
CONTEXT_OF_TASK: Final = {
    TASK_CLASS: TASK_CONTEXT_CLASS,
    BACKPORT_TASK_CLASS: BACKPORT_TASK_CONTEXT_CLASS,
}
# Methods that run the function here, with the arguments as given: the context included.
TASK_DIRECT_CALLS: Final = frozenset(
    {f"{task}.{method}" for task in TASK_CLASSES for method in ("call", "acall")}
)

COROUTINE: Final = "typing.Coroutine"
AWAITABLE: Final = "typing.Awaitable"
