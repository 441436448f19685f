"""Wording of the task-param, task-return and task-arg reports, in one place.

Every report is an error in mypy's style (lower-case start, types quoted) followed by a
note that says what to do instead. ``subject`` is how a hint names the value: the
parameter at a definition, the argument's own expression at a call site.
"""

from __future__ import annotations

from typing import Final, Literal, TypeAlias

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
from mypy.types import Instance, Type, get_proper_type

from mypy_plugin.reporting import past_overload_filters

Role: TypeAlias = Literal["param", "arg", "return"]

# Per kind of type without a JSON image: (what to send instead, with {x} for the value;
# how the task gets the original back). Used when the whole value is the culprit.
_CONVERSIONS: Final[dict[str, tuple[str, str]]] = {
    "datetime": ("{x}.isoformat()", "parse it in the task"),
    "timedelta": ("{x}.total_seconds()", "rebuild it with timedelta(seconds=...) in the task"),
    "decimal": ("str({x})", "convert it back with Decimal(...) in the task"),
    "uuid": ("str({x})", "convert it back with UUID(...) in the task"),
    "path": ("str({x})", "convert it back with Path(...) in the task"),
    "set": ("list({x})", "annotate the parameter as a list"),
    "iterator": ("list({x})", "annotate the parameter as a list"),
    "model": ("{x}.pk", "load it in the task"),
    "queryset": ("a list of primary keys", "query them in the task"),
    "dataclass": ("dataclasses.asdict({x})", "annotate the parameter as a TypedDict"),
    "pydantic": ("{x}.model_dump(mode='json')", "validate it in the task"),
    "callable": ("the function's dotted path as a str", "import it in the task"),
    "type": ("the class's dotted path as a str", "import it in the task"),
    "lazy": ("str({x})", "annotate the parameter as str"),
    "enum": (
        "{x}.value",
        "convert it back in the task, or derive the enum from StrEnum or IntEnum",
    ),
}

# Per kind: what to use instead, when the culprit is a part of the type or a return value.
_REPLACEMENTS: Final[dict[str, str]] = {
    "datetime": "an ISO 8601 string (.isoformat())",
    "timedelta": "a number of seconds (.total_seconds())",
    "decimal": "a str",
    "uuid": "a str",
    "path": "a str",
    "set": "a list",
    "iterator": "a list",
    "awaitable": "the awaited result",
    "model": "its primary key (.pk)",
    "queryset": "a list of primary keys",
    "dataclass": "a TypedDict (dataclasses.asdict())",
    "pydantic": "a dict (.model_dump(mode='json'))",
    "enum": "its .value, or an enum derived from StrEnum or IntEnum",
    "callable": "the function's dotted path as a str",
    "type": "the class's dotted path as a str",
    "lazy": "a plain str (call str() on it)",
}

_JSON_VALUES: Final = "str, int, float, bool, None, and lists and dicts of them"


def emit(
    api: CheckerPluginInterface, context: Context, code: ErrorCode, error: str, note: str
) -> None:
    """Report ``error`` with its ``note``; ``# type: ignore[code]`` silences both.

    Recorded past mypy's overload filters (see ``reporting``): reports are rare, so the
    filters are stepped past here rather than around every hook.
    """
    with past_overload_filters(api):
        parent = api.fail(error, context, code=code)
        api.msg.note(note, context, code=code, parent_error=parent)


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
    kind: str, culprit: Type, *, whole: bool, subject: str | None, role: Role, options: Options
) -> str:
    """What to do about a value with no JSON image; ``culprit`` is the part that has none."""
    if kind == "key":
        return (
            f"dict keys of type {format_type(culprit, options)} are not JSON-serializable; "
            "use str, int, float, bool or None keys"
        )
    if whole and role != "return" and subject is not None and kind in _CONVERSIONS:
        send, restore = _CONVERSIONS[kind]
        return f"pass {send.format(x=subject)} and {restore}"
    replacement = _REPLACEMENTS.get(kind)
    if replacement is None:
        return f"only JSON values survive the round trip: {_JSON_VALUES}"
    if whole and role == "return":
        return f"return {replacement} instead"
    if whole:
        return f"pass {replacement} instead"
    return (
        f"{format_type(culprit, options)} in it is not JSON-serializable; use {replacement} instead"
    )


def _task_name(task: str | None) -> str:
    return f'task "{task}"' if task is not None else "the task"


def _param_name(param: str) -> str:
    return f'"{param}"' if not param.isdigit() else param
