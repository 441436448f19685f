"""Subtyping as mypy decides it, and fit: is every value that arrives an instance of the
declared type?
"""

from __future__ import annotations

import builtins
import collections.abc as abc
from collections.abc import Callable

from typed_tasks.rule.nodes import (
    _COVARIANT_ORIGINS,
    STR,
    AliasNode,
    AnyNode,
    EnumNode,
    LiteralNode,
    MappingNode,
    NamedNode,
    Node,
    ScalarNode,
    SequenceNode,
    TupleNode,
    TypedDictNode,
    UnionNode,
    _typed,
    expand_alias,
    typed_dict_items,
)

# -- subtyping, as mypy decides it ------------------------------------------------


def is_subtype(sub: Node, sup: Node, *, proper: bool = False) -> bool:
    """Whether ``sub`` is a subtype of ``sup``: Any fits both ways and int fits float.

    ``proper``, as mypy simplifies unions: no int-to-float promotion, and Any is a
    subtype of nothing but Any (so ``list[Any]`` does not swallow ``list[int]``).
    """
    return _subtype(sub, sup, proper, frozenset())


def _subtype(sub: Node, sup: Node, proper: bool, seen: frozenset[tuple[Node, Node]]) -> bool:
    if sub == sup or isinstance(sup, AnyNode):
        return True
    if isinstance(sub, AnyNode):
        return not proper

    def rec(a: Node, b: Node) -> bool:
        return _subtype(a, b, proper, seen)

    def same(a: Node, b: Node) -> bool:
        return rec(a, b) and rec(b, a)

    if isinstance(sub, AliasNode) or isinstance(sup, AliasNode):
        if (sub, sup) in seen:
            return True  # coinduction: a recursive alias fits itself
        seen = seen | {(sub, sup)}
        sub_body = expand_alias(sub) if isinstance(sub, AliasNode) else sub
        sup_body = expand_alias(sup) if isinstance(sup, AliasNode) else sup
        return _subtype(sub_body, sup_body, proper, seen)
    if isinstance(sub, UnionNode):
        return all(rec(member, sup) for member in sub.members)
    if isinstance(sub, LiteralNode) and len(sub.values) > 1:
        return all(rec(LiteralNode((value,)), sup) for value in sub.values)
    if isinstance(sup, UnionNode) and any(rec(sub, member) for member in sup.members):
        return True  # before unwrapping a NewType: UserId fits UserId | str as itself
    if isinstance(sub, NamedNode):
        return rec(sub.inner, sup)
    if isinstance(sup, UnionNode):
        return False
    if isinstance(sup, NamedNode):
        return False  # only the NewType (or TypeVar) itself fits it: compared above
    match sub, sup:
        case ScalarNode(cls=a), ScalarNode(cls=b):
            return issubclass(a, b) or (not proper and b is float and issubclass(a, int))
        case LiteralNode(values=values), LiteralNode(values=allowed):
            return set(_typed(values)) <= set(_typed(allowed))
        case LiteralNode(values=values), ScalarNode() | EnumNode():
            return all(rec(ScalarNode(type(v), type(v)), sup) for v in values)
        case ScalarNode(cls=a), EnumNode(cls=b):
            return issubclass(a, b)
        case EnumNode(cls=a), ScalarNode(cls=b) | EnumNode(cls=b):
            return issubclass(a, b)
        case ScalarNode(base=base), SequenceNode(origin=origin, item=item):
            return base is str and origin in _COVARIANT_ORIGINS and rec(STR, item)
        case SequenceNode(origin=a, item=x), SequenceNode(origin=b, item=y):
            if not issubclass(a, b):
                return False
            return rec(x, y) if b in _COVARIANT_ORIGINS else same(x, y)
        case TupleNode(items=items), SequenceNode(origin=b, item=y):
            return issubclass(tuple, b) and all(rec(x, y) for x in items)
        case MappingNode(origin=a, key=k1, value=v1), MappingNode(origin=b, key=k2, value=v2):
            if not issubclass(a, b) or not same(k1, k2):
                return False
            return rec(v1, v2) if b is abc.Mapping else same(v1, v2)
        case TypedDictNode(), TypedDictNode():
            if (sub, sup) in seen:
                return True
            seen = seen | {(sub, sup)}
            have = {key: (value, req) for key, value, req in typed_dict_items(sub)}
            for key, value, required in typed_dict_items(sup):
                if key not in have or have[key][1] != required:
                    return False
                if not (_subtype(have[key][0], value, proper, seen)):
                    return False
                if not _subtype(value, have[key][0], proper, seen):
                    return False
            return True
        case TypedDictNode(), MappingNode(origin=origin, key=key, value=value):
            return origin is abc.Mapping and rec(STR, key) and isinstance(value, AnyNode)
        case TupleNode(), TupleNode():
            return _tuple_subtype(sub, sup, rec)
    return False


