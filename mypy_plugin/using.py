"""``Task.using(...)``: the options a task is enqueued with.

``using`` builds a new task that Django validates again: priority range (task-option),
and with the settings known, the backend alias, its queues, priority and ``run_after``
support (task-backend). The options not passed come from the task's type (where the
definition put them); what is not known there stays unjudged.
"""

from __future__ import annotations

from mypy.plugin import MethodContext
from mypy.types import Instance, Type, get_proper_type

from mypy_plugin import backend_checks
from mypy_plugin.options import (
    BACKEND,
    PRIORITY,
    TAKES_CONTEXT,
    carried,
    carry,
    check_priority,
    has_unpacked_arguments,
    known_options,
    passed_options,
)
from mypy_plugin.overrides import tasks_at
from mypy_plugin.settings import TasksSettings


def on_using(ctx: MethodContext, settings: TasksSettings | None) -> Type:
    passed = passed_options(ctx)
    check_priority(ctx.api, passed.get(PRIORITY))
    known = known_options(passed, {} if has_unpacked_arguments(ctx) else carried(ctx.type))
    if settings is not None:
        settings = tasks_at(ctx.api, ctx.context, settings)
    if settings is not None:
        new_backend = passed.get(BACKEND)
        known = backend_checks.check_options(
            ctx.api,
            settings,
            known,
            passed,
            ctx.context,
            all_options=new_backend is not None and new_backend.value is not None,
        )
    result = get_proper_type(ctx.default_return_type)
    if not isinstance(result, Instance):
        return ctx.default_return_type
    known.pop(TAKES_CONTEXT, None)
    return carry(result, ctx.api, known)
