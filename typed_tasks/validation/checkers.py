"""Compiled checkers: does the JSON image of a value belong to a node? One walk, no
exceptions and no path strings on the way.
"""

from __future__ import annotations

import json
import sys
import typing
from collections.abc import Callable, Mapping, Sequence
from types import NoneType
from typing import Any

from typed_tasks.rule import (
    DICT_ORIGINS,
    LIST_ORIGINS,
    AliasNode,
    AnyNode,
    LiteralNode,
    MappingNode,
    NamedNode,
    Node,
    OpaqueNode,
    ScalarNode,
    SequenceNode,
    TypedDictNode,
    UnionNode,
    expand_alias,
    typed_dict_items,
)

MAX_DEPTH = 100

Check = Callable[[object, int], bool]  # (value, depth) -> its image is an instance
_SMALL_INT = 10**600  # below sys.int_info's lowest possible str() digit limit (640)


# -- checkers: does the image of a value belong to a node? ------------------------------


class _Compiler:
    """Compiles nodes into checkers, each node once (recursive types become loops)."""

    def __init__(self) -> None:
        self.done: dict[Node, Check] = {}

    def compile(self, node: Node) -> Check:
        check = self.done.get(node)
        if check is None:
            late: list[Check] = []
            self.done[node] = lambda value, depth: late[0](value, depth)
            check = self._build(node)
            late.append(check)
            self.done[node] = check
        return check

    def _build(self, node: Node) -> Check:
        match node:
            case AnyNode():
                return _serializable
            case ScalarNode(cls=cls, base=base):
                return _SCALAR_CHECKS[base] if cls is base else _never
            case LiteralNode(values=values):
                return _literal_check(values)
            case SequenceNode(origin=origin, item=item) if origin in LIST_ORIGINS:
                return _list_check(self.compile(item), _fast_type(item))
            case MappingNode(origin=origin, key=key, value=value) if origin in DICT_ORIGINS:
                return _dict_check(self.key_check(key), self.compile(value), _fast_type(value))
            case TypedDictNode():
                items = typed_dict_items(node)
                fields = [(k, self.compile(v), _fast_type(v), r) for k, v, r in items]
                return _typed_dict_check(fields)
            case UnionNode(members=members):
                checks = [self.compile(member) for member in members]
                checks.sort(key=lambda check: check is _check_none)  # None last: Optional[X]
                return _union_check(checks)
            case AliasNode():
                return self.compile(expand_alias(node))
            case NamedNode(inner=inner):
                return self.compile(inner)
            case OpaqueNode(cls=cls) if cls is not None:
                return _image_class_check(cls)
        return _never  # tuples, enums, bytes, deques...: their image is never one of them

    def key_check(self, key: Node) -> Callable[[object], bool] | None:
        """Keys arrive as the strings json.dumps writes for them; None: any such key."""
        if isinstance(key, AnyNode) or key == ScalarNode(str, str):
            return None
        as_str = self.compile(key)
        return lambda k: _serializable_key(k) and as_str(_json_key(k), 0)


def _never(value: object, depth: int) -> bool:
    return False


def _int_fits(value: int) -> bool:
    """Whether json.dumps can write the int (str() refuses ints of too many digits)."""
    if -_SMALL_INT < value < _SMALL_INT:
        return True
    limit = sys.get_int_max_str_digits()
    return limit == 0 or abs(value) < 10**limit


def _check_none(value: object, depth: int) -> bool:
    return value is None


def _check_bool(value: object, depth: int) -> bool:
    return type(value) is bool


def _check_int(value: object, depth: int) -> bool:
    if type(value) is int:
        return -_SMALL_INT < value < _SMALL_INT or _int_fits(value)
    return isinstance(value, int) and (type(value) is bool or _int_fits(value))


def _check_float(value: object, depth: int) -> bool:
    return type(value) is float or isinstance(value, float) or _check_int(value, depth)


