"""task-context: ``takes_context`` and the task function's first parameter must agree.

Django passes the context as the first argument, and ``validate_task`` insists that the
parameter is named ``context``. The check reports a mistake once, at the definition. The
task's type then takes the parameters of the task as the note suggests fixing it, so
mypy reports nothing more at the decorator or at each call.
"""

from mypy.messages import format_type
from mypy.nodes import ARG_OPT, ARG_POS, Context
from mypy.plugin import CheckerPluginInterface
from mypy.types import AnyType, CallableType, Instance, Type, get_proper_type

from mypy_plugin.errorcodes import TASK_CONTEXT
from mypy_plugin.fullnames import TASK_CONTEXT as TASK_CONTEXT_CLASS
from mypy_plugin.messages import emit

CONTEXT_PARAM = "context"
_ADD_CONTEXT = 'add "context: TaskContext" as the first parameter'


def first_param_is_context(function: CallableType, *, takes_context: bool) -> bool:
    """Whether Django's context goes to the first parameter (as the fixed task would have it).

    With ``takes_context=True`` that is a first parameter named ``context`` or typed as a
    context (or untyped); without it, only one annotated ``TaskContext``.
    """
    if not _has_first_positional(function):
        return False
    typ = get_proper_type(function.arg_types[0])
    if not takes_context:
        return _is_task_context(typ)
    return (
        function.arg_names[0] == CONTEXT_PARAM or isinstance(typ, AnyType) or _is_task_context(typ)
    )


def check_context(
    api: CheckerPluginInterface,
    function: CallableType,
    *,
    task: str,
    takes_context: bool,
    context: Context,
) -> bool:
    """Report a disagreement; return whether the first parameter is the context parameter."""
    is_context = first_param_is_context(function, takes_context=takes_context)
    report = _mistake(api, function, task=task, takes_context=takes_context)
    if report is not None:
        error, note = report
        emit(api, context, TASK_CONTEXT, error, note)
    return is_context


def _mistake(
    api: CheckerPluginInterface, function: CallableType, *, task: str, takes_context: bool
) -> tuple[str, str] | None:
    if not _has_first_positional(function):
        if not takes_context:
            return None
        return (
            f'task "{task}" takes_context=True but has no first parameter for the context',
            _ADD_CONTEXT,
        )
    name = function.arg_names[0]
    typ = get_proper_type(function.arg_types[0])
    context_typed = isinstance(typ, AnyType) or _is_task_context(typ)
    if not takes_context:
        if not _is_task_context(typ):
            return None
        return (
            f'task "{task}" has a "TaskContext" first parameter "{name}" '
            "but not takes_context=True",
            "pass takes_context=True to @task(...) so that Django supplies the context",
        )
    if name == CONTEXT_PARAM:
        if context_typed:
            return None
        return (
            f'task "{task}" takes_context=True but its first parameter "context" is '
            f'{format_type(typ, api.options)}, not "TaskContext"',
            'annotate it as "context: TaskContext"',
        )
    if context_typed:
        return (
            f'task "{task}" takes_context=True but its first parameter is "{name}", not "context"',
            f'rename "{name}" to "context": Django passes the context under that name',
        )
    return (
        f'task "{task}" takes_context=True but its first parameter is "{name}", not "context"',
        _ADD_CONTEXT,
    )


def _has_first_positional(function: CallableType) -> bool:
    return bool(function.arg_kinds) and function.arg_kinds[0] in (ARG_POS, ARG_OPT)


def _is_task_context(typ: Type) -> bool:
    proper = get_proper_type(typ)
    return isinstance(proper, Instance) and proper.type.has_base(TASK_CONTEXT_CLASS)
