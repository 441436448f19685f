"""The call-site check: what ``enqueue``/``aenqueue`` sends must arrive as the parameter declares.

For each argument of static type ``A`` passed to a parameter ``p: T``, ``image(A)`` must exist
and be a subtype of ``T``. Two cases are left to others, so nothing is reported twice:
an argument mypy already rejects (``A`` not a subtype of ``T``: mypy's arg-type), and a
parameter whose own type does not survive the round trip (reported at its definition).
"""

import contextlib
from typing import Final

from mypy.argmap import ArgTypeExpander
from mypy.checker import TypeChecker
from mypy.checkexpr import has_any_type
from mypy.infer import ArgumentInferContext
from mypy.maptype import map_instance_to_supertype
from mypy.nodes import (
    ARG_NAMED,
    ARG_POS,
    CallExpr,
    DictExpr,
    Expression,
    ListExpr,
    MemberExpr,
    NameExpr,
    SetExpr,
    StarExpr,
    TupleExpr,
)
from mypy.plugin import CheckerPluginInterface, MethodContext
from mypy.subtypes import is_subtype
from mypy.typeops import make_simplified_union
from mypy.types import AnyType, Instance, Parameters, TupleType, Type, TypeOfAny, get_proper_type

from mypy_plugin import messages
from mypy_plugin.errorcodes import TASK_ARG
from mypy_plugin.image import (
    Lossy,
    Unserializable,
    image_of,
    judge,
    unserializable_note,
    verdict_of,
)

TASK_CLASS = "django.tasks.base.Task"

# Displays nested deeper than this are judged by the type mypy gave them.
_MAX_LITERAL_DEPTH: Final = 20


def enqueue_hook(ctx: MethodContext) -> Type:
    """Method hook for ``Task.enqueue`` and ``Task.aenqueue``; never changes the inferred type."""
    # A crash in a plugin is an INTERNAL ERROR in the user's CI; a missed report is not.
    with contextlib.suppress(Exception):
        _check_call(ctx)
    return ctx.default_return_type


def _check_call(ctx: MethodContext) -> None:
    params = task_parameters(ctx.type)
    if params is None or params.arg_names != ctx.callee_arg_names:
        return
    task = _task_name(ctx.context)
    # Hands out the item of a *tuple or **TypedDict argument that lands on each parameter;
    # it keeps count, so it sees every actual of every parameter, in order.
    expander = ArgTypeExpander(_argument_infer_context(ctx.api))
    for index, declared in enumerate(params.arg_types):
        name, formal_kind = params.arg_names[index], params.arg_kinds[index]
        param = name or str(index + 1)
        declared_fits = judge(ctx.api, declared, declared) is None
        actuals = zip(
            ctx.arg_types[index],
            ctx.arg_kinds[index],
            ctx.arg_names[index],
            ctx.args[index],
            strict=False,
        )
        for actual, kind, keyword, expr in actuals:
            sent = expander.expand_actual_type(actual, kind, name, formal_kind)
            # A parameter that does not fit is reported at its definition; an argument
            # that does not fit the parameter is mypy's own arg-type error.
            if not declared_fits or not is_subtype(sent, declared):
                continue
            # A **kwargs parameter receives the argument under its own keyword.
            label = keyword if kind == ARG_NAMED and keyword else param
            _check_argument(
                ctx.api,
                sent,
                declared,
                expr=expr,
                is_one_value=kind in (ARG_POS, ARG_NAMED),
                task=task,
                param=label,
            )


def _argument_infer_context(api: CheckerPluginInterface) -> ArgumentInferContext:
    unknown = AnyType(TypeOfAny.special_form)
    return ArgumentInferContext(
        api.named_generic_type("typing.Mapping", [unknown, unknown]),
        api.named_generic_type("typing.Iterable", [unknown]),
    )


def task_parameters(typ: Type) -> Parameters | None:
    """The parameters ``P`` of a ``Task[P, R]``, or None for anything that is not a Task."""
    proper = get_proper_type(typ)
    if not isinstance(proper, Instance):
        return None
    for base in proper.type.mro:
        if base.fullname == TASK_CLASS:
            task = map_instance_to_supertype(proper, base)
            params = get_proper_type(task.args[0]) if task.args else None
            return params if isinstance(params, Parameters) else None
    return None


