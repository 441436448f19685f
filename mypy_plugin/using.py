"""``Task.using(...)``: the options a task is enqueued with.

``using`` builds a new task that Django validates again: priority range (task-option),
and with the settings known, the backend alias, its queues, priority and ``run_after``
support (task-backend). The options not passed come from the task's type (where the
definition put them); what is not known there stays unjudged.
"""

from __future__ import annotations

from typing import Final

from mypy.plugin import MethodContext
from mypy.types import Instance, Type, get_proper_type

from mypy_plugin import backend_checks
from mypy_plugin.calls import task_name
from mypy_plugin.options import (
    BACKEND,
    IS_ASYNC,
    PRIORITY,
    TAKES_CONTEXT,
    check_priority,
    has_unpacked_arguments,
    literal_options,
    options_carried_by,
    passed_options,
    with_options,
)
from mypy_plugin.overrides import tasks_at
from mypy_plugin.settings import TasksSettings


def on_using(ctx: MethodContext, settings: TasksSettings | None) -> Type:
    passed = passed_options(ctx)
    check_priority(ctx.api, passed.get(PRIORITY))
    before = options_carried_by(ctx.type)
    known = literal_options(passed, {} if has_unpacked_arguments(ctx) else before)
    for name in _OF_THE_FUNCTION:  # no option changes these, **options included
        if name in before:
            known[name] = before[name]
    if settings is not None:
        settings = tasks_at(ctx.api, ctx.context, settings)
    if settings is not None:
        known = backend_checks.check_options(
            ctx.api, settings, known, passed, ctx.context, all_options=False
        )
        new_backend = passed.get(BACKEND)
        alias = known.get(BACKEND)
        backend = settings.backend(alias) if isinstance(alias, str) else None
        if new_backend is not None and new_backend.value is not None and backend is not None:
            backend_checks.check_moved_task(
                ctx.api,
                backend,
                known,
                passed,
                task=task_name(ctx.context),
                context=new_backend.context,
            )
    result = get_proper_type(ctx.default_return_type)
    if not isinstance(result, Instance):
        return ctx.default_return_type
    return with_options(result, ctx.api, known)


# What the task's type carries about its function, not its options.
_OF_THE_FUNCTION: Final = (TAKES_CONTEXT, IS_ASYNC)
