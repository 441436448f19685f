"""``Task.using(...)``: the options a task is enqueued with.

``using`` builds a new task that Django validates again: priority range (task-option),
and with the settings known, the backend alias, its queues, priority and ``run_after``
support (task-backend). The backend checked is ``backend=`` if given, else the one the
task was defined with (carried on its type); if neither is known the backend checks stay
silent.
"""

from mypy.plugin import MethodContext
from mypy.types import Instance, Type, get_proper_type

from mypy_plugin import backend_checks
from mypy_plugin.options import (
    BACKEND_ATTR,
    PassedOption,
    carried,
    carry,
    check_priority,
    passed_options,
)
from mypy_plugin.settings import TasksSettings


def on_using(ctx: MethodContext, settings: TasksSettings | None) -> Type:
    options = passed_options(ctx)
    check_priority(ctx.api, options.get("priority"))
    alias = _backend_alias(ctx.type, options)
    if settings is not None and alias is not None:
        option = options.get("backend")
        backend = backend_checks.configured_backend(ctx.api, settings, alias, option, ctx.context)
        if backend is None:
            alias = None
        else:
            queue = options.get("queue_name")
            if queue is not None:
                backend_checks.check_queue(ctx.api, backend, queue, ctx.context)
            backend_checks.check_priority_support(ctx.api, backend, options.get("priority"))
            backend_checks.check_defer_support(ctx.api, backend, options.get("run_after"))
    result = get_proper_type(ctx.default_return_type)
    if not isinstance(result, Instance):
        return ctx.default_return_type
    return carry(result, ctx.api, {BACKEND_ATTR: alias} if alias is not None else {})


def _backend_alias(task: Type, options: dict[str, PassedOption]) -> str | None:
    """``backend=`` if given, else the backend carried on the task's type."""
    option = options.get("backend")
    if option is not None and option.value is not None:
        return option.value if isinstance(option.value, str) else None
    alias = carried(task, BACKEND_ATTR)
    return alias if isinstance(alias, str) else None
