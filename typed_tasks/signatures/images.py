"""A JSON image as plain JSON, so that a lock can be compared without the code that wrote it.

``encode`` writes the image of a parsed annotation (``typed_tasks.rule``) as a small
structure; ``decode`` reads it back as a runtime annotation that ``rule.parse`` takes,
so both sides of a comparison go through the one rule and its ``fits``::

    "int", "str", "float", "bool", "None"      scalars
    {"literal": ["a", 1]}                        Literal values
    {"list": ITEM}, {"dict": [KEY, VALUE]}       what every sequence and mapping arrives as
    {"typeddict": NAME, "required": {...}, "optional": {...}}
    {"union": [...]}                             ([] is Never)
    {"newtype": NAME, "of": IMAGE}
    {"alias": NAME, "of": IMAGE}                 a type alias; {"alias": NAME} refers back to
                                                 an enclosing one (a recursive alias or TypedDict)
    {"any": "Any"}                               Any or no annotation ("object" for object): the
                                                 rule cannot judge
    {"unresolved": "Text"}                       an annotation that did not resolve
    {"not_serializable": REASON}                 no value of it can be enqueued

Unknown images compare honestly (``decode``'s ``side``): a new ``Any`` accepts whatever
was sent, but an old ``Any`` says nothing about what was sent, so it fits only a new
``Any``; an unresolved annotation fits only the same unresolved text.
"""

from __future__ import annotations

import functools
import sys
import typing
from typing import Any, Literal, NewType, Union

import typing_extensions

from typed_tasks.rule import (
    AliasNode,
    AnyNode,
    LiteralNode,
    MappingNode,
    NamedNode,
    Node,
    Refusal,
    ScalarNode,
    SequenceNode,
    TypedDictNode,
    UnionNode,
    expand_alias,
    image,
    typed_dict_items,
)

JSONImage = Any  # str | dict[str, JSONImage]: the encoded form, as json.loads returns it

SCALARS: dict[str, object] = {"int": int, "str": str, "float": float, "bool": bool, "None": None}

Side = Literal["old", "new"]


class ImageFormatError(ValueError):
    """A stored image that is not in the format above (a corrupt or hand-edited lock)."""


def encode_annotation(node: Node) -> JSONImage:
    """The image of ``node`` as JSON; ``{"not_serializable": ...}`` when there is none."""
    try:
        return _encode_declared(node, frozenset())
    except Refusal as refusal:
        return {"not_serializable": refusal.reason}


def _encode_declared(node: Node, enclosing: frozenset[str]) -> JSONImage:
    """Encode the image of a declared type (one ``rule.image`` has not been applied to)."""
    name = _recursion_name(node)
    if name is not None and name in enclosing:
        return {"alias": name}
    arrives_as = image(node)
    if name is None:
        return _encode_image(arrives_as, enclosing)
    if isinstance(node, AliasNode) and arrives_as != node:
        # A lossy alias arrives as its body's image, which may still refer back to it.
        return {"alias": name, "of": _encode_image(arrives_as, enclosing | {name})}
    return _encode_image(arrives_as, enclosing | {name}, name)


def _encode_image(node: Node, enclosing: frozenset[str], label: str | None = None) -> JSONImage:
    """Encode an image. ``rule.image`` leaves some parts declared (a TypedDict class's
    items, an alias's body, a NewType's type): those are imaged here in turn. ``label``
    names the TypedDict or alias being encoded, already in ``enclosing``."""
    match node:
        case AnyNode(text=text, unresolved=True):
            return {"unresolved": text}
        case AnyNode(text=text):
            return {"any": text}
        case ScalarNode(base=base):
            return "None" if base is type(None) else base.__name__
        case LiteralNode(values=values):
            return {"literal": list(values)}
        case SequenceNode(item=item):
            return {"list": _encode_image(item, enclosing)}
        case MappingNode(key=key, value=value):
            return {"dict": [_encode_image(key, enclosing), _encode_image(value, enclosing)]}
        case UnionNode(members=members):
            return {"union": [_encode_image(member, enclosing) for member in members]}
        case NamedNode(name=name, inner=inner):
            return {"newtype": name, "of": _encode_declared(inner, enclosing)}
        case AliasNode() if label is None:
            return _encode_declared(node, enclosing)
        case AliasNode():
            return {"alias": label, "of": _encode_declared(expand_alias(node), enclosing)}
        case TypedDictNode(cls=cls) if cls is not None and label is None:
            return _encode_declared(node, enclosing)
        case TypedDictNode(cls=cls):
            encoded: dict[str, Any] = {"typeddict": label, "required": {}, "optional": {}}
            for field_name, field_type, required in typed_dict_items(node):
                group = encoded["required" if required else "optional"]
                group[field_name] = (
                    _encode_image(field_type, enclosing)
                    if cls is None
                    else _encode_declared(field_type, enclosing)
                )
            return encoded
    raise Refusal(f"{node} is not an image", "")  # rule.image makes none of the others


def _recursion_name(node: Node) -> str | None:
    """The qualified name of a type that can refer back to itself: an alias, a TypedDict."""
    if isinstance(node, AliasNode):
        return f"{node.alias.__module__}.{node.alias.__name__}"
    if isinstance(node, TypedDictNode) and node.cls is not None:
        return f"{node.cls.__module__}.{node.cls.__qualname__}"
    return None


def decode(encoded: JSONImage, side: Side, *, named: bool = True) -> object:
    """A runtime annotation for a stored image; raises ImageFormatError if it is malformed.

    ``side`` is "old" for what a lock recorded of the code that enqueued jobs, "new" for
    the code that will run them: an old ``Any`` becomes a marker that fits only ``Any``.
    ``named``: a TypedDict is spelled by its name, else by its items.
    """
    return _Decoder(side, named).decode(encoded)


