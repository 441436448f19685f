"""``Task.using(...)``: the options a task is enqueued with.

``using`` builds a new task that Django validates again: priority range (task-option),
and with the settings known, the backend alias, its queues, priority and ``run_after``
support (task-backend). The options not passed come from the task's type (where the
definition put them); what is not known there stays unjudged.
"""

from __future__ import annotations

from typing import Final

from mypy.plugin import MethodContext
from mypy.types import ExtraAttrs, Instance, Type, get_proper_type

from mypy_plugin import backend_checks
from mypy_plugin.calls import task_name
from mypy_plugin.memo import BuildMemo
from mypy_plugin.messages import TALLY
from mypy_plugin.options import (
    BACKEND,
    IS_ASYNC,
    OPEN_PARAMETERS,
    PRIORITY,
    TAKES_CONTEXT,
    carried_spelling,
    check_priority,
    has_unpacked_arguments,
    literal_arguments,
    literal_options,
    options_carried_by,
    passed_options,
    with_options,
)
from mypy_plugin.overrides import tasks_at
from mypy_plugin.settings import TasksSettings


def on_using(ctx: MethodContext, settings: TasksSettings | None) -> Type:
    if settings is not None:
        settings = tasks_at(ctx.api, ctx.context, settings)
    written = None if ctx.api.options.fine_grained_incremental else literal_arguments(ctx)
    if written is None:
        return _using(ctx, settings)
    key = (carried_spelling(ctx.type), id(settings), written)
    remembered = _QUIET.get(key)
    if remembered is not None and remembered[0] is settings:
        returned = _returned_task(ctx)
        if returned is not None:
            result = returned.copy_modified()
            result.extra_attrs = remembered[1]
            return result
    reports = TALLY.reports
    checked = _using(ctx, settings)
    if TALLY.reports == reports and isinstance(checked, Instance):
        _QUIET.remember(key, (settings, checked.extra_attrs))
    return checked


# In a ``mypy`` run, the options that each ``using(...)`` call that reported nothing gave
# its task, by what they depend on: the options the task carried (their spelling), the
# settings that apply where the call is, and the options written, when all are literals.
# A project writes the same few ``using(...)`` calls on tasks of the same few option sets;
# a call like one seen before is not checked again. An entry keeps its settings alive, so
# their id is not reused while it is remembered. Not under the daemon, which re-analyses an
# edited class in place.
_QUIET: Final[
    BuildMemo[tuple[str | None, int, tuple[object, ...]], tuple[object, ExtraAttrs | None]]
] = BuildMemo(20_000)


def _using(ctx: MethodContext, settings: TasksSettings | None) -> Type:
    """Check the options of one ``using(...)`` call; the task type it returns."""
    passed = passed_options(ctx)
    check_priority(ctx.api, passed.get(PRIORITY))
    before = options_carried_by(ctx.type)
    known = literal_options(passed, {} if has_unpacked_arguments(ctx) else before)
    for name in _OF_THE_FUNCTION:  # no option changes these, **options included
        if name in before:
            known[name] = before[name]
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
    result = _returned_task(ctx)
    if result is None:
        return ctx.default_return_type
    return with_options(result, ctx.api, known)


def _returned_task(ctx: MethodContext) -> Instance | None:
    """The task type ``using(...)`` returns, before its options."""
    template = get_proper_type(ctx.default_return_type)
    return template if isinstance(template, Instance) else None


# What the task's type carries about its function, not its options.
_OF_THE_FUNCTION: Final = (TAKES_CONTEXT, IS_ASYNC, OPEN_PARAMETERS)
