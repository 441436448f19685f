"""The ``Task[P, R]`` type a task definition produces.

mypy infers it from the decorator's overloads; the plugin corrects two things: an
``async def`` task returns its awaited type (django-stubs says ``Coroutine``), and the
parameters of a task whose context parameter is wrong are those of the fixed task.
"""

from __future__ import annotations

from mypy.nodes import ARG_STAR, ARG_STAR2, FuncDef, TypeInfo
from mypy.types import (
    AnyType,
    CallableType,
    Instance,
    Parameters,
    Type,
    TypeOfAny,
    get_proper_type,
)

from mypy_plugin.fullnames import COROUTINE, TASK_CLASSES


def task_base(info: TypeInfo) -> TypeInfo | None:
    """The ``Task`` class (Django's or the backport's) that ``info`` is or derives from."""
    if info.fullname in TASK_CLASSES:
        return info
    for base in info.mro:
        if base.fullname in TASK_CLASSES:
            return base
    return None


def awaited_return(function: CallableType, definition: FuncDef | None) -> Type:
    """What the task returns: for an ``async def``, the awaited type."""
    ret = get_proper_type(function.ret_type)
    if (
        definition is not None
        and definition.is_coroutine
        and isinstance(ret, Instance)
        and ret.type.fullname == COROUTINE
        and len(ret.args) == 3
    ):
        return ret.args[2]
    return function.ret_type


def with_signature(
    task: Instance, function: CallableType, *, skip_first: bool, ret: Type
) -> Instance:
    """A copy of ``task`` (a ``Task[P, R]``) with P the parameters of ``function`` and R ``ret``."""
    if len(task.args) != 2:
        return task.copy_modified()
    start = 1 if skip_first and function.arg_types else 0
    params = Parameters(
        function.arg_types[start:],
        function.arg_kinds[start:],
        function.arg_names[start:],
        variables=function.variables,
        imprecise_arg_kinds=function.imprecise_arg_kinds,
    )
    return task.copy_modified(args=[params, ret])


def any_parameters() -> Parameters:
    """``...`` as the parameters of a ``Task[P, R]``: any arguments."""
    any_type = AnyType(TypeOfAny.special_form)
    return Parameters(
        [any_type, any_type], [ARG_STAR, ARG_STAR2], [None, None], is_ellipsis_args=True
    )
