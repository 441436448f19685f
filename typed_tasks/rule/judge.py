"""Judging an annotation (``classify``, ``classify_return``), and turning an image back into
a runtime annotation.
"""

from __future__ import annotations

import sys
import typing
from types import NoneType
from typing import Any, Literal, Union

import typing_extensions

from typed_tasks import rule_table
from typed_tasks.rule.imaging import Refusal, lossy_image
from typed_tasks.rule.nodes import (
    AliasNode,
    AnyNode,
    EnumNode,
    LiteralNode,
    MappingNode,
    NamedNode,
    NamedTupleNode,
    Node,
    OpaqueNode,
    ScalarNode,
    SequenceNode,
    TypedDictNode,
    UnionNode,
    describe,
    describe_node,
    parse,
    reachable,
)
from typed_tasks.rule.verdicts import Lossy, NotSerializable, Serializable, Unknown, Verdict

# -- classify -----------------------------------------------------------------------


def classify(annotation: object) -> Verdict:
    """Judge a parameter annotation by the JSON-image rule."""
    node = parse(annotation)
    if isinstance(node, AnyNode) or _has_unresolved(node):
        return Unknown(annotation)
    try:
        arrives_as = lossy_image(node)
    except Refusal as refusal:
        return _not_serializable(annotation, refusal)
    if arrives_as is None:
        return Serializable(annotation)
    return Lossy(annotation, to_annotation(arrives_as))


def classify_return(annotation: object) -> Verdict:
    """Judge a return annotation: as a parameter, but types that promise only iteration
    (``rule_table.ITERATION_ONLY``) are refused."""
    node = parse(annotation)
    for part in {node} | reachable(node):
        if isinstance(part, SequenceNode) and _full_name(part.origin) in rule_table.ITERATION_ONLY:
            return _not_serializable(annotation, Refusal(describe_node(part), "iterator"))
    return classify(annotation)


def _not_serializable(annotation: object, refusal: Refusal) -> NotSerializable:
    whole = refusal.kind != rule_table.KEY and refusal.culprit == describe(annotation)
    return NotSerializable(annotation, refusal.reason, refusal.kind, refusal.culprit, whole)


def _full_name(cls: object) -> str:
    return f"{getattr(cls, '__module__', '')}.{getattr(cls, '__qualname__', '')}"


def _has_unresolved(node: Node) -> bool:
    return any(isinstance(n, AnyNode) and n.unresolved for n in reachable(node))


# -- back to runtime annotations ------------------------------------------------------


def to_annotation(node: Node) -> object:
    """A runtime annotation for an image node, for ``Lossy.image``."""
    match node:
        case AnyNode(text="object"):
            return object
        case AnyNode():
            return Any
        case ScalarNode(cls=cls):
            return None if cls is NoneType else cls
        case LiteralNode(values=values):
            return Literal.__getitem__(values)
        case SequenceNode(origin=origin, item=item):
            return _subscript(origin, (to_annotation(item),))
        case MappingNode(origin=origin, key=key, value=value):
            return _subscript(origin, (to_annotation(key), to_annotation(value)))
        case TypedDictNode(cls=cls) if cls is not None:
            return cls
        case TypedDictNode(items=items):
            return _anonymous_typed_dict(items)
        case UnionNode(members=()):
            return typing_extensions.Never
        case UnionNode(members=members):
            return Union.__getitem__(tuple(to_annotation(m) for m in members))
        case AliasNode(alias=alias, args=()):
            return alias
        case AliasNode(alias=alias, args=args):
            return alias[tuple(to_annotation(a) for a in args)]
        case NamedNode(original=original):
            return original
        case EnumNode(cls=cls) | NamedTupleNode(cls=cls):
            return cls
        case OpaqueNode(cls=cls) if cls is not None:
            return cls
    return Any


def _subscript(origin: type, args: tuple[object, ...]) -> object:
    return origin[args] if len(args) > 1 else origin[args[0]]  # type: ignore[index]


def _anonymous_typed_dict(items: tuple[tuple[str, Node, bool], ...]) -> object:
    fields = {
        key: (typing_extensions.Required if required else typing_extensions.NotRequired)[
            to_annotation(value)
        ]
        for key, value, required in items
    }
    # Its functional form, which mypy does not model; typing's understands Required from 3.11.
    make_typed_dict: Any = (
        typing.TypedDict if sys.version_info >= (3, 11) else typing_extensions.TypedDict
    )
    cls: type = make_typed_dict("AnonymousTypedDict", fields)
    cls.__typed_tasks_anonymous__ = True  # type: ignore[attr-defined]
    return cls
