"""The call-site check: what ``enqueue``/``aenqueue`` sends must arrive as the parameter declares.

For each argument of static type ``A`` passed to a parameter ``p: T``, ``image(A)`` must exist
and fit ``T`` (``mypy_plugin.fit``: what arrives is fresh, so containers compare covariantly).
Two cases are left to others, so nothing is reported twice:
an argument mypy already rejects (``A`` not a subtype of ``T``: mypy's arg-type), and a
parameter whose own type does not survive the round trip (reported at its definition).
"""

from __future__ import annotations

from typing import Final

from mypy.argmap import ArgTypeExpander
from mypy.checker import TypeChecker
from mypy.checkexpr import has_any_type
from mypy.infer import ArgumentInferContext
from mypy.maptype import map_instance_to_supertype
from mypy.nodes import (
    ARG_NAMED,
    ARG_POS,
    BytesExpr,
    CallExpr,
    ComparisonExpr,
    ConditionalExpr,
    DictExpr,
    DictionaryComprehension,
    Expression,
    FloatExpr,
    GeneratorExpr,
    IndexExpr,
    IntExpr,
    ListComprehension,
    ListExpr,
    MemberExpr,
    NameExpr,
    OpExpr,
    SetComprehension,
    SetExpr,
    StarExpr,
    StrExpr,
    TupleExpr,
    UnaryExpr,
)
from mypy.plugin import CheckerPluginInterface, MethodContext
from mypy.subtypes import is_subtype
from mypy.typeops import make_simplified_union
from mypy.types import (
    AnyType,
    Instance,
    LiteralType,
    Parameters,
    TupleType,
    Type,
    TypeOfAny,
    get_proper_type,
)

from mypy_plugin import messages
from mypy_plugin.errorcodes import TASK_ARG
from mypy_plugin.image import (
    JSON_SCALARS,
    Lossy,
    Unserializable,
    image_of,
    is_closed,
    is_own_image,
    judge_declared,
    unserializable_note,
    verdict_of,
)
from mypy_plugin.memo import BuildMemo
from mypy_plugin.task_type import task_base

# Expressions whose type mypy infers without looking at the parameter: a second look at
# them could only find what the first one did.
_SAME_IN_ANY_CONTEXT: Final = (NameExpr, MemberExpr, IntExpr, StrExpr, BytesExpr, FloatExpr)

# An argument nested deeper than this is judged by the type mypy gave it.
_MAX_PLAIN_DEPTH: Final = 30


def enqueue_hook(ctx: MethodContext) -> Type:
    """Method hook for ``Task.enqueue`` and ``Task.aenqueue``; never changes the inferred type."""
    open_params = _open_parameters(ctx.type)
    if open_params and not _sends_only_own_images(ctx, open_params):
        _check_call(ctx)
    return ctx.default_return_type


class _OpenParameters:
    """The positions of a task's parameters that are not closed (``image.is_closed``): only
    the arguments sent to them need a look. Empty for a task whose every parameter is
    closed (the common task), and for a type that is not a task.

    Remembered per task type object (mypy hands every call of a task the type its
    definition or cache entry made) and per list of parameter types, by value:
    ``using(...)`` makes a new task type with equal parameters. Closedness depends only on
    builtins and on the shape of the type, so the answer holds in a daemon too. An entry
    keeps its object alive, so its id is not reused while remembered.
    """

    def __init__(self) -> None:
        self._by_task: BuildMemo[int, tuple[Type, tuple[int, ...]]] = BuildMemo(20_000)
        self._by_types: BuildMemo[tuple[Type, ...], tuple[int, ...]] = BuildMemo(20_000)

    def __call__(self, task: Type) -> tuple[int, ...]:
        known = self._by_task.get(id(task))
        if known is not None:
            return known[1]
        params = task_parameters(task)
        if params is None:
            open_params: tuple[int, ...] = ()
        else:
            types = tuple(params.arg_types)  # hashed in C; names and kinds do not matter
            remembered = self._by_types.get(types)
            if remembered is None:  # not ``or``: () (every parameter closed) is the common answer
                remembered = self._by_types.remember(
                    types, tuple([index for index, typ in enumerate(types) if not is_closed(typ)])
                )
            open_params = remembered
        self._by_task.remember(id(task), (task, open_params))
        return open_params


