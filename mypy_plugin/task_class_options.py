"""task-option: the options ``@task(...)`` passes on to the backend's ``task_class``.

Django 6.1's decorator and the backport's pass every keyword other than their own
(``DECORATOR_OPTIONS``) to the configured backend's ``task_class``, a dataclass: a field of
it is a legal option (a backend's own, such as a deduplication flag), anything else raises
``TypeError`` when the task is made. With the settings known, the fields of that class say
which is which. Without them, only the backport's own ``Task`` is known for sure: on
Django's decorator django-stubs' error for an option it does not declare stands.
"""

from __future__ import annotations

from typing import Final

from mypy.nodes import ARG_NAMED_OPT, ARG_STAR2, CallExpr, StrExpr, TypeInfo, Var
from mypy.plugin import CheckerPluginInterface, FunctionSigContext
from mypy.types import CallableType, FunctionLike, Instance, Overloaded, Type, get_proper_type

from mypy_plugin.definitions import Environment
from mypy_plugin.errorcodes import TASK_OPTION
from mypy_plugin.fullnames import BACKPORT_TASK_CLASS, TYPED_BACKPORT_DECORATOR_CLASSES
from mypy_plugin.messages import emit
from mypy_plugin.options import (
    BACKEND,
    DEFAULTS,
    OPTION_NAMES,
    RUN_AFTER,
    LiteralOptions,
    PassedOption,
)
from mypy_plugin.settings import DECORATOR_OPTIONS, TasksSettings
from mypy_plugin.task_type import task_base

# The decorator's own keyword for the function (``task(function=f)``): not an option.
_FUNCTION: Final = "function"
_OWN_NAMES: Final = OPTION_NAMES | {_FUNCTION}


class TaskClass:
    """A ``task_class`` and the options ``@task(...)`` may pass to it."""

    __slots__ = ("options", "path", "where")

    def __init__(self, path: str, options: frozenset[str], where: str) -> None:
        self.path: Final = path
        self.options: Final = options
        self.where: Final = where  # how the message names where it comes from


_BACKPORT_TASK_CLASS: Final = TaskClass(
    BACKPORT_TASK_CLASS, frozenset(DECORATOR_OPTIONS), "the backport's default task_class"
)


def check_task_class_options(
    api: CheckerPluginInterface,
    passed: dict[str, PassedOption],
    known: LiteralOptions,
    settings: TasksSettings | None,
    decorated: Type,
) -> None:
    """Report each option of ``task(...)`` that the task class it goes to has no field for.

    ``decorated`` is what the call returns (a ``Task``, or a decorator that makes one): it
    tells Django's decorator from the backport's.
    """
    for name in passed:  # few are passed, and seldom one of the others
        if name not in _OWN_NAMES:
            break
    else:
        return
    task_class = _task_class(settings, known.get(BACKEND), backport=_is_backport(decorated))
    if task_class is None:
        return
    accepted = ", ".join(f'"{option}"' for option in sorted(task_class.options))
    for name, option in passed.items():
        if name in _OWN_NAMES or name in task_class.options:
            continue
        emit(
            api,
            option.context,
            TASK_OPTION,
            f'"{name}" is not an option of @task(...); Django raises TypeError',
            f'"{task_class.path}" ({task_class.where}) accepts {accepted}',
        )


def accept_task_class_options(ctx: FunctionSigContext, env: Environment) -> FunctionLike:
    """Let ``task(...)`` take the options its task class accepts, and ``run_after``.

    django-stubs declares only Django's own options, so mypy would reject a field of the
    backend's ``task_class`` (legal on Django 6.1) with "No overload variant". A field is
    added with its declared type; ``run_after`` and, with the task class known, an option
    it does not have are added as ``object``, so the plugin's task-option error is the one
    report. An option nobody can know (no settings) keeps django-stubs' error.
    """
    signature = ctx.default_signature
    call = ctx.context
    if not isinstance(call, CallExpr) or ARG_STAR2 in signature.arg_kinds:
        return signature  # the backport's decorator takes **kwargs: Any already
    extra = [
        name for name in call.arg_names if name is not None and name not in signature.arg_names
    ]
    if not extra:
        return signature
    task_class = _task_class(env.settings, _backend_written(call), backport=False)
    object_type = ctx.api.named_generic_type("builtins.object", [])
    added_types: list[Type] = []
    added_names: list[str] = []
    for name in extra:
        if task_class is not None and name in task_class.options:
            added_types.append(_field_type(env, task_class, name) or object_type)
        elif name == RUN_AFTER or task_class is not None:
            added_types.append(object_type)
        else:
            continue
        added_names.append(name)
    if not added_names:
        return signature
    return signature.copy_modified(
        arg_types=[*signature.arg_types, *added_types],
        arg_kinds=[*signature.arg_kinds, *[ARG_NAMED_OPT] * len(added_names)],
        arg_names=[*signature.arg_names, *added_names],
    )


def _task_class(
    settings: TasksSettings | None, backend: object, *, backport: bool
) -> TaskClass | None:
    """The task class ``task(backend=backend)`` makes, if known."""
    if not isinstance(backend, str):
        return None
    if settings is None:
        return _BACKPORT_TASK_CLASS if backport else None
    configured = settings.backend(backend)
    if configured is None or configured.task_class is None or configured.task_options is None:
        return None
    return TaskClass(
        configured.task_class, configured.task_options, f'the task_class of backend "{backend}"'
    )


def _backend_written(call: CallExpr) -> str | None:
    """The ``backend=`` of a ``task(...)`` call as written: Django's default if absent."""
    for index, name in enumerate(call.arg_names):
        if name == BACKEND:
            value = call.args[index]
            return value.value if isinstance(value, StrExpr) else None
    default = DEFAULTS[BACKEND]
    return default if isinstance(default, str) else None


def _field_type(env: Environment, task_class: TaskClass, name: str) -> Type | None:
    """The declared type of the field ``name`` of the task class, if mypy knows the class."""
    symbol = env.lookup(task_class.path)
    info = symbol.node if symbol is not None else None
    if not isinstance(info, TypeInfo):
        return None
    field = info.get(name)
    node = field.node if field is not None else None
    return node.type if isinstance(node, Var) else None


def _is_backport(decorated: Type) -> bool:
    proper = get_proper_type(decorated)
    if isinstance(proper, Overloaded):
        proper = proper.items[0]
    if isinstance(proper, CallableType):
        proper = get_proper_type(proper.ret_type)
    if not isinstance(proper, Instance):
        return False
    if proper.type.fullname in TYPED_BACKPORT_DECORATOR_CLASSES:
        return True
    base = task_base(proper.type)
    return base is not None and base.fullname == BACKPORT_TASK_CLASS
