"""task-backend: options and task kinds the backend configured in ``settings.TASKS`` rejects.

Each check mirrors ``BaseTaskBackend.validate_task``, which Django runs when a task is made
and again in ``using(...)``: the alias must be in TASKS, the queue in the backend's QUEUES,
and the backend class must support async tasks, priority and ``run_after`` before a task
uses them. ``check_options`` is given the values known and where each was passed.
"""

from __future__ import annotations

from collections.abc import Iterable

from mypy.nodes import Context
from mypy.plugin import CheckerPluginInterface

from mypy_plugin.errorcodes import TASK_BACKEND
from mypy_plugin.messages import emit
from mypy_plugin.options import (
    BACKEND,
    DEFAULT_PRIORITY,
    IS_ASYNC,
    PRIORITY,
    QUEUE_NAME,
    RUN_AFTER,
    LiteralOptions,
    PassedOption,
)
from mypy_plugin.settings import Backend, TasksSettings


def _report_unknown_backend(
    api: CheckerPluginInterface, settings: TasksSettings, alias: str, context: Context
) -> None:
    tasks = "TASKS" if settings.origin is None else settings.origin
    emit(
        api,
        context,
        TASK_BACKEND,
        f'backend "{alias}" is not in {tasks}',
        f"use a configured backend: {_quoted(settings.backends)}",
    )


def _report_queue(
    api: CheckerPluginInterface, backend: Backend, queue: str, context: Context
) -> None:
    emit(
        api,
        context,
        TASK_BACKEND,
        f'queue "{queue}" is not in the QUEUES of {_named(backend)}',
        f"use one of {_quoted(backend.queues or ())}, or add it to QUEUES",
    )


def _report_priority(api: CheckerPluginInterface, backend: Backend, context: Context) -> None:
    emit(
        api,
        context,
        TASK_BACKEND,
        f"{_named(backend)} does not support priority "
        f'("{backend.path}" has supports_priority = False)',
        "remove priority=..., or use a backend that supports it",
    )


def _report_defer(api: CheckerPluginInterface, backend: Backend, context: Context) -> None:
    emit(
        api,
        context,
        TASK_BACKEND,
        f"{_named(backend)} does not support run_after "
        f'("{backend.path}" has supports_defer = False)',
        "enqueue without run_after, or use a backend that supports it",
    )


def check_async_support(
    api: CheckerPluginInterface, backend: Backend, *, task: str, context: Context
) -> None:
    if not backend.lacks("supports_async_task"):
        return
    emit(
        api,
        context,
        TASK_BACKEND,
        f'task "{task}" is async but {_named(backend)} does not support async tasks '
        f'("{backend.path}" has supports_async_task = False)',
        'define it with "def", or use a backend that supports async tasks',
    )


def check_moved_task(
    api: CheckerPluginInterface,
    backend: Backend,
    known: LiteralOptions,
    passed: dict[str, PassedOption],
    *,
    task: str | None,
    context: Context,
) -> None:
    """``using(backend=...)``: what the task brings from its definition must suit the new
    backend too (Django validates the new task in full). The options passed to ``using``
    itself are ``check_options``'s; reports go to the ``backend=`` argument.
    """
    named = _task_named(task)
    moved_to = f"{_named(backend)}, named in using(...),"
    queue = known.get(QUEUE_NAME)
    if QUEUE_NAME not in passed and isinstance(queue, str) and not backend.accepts_queue(queue):
        emit(
            api,
            context,
            TASK_BACKEND,
            f'{named} runs on queue "{queue}", which is not in the QUEUES of {_named(backend)} '
            "named in using(...)",
            f"pass using(queue_name=...) one of {_quoted(backend.queues or ())}, "
            f'or add "{queue}" to QUEUES',
        )
    priority = known.get(PRIORITY)
    if (
        PRIORITY not in passed
        and isinstance(priority, int)
        and priority != DEFAULT_PRIORITY
        and backend.lacks("supports_priority")
    ):
        emit(
            api,
            context,
            TASK_BACKEND,
            f"{named} has priority {priority}, which {moved_to} does not support "
            f'("{backend.path}" has supports_priority = False)',
            f"pass priority={DEFAULT_PRIORITY} to using(...), or use a backend that supports it",
        )
    if known.get(IS_ASYNC) is True and backend.lacks("supports_async_task"):
        emit(
            api,
            context,
            TASK_BACKEND,
            f"{named} is async, which {moved_to} does not support "
            f'("{backend.path}" has supports_async_task = False)',
            'use a backend that supports async tasks, or define the task with "def"',
        )


def _task_named(task: str | None) -> str:
    return f'task "{task}"' if task is not None else "the task"


def _named(backend: Backend) -> str:
    """``backend "emails"``, and where a test overrides TASKS, which override."""
    if backend.origin is None:
        return f'backend "{backend.alias}"'
    return f'backend "{backend.alias}" of {backend.origin}'


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(f'"{name}"' for name in sorted(names)) or "none configured"


def check_options(
    api: CheckerPluginInterface,
    settings: TasksSettings,
    known: LiteralOptions,
    passed: dict[str, PassedOption],
    context: Context,
    *,
    all_options: bool,
) -> LiteralOptions:
    """Check the known options against their backend; return them without an unknown alias.

    ``all_options``: check every known option, not only those ``passed`` here (a new task,
    or ``using(backend=...)``, which Django validates again in full). A report goes to the
    option's argument when it was passed, else to ``context``.
    """
    alias = known.get(BACKEND)
    if not isinstance(alias, str):
        return known
    # Each report finds its place (``_where``) only once there is something to report.
    backend = settings.backend(alias)
    if backend is None:
        _report_unknown_backend(api, settings, alias, _where(passed, BACKEND, context))
        return {name: value for name, value in known.items() if name != BACKEND}
    queue = known.get(QUEUE_NAME)
    if (
        isinstance(queue, str)
        and not backend.accepts_queue(queue)
        and (all_options or QUEUE_NAME in passed)
    ):
        _report_queue(api, backend, queue, _where(passed, QUEUE_NAME, context))
    priority = known.get(PRIORITY)
    if (
        isinstance(priority, int)
        and priority != DEFAULT_PRIORITY
        and backend.lacks("supports_priority")
        and (all_options or PRIORITY in passed)
    ):
        _report_priority(api, backend, _where(passed, PRIORITY, context))
    run_after = passed.get(RUN_AFTER)
    if run_after is not None and backend.lacks("supports_defer") and run_after.surely_set():
        _report_defer(api, backend, run_after.context)
    return known


def _where(passed: dict[str, PassedOption], name: str, context: Context) -> Context:
    option = passed.get(name)
    return option.context if option is not None else context
