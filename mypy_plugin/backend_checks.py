"""task-backend: options and task kinds the backend configured in ``settings.TASKS`` rejects.

Each check mirrors ``BaseTaskBackend.validate_task``: the alias must be in TASKS, the
queue in the backend's QUEUES, and the backend class must support async tasks, priority
and ``run_after`` before a task uses them.
"""

from collections.abc import Iterable

from mypy.nodes import Context
from mypy.plugin import CheckerPluginInterface

from mypy_plugin.errorcodes import TASK_BACKEND
from mypy_plugin.messages import emit
from mypy_plugin.options import DEFAULT_PRIORITY, PassedOption, Unknown
from mypy_plugin.settings import DEFAULT_QUEUE_NAME, Backend, TasksSettings


def check_task_options(
    api: CheckerPluginInterface,
    settings: TasksSettings,
    alias: str,
    options: dict[str, PassedOption],
    context: Context,
) -> bool:
    """Check ``@task(...)``'s backend, queue and priority; False if the backend is unknown."""
    backend = configured_backend(api, settings, alias, options.get("backend"), context)
    if backend is None:
        return False
    queue = options.get("queue_name")
    if queue is None or queue.value is None:
        check_queue(api, backend, DEFAULT_QUEUE_NAME, context)
    else:
        check_queue(api, backend, queue, context)
    check_priority_support(api, backend, options.get("priority"))
    return True


def configured_backend(
    api: CheckerPluginInterface,
    settings: TasksSettings,
    alias: str,
    option: PassedOption | None,
    context: Context,
) -> Backend | None:
    """The backend named ``alias``; report it (at the option, else ``context``) if missing."""
    backend = settings.backend(alias)
    if backend is None:
        emit(
            api,
            option.context if option is not None else context,
            TASK_BACKEND,
            f'backend "{alias}" is not in TASKS',
            f"use a configured backend: {_quoted(settings.backends)}",
        )
    return backend


def check_queue(
    api: CheckerPluginInterface, backend: Backend, queue: PassedOption | str, context: Context
) -> None:
    value = queue if isinstance(queue, str) else queue.value
    if not isinstance(value, str) or backend.accepts_queue(value):
        return
    emit(
        api,
        context if isinstance(queue, str) else queue.context,
        TASK_BACKEND,
        f'queue "{value}" is not in the QUEUES of backend "{backend.alias}"',
        f"use one of {_quoted(backend.queues or ())}, or add it to QUEUES",
    )


def check_priority_support(
    api: CheckerPluginInterface, backend: Backend, priority: PassedOption | None
) -> None:
    if priority is None or isinstance(priority.value, (Unknown, bool)):
        return
    if priority.value in (None, DEFAULT_PRIORITY) or not backend.lacks("supports_priority"):
        return
    emit(
        api,
        priority.context,
        TASK_BACKEND,
        f'backend "{backend.alias}" does not support priority '
        f'("{backend.path}" has supports_priority = False)',
        "remove priority=..., or use a backend that supports it",
    )


def check_defer_support(
    api: CheckerPluginInterface, backend: Backend, run_after: PassedOption | None
) -> None:
    """Only for a value that cannot be None: ``run_after=None`` is the default."""
    if run_after is None or not run_after.surely_set() or not backend.lacks("supports_defer"):
        return
    emit(
        api,
        run_after.context,
        TASK_BACKEND,
        f'backend "{backend.alias}" does not support run_after '
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
        f'task "{task}" is async but backend "{backend.alias}" does not support async tasks '
        f'("{backend.path}" has supports_async_task = False)',
        'define it with "def", or use a backend that supports async tasks',
    )


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(f'"{name}"' for name in sorted(names)) or "none configured"