def _check_argument(
    api: CheckerPluginInterface,
    sent: Type,
    declared: Type,
    *,
    expr: Expression,
    is_one_value: bool,
    task: str | None,
    param: str,
) -> None:
    """Report one argument; ``is_one_value`` is False for ``*xs`` and ``**d`` (``expr``)."""
    image = image_of(api, sent)
    written = None
    if is_one_value and (isinstance(image, Unserializable) or has_any_type(image)):
        # A display passed to an Any or object parameter is typed dict[Any, Any] or
        # dict[str, object]; its items still tell whether it can be sent. (Only then: where
        # mypy typed the items from the parameter, it has checked them against it.)
        written = _written_type(api, expr, 0)
    if written is not None:
        written_image = image_of(api, written)
        if isinstance(written_image, Unserializable):
            sent, image = written, written_image
    verdict = verdict_of(image, declared)
    options = api.options
    if isinstance(verdict, Unserializable):
        error = messages.arg_unserializable(task, param, sent, options)
        # A hint can name the value only when the argument is that value.
        subject = _source_name(expr) if is_one_value else None
        note = unserializable_note(verdict, sent, subject=subject, role="arg", options=options)
    elif isinstance(verdict, Lossy):
        error = messages.arg_lossy(task, param, sent, verdict.image, declared, options)
        note = messages.arg_lossy_note(declared, options)
    else:
        return
    messages.emit(api, expr, TASK_ARG, error, note)


def _task_name(call: object) -> str | None:
    """``notify`` in ``notify.enqueue(...)`` and ``tasks.notify.using(...).enqueue(...)``."""
    if not (isinstance(call, CallExpr) and isinstance(call.callee, MemberExpr)):
        return None
    target = call.callee.expr
    while isinstance(target, CallExpr) and isinstance(target.callee, MemberExpr):
        target = target.callee.expr
    if isinstance(target, NameExpr | MemberExpr):
        return target.name
    return None


def _source_name(expr: Expression) -> str | None:
    """``request.user`` for a dotted name, so a hint can say ``pass request.user.pk``."""
    if isinstance(expr, NameExpr):
        return expr.name
    if isinstance(expr, MemberExpr):
        owner = _source_name(expr.expr)
        return f"{owner}.{expr.name}" if owner is not None else None
    return None


def _written_type(api: CheckerPluginInterface, expr: Expression, depth: int) -> Type | None:
    """The type of a list, set, tuple or dict display from the types of its items.

    mypy types a display from the parameter it is passed to (``{"at": now}`` into ``Any`` is
    ``dict[Any, Any]``), but the type of each item, checked before, is still recorded.
    """
    if depth > _MAX_LITERAL_DEPTH or not isinstance(api, TypeChecker):
        return None
    if isinstance(expr, DictExpr):
        keys: list[Type] = []
        values: list[Type] = []
        for key, value in expr.items:
            if key is None:  # {**other}
                return None
            key_type = _item_type(api, key, depth)
            value_type = _item_type(api, value, depth)
            if key_type is None or value_type is None:
                return None
            keys.append(key_type)
            values.append(value_type)
        union: list[Type] = [make_simplified_union(keys), make_simplified_union(values)]
        return api.named_generic_type("builtins.dict", union)
    if isinstance(expr, ListExpr | SetExpr | TupleExpr):
        items: list[Type] = []
        for item in expr.items:
            item_type = None if isinstance(item, StarExpr) else _item_type(api, item, depth)
            if item_type is None:
                return None
            items.append(item_type)
        if isinstance(expr, TupleExpr):
            fallback = api.named_generic_type("builtins.tuple", [make_simplified_union(items)])
            return TupleType(items, fallback)
        container = "builtins.set" if isinstance(expr, SetExpr) else "builtins.list"
        return api.named_generic_type(container, [make_simplified_union(items)])
    return None


def _item_type(api: TypeChecker, expr: Expression, depth: int) -> Type | None:
    written = _written_type(api, expr, depth + 1)
    return written if written is not None else api.lookup_type_or_none(expr)
