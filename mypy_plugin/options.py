"""Task options (``priority``, ``queue_name``, ``backend``, ``takes_context``, ``run_after``).

Read from the literal arguments of ``@task(...)`` and ``.using(...)``, checked against
Django's fixed rules (task-option), and carried on the types that flow from ``task(...)``
to the decorated function and on to ``.using(...)``: as one attribute of the instance type
(mypy's ``extra_attrs``), a string literal that spells them all, which mypy serializes with
the type, so a task imported from a cached module still says which backend, queue and
priority it has, and editing them re-checks the modules that use the task. mypy consults
``extra_attrs`` only for names the class does not declare, and the attribute is named after
a declared field, so ``Task.backend`` and the others keep their declared types.
"""

from __future__ import annotations

import json
from typing import Final

from mypy.nodes import ARG_STAR, ARG_STAR2, Context, Expression, RefExpr, Var
from mypy.plugin import CheckerPluginInterface, FunctionContext, MethodContext
from mypy.types import (
    AnyType,
    ExtraAttrs,
    Instance,
    LiteralType,
    LiteralValue,
    NoneType,
    Type,
    UnionType,
    get_proper_type,
)

from mypy_plugin.errorcodes import TASK_OPTION
from mypy_plugin.memo import BuildMemo
from mypy_plugin.messages import emit

MIN_PRIORITY: Final = -100
MAX_PRIORITY: Final = 100
DEFAULT_PRIORITY: Final = 0

# The options carried on types, with Django's defaults; all are fields of ``Task``.
BACKEND: Final = "backend"
QUEUE_NAME: Final = "queue_name"
PRIORITY: Final = "priority"
TAKES_CONTEXT: Final = "takes_context"
RUN_AFTER: Final = "run_after"
OPTION_NAMES: Final = frozenset({BACKEND, QUEUE_NAME, PRIORITY, TAKES_CONTEXT, RUN_AFTER})
DEFAULTS: Final[dict[str, LiteralValue]] = {
    BACKEND: "default",
    QUEUE_NAME: "default",
    PRIORITY: DEFAULT_PRIORITY,
    TAKES_CONTEXT: False,
}
_KINDS: Final = {BACKEND: str, QUEUE_NAME: str, PRIORITY: int, TAKES_CONTEXT: bool}
# Carried on a task's type besides its options: its function is a coroutine function (Django
# checks supports_async_task again in ``using(backend=...)``).
IS_ASYNC: Final = "is_async"
# Carried too: which of the task's parameters are open (``calls``), as a bit mask, so that a
# call finds them without judging the parameter types again.
OPEN_PARAMETERS: Final = "open"
_CARRIED: Final = (*_KINDS, IS_ASYNC, OPEN_PARAMETERS)
# The attribute that carries them: a declared field of ``Task``, so that mypy, which reads
# ``extra_attrs`` only for names the class does not declare, never reads it as the task's.
_CARRIER: Final = "func"

# Option name -> its literal value; an option whose value is not a literal is absent.
LiteralOptions = dict[str, LiteralValue]


class NotLiteral:
    """An option passed as something other than a literal: the checks skip it."""

    def __repr__(self) -> str:
        return "NOT_LITERAL"


NOT_LITERAL: Final = NotLiteral()


class PassedOption:
    """One keyword argument of a call. Made for every option of every call: a class with
    slots is made in two thirds of the instructions of a NamedTuple (whose ``__new__`` is
    generated Python code too)."""

    __slots__ = ("context", "type", "value")

    def __init__(
        self, value: LiteralValue | NotLiteral | None, typ: Type, context: Context
    ) -> None:
        self.value: Final = value
        self.type: Final = typ
        self.context: Final = context

    def surely_set(self) -> bool:
        """Whether the value is known not to be None (an Optional or Any value may be)."""
        proper = get_proper_type(self.type)
        if isinstance(proper, UnionType):
            return not any(isinstance(get_proper_type(t), NoneType) for t in proper.items)
        return not isinstance(proper, (NoneType, AnyType))


def passed_options(ctx: FunctionContext | MethodContext) -> dict[str, PassedOption]:
    """The keyword options of a ``task(...)`` or ``using(...)`` call, by name."""
    passed: dict[str, PassedOption] = {}
    arg_names, arg_types, args = ctx.arg_names, ctx.arg_types, ctx.args
    # Index loops over mypy's parallel lists: making the zip objects cost more than the
    # rest of the loop (measured: over three times an index loop's time on a call's lists).
    for formal in range(len(arg_names)):
        names = arg_names[formal]
        for position in range(len(names)):  # most formals get no actual
            name = names[position]
            if name is not None:
                typ, expr = arg_types[formal][position], args[formal][position]
                value = literal_value(typ)
                if value is NOT_LITERAL:
                    value = final_value(expr)
                passed[name] = PassedOption(value, typ, expr)
    return passed


