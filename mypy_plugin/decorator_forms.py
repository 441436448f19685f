"""Every decorator form that makes a task, routed to ``definitions.define_task``.

mypy shows the plugin a definition in one of three shapes:

* ``@task`` (or ``task(f, ...)``): one call of ``task`` with the function.
* ``@django.tasks.task(...)``: a call of ``task`` with the options, which returns a callable;
  mypy then applies that callable to the function without naming it. The plugin names it
  (``APPLY_TASK_DECORATOR``) so that mypy calls the plugin again for the application.
* ``@typed_tasks.task(...)``: the options call returns a ``TaskDecorator`` protocol
  instance, whose ``__call__`` is applied to the function.

The options call checks the options and records those it can read on the type it
returns (``options.with_options``); the application reads them back.
"""

from __future__ import annotations

from mypy.nodes import ARG_STAR, ARG_STAR2, Context
from mypy.plugin import (
    CheckerPluginInterface,
    FunctionContext,
    MethodContext,
    MethodSigContext,
)
from mypy.types import (
    AnyType,
    CallableType,
    FunctionLike,
    Instance,
    Overloaded,
    Type,
    TypeOfAny,
    get_proper_type,
)

from mypy_plugin import backend_checks
from mypy_plugin.definitions import Environment, define_task
from mypy_plugin.fullnames import APPLY_TASK_DECORATOR
from mypy_plugin.options import (
    DEFAULTS,
    OPTION_NAMES,
    PRIORITY,
    RUN_AFTER,
    TAKES_CONTEXT,
    LiteralOptions,
    check_no_run_after,
    check_priority,
    has_unpacked_arguments,
    literal_options,
    options_carried_by,
    passed_options,
    with_options,
)
from mypy_plugin.overrides import tasks_at
from mypy_plugin.task_class_options import check_task_class_options
from mypy_plugin.task_type import any_parameters, task_base


def on_task_call(ctx: FunctionContext, env: Environment) -> Type:
    """``task(...)``: check the options; with a function, the whole definition."""
    passed = passed_options(ctx)
    check_priority(ctx.api, passed.get(PRIORITY))
    check_no_run_after(ctx.api, passed.get(RUN_AFTER))
    known = literal_options(passed, {} if has_unpacked_arguments(ctx) else DEFAULTS)
    settings = tasks_at(ctx.api, ctx.context, env.settings) if env.settings else None
    check_task_class_options(ctx.api, passed, known, settings, ctx.default_return_type)
    if settings is not None:
        known = backend_checks.check_options(
            ctx.api, settings, known, passed, ctx.context, all_options=True
        )
    function = _function_argument(ctx)
    if function is None:
        return _decorator_with_options(ctx.api, ctx.default_return_type, known)
    template = get_proper_type(ctx.default_return_type)
    if not isinstance(template, Instance):
        return ctx.default_return_type
    return define_task(ctx.api, function, template, known, env, ctx.context)


def on_apply(ctx: FunctionContext, env: Environment) -> Type:
    """The callable returned by ``django.tasks.task(...)``, applied to the function."""
    return _apply(
        ctx.api,
        ctx.arg_types,
        ctx.default_return_type,
        ctx.default_return_type,
        env,
        ctx.context,
    )


def on_typed_apply(ctx: MethodContext, env: Environment) -> Type:
    """``TaskDecorator.__call__``: ``typed_tasks.task(...)`` applied to the function."""
    return _apply(ctx.api, ctx.arg_types, ctx.type, ctx.default_return_type, env, ctx.context)


def accept_any_context_function(ctx: MethodSigContext) -> FunctionLike:
    """Let ``ContextTaskDecorator.__call__`` accept any function.

    The definition check reports a wrong context parameter once and gives the task its
    type; without this, mypy would also report that no overload of ``__call__`` matches.
    """
    return _accepting_any_function(ctx.default_signature)


def is_task_decorator(typ: Type) -> bool:
    """Whether a variable of type ``typ`` holds what ``django.tasks.task(...)`` returned.

    mypy strips the plugin's name from a variable's type, so this asks instead for a
    callable that makes a ``Task`` carrying the options the plugin recorded.
    """
    proper = get_proper_type(typ)
    if isinstance(proper, Overloaded):
        proper = proper.items[0]
    if not isinstance(proper, CallableType):
        return False
    task = get_proper_type(proper.ret_type)
    return (
        isinstance(task, Instance)
        and task_base(task.type) is not None
        and bool(options_carried_by(task))
    )


def _apply(
    api: CheckerPluginInterface,
    arg_types: list[list[Type]],
    carrier: Type,
    default_return: Type,
    env: Environment,
    context: Context,
) -> Type:
    template = get_proper_type(default_return)
    function = get_proper_type(arg_types[0][0]) if arg_types and arg_types[0] else None
    if not isinstance(template, Instance) or not isinstance(function, CallableType):
        return default_return
    return define_task(api, function, template, options_carried_by(carrier), env, context)


def _decorator_with_options(
    api: CheckerPluginInterface, decorator: Type, known: LiteralOptions
) -> Type:
    """What ``task(...)`` returns, made to bring the plugin back when applied."""
    proper = get_proper_type(decorator)
    if isinstance(proper, Instance):
        return with_options(proper, api, known)
    if not isinstance(proper, CallableType):
        return decorator
    ret = get_proper_type(proper.ret_type)
    if not isinstance(ret, Instance):
        return decorator
    named = proper.copy_modified(name=APPLY_TASK_DECORATOR, ret_type=with_options(ret, api, known))
    if known.get(TAKES_CONTEXT) is not True:
        return named
    # A function without a proper context parameter matches the second item; the definition
    # check reports it, and mypy reports nothing at the decorator.
    return Overloaded([named, _accepting_any_function(named)])


def _accepting_any_function(signature: CallableType) -> CallableType:
    """``signature`` with its function parameter and the task's signature made ``...``."""
    ret = get_proper_type(signature.ret_type)
    any_type = AnyType(TypeOfAny.special_form)
    any_function = CallableType(
        [any_type, any_type],
        [ARG_STAR, ARG_STAR2],
        [None, None],
        any_type,
        signature.fallback,
        is_ellipsis_args=True,
    )
    if isinstance(ret, Instance) and len(ret.args) == 2:
        ret = ret.copy_modified(args=[any_parameters(), any_type])
    return signature.copy_modified(
        arg_types=[any_function, *signature.arg_types[1:]], ret_type=ret, variables=[]
    )


def _function_argument(ctx: FunctionContext) -> CallableType | None:
    """The function passed to ``task(function, ...)``, if any."""
    names, arg_types = ctx.callee_arg_names, ctx.arg_types
    for formal in range(len(names)):  # an index loop: see options.passed_options
        types = arg_types[formal]
        if not types or names[formal] in OPTION_NAMES:
            continue
        function = get_proper_type(types[0])
        return function if isinstance(function, CallableType) else None
    return None
