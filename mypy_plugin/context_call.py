"""``Task.call``/``acall`` on a ``takes_context`` task: the context comes first.

Django's ``call(*args, **kwargs)`` passes its arguments straight to the function, whose first
parameter is the context; django-stubs types ``call`` like ``enqueue`` (without it). The
signature the plugin gives takes the context first, positional-only, as typed_tasks'
``ContextTask.call`` does; ``enqueue`` stays without it (Django supplies it in the worker).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mypy.nodes import ARG_POS
from mypy.plugin import MethodSigContext
from mypy.types import AnyType, CallableType, FunctionLike, Instance, TypeOfAny, get_proper_type

from mypy_plugin.options import TAKES_CONTEXT, options_carried_by
from mypy_plugin.task_type import task_base

if TYPE_CHECKING:
    from mypy_plugin.definitions import Environment


def context_first(ctx: MethodSigContext, env: Environment) -> FunctionLike:
    """``ctx``'s signature with a ``TaskContext`` first, if the task carries takes_context."""
    signature = ctx.default_signature
    if (
        not isinstance(signature, CallableType)
        or options_carried_by(ctx.type).get(TAKES_CONTEXT) is not True
    ):
        return signature
    task = get_proper_type(ctx.type)
    base = task_base(task.type) if isinstance(task, Instance) else None
    task_context = env.task_context(base.fullname) if base is not None else None
    any_type = AnyType(TypeOfAny.special_form)
    # Any arguments (``TaskContext[Any, Any]``), as typed_tasks' ContextTask writes it.
    context_type = (
        task_context.copy_modified(args=[any_type] * len(task_context.args))
        if task_context is not None
        else any_type
    )
    return signature.copy_modified(
        arg_types=[context_type, *signature.arg_types],
        arg_kinds=[ARG_POS, *signature.arg_kinds],
        arg_names=[None, *signature.arg_names],  # positional-only, as Django passes it
    )