def literal_arguments(ctx: FunctionContext | MethodContext) -> tuple[object, ...] | None:
    """The call's arguments as (name, class of value, value), when every one is a keyword
    whose value is a literal or a ``Final`` constant: what ``passed_options`` reads from such
    a call, less where it was written. None for any other call.

    The class is there because ``True == 1``: ``priority=True`` is no priority.
    """
    key: list[object] = []
    arg_names, arg_types, args = ctx.arg_names, ctx.arg_types, ctx.args
    for formal in range(len(arg_names)):  # index loops: see passed_options
        names = arg_names[formal]
        for position in range(len(names)):
            name = names[position]
            if name is None:
                return None  # positional, *args or **kwargs
            value = literal_value(arg_types[formal][position])
            if value is NOT_LITERAL:
                value = final_value(args[formal][position])
                if value is NOT_LITERAL:
                    return None
            key += (name, type(value), value)
    return tuple(key)


def final_value(expr: Expression) -> LiteralValue | NotLiteral:
    """The value of a ``Final`` constant declared with its type (``LOW: Final[int] = -250``).

    mypy gives a bare ``Final`` constant a literal type, which ``literal_value`` reads; one
    declared with its type is a plain ``int`` or ``str``, and only its ``Var`` (which mypy
    keeps in its cache) records the value.
    """
    node = expr.node if isinstance(expr, RefExpr) else None
    if isinstance(node, Var) and node.is_final and node.final_value is not None:
        value = node.final_value
        return value if isinstance(value, (int, str, bool, float)) else NOT_LITERAL
    return NOT_LITERAL


def has_unpacked_arguments(ctx: FunctionContext | MethodContext) -> bool:
    """Whether the call passes ``*args`` or ``**kwargs``: any option may hide in them."""
    # ``in`` on each list compares by identity first; a set would hash each ArgKind (an
    # Enum, whose hash runs Python code). A loop: a generator costs a frame per call.
    for kinds in ctx.arg_kinds:  # noqa: SIM110
        if ARG_STAR in kinds or ARG_STAR2 in kinds:
            return True
    return False


def literal_value(typ: Type) -> LiteralValue | NotLiteral | None:
    """The value of a literal (or ``None``) type, else NOT_LITERAL."""
    proper = get_proper_type(typ)
    if isinstance(proper, LiteralType):
        return proper.value
    if isinstance(proper, Instance) and proper.last_known_value is not None:
        return proper.last_known_value.value
    if isinstance(proper, NoneType):
        return None
    return NOT_LITERAL


def check_priority(api: CheckerPluginInterface, option: PassedOption | None) -> None:
    if option is None or isinstance(option.value, (NotLiteral, bool)):
        return
    value = option.value
    if isinstance(value, int) and not MIN_PRIORITY <= value <= MAX_PRIORITY:
        emit(
            api,
            option.context,
            TASK_OPTION,
            f'priority "{value}" is outside the range {MIN_PRIORITY}..{MAX_PRIORITY}',
            f"use a whole number from {MIN_PRIORITY} (lowest) to {MAX_PRIORITY} (highest)",
        )


def check_no_run_after(api: CheckerPluginInterface, option: PassedOption | None) -> None:
    """Django's ``task()`` raises TypeError for ``run_after``: it is set per call."""
    if option is None:
        return
    emit(
        api,
        option.context,
        TASK_OPTION,
        '"run_after" cannot be set in @task(...); Django raises TypeError',
        "set it when enqueueing: my_task.using(run_after=...).enqueue(...)",
    )


def literal_options(
    options: dict[str, PassedOption], known: dict[str, LiteralValue]
) -> LiteralOptions:
    """``known`` updated with the literal options passed (None keeps a value, as Django does)."""
    updated = dict(known)
    for name, option in options.items():  # few are passed, often none
        if name not in _KINDS or option.value is None:
            continue
        if isinstance(option.value, NotLiteral) or not _is_of_option_kind(name, option.value):
            updated.pop(name, None)
        else:
            updated[name] = option.value
    return updated


def _is_of_option_kind(name: str, value: LiteralValue) -> bool:
    kind = _KINDS[name]
    # A bool is an int, but only takes_context may be one.
    return isinstance(value, kind) and (kind is bool or not isinstance(value, bool))


def with_options(
    instance: Instance, api: CheckerPluginInterface, attrs: dict[str, LiteralValue]
) -> Instance:
    """``instance`` with ``attrs`` attached as literal attribute types; other attrs dropped."""
    return attach_options(instance.copy_modified(), api, attrs)