class _Decoder:
    def __init__(self, side: Side, named: bool) -> None:
        self.side = side
        self.named = named
        self.aliases: dict[str, Any] = {}  # the enclosing aliases, by name
        self.referenced: set[str] = set()

    def decode(self, encoded: JSONImage) -> object:
        if isinstance(encoded, str):
            if encoded not in SCALARS:
                raise ImageFormatError(f"unknown scalar image {encoded!r}")
            return SCALARS[encoded]
        if not isinstance(encoded, dict) or not encoded:
            raise ImageFormatError(f"an image is a str or an object, not {encoded!r}")
        kind = next(iter(encoded))
        reader = getattr(self, f"_{kind}", None)
        if reader is None:
            raise ImageFormatError(f"unknown image kind {kind!r}")
        return reader(encoded)

    def _any(self, encoded: dict[str, Any]) -> object:
        text = _text(encoded, "any")
        if self.side == "old":
            return unknown_marker(text)
        return object if text == "object" else Any

    def _unresolved(self, encoded: dict[str, Any]) -> object:
        return unknown_marker(_text(encoded, "unresolved"))

    def _not_serializable(self, encoded: dict[str, Any]) -> object:
        return typing_extensions.Never

    def _literal(self, encoded: dict[str, Any]) -> object:
        values = encoded["literal"]
        if not isinstance(values, list) or not values:
            raise ImageFormatError(f"a literal image lists its values, not {values!r}")
        if not all(value is None or isinstance(value, (str, int, float)) for value in values):
            raise ImageFormatError(f"literal values are JSON scalars, not {values!r}")
        return Literal.__getitem__(tuple(values))

    def _list(self, encoded: dict[str, Any]) -> object:
        return list[self.decode(encoded["list"])]  # type: ignore[misc]

    def _dict(self, encoded: dict[str, Any]) -> object:
        pair = encoded["dict"]
        if not isinstance(pair, list) or len(pair) != 2:
            raise ImageFormatError(f"a dict image is [KEY, VALUE], not {pair!r}")
        return dict[self.decode(pair[0]), self.decode(pair[1])]  # type: ignore[misc]

    def _union(self, encoded: dict[str, Any]) -> object:
        members = encoded["union"]
        if not isinstance(members, list):
            raise ImageFormatError(f"a union image lists its members, not {members!r}")
        if not members:
            return typing_extensions.Never
        return Union.__getitem__(tuple(self.decode(member) for member in members))

    def _newtype(self, encoded: dict[str, Any]) -> object:
        return NewType(_text(encoded, "newtype"), self.decode(encoded.get("of")))

    def _alias(self, encoded: dict[str, Any]) -> object:
        name = _text(encoded, "alias")
        if "of" not in encoded:
            if name not in self.aliases:
                raise ImageFormatError(f"alias {name!r} refers to no enclosing image")
            self.referenced.add(name)
            return self.aliases[name]
        return self._enclosing(name, lambda: self.decode(encoded["of"]))

    def _typeddict(self, encoded: dict[str, Any]) -> object:
        name = encoded["typeddict"]
        if name is not None and not isinstance(name, str):
            raise ImageFormatError(f"a typeddict's name is a str or null, not {name!r}")

        def build() -> object:
            fields: dict[str, object] = {}
            for group, form in (
                ("required", typing_extensions.Required),
                ("optional", typing_extensions.NotRequired),
            ):
                items = encoded.get(group, {})
                if not isinstance(items, dict):
                    raise ImageFormatError(f"a typeddict's {group} keys are an object")
                for key, value in items.items():
                    fields[key] = form[self.decode(value)]
            return anonymous_typed_dict(name if self.named else None, fields)

        return build() if name is None else self._enclosing(name, build)

    def _enclosing(self, name: str, build: typing.Callable[[], object]) -> object:
        """The body, or an alias of it when something inside refers back to it."""
        # The alias exists before its body so that references inside can point at it; its
        # value is set once the body is built, the way a recursive ``type`` statement works.
        make_alias: Any = typing_extensions.TypeAliasType  # mypy wants a literal name
        alias = make_alias(name.rsplit(".", 1)[-1], Any)
        outer = self.aliases.get(name)
        self.aliases[name] = alias
        try:
            body = build()
        finally:
            if outer is None:
                del self.aliases[name]
            else:
                self.aliases[name] = outer
        if name not in self.referenced:
            return body
        self.referenced.discard(name)
        object.__setattr__(alias, "__value__", body)
        return alias


def _text(encoded: dict[str, Any], key: str) -> str:
    value = encoded[key]
    if not isinstance(value, str):
        raise ImageFormatError(f"{key!r} names a type with a str, not {value!r}")
    return value


@functools.cache
def unknown_marker(text: str) -> type:
    """A class that stands for an image the rule cannot judge: it fits only itself and Any."""
    return type(text, (), {"__module__": "typed_tasks.signatures.unknown"})


def anonymous_typed_dict(name: str | None, fields: dict[str, object]) -> object:
    """A TypedDict class of ``fields``; without a name, spelled by its items."""
    make_typed_dict: Any = (
        typing.TypedDict if sys.version_info >= (3, 11) else typing_extensions.TypedDict
    )
    cls: type = make_typed_dict((name or "TypedDict").rsplit(".", 1)[-1], fields)
    if name is None:
        cls.__typed_tasks_anonymous__ = True  # type: ignore[attr-defined]
    return cls
