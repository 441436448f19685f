"""task-context: ``takes_context`` and the task function's first parameter must agree.

Django passes the context as the first argument, and ``validate_task`` insists that the
parameter is named ``context``. The check reports a mistake once, at the definition. The
task's type then takes the parameters of the task as the note suggests fixing it, so
mypy reports nothing more at the decorator or at each call.
"""

from __future__ import annotations

from mypy.nodes import ARG_OPT, ARG_POS, Context
from mypy.plugin import CheckerPluginInterface
from mypy.subtypes import is_subtype
from mypy.types import (
    AnyType,
    CallableType,
    Instance,
    Type,
    get_proper_type,
)

from mypy_plugin.errorcodes import TASK_CONTEXT
from mypy_plugin.fullnames import TASK_CONTEXT_CLASS, TASK_CONTEXT_CLASSES
from mypy_plugin.messages import emit, format_with_class

CONTEXT_PARAM = "context"
_ADD_CONTEXT = 'add "context: TaskContext" as the first parameter'


def check_context(
    api: CheckerPluginInterface,
    function: CallableType,
    first_name: str | None,
    task_context: Instance | None,
    *,
    task: str,
    takes_context: bool,
    context: Context,
) -> bool:
    """Report a disagreement; return whether the first parameter is the context parameter.

    ``first_name`` is the first parameter's name as written (mypy drops the names of
    positional-only parameters from the function's type; Django still checks them).
    ``task_context`` is the type of what Django passes, if known.
    """
    if not (function.arg_kinds and function.arg_kinds[0] in (ARG_POS, ARG_OPT)):
        if takes_context:
            emit(
                api,
                context,
                TASK_CONTEXT,
                f'task "{task}" takes_context=True but has no first parameter for the context',
                _ADD_CONTEXT,
            )
        return False
    typ = get_proper_type(function.arg_types[0])
    if not takes_context:
        is_context = _is_task_context(typ)
        if is_context:
            emit(
                api,
                context,
                TASK_CONTEXT,
                f'task "{task}" has a "TaskContext" first parameter "{first_name}" '
                "but not takes_context=True",
                "pass takes_context=True to @task(...) so that Django supplies the context",
            )
        return is_context
    context_typed = _accepts_task_context(typ, task_context)
    expected = task_context.type.fullname if task_context is not None else TASK_CONTEXT_CLASS
    mistake = _context_mistake(api, typ, first_name, context_typed, expected, task=task)
    if mistake is not None:
        error, note = mistake
        emit(api, context, TASK_CONTEXT, error, note)
    return first_name == CONTEXT_PARAM or context_typed


def _context_mistake(
    api: CheckerPluginInterface,
    typ: Type,
    name: str | None,
    context_typed: bool,
    expected: str,
    *,
    task: str,
) -> tuple[str, str] | None:
    """What is wrong with the first parameter of a ``takes_context=True`` task, if anything.

    ``expected`` is the full name of the ``TaskContext`` class Django passes.
    """
    if name == CONTEXT_PARAM:
        if context_typed:
            return None
        annotated, passed = format_with_class(typ, expected, api.options)
        return (
            f'task "{task}" takes_context=True but its first parameter "context" is '
            f'{annotated}, not "{passed}"',
            f'annotate it as "context: {passed}"',
        )
    if name is None:
        return None  # a callable without parameter names: nothing to compare
    if context_typed:
        return (
            f'task "{task}" takes_context=True but its first parameter is "{name}", not "context"',
            f'rename "{name}" to "context": Django passes the context under that name',
        )
    return (
        f'task "{task}" takes_context=True but its first parameter is "{name}", not "context"',
        _ADD_CONTEXT,
    )


def check_later_parameter(
    api: CheckerPluginInterface,
    typ: Type,
    param: str,
    first_name: str | None,
    *,
    task: str,
    takes_context: bool,
    context: Context,
) -> bool:
    """Report a ``TaskContext`` parameter that is not the context parameter; return whether
    it is one (then it is not judged as a value the worker receives: one report per mistake).

    With ``takes_context=True`` and a first parameter not named ``context``, the first
    parameter's report already says where the context goes.
    """
    if not _is_task_context(typ):
        return False
    if takes_context and first_name != CONTEXT_PARAM:
        return True
    note = (
        f'remove "{param}": the context arrives in the first parameter "context"'
        if takes_context
        else f'make "{param}" the first parameter and pass takes_context=True to @task(...)'
    )
    emit(
        api,
        context,
        TASK_CONTEXT,
        f'parameter "{param}" of task "{task}" is a "TaskContext", '
        "which Django passes only as the first parameter",
        note,
    )
    return True


def _is_task_context(typ: Type) -> bool:
    """Annotated as a task context (either package's ``TaskContext``, or a subclass)."""
    proper = get_proper_type(typ)
    if not isinstance(proper, Instance):
        return False
    info = proper.type
    # has_base walks the MRO in mypy's own compiled code; a loop here would read each
    # base's name through Python's attribute look-up.
    for context_class in TASK_CONTEXT_CLASSES:  # noqa: SIM110
        if info.has_base(context_class):
            return True
    return False


def _accepts_task_context(typ: Type, task_context: Instance | None) -> bool:
    """Whether the annotation takes the context the worker passes: the ``TaskContext`` of
    the task's package (or a supertype of it), or a subclass of that class.

    Django's own backends pass ``TaskContext`` itself, but a backend may pass a subclass
    of its own (django-absurd's, with durable steps); a project defines such a subclass
    for that backend, so the plugin takes the annotation at its word.
    """
    proper = get_proper_type(typ)
    if isinstance(proper, AnyType):
        return True
    if task_context is None:  # the package's class is not known: either package's will do
        return _is_task_context(proper)
    return is_subtype(task_context, typ) or (
        isinstance(proper, Instance) and proper.type.has_base(task_context.type.fullname)
    )