_open_parameters: Final = _OpenParameters()


def _sends_only_own_images(ctx: MethodContext, open_params: tuple[int, ...]) -> bool:
    """Whether every argument sent to an open parameter is one value that plainly arrives as
    itself: of a type that is its own JSON image, or a display of such values
    (``{"id": order.pk, "lines": [1, 2]}``).

    Such a call has nothing to report, whatever the task declares; it is the common call,
    so it is settled before the task's parameters are even looked at. (A value sent to a
    closed parameter arrives as mypy accepted it, so it is not looked at.)
    """
    api = ctx.api
    arg_types, arg_kinds, args = ctx.arg_types, ctx.arg_kinds, ctx.args
    if len(arg_types) <= open_params[-1]:
        return False  # not the task's parameters: _check_call decides
    for index in open_params:
        # Index loops over mypy's parallel lists: see options.passed_options.
        types, kinds = arg_types[index], arg_kinds[index]
        for position in range(len(types)):
            if kinds[position] not in (ARG_POS, ARG_NAMED):
                return False
            typ = types[position]
            if type(typ) is Instance and typ.type.fullname in JSON_SCALARS:
                continue  # is_own_image's first test, without the call: most arguments
            if not (is_own_image(typ) or _is_json_display(api, args[index][position], 0)):
                return False
    return True


def _is_json_display(api: CheckerPluginInterface, expr: Expression, depth: int) -> bool:
    """Whether ``expr`` is a list or ``str``-keyed dict display whose every leaf was checked
    as a type that is its own image: it arrives as written, whatever type the parameter
    made mypy give the display (``dict[str, Any]`` for ``{"at": now}`` too, hence the look
    at the leaves).
    """
    if depth > _MAX_PLAIN_DEPTH or not isinstance(api, TypeChecker):
        return False
    # Loops, not all(<generator>): see image._is_own_image.
    if isinstance(expr, ListExpr):
        for item in expr.items:  # noqa: SIM110
            if not _is_json_leaf(api, item, depth):
                return False
        return True
    if isinstance(expr, DictExpr):
        for key, value in expr.items:
            if key is None or not (type(key) is StrExpr or _is_str(api.lookup_type_or_none(key))):
                return False
            if not _is_json_leaf(api, value, depth):
                return False
        return True
    return False


# A str, int or float literal is of a type that is its own image; no need to look it up.
_LITERAL_LEAVES: Final = frozenset({StrExpr, IntExpr, FloatExpr})
_DISPLAYS: Final = (ListExpr, DictExpr)  # made once: see image._SELF_IMAGED


def _is_json_leaf(api: TypeChecker, expr: Expression, depth: int) -> bool:
    if type(expr) in _LITERAL_LEAVES:
        return True
    if isinstance(expr, _DISPLAYS):
        return _is_json_display(api, expr, depth + 1)
    checked = api.lookup_type_or_none(expr)
    return checked is not None and is_own_image(checked)


def _is_str(typ: Type | None) -> bool:
    proper = get_proper_type(typ)
    if isinstance(proper, LiteralType):
        proper = proper.fallback
    return isinstance(proper, Instance) and proper.type.fullname == "builtins.str"