def _tuple_subtype(sub: TupleNode, sup: TupleNode, rec: Callable[[Node, Node], bool]) -> bool:
    if sup.variadic:
        return all(rec(item, sup.items[0]) for item in sub.items)
    if sub.variadic or len(sub.items) != len(sup.items):
        return False
    return all(rec(a, b) for a, b in zip(sub.items, sup.items, strict=True))


# -- fitting: is every value that arrives an instance of the declared type? ----------------


def fits(arrives_as: Node, declared: Node) -> bool:
    """Whether every value the worker receives as ``arrives_as`` is an instance of ``declared``.

    The worker's values are freshly built by json.loads and nobody else holds them, so
    containers compare covariantly: a ``list[list[int]]`` is a ``list[Sequence[int]]``
    there, though not in the type system (a list is invariant in its item).
    """
    return _fits(arrives_as, declared, frozenset())


def _fits(image: Node, declared: Node, seen: frozenset[tuple[Node, Node]]) -> bool:
    if image == declared or isinstance(image, AnyNode) or isinstance(declared, AnyNode):
        return True

    def rec(a: Node, b: Node) -> bool:
        return _fits(a, b, seen)

    if isinstance(image, AliasNode) or isinstance(declared, AliasNode):
        if (image, declared) in seen:
            return True  # coinduction: a recursive alias fits itself
        seen = seen | {(image, declared)}
        image_body = expand_alias(image) if isinstance(image, AliasNode) else image
        declared_body = expand_alias(declared) if isinstance(declared, AliasNode) else declared
        return _fits(image_body, declared_body, seen)
    if isinstance(image, UnionNode):
        return all(rec(member, declared) for member in image.members)
    if isinstance(image, LiteralNode) and len(image.values) > 1:
        return all(rec(LiteralNode((value,)), declared) for value in image.values)
    if isinstance(declared, UnionNode) and any(rec(image, m) for m in declared.members):
        return True
    match image, declared:
        case SequenceNode(origin=builtins.list, item=x), SequenceNode(origin=b, item=y):
            return issubclass(list, b) and rec(x, y)
        case MappingNode(origin=builtins.dict, key=k1, value=v1), MappingNode(
            origin=b, key=k2, value=v2
        ):
            return issubclass(dict, b) and rec(k1, k2) and rec(v1, v2)
        case TypedDictNode(), TypedDictNode():
            if (image, declared) in seen:
                return True
            return _typed_dict_fits(image, declared, seen | {(image, declared)})
    return is_subtype(image, declared)


def _typed_dict_fits(
    image: TypedDictNode, declared: TypedDictNode, seen: frozenset[tuple[Node, Node]]
) -> bool:
    have = {key: (value, required) for key, value, required in typed_dict_items(image)}
    for key, value, required in typed_dict_items(declared):
        if key not in have or (required and not have[key][1]):
            return False
        if not _fits(have[key][0], value, seen):
            return False
    return True
