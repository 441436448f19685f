"""The JSON image of a node: what its values arrive as in the worker, or a ``Refusal``."""

from __future__ import annotations

import enum

from typed_tasks import rule_table
from typed_tasks.rule.fit import fits, is_subtype
from typed_tasks.rule.nodes import (
    ANY,
    STR,
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
    TupleNode,
    TypedDictNode,
    UnionNode,
    _typed,
    describe_node,
    expand_alias,
    named_tuple_items,
    typed_dict_items,
)

# -- the image ---------------------------------------------------------------------


class Refusal(Exception):
    """Raised while imaging a node whose values Django cannot serialize: ``culprit`` (as
    ``describe`` spells it) has no image, being of ``kind``."""

    def __init__(self, culprit: str, kind: str, reason: str | None = None) -> None:
        self.reason = reason or f"{culprit} is not JSON-serializable"
        super().__init__(self.reason)
        self.culprit = culprit
        self.kind = kind


def image(node: Node) -> Node:
    """The type of the JSON image of values of ``node``; raises Refusal if there is none."""
    return _image(node, frozenset(), [])


def lossy_image(node: Node) -> Node | None:
    """What values of ``node`` arrive as, or None when every one arrives as ``node`` declares.

    Two things must hold: the image fits ``node`` (``fits``), and every declared alternative
    can arrive: in ``int | Level`` a Level member arrives as an int, so although the image
    ``int`` fits the union, ``x is Level.HIGH`` would silently change in the worker.
    Raises Refusal when there is no image.
    """
    lost: list[Node] = []
    arrives_as = _image(node, frozenset(), lost)
    return arrives_as if lost or not fits(arrives_as, node) else None


def _image(node: Node, busy: frozenset[Node], lost: list[Node]) -> Node:
    """``lost`` collects each declared alternative (a union member or a literal value) whose
    values never arrive as that alternative."""
    match node:
        case AnyNode():
            return node
        case ScalarNode(base=base):
            return STR if base is bytes else ScalarNode(base, base)
        case LiteralNode(values=values):
            return _literal_node_image(values, lost)
        case SequenceNode(item=item):
            return SequenceNode(list, _image(item, busy, lost))
        case TupleNode(items=items):
            return SequenceNode(list, union_of([_image(item, busy, lost) for item in items]))
        case NamedTupleNode():
            if node in busy:
                return SequenceNode(list, ANY)
            fields = named_tuple_items(node)
            images = [_image(f, busy | {node}, lost) for f in fields]
            return SequenceNode(list, union_of(images))
        case MappingNode(key=key, value=value):
            return MappingNode(dict, key_image(key, lost), _image(value, busy, lost))
        case TypedDictNode():
            return node if node in busy else _typed_dict_image(node, busy | {node}, lost)
        case UnionNode(members=members):
            images = []
            for member in members:
                member_image = _image(member, busy, lost)
                if not fits(member_image, member):
                    lost.append(member)
                images.append(member_image)
            return union_of(images)
        case EnumNode(cls=cls):
            return _enum_image(cls)
        case AliasNode():
            if node in busy:
                return node  # assume the recursive reference survives; checked below
            before = len(lost)
            body = _image(expand_alias(node), busy | {node}, lost)
            return node if len(lost) == before and fits(body, node) else body
        case NamedNode(inner=inner):
            before = len(lost)
            inner_image = _image(inner, busy, lost)
            return node if len(lost) == before and fits(inner_image, inner) else inner_image
        case OpaqueNode(text=text, kind=kind):
            raise Refusal(text, kind)


def _literal_node_image(values: tuple[object, ...], lost: list[Node]) -> LiteralNode:
    images: list[object] = []
    for value in values:
        arrives = _literal_image(value)
        if type(arrives) is not type(value) or arrives != value:
            lost.append(LiteralNode((value,)))
        if (type(arrives), arrives) not in _typed(tuple(images)):
            images.append(arrives)
    return LiteralNode(tuple(images))


def _typed_dict_image(node: TypedDictNode, busy: frozenset[Node], lost: list[Node]) -> Node:
    """The TypedDict itself when every value survives, else an anonymous one of the images."""
    declared = typed_dict_items(node)
    before = len(lost)
    imaged = tuple((key, _image(value, busy, lost), required) for key, value, required in declared)
    pairs = zip(imaged, declared, strict=True)
    if len(lost) == before and all(fits(new, old) for (_, new, _), (_, old, _) in pairs):
        return node
    return TypedDictNode(None, imaged)


def _enum_image(cls: type[enum.Enum]) -> Node:
    base = next((b for b in (int, str, float) if issubclass(cls, b)), None)
    if base is not None:
        return ScalarNode(base, base)
    reason = f"{cls.__name__} is an Enum, which is not JSON-serializable"
    raise Refusal(cls.__name__, "enum", reason)


def _literal_image(value: object) -> object:
    if isinstance(value, enum.Enum):
        _enum_image(type(value))
        return value.value
    if isinstance(value, bytes):
        try:
            return value.decode()
        except UnicodeDecodeError:
            raise Refusal("bytes", "invalid_utf8", f"{value!r} is not valid UTF-8") from None
    return value


def key_image(key: Node, lost: list[Node] | None = None) -> Node:
    """Keys arrive as str: json.dumps writes int, float, bool and None keys as strings.

    ``lost`` collects the members of a union of key types whose keys never arrive as
    that member (the ``int`` in ``dict[int | str, V]``).
    """
    match key:
        case LiteralNode(values=values) if all(type(v) is str for v in values):
            return key
        case ScalarNode() | LiteralNode() | AnyNode():
            image(key)  # refuses invalid bytes literals
            return STR
        case EnumNode(cls=cls):
            _enum_image(cls)
            return STR
        case UnionNode(members=members):
            images = [key_image(member, lost) for member in members]
            if lost is not None:
                lost.extend(m for m, i in zip(members, images, strict=True) if not fits(i, m))
            return union_of(images)
        case AliasNode():
            return key_image(expand_alias(key), lost)
        case NamedNode(inner=inner):
            return key_image(inner, lost)
    text = describe_node(key)
    raise Refusal(text, rule_table.KEY, f"dict keys of type {text} are not JSON-serializable")


def union_of(members: list[Node]) -> Node:
    """The simplified union: flattened, without members another member already covers."""
    flat: list[Node] = []
    for member in members:
        flat.extend(member.members if isinstance(member, UnionNode) else [member])
    kept: list[Node] = []
    for member in flat:
        if any(_covers(other, member) for other in kept):
            continue
        kept = [other for other in kept if not _covers(member, other)]
        kept.append(member)
    return kept[0] if len(kept) == 1 else UnionNode(tuple(kept))


def _covers(wide: Node, narrow: Node) -> bool:
    if isinstance(wide, AnyNode) or isinstance(narrow, AnyNode):
        return wide == narrow
    return is_subtype(narrow, wide, proper=True)
