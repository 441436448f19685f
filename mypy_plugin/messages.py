"""Wording of the task-param, task-return and task-arg reports, in one place.

Every report is an error in mypy's style (lower-case start, types quoted) followed by a
note that says what to do instead. ``subject`` is how a hint names the value: the
parameter at a definition, the argument's own expression at a call site.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, Literal, TypeAlias

from mypy.errorcodes import ErrorCode
from mypy.messages import (
    collect_all_named_types,
    find_type_overlaps,
    format_type,
    format_type_distinctly,
    format_type_inner,
    quote_type_string,
)
from mypy.nodes import Context
from mypy.options import Options
from mypy.plugin import CheckerPluginInterface
from mypy.subtypes import is_same_type
from mypy.types import Instance, Type, get_proper_type

from mypy_plugin.reporting import past_overload_filters
from typed_tasks import rule_table

if TYPE_CHECKING:
    from mypy_plugin.image import Unserializable

Role: TypeAlias = Literal["param", "arg", "return"]


def emit(
    api: CheckerPluginInterface, context: Context, code: ErrorCode, error: str, note: str
) -> None:
    """Report ``error`` with its ``note``; ``# type: ignore[code]`` silences both.

    Recorded past mypy's overload filters (see ``reporting``): reports are rare, so the
    filters are stepped past here rather than around every hook.
    """
    TALLY.reports += 1
    with past_overload_filters(api):
        parent = api.fail(error, context, code=code)
        api.msg.note(note, context, code=code, parent_error=parent)


class _Tally:
    """How many reports ``emit`` has made in this process: a check that remembers an outcome
    compares it before and after, and remembers only outcomes that reported nothing."""

    __slots__ = ("reports",)

    def __init__(self) -> None:
        self.reports = 0


TALLY: Final = _Tally()


def format_types(options: Options, *types: Type) -> tuple[str, ...]:
    """``types`` as one message prints them side by side, each quoted.

    Where two would read the same (classes of one short name, as Django's ``TaskContext``
    and the backport's), both are qualified with their module, as mypy's own messages do.
    """
    return format_type_distinctly(*types, options=options)


def format_with_class(typ: Type, class_fullname: str, options: Options) -> tuple[str, str]:
    """``typ`` quoted, and the name of a class (unquoted), as one message prints them.

    Where ``typ`` holds another class of the same short name, both are qualified.
    """
    short = class_fullname.rpartition(".")[2]
    clashing = {
        named.type.fullname
        for named in map(get_proper_type, collect_all_named_types(typ))
        if isinstance(named, Instance)
        and named.type.name == short
        and named.type.fullname != class_fullname
    }
    if not clashing:
        return format_type(typ, options), short
    overlaps = find_type_overlaps(typ) | clashing
    formatted = quote_type_string(format_type_inner(typ, 0, options, overlaps))
    return formatted, class_fullname


def param_unserializable(task: str, param: str, typ: Type, options: Options) -> str:
    return (
        f'parameter "{param}" of task "{task}" has type {format_type(typ, options)}, '
        "which is not JSON-serializable"
    )


def param_lossy(task: str, param: str, typ: Type, image: Type, options: Options) -> str:
    declared, arrives = format_types(options, typ, image)
    return (
        f'parameter "{param}" of task "{task}" has type {declared}, '
        f"which arrives in the worker as {arrives}"
    )


def param_lossy_note(
    subject: str | None, image: Type, enum_name: str | None, options: Options
) -> str:
    note = f"annotate it as {format_type(image, options)}"
    if enum_name is not None and subject is not None:
        note += f" and convert it back with {enum_name}({subject}) in the task"
    return note


def return_unserializable(task: str, typ: Type, options: Options) -> str:
    return f'return type {format_type(typ, options)} of task "{task}" is not JSON-serializable'


def return_lossy(task: str, typ: Type, image: Type, options: Options) -> str:
    returned, stored = format_types(options, typ, image)
    return f'return type {returned} of task "{task}" is stored as {stored}'


def return_lossy_note(image: Type, options: Options) -> str:
    return f"annotate the return type as {format_type(image, options)}"


def return_unawaited(task: str, returned: Type, options: Options) -> tuple[str, str]:
    """A plain ``def`` that returns an awaitable: the error and its note."""
    return (
        f'task "{task}" is a plain "def" that returns {format_type(returned, options)}; '
        "Django does not await it, and the awaitable it gets is not JSON-serializable",
        'define it with "async def" so that Django awaits it',
    )


def arg_unserializable(task: str | None, param: str, typ: Type, options: Options) -> str:
    return (
        f"argument {_param_name(param)} to {_task_name(task)} has type "
        f"{format_type(typ, options)}, which is not JSON-serializable"
    )


def arg_lossy(
    task: str | None, param: str, typ: Type, image: Type, declared: Type, options: Options
) -> str:
    sent, arrives, expected = format_types(options, typ, image, declared)
    return (
        f"argument {_param_name(param)} to {_task_name(task)} has type "
        f"{sent}, which arrives in the worker as {arrives}, not {expected}"
    )


def arg_lossy_note(declared: Type, options: Options) -> str:
    return f"convert it before enqueueing, so that it arrives as {format_type(declared, options)}"


def unserializable_note(
    verdict: Unserializable, typ: Type, *, subject: str | None, role: Role, options: Options
) -> str:
    """What to do about a value of type ``typ`` with no JSON image because of
    ``verdict.culprit``: worded by the rule's table, as the runtime words it for
    ``manage.py check``."""
    whole = verdict.kind != rule_table.KEY and is_same_type(verdict.culprit, typ)
    culprit = format_type(verdict.culprit, options)
    return rule_table.advice(verdict.kind, culprit, whole=whole, subject=subject, role=role)


def _task_name(task: str | None) -> str:
    return f'task "{task}"' if task is not None else "the task"


def _param_name(param: str) -> str:
    return f'"{param}"' if not param.isdigit() else param