def attach_options(
    fresh: Instance, api: CheckerPluginInterface, attrs: dict[str, LiteralValue]
) -> Instance:
    """``with_options`` in place, for an instance the caller has just made and nothing else
    holds."""
    # Each option's value, None where absent (literal_options keeps no None), in the order
    # of _CARRIED, whose names are all that is ever carried; cheaper to build than a tuple of
    # the items. One kind of value per option, so ``True`` and ``1``, equal as keys, never
    # meet in one place.
    key = tuple([attrs.get(name) for name in _CARRIED])
    made = _CARRIED_ATTRS.get(key, _NOT_MADE)
    if made is _NOT_MADE:
        made = _CARRIED_ATTRS.remember(key, _extra_attrs(api, attrs))
    fresh.extra_attrs = made
    return fresh


def _extra_attrs(api: CheckerPluginInterface, attrs: dict[str, LiteralValue]) -> ExtraAttrs | None:
    carried = {name: attrs[name] for name in _CARRIED if name in attrs}
    if not carried:
        return None
    # One literal for all of them, not one per option: mypy hashes the attributes with
    # every hash of the task's type, and writes and reads each in every cache entry that
    # holds the type (a task's type, its ``using(...)`` types, a decorator's).
    spelled = json.dumps(carried, separators=(",", ":"))
    literal = LiteralType(spelled, api.named_generic_type("builtins.str", []))
    # No ``immutable`` names: mypy reads that set only for attributes the class does not
    # declare. Empty, it costs nothing where mypy hashes, writes and reads the type.
    return ExtraAttrs({_CARRIER: literal})


# The ``ExtraAttrs`` that carry each set of option values, made once. Nearly every task
# carries one of a few sets of values. mypy never changes an ``ExtraAttrs`` in place, so
# sharing one is safe, across modules too: only this plugin reads the literal, and mypy
# writes it to its cache by value.
_CARRIED_ATTRS: Final[BuildMemo[tuple[LiteralValue | None, ...], ExtraAttrs | None]] = BuildMemo(
    4096
)
_NOT_MADE: Final = ExtraAttrs({}, set())  # a miss in _CARRIED_ATTRS (None is a value there)


def carried_spelling(typ: Type) -> str | None:
    """The one literal that spells the options carried on ``typ``; None if it carries none.
    Equal spellings carry equal options."""
    proper = get_proper_type(typ)
    if not isinstance(proper, Instance) or proper.extra_attrs is None:
        return None
    return _spelling(proper.extra_attrs)


def _spelling(extra: ExtraAttrs) -> str | None:
    literal = extra.attrs.get(_CARRIER)
    if not isinstance(literal, LiteralType) or not isinstance(literal.value, str):
        return None
    return literal.value


def options_carried_by(typ: Type) -> dict[str, LiteralValue]:
    """The options carried on ``typ``: a dict shared by every type that carries them, read
    and never changed. (A dict, not a Mapping: compiled, its reads are direct.)"""
    proper = get_proper_type(typ)
    if not isinstance(proper, Instance):
        return _NOTHING
    extra = proper.extra_attrs
    if extra is None:
        return _NOTHING
    # By the attributes object first: every copy of a task's type shares it, and its id
    # is read without touching it (reading the literal inside is a chain of objects
    # scattered in memory, which costs more than the look-up).
    seen = _BY_ATTRS.get(id(extra))
    if seen is not None and seen[0] is extra:
        return seen[1]
    spelled = _spelling(extra)
    if spelled is None:
        known = _NOTHING
    else:
        read = _SPELLED.get(spelled)
        known = read if read is not None else _SPELLED.remember(spelled, _read_spelled(spelled))
    _BY_ATTRS.remember(id(extra), (extra, known))
    return known


_NOTHING: Final[dict[str, LiteralValue]] = {}
# Each spelling read, by its text: few distinct ones, read at every use of a task.
_SPELLED: Final[BuildMemo[str, dict[str, LiteralValue]]] = BuildMemo(4096)
# What each attributes object carries, by its id; an entry keeps the object alive, so the
# id is not reused while remembered. mypy never changes an ``ExtraAttrs`` in place.
_BY_ATTRS: Final[BuildMemo[int, tuple[ExtraAttrs, dict[str, LiteralValue]]]] = BuildMemo(20_000)


def _read_spelled(spelled: str) -> dict[str, LiteralValue]:
    try:
        carried = json.loads(spelled)
    except ValueError:
        return _NOTHING
    if not isinstance(carried, dict):
        return _NOTHING
    return {
        name: value
        for name, value in carried.items()
        if name in _CARRIED and isinstance(value, (str, int, bool))
    }


def _fallback(value: LiteralValue) -> str:
    if isinstance(value, bool):
        return "builtins.bool"
    if isinstance(value, int):
        return "builtins.int"
    if isinstance(value, float):
        return "builtins.float"
    return "builtins.str"
