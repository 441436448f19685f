"""The type of an ``enqueue`` argument on its own, without its parameter as the context.

mypy infers an argument in the context of the parameter it goes to: ``[now, 1]`` passed to
an ``Any`` parameter is just ``Any``-shaped, and passed to ``list[object]`` it is a
``list[object]``. What reaches the worker depends on what the argument holds, so the
call-site check (``calls``) asks for a second look without that context. The second look
throws its errors and inferred types away, and is taken only of expressions that can be
checked twice without effect.
"""

from __future__ import annotations

from typing import Final

from mypy.checker import TypeChecker
from mypy.checkexpr import has_any_type
from mypy.nodes import (
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
from mypy.plugin import CheckerPluginInterface
from mypy.typeops import make_simplified_union
from mypy.types import AnyType, TupleType, Type, TypeOfAny

# Expressions whose type mypy infers without looking at the parameter: a second look at
# them could only find what the first one did.
_SAME_IN_ANY_CONTEXT: Final = (NameExpr, MemberExpr, IntExpr, StrExpr, BytesExpr, FloatExpr)

# An argument nested deeper than this is judged by the type mypy gave it.
MAX_PLAIN_DEPTH: Final = 30


def type_on_its_own(api: CheckerPluginInterface, expr: Expression) -> Type | None:
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


_DISPLAYS: Final = (
    DictExpr,
    ListExpr,
    SetExpr,
    TupleExpr,
    ListComprehension,
    SetComprehension,
    DictionaryComprehension,
)


def _is_display(*exprs: Expression) -> bool:
    return any(isinstance(expr, _DISPLAYS) for expr in exprs)


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
        depth < MAX_PLAIN_DEPTH
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