def _check_str(value: object, depth: int) -> bool:
    if type(value) is str:
        return True
    return isinstance(value, str) or (isinstance(value, bytes) and _is_utf8(value))


_SCALAR_CHECKS: dict[type, Check] = {
    NoneType: _check_none,
    bool: _check_bool,
    int: _check_int,
    float: _check_float,
    str: _check_str,
    bytes: _never,
}


def _is_utf8(value: bytes) -> bool:
    try:
        value.decode()
    except UnicodeDecodeError:
        return False
    return True


def _fast_type(node: Node) -> type | None:
    """A type whose every instance passes ``node`` (ints excepted: see _int_fits)."""
    if isinstance(node, ScalarNode) and node.cls is node.base and node.base is not bytes:
        return node.base
    return None


def _literal_check(values: tuple[object, ...]) -> Check:
    allowed = {(type(v), v) for v in values if type(v) in _LITERAL_KINDS}

    def check(value: object, depth: int) -> bool:
        kind = _image_type(value)
        return kind in _LITERAL_KINDS and (kind, _scalar_image(value)) in allowed

    return check


_LITERAL_KINDS = (str, int, bool, NoneType)


def _scalar_image(value: object) -> object:
    """The builtin value a str/int/float/bytes (or subclass) value arrives as."""
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int.__int__(value)
    if isinstance(value, float):
        return float.__float__(value)
    if isinstance(value, bytes):
        return value.decode()
    return value


def _items_pass(
    items: typing.Iterable[object], check: Check, fast: type | None, depth: int
) -> bool:
    for item in items:
        kind = type(item)
        if kind is fast and (kind is not int or -_SMALL_INT < item < _SMALL_INT):  # type: ignore[operator]
            continue
        if not check(item, depth):
            return False
    return True


def _list_check(item_check: Check, fast: type | None) -> Check:
    def check(value: object, depth: int) -> bool:
        if type(value) is list or type(value) is tuple:
            items: typing.Iterable[object] = value
        elif _image_type(value) is list:
            items = _sequence_items(value)
        else:
            return False
        return depth < MAX_DEPTH and _items_pass(items, item_check, fast, depth + 1)

    return check


def _dict_check(
    key_check: Callable[[object], bool] | None, value_check: Check, fast: type | None
) -> Check:
    """``key_check`` None: any key json.dumps can write will do (``str`` or ``Any`` keys)."""

    def check(value: object, depth: int) -> bool:
        if type(value) is dict:
            pairs: typing.Iterable[tuple[object, object]] = value.items()
        elif _image_type(value) is dict:
            pairs = _mapping_items(value)
        else:
            return False
        if depth >= MAX_DEPTH:
            return False
        depth += 1
        for key, item in pairs:
            if key_check is None:
                if type(key) is not str and not _serializable_key(key):
                    return False
            elif not key_check(key):
                return False
            kind = type(item)
            if kind is fast and (kind is not int or -_SMALL_INT < item < _SMALL_INT):  # type: ignore[operator]
                continue
            if not value_check(item, depth):
                return False
        return True

    return check


def _typed_dict_check(items: list[tuple[str, Check, type | None, bool]]) -> Check:
    def fits(mapping: Mapping[Any, object], depth: int) -> bool:
        present = 0
        for key, item_check, fast, required in items:
            item = mapping.get(key, _MISSING)
            if item is _MISSING:
                if required:
                    return False
                continue
            present += 1
            kind = type(item)
            if kind is fast and (kind is not int or -_SMALL_INT < item < _SMALL_INT):  # type: ignore[operator]
                continue
            if not item_check(item, depth):
                return False
        return present == len(mapping)  # no key the TypedDict does not declare

    def check(value: object, depth: int) -> bool:
        if type(value) is dict and depth < MAX_DEPTH:
            try:
                if fits(value, depth + 1):
                    return True
            except Exception:  # a key's own __eq__ raised: compare the keys as they arrive
                pass
            if all(type(key) is str for key in value):
                return False
        # Keys that are not str, or a Mapping that is not a dict, arrive as JSON strings.
        if depth >= MAX_DEPTH or _image_type(value) is not dict:
            return False
        return fits(_keys_as_json(value), depth + 1)

    return check