def _check_call(ctx: MethodContext) -> None:
    params = task_parameters(ctx.type)
    if params is None or params.arg_names != ctx.callee_arg_names:
        return
    task = task_name(ctx.context)
    # Hands out the item of a *tuple or **TypedDict argument that lands on each parameter;
    # it keeps count, so it sees every star actual of every parameter, in order.
    expander: ArgTypeExpander | None = None
    for index, declared in enumerate(params.arg_types):
        name, formal_kind = params.arg_names[index], params.arg_kinds[index]
        param = name or str(index + 1)
        declared_fits: bool | None = None  # judged once, and only if an argument needs it
        actual_types, actual_kinds = ctx.arg_types[index], ctx.arg_kinds[index]
        for position in range(len(actual_types)):  # see options.passed_options
            actual, kind = actual_types[position], actual_kinds[position]
            expr = ctx.args[index][position]
            if kind in (ARG_POS, ARG_NAMED):
                sent = actual  # what the expander would hand out for a single value
            else:
                if expander is None:
                    expander = ArgTypeExpander(_argument_infer_context(ctx.api))
                sent = expander.expand_actual_type(actual, kind, name, formal_kind)
            # A value of its own image arrives as sent: it fits the parameter, or mypy
            # reports arg-type; either way there is nothing to add.
            if is_own_image(sent) or not is_subtype(sent, declared):
                continue
            # A parameter that does not fit is reported at its definition.
            if declared_fits is None:
                declared_fits = judge_declared(ctx.api, declared) is None
            if not declared_fits:
                continue
            # A **kwargs parameter receives the argument under its own keyword.
            keyword = ctx.arg_names[index][position]
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
    base = task_base(proper.type)
    if base is None:
        return None
    if base is not proper.type:  # a subclass (rare): seen as its Task base
        proper = map_instance_to_supertype(proper, base)
    params = get_proper_type(proper.args[0]) if proper.args else None
    return params if isinstance(params, Parameters) else None


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
    if is_one_value and (isinstance(image, Unserializable) or has_any_type(image)):
        # mypy typed the argument from the parameter: passed to Any, list(users) is a
        # list[Any] and {"at": now} a dict[Any, Any]. On its own it tells what is sent.
        # (Only where that left Any: elsewhere mypy checked it against the parameter.)
        alone = _type_on_its_own(api, expr)
        if alone is not None and not is_own_image(alone):
            alone_image = image_of(api, alone)
            if isinstance(alone_image, Unserializable):
                sent, image = alone, alone_image
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


def task_name(call: object) -> str | None:
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


def _type_on_its_own(api: CheckerPluginInterface, expr: Expression) -> Type | None:
    """The type of ``expr`` inferred without a type context, as mypy's checker does it for
    assignments: errors and inferred types of this second look are thrown away.

    A list, set, tuple or dict display gets the union of its items, not their join:
    ``[now, 1]`` is a ``list[datetime | int]``, which tells more than ``list[object]``.
    So does a display built by a comprehension: ``[{"price": line.price} for line in lines]``
    is a ``list[dict[str, str | Decimal]]``, not mypy's ``list[dict[str, object]]``.
    """
    if isinstance(expr, _SAME_IN_ANY_CONTEXT) or not isinstance(api, TypeChecker):
        return None
    return _display_type(api, expr) or _inferred_alone(api, expr)


def _inferred_alone(api: TypeChecker, expr: Expression) -> Type | None:
    """mypy's inference of ``expr`` without a type context, or None if ``expr`` is not plain.

    The errors and the types recorded by this second check are thrown away.
    """
    if not _is_plain(expr, 0):
        return None
    errors = api.msg.filter_errors(filter_deprecated=True, filter_revealed_type=True)
    with errors, api.local_type_map:
        return api.get_expression_type(expr)


