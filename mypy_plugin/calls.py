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
    CallExpr,
    DictExpr,
    Expression,
    FloatExpr,
    IntExpr,
    ListExpr,
    MemberExpr,
    NameExpr,
    StrExpr,
)
from mypy.plugin import CheckerPluginInterface, MethodContext
from mypy.subtypes import is_subtype
from mypy.types import (
    AnyType,
    Instance,
    LiteralType,
    Parameters,
    Type,
    TypeOfAny,
    get_proper_type,
)

from mypy_plugin import messages
from mypy_plugin.argument_types import MAX_PLAIN_DEPTH, type_on_its_own
from mypy_plugin.errorcodes import TASK_ARG
from mypy_plugin.image import (
    JSON_SCALARS,
    Lossy,
    Unserializable,
    image_of,
    is_closed,
    is_own_image,
    judge_declared,
    verdict_of,
)
from mypy_plugin.memo import BuildMemo
from mypy_plugin.options import OPEN_PARAMETERS, has_unpacked_arguments, options_carried_by
from mypy_plugin.task_type import task_base


def enqueue_hook(ctx: MethodContext) -> Type:
    """Method hook for ``Task.enqueue`` and ``Task.aenqueue``; never changes the inferred type."""
    open_params = _open_parameters(ctx.type)
    if open_params and not _sends_only_own_images(ctx, open_params):
        _check_call(ctx, open_params)
    return ctx.default_return_type


def open_mask(types: list[Type]) -> int | None:
    """The positions of the parameters of these types that are not closed, as the bits of a
    number, for a task's type to carry; None past the bits a carried number holds."""
    if len(types) > _MASK_BITS:
        return None
    mask = 0
    for index, typ in enumerate(types):
        if not is_closed(typ):
            mask |= 1 << index
    return mask


_MASK_BITS: Final = 62


class _OpenParameters:
    """The positions of a task's parameters that are not closed (``image.is_closed``): only
    the arguments sent to them need a look. Empty for a task whose every parameter is
    closed (the common task), and for a type that is not a task.

    A task the plugin made carries them (``open_mask``, judged once where it is defined).
    Another task type's are remembered per list of parameter types, by value. Closedness
    depends only on builtins and on the shape of the type, so the answer holds in a daemon
    too.
    """

    def __init__(self) -> None:
        self._by_mask: dict[int, tuple[int, ...]] = {}
        self._by_types: BuildMemo[tuple[Type, ...], tuple[int, ...]] = BuildMemo(20_000)

    def __call__(self, task: Type) -> tuple[int, ...]:
        mask = options_carried_by(task).get(OPEN_PARAMETERS)
        if type(mask) is int:
            positions = self._by_mask.get(mask)
            if positions is None:
                positions = tuple(
                    [index for index in range(mask.bit_length()) if mask >> index & 1]
                )
                self._by_mask[mask] = positions
            return positions
        params = task_parameters(task)
        if params is None:
            return ()
        types = tuple(params.arg_types)  # hashed in C; names and kinds do not matter
        remembered = self._by_types.get(types)
        if remembered is None:  # not ``or``: () (every parameter closed) is the common answer
            remembered = self._by_types.remember(
                types, tuple([index for index, typ in enumerate(types) if not is_closed(typ)])
            )
        return remembered


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
        types, kinds, exprs = arg_types[index], arg_kinds[index], args[index]
        for position in range(len(types)):
            if kinds[position] not in (ARG_POS, ARG_NAMED):
                return False
            expr = exprs[position]
            if type(expr) in _LITERAL_LEAVES:
                continue
            # A display is judged by what it holds before its type: literals are told by
            # their class, where the type (a TypedDict's, say) takes a walk to judge.
            if isinstance(expr, _DISPLAYS) and _is_json_display(api, expr, 0):
                continue
            typ = types[position]
            if type(typ) is Instance and typ.type.fullname in JSON_SCALARS:
                continue  # is_own_image's first test, without the call: most arguments
            if not is_own_image(typ):
                return False
    return True


def _is_json_display(api: CheckerPluginInterface, expr: Expression, depth: int) -> bool:
    """Whether ``expr`` is a list or ``str``-keyed dict display whose every leaf was checked
    as a type that is its own image: it arrives as written, whatever type the parameter
    made mypy give the display (``dict[str, Any]`` for ``{"at": now}`` too, hence the look
    at the leaves).
    """
    if depth > MAX_PLAIN_DEPTH or not isinstance(api, TypeChecker):
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


def _check_call(ctx: MethodContext, open_params: tuple[int, ...]) -> None:
    params = task_parameters(ctx.type)
    if params is None or params.arg_names != ctx.callee_arg_names:
        return
    task = task_name(ctx.context)
    quiet = None if ctx.api.options.fine_grained_incremental else _QUIET_PAIRS
    # Hands out the item of a *tuple or **TypedDict argument that lands on each parameter;
    # it keeps count, so it sees every star actual of every parameter, in order. Without
    # one, only the open parameters need a look.
    expander: ArgTypeExpander | None = None
    unpacked = has_unpacked_arguments(ctx)
    for index in range(len(params.arg_types)) if unpacked else open_params:
        declared = params.arg_types[index]
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
            if is_own_image(sent):
                continue
            pair = (sent, declared)
            if quiet is not None and pair in quiet:
                continue
            if not is_subtype(sent, declared):
                if quiet is not None:
                    quiet.remember(pair, None)
                continue
            # A parameter that does not fit is reported at its definition.
            if declared_fits is None:
                declared_fits = judge_declared(ctx.api, declared) is None
            if not declared_fits:
                continue
            # A **kwargs parameter receives the argument under its own keyword.
            keyword = ctx.arg_names[index][position]
            label = keyword if kind == ARG_NAMED and keyword else param
            settled = _check_argument(
                ctx.api,
                sent,
                declared,
                expr=expr,
                is_one_value=kind in (ARG_POS, ARG_NAMED),
                task=task,
                param=label,
            )
            if settled and quiet is not None:
                quiet.remember(pair, None)


# In a ``mypy`` run, the (sent type, parameter type) pairs found to have nothing to report
# whatever the argument's expression: mypy rejects the argument (not a subtype), or its
# image fits the parameter and has no ``Any`` that the expression could refine. Projects
# send the same types to the same parameters over and over; types hash and compare by
# value. Not under the daemon, which re-analyses an edited class in place (as image's
# _SOUND_TYPES).
_QUIET_PAIRS: Final[BuildMemo[tuple[Type, Type], None]] = BuildMemo(20_000)


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
) -> bool:
    """Report one argument; ``is_one_value`` is False for ``*xs`` and ``**d`` (``expr``).

    True when there was nothing to report from the types alone, the expression unread.
    """
    image = image_of(api, sent)
    refinable = isinstance(image, Unserializable) or has_any_type(image)
    if is_one_value and refinable:
        # mypy typed the argument from the parameter: passed to Any, list(users) is a
        # list[Any] and {"at": now} a dict[Any, Any]. On its own it tells what is sent.
        # (Only where that left Any: elsewhere mypy checked it against the parameter.)
        alone = type_on_its_own(api, expr)
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
        note = messages.unserializable_note(
            verdict, sent, subject=subject, role="arg", options=options
        )
    elif isinstance(verdict, Lossy):
        error = messages.arg_lossy(task, param, sent, verdict.image, declared, options)
        note = messages.arg_lossy_note(declared, options)
    else:
        return not (is_one_value and refinable)
    messages.emit(api, expr, TASK_ARG, error, note)
    return False


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