_MISSING = object()


def _union_check(checks: list[Check]) -> Check:
    if len(checks) == 2 and checks[1] is _check_none:
        first = checks[0]
        return lambda value, depth: value is None or first(value, depth)

    def check(value: object, depth: int) -> bool:
        for member in checks:  # noqa: SIM110 - a loop, not any(generator), on the hot path
            if member(value, depth):
                return True
        return False

    return check


def _image_class_check(cls: type) -> Check:
    """A class the rule cannot image (Hashable, Sized...): its isinstance on the image."""

    def check(value: object, depth: int) -> bool:
        kind = _image_type(value)
        return kind is not None and issubclass(kind, cls) and _serializable(value, depth)

    return check


# -- serializability, the check for Any ---------------------------------------------------


def _serializable(value: object, depth: int) -> bool:
    """Whether normalize_json and json.dumps accept the value."""
    kind = type(value)
    if kind in _PLAIN:
        return True
    if kind is int:
        return _int_fits(value)  # type: ignore[arg-type]
    if depth >= MAX_DEPTH:
        # No container this deep; a leaf must still be one normalize_json accepts.
        image = _image_type(value)
        return image is not None and image not in (list, dict)
    if kind is list or kind is tuple:
        items: typing.Iterable[object] = value  # type: ignore[assignment]
    elif kind is dict:
        return _serializable_pairs(value.items(), depth + 1)  # type: ignore[attr-defined]
    else:
        image_kind = _image_type(value)
        if image_kind is dict:
            return _serializable_pairs(_mapping_items(value), depth + 1)
        if image_kind is not list:
            return image_kind is not None
        items = _sequence_items(value)
    depth += 1
    for item in items:
        kind = type(item)
        if kind in _PLAIN or (kind is int and -_SMALL_INT < item < _SMALL_INT):  # type: ignore[operator]
            continue
        if not _serializable(item, depth):
            return False
    return True


def _serializable_pairs(pairs: typing.Iterable[tuple[object, object]], depth: int) -> bool:
    for key, item in pairs:
        if type(key) is not str and not _serializable_key(key):
            return False
        kind = type(item)
        if kind in _PLAIN or (kind is int and -_SMALL_INT < item < _SMALL_INT):  # type: ignore[operator]
            continue
        if not _serializable(item, depth):
            return False
    return True


_PLAIN = frozenset({str, float, bool, NoneType})  # JSON-native types that always pass


def _serializable_key(key: object) -> bool:
    return _image_type(key) in (str, int, float, bool, NoneType)


def _image_type(value: object) -> type | None:
    """The builtin type normalize_json turns the value into; None if it raises."""
    if isinstance(value, Mapping):
        return dict
    if isinstance(value, bytes):
        return str if _is_utf8(value) else None
    if value is None:
        return NoneType
    if isinstance(value, bool):
        return bool
    if isinstance(value, str):
        return str
    if isinstance(value, int):
        return int if _int_fits(value) else None
    if isinstance(value, float):
        return float
    if isinstance(value, Sequence):
        return list
    return None


def _sequence_items(value: object) -> list[object]:
    # A comprehension, as normalize_json uses: list() would also call __len__.
    return [item for item in value]  # type: ignore[attr-defined]


def _mapping_items(value: object) -> list[tuple[object, object]]:
    return [(key, item) for key, item in value.items()]  # type: ignore[attr-defined]


def _json_key(key: object) -> str:
    """The string json.dumps writes for a dict key after normalize_json."""
    if isinstance(key, str):
        return str.__str__(key)
    if isinstance(key, bytes):
        return key.decode()
    return str(json.loads(json.dumps({_scalar_image(key): 0})).popitem()[0])


def _keys_as_json(mapping: object) -> dict[str, object]:
    return {_json_key(key): item for key, item in _mapping_items(mapping)}