def _display_type(api: TypeChecker, expr: Expression, *, recorded: bool = False) -> Type | None:
    """``recorded``: take each leaf as checked even where its type holds an Any (inside a
    comprehension or a conditional branch, where the narrowing that came with it matters)."""
    if isinstance(expr, ListComprehension | SetComprehension):
        # Inside a comprehension the leaves are read as checked, under the narrowing of its
        # conditions (`if line.price is not None`), which a second look would not have.
        item = _item_type(api, expr.generator.left_expr, recorded=True)
        container = "builtins.set" if isinstance(expr, SetComprehension) else "builtins.list"
        return api.named_generic_type(container, [item])
    if isinstance(expr, ConditionalExpr) and _is_display(expr.if_expr, expr.else_expr):
        # Each branch as checked, under the narrowing of the condition.
        branches = [expr.if_expr, expr.else_expr]
        return make_simplified_union([_item_type(api, b, recorded=True) for b in branches])
    if isinstance(expr, DictionaryComprehension) and expr.key is not None:
        key_type = _item_type(api, expr.key, recorded=True)
        value_type = _item_type(api, expr.value, recorded=True)
        return api.named_generic_type("builtins.dict", [key_type, value_type])
    if isinstance(expr, DictExpr) and all(key is not None for key, _ in expr.items):
        keys = [_item_type(api, key, recorded=recorded) for key, _ in expr.items if key is not None]
        values = [_item_type(api, value, recorded=recorded) for _, value in expr.items]
        key_value: list[Type] = [make_simplified_union(keys), make_simplified_union(values)]
        return api.named_generic_type("builtins.dict", key_value)
    if isinstance(expr, ListExpr | SetExpr | TupleExpr) and not any(
        isinstance(item, StarExpr) for item in expr.items
    ):
        items = [_item_type(api, item, recorded=recorded) for item in expr.items]
        union = make_simplified_union(items)
        if isinstance(expr, TupleExpr):
            return TupleType(items, api.named_generic_type("builtins.tuple", [union]))
        container = "builtins.set" if isinstance(expr, SetExpr) else "builtins.list"
        return api.named_generic_type(container, [union])
    return None  # {**other} and [*others] are joined by mypy like any other expression


def _is_display(*exprs: Expression) -> bool:
    displays = DictExpr | ListExpr | SetExpr | TupleExpr | ListComprehension | SetComprehension
    return any(isinstance(expr, displays | DictionaryComprehension) for expr in exprs)


def _item_type(api: TypeChecker, expr: Expression, *, recorded: bool = False) -> Type:
    display = _display_type(api, expr, recorded=recorded)
    if display is not None:
        return display
    checked = api.lookup_type_or_none(expr)
    # Without an Any in it, the parameter's Any did not shape it: on its own it is the same.
    if checked is not None and (recorded or not has_any_type(checked)):
        return checked
    return _inferred_alone(api, expr) or checked or AnyType(TypeOfAny.special_form)


def _is_plain(expr: Expression, depth: int) -> bool:
    """Whether ``expr`` is built only of nodes that can be checked twice without effect.

    A second look at an assignment expression (``x := ...``) or a lambda would bind names
    again; anything not known here counts as not plain.
    """
    parts = _parts(expr)
    return (
        depth < _MAX_PLAIN_DEPTH
        and parts is not None
        and all(_is_plain(part, depth + 1) for part in parts)
    )


def _parts(expr: Expression) -> list[Expression] | None:
    if isinstance(expr, NameExpr | IntExpr | StrExpr | BytesExpr | FloatExpr):
        return []
    if isinstance(expr, MemberExpr | StarExpr | UnaryExpr):
        return [expr.expr]
    if isinstance(expr, CallExpr):
        return [expr.callee, *expr.args]
    if isinstance(expr, ListExpr | TupleExpr | SetExpr):
        return list(expr.items)
    if isinstance(expr, DictExpr):
        return [part for item in expr.items for part in item if part is not None]
    if isinstance(expr, IndexExpr):
        return [expr.base, expr.index]
    if isinstance(expr, OpExpr):
        return [expr.left, expr.right]
    if isinstance(expr, ComparisonExpr):
        return list(expr.operands)
    if isinstance(expr, ConditionalExpr):
        return [expr.cond, expr.if_expr, expr.else_expr]
    if isinstance(expr, ListComprehension | SetComprehension):
        expr = expr.generator
    if isinstance(expr, GeneratorExpr | DictionaryComprehension):
        made = [expr.left_expr] if isinstance(expr, GeneratorExpr) else [expr.key, expr.value]
        conditions = [condition for conditions in expr.condlists for condition in conditions]
        return [*made, *expr.indices, *expr.sequences, *conditions]
    return None
