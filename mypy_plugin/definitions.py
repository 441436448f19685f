"""The checks made where a task is defined, and the ``Task[P, R]`` type it gets.

``define_task`` is called once per definition, whichever decorator form made it (see
``decorator_forms``), with the function's type and the options the decorator was given.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from mypy.nodes import (
    ARG_STAR,
    ARG_STAR2,
    Argument,
    CallExpr,
    Context,
    Decorator,
    FuncDef,
    SymbolTableNode,
    TypeInfo,
)
from mypy.plugin import CheckerPluginInterface
from mypy.types import (
    AnyType,
    CallableType,
    Instance,
    LiteralType,
    LiteralValue,
    ParamSpecType,
    Type,
    TypeOfAny,
    get_proper_type,
)

from mypy_plugin import backend_checks, image, messages
from mypy_plugin.calls import open_mask
from mypy_plugin.context import check_context, check_later_parameter
from mypy_plugin.errorcodes import TASK_PARAM, TASK_RETURN
from mypy_plugin.fullnames import AWAITABLE, CONTEXT_OF_TASK
from mypy_plugin.image import Lossy, Unserializable, judge_safely
from mypy_plugin.location import check_binding, check_location, report_class
from mypy_plugin.messages import emit
from mypy_plugin.options import (
    BACKEND,
    IS_ASYNC,
    OPEN_PARAMETERS,
    TAKES_CONTEXT,
    attach_options,
)
from mypy_plugin.overrides import tasks_at
from mypy_plugin.settings import TasksSettings
from mypy_plugin.task_type import any_parameters, awaited_return, task_base, with_signature


class Environment:
    """What the definition checks know beyond the code being checked."""

    __slots__ = ("lookup", "settings")

    def __init__(
        self,
        settings: TasksSettings | None,  # settings.TASKS, when a settings module is configured
        lookup: Callable[[str], SymbolTableNode | None],  # the plugin's lookup_fully_qualified
    ) -> None:
        self.settings: Final = settings
        self.lookup: Final = lookup

    def task_context(self, task_class: str) -> Instance | None:
        """The ``TaskContext`` that the package of ``task_class`` passes as the context:
        Django's ``TaskContext[..., Any]`` or the backport's (not generic).

        Looked up when asked (only ``takes_context`` tasks need it), never kept: a daemon
        run may have reloaded the class.
        """
        context_class = CONTEXT_OF_TASK.get(task_class)
        symbol = self.lookup(context_class) if context_class is not None else None
        info = symbol.node if symbol is not None else None
        if not isinstance(info, TypeInfo):
            return None
        args: list[Type] = [
            any_parameters() if isinstance(var, ParamSpecType) else AnyType(TypeOfAny.special_form)
            for var in info.defn.type_vars
        ]
        return Instance(info, args)


def define_task(
    api: CheckerPluginInterface,
    function: CallableType,
    template: Instance,
    known: dict[str, LiteralValue],
    env: Environment,
    context: Context,
) -> Type:
    """Check one task definition and return its ``Task[P, R]`` type (``template``'s class).

    ``known`` holds the decorator's options that are literals (Django's defaults for those
    not passed); the task's type carries them on to ``using(...)`` and other modules.

    Reports go to the ``def`` line when the task is made by decorating it, else to the
    ``task(...)`` call (the function may live in another module).
    """
    if function.is_ellipsis_args:
        return template  # Callable[..., R]: nothing to check, and P is already "..."
    if function.is_type_obj():  # a class: its __init__ would be judged as the task
        report_class(api, function.type_object().name, context)
        return template
    decorated = context.func if isinstance(context, Decorator) else None
    definition = decorated or (
        function.definition if isinstance(function.definition, FuncDef) else None
    )
    name = definition.name if definition is not None else (function.name or "task")
    where: Context = decorated if decorated is not None else context
    params = _written_parameters(function, decorated)
    if definition is not None:
        check_location(api, definition, where)
        if decorated is None and isinstance(context, CallExpr):
            check_binding(api, definition, context)
        if definition.info and not definition.is_static:
            return template  # a method: moving it to module level comes before all else
    takes_context = known.get(TAKES_CONTEXT)
    if not isinstance(takes_context, bool):
        return template  # takes_context is not a literal: mypy's own inference stands
    first_name = params[0].variable.name if params else _first_name(function)
    base = task_base(template.type) if takes_context else None
    skip_context = check_context(
        api,
        function,
        first_name,
        env.task_context(base.fullname) if base is not None else None,
        task=name,
        takes_context=takes_context,
        context=where,
    )
    _check_parameters(
        api,
        function,
        params,
        task=name,
        first_name=first_name,
        takes_context=takes_context,
        skip_first=skip_context,
        where=where,
    )
    ret = awaited_return(function, definition)
    if _returns_unawaited(function, definition):
        _report_unawaited(api, ret, task=name, context=where)
    else:
        _check_return(api, ret, task=name, context=where)
    backend = known.get(BACKEND)
    if (
        env.settings is not None
        and isinstance(backend, str)
        and definition is not None
        and definition.is_coroutine
    ):
        settings = tasks_at(api, where, env.settings)
        configured = settings.backend(backend) if settings is not None else None
        if configured is not None:
            backend_checks.check_async_support(api, configured, task=name, context=where)
    if skip_context or takes_context or ret is not function.ret_type or function.variables:
        task = with_signature(template, function, skip_first=skip_context, ret=ret)
    else:  # mypy inferred P and R from this very function: the template has them
        task = template.copy_modified()
    carried = dict(known)  # a copy and a pop: cheaper than a filtering comprehension
    if takes_context is False:
        del carried[TAKES_CONTEXT]  # carried only when true: call/acall then take the context
    if definition is not None and definition.is_coroutine:
        carried[IS_ASYNC] = True
    mask = open_mask(function.arg_types[1:] if skip_context else function.arg_types)
    if mask is not None:
        carried[OPEN_PARAMETERS] = mask
    return attach_options(task, api, carried)


def _check_parameters(
    api: CheckerPluginInterface,
    function: CallableType,
    params: list[Argument],
    *,
    task: str,
    first_name: str | None,
    takes_context: bool,
    skip_first: bool,
    where: Context,
) -> None:
    for index, typ in enumerate(function.arg_types):
        if index == 0 and skip_first:
            continue
        verdict = image.judge_safely(api, typ)
        if verdict is None:
            continue
        name = function.arg_names[index]
        param = params[index].variable.name if params else (name or f"#{index + 1}")
        at = params[index] if params else where
        if check_later_parameter(
            api, typ, param, first_name, task=task, takes_context=takes_context, context=at
        ):
            continue  # a TaskContext: reported as task-context, not as a value
        if function.arg_kinds[index] == ARG_STAR:
            param = f"*{param}"
        elif function.arg_kinds[index] == ARG_STAR2:
            param = f"**{param}"
        _report_parameter(api, verdict, typ, task=task, param=param, context=at)


def _returns_unawaited(function: CallableType, definition: FuncDef | None) -> bool:
    """A plain ``def`` (as written, no other decorator) that returns an awaitable.

    Django awaits only what ``iscoroutinefunction`` recognises; the worker stores the
    coroutine object itself, and storing it fails (not JSON-serializable).
    """
    if definition is None or definition.is_coroutine or function.definition is not definition:
        return False
    ret = get_proper_type(function.ret_type)
    return isinstance(ret, Instance) and ret.type.has_base(AWAITABLE)


def _report_unawaited(
    api: CheckerPluginInterface, ret: Type, *, task: str, context: Context
) -> None:
    error, note = messages.return_unawaited(task, ret, api.options)
    emit(api, context, TASK_RETURN, error, note)


def _written_parameters(function: CallableType, decorated: FuncDef | None) -> list[Argument]:
    """The ``def``'s parameters, if they are the function's (no decorator below changed them)."""
    if decorated is None or len(decorated.arguments) != len(function.arg_types):
        return []
    return decorated.arguments


def _first_name(function: CallableType) -> str | None:
    return function.arg_names[0] if function.arg_names else None


def _report_parameter(
    api: CheckerPluginInterface,
    verdict: Lossy | Unserializable,
    typ: Type,
    *,
    task: str,
    param: str,
    context: Context,
) -> None:
    """Report a task parameter of type ``typ`` that ``judge_safely`` found fault with.

    For ``*args`` and ``**kwargs`` ``typ`` is the type of one item, as mypy stores it.
    """
    options = api.options
    # A hint names the value by the parameter; "*points" or "#2" is no name for one value.
    subject = param if param.isidentifier() else None
    if isinstance(verdict, Unserializable):
        error = messages.param_unserializable(task, param, typ, options)
        note = messages.unserializable_note(
            verdict, typ, subject=subject, role="param", options=options
        )
    else:
        error = messages.param_lossy(task, param, typ, verdict.image, options)
        note = messages.param_lossy_note(subject, verdict.image, _enum_name(typ), options)
    messages.emit(api, context, TASK_PARAM, error, note)


def _check_return(api: CheckerPluginInterface, typ: Type, *, task: str, context: Context) -> None:
    """Report a task return type whose values are not stored as ``typ`` (the awaited type)."""
    verdict = judge_safely(api, typ, returned=True)
    options = api.options
    if isinstance(verdict, Unserializable):
        error = messages.return_unserializable(task, typ, options)
        note = messages.unserializable_note(
            verdict, typ, subject=None, role="return", options=options
        )
    elif isinstance(verdict, Lossy):
        error = messages.return_lossy(task, typ, verdict.image, options)
        note = messages.return_lossy_note(verdict.image, options)
    else:
        return
    messages.emit(api, context, TASK_RETURN, error, note)


def _enum_name(typ: Type) -> str | None:
    proper = get_proper_type(typ)
    if isinstance(proper, LiteralType):
        proper = proper.fallback
    if isinstance(proper, Instance) and proper.type.is_enum:
        return proper.type.name
    return None
