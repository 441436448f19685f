"""What went wrong with an argument, once a check has failed: the first problem, found by
walking the value again, with its path and what to do instead.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import NoneType
from typing import Any

from typed_tasks import rule_table
from typed_tasks.rule import (
    ANY,
    DICT_ORIGINS,
    LIST_ORIGINS,
    AliasNode,
    AnyNode,
    EnumNode,
    LiteralNode,
    MappingNode,
    NamedNode,
    NamedTupleNode,
    Node,
    OpaqueNode,
    Refusal,
    ScalarNode,
    SequenceNode,
    TupleNode,
    TypedDictNode,
    UnionNode,
    describe_node,
    expand_alias,
    fits,
    image,
    key_image,
    kind_of_class,
    lossy_image,
    typed_dict_items,
)
from typed_tasks.validation.checkers import (
    MAX_DEPTH,
    Check,
    _Compiler,
    _image_type,
    _json_key,
    _mapping_items,
    _scalar_image,
    _sequence_items,
    _serializable_key,
)


class TaskArgumentError(TypeError):
    """An argument the worker would not receive as the task function declares it."""

    def __init__(self, message: str, *, task_name: str, parameter: str, path: str) -> None:
        super().__init__(message)
        self.task_name = task_name
        self.parameter = parameter
        self.path = path

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuild_error, (str(self), self.task_name, self.parameter, self.path)


def _rebuild_error(message: str, task_name: str, parameter: str, path: str) -> TaskArgumentError:
    return TaskArgumentError(message, task_name=task_name, parameter=parameter, path=path)


# -- describing the first problem ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Problem:
    path: tuple[object, ...]  # keys and indexes below the argument
    message: str  # what follows 'argument "x" at x[..] '


def _argument_error(
    task: str, parameter: str, root: str, value: object, node: Node
) -> TaskArgumentError:
    try:
        problem = _Finder(node).find(value, node, ())
    except RecursionError:
        problem = _Problem((), _too_deep())
    except Exception as error:  # a value's own method raised while we looked
        problem = _Problem((), f"raised {type(error).__name__} while being inspected: {error}")
    if problem is None:  # unreachable unless the value changed between the two walks
        problem = _Problem((), f"is {_a(value)}, expected {describe_node(node)}")
    path = root + "".join(_spell_segment(segment) for segment in problem.path)
    where = "" if path == parameter else f" at {_shorten(root, problem.path)}"
    message = f'{task}(): argument "{parameter}"{where} {problem.message}'
    return TaskArgumentError(message, task_name=task, parameter=parameter, path=path)


def _shorten(root: str, path: tuple[object, ...], keep: int = 4) -> str:
    """The path for a message: a very deep one keeps its two ends (the error has it all)."""
    if len(path) <= 3 * keep:
        return root + "".join(_spell_segment(segment) for segment in path)
    head = "".join(_spell_segment(segment) for segment in path[:keep])
    tail = "".join(_spell_segment(segment) for segment in path[-keep:])
    return f"{root}{head}...{tail} ({len(path)} levels)"


def _spell_segment(segment: object) -> str:
    """An index, or a key as Python would write it (keys here are JSON-writable scalars)."""
    plain = _scalar_image(segment)  # a builtin value, whatever the key's own __repr__ does
    if isinstance(plain, str):
        return f"[{json.dumps(plain, ensure_ascii=False)}]"
    return f"[{plain!r}]"


class _Finder:
    """Walks a value against a node again, this time keeping the path, to name the problem."""

    def __init__(self, top: Node) -> None:
        self.top = top
        self.compiler = _Compiler()
        self.open: set[int] = set()  # ids of the containers on the current path

    def find(self, value: object, declared: Node, path: tuple[object, ...]) -> _Problem | None:
        node = _unwrap(declared)
        if _passes(self.compiler.compile(node), value, len(path)):
            return None
        kind = _image_type(value)
        if kind is None:
            return _Problem(path, _unserializable(value))
        if kind is list or kind is dict:
            if id(value) in self.open:
                cycle = f"refers back to an enclosing {kind.__name__} (a reference cycle)"
                return _Problem(path, cycle + ", which JSON cannot represent")
            if len(path) >= MAX_DEPTH:
                return _Problem(path, _too_deep())
        if isinstance(node, UnionNode):
            member = _closest_member(value, kind, node)
            if member is None:
                return _Problem(path, self._mismatch(value, node))
            return self.find(value, member, path)
        if isinstance(node, AnyNode):
            return self._contents(value, kind, path, lambda _: ANY)
        if _statically_fits(value, node) and not _image_shape_fits(kind, node):
            arrives = kind.__name__
            lossy = f"is {_a(value)}, which arrives in the worker as {_article(arrives)} {arrives}"
            content = self._contents(value, kind, path, lambda _: ANY)
            return content or _Problem(path, lossy + self._annotate_hint(node))
        if kind is list and _is_list_node(node):
            item = node.item  # type: ignore[union-attr]
            return self._contents(value, kind, path, lambda _: item)
        if kind is dict and isinstance(node, MappingNode) and node.origin in DICT_ORIGINS:
            item = node.value
            return self._keys(value, node, path) or self._contents(
                value, kind, path, lambda _: item
            )
        if kind is dict and isinstance(node, TypedDictNode):
            return self._typed_dict(value, node, path)
        return _Problem(path, self._mismatch(value, declared))

    def _contents(
        self,
        value: object,
        kind: type,
        path: tuple[object, ...],
        node_for: Callable[[object], Node],
    ) -> _Problem | None:
        """The first problem among the items, or the keys and values, of a container."""
        failure = _read_failure(value)
        if failure is not None:
            return _Problem(path, _unreadable(value, failure))
        if kind is list:
            pairs: list[tuple[object, object]] = list(enumerate(_sequence_items(value)))
        elif kind is dict:
            pairs = _mapping_items(value)
            bad_key = next((key for key, _ in pairs if not _serializable_key(key)), _NO_KEY)
            if bad_key is not _NO_KEY:
                return _Problem(path, _bad_key(bad_key))
        else:
            return None
        self.open.add(id(value))
        last: tuple[Node, Check] | None = None
        try:
            for segment, item in pairs:
                item_node = node_for(segment)
                if last is None or last[0] is not item_node:
                    last = (item_node, self.compiler.compile(_unwrap(item_node)))
                if _passes(last[1], item, len(path) + 1):
                    continue  # the common case, checked before any path is built
                problem = self.find(item, item_node, (*path, segment))
                if problem is not None:
                    return problem
        finally:
            self.open.discard(id(value))
        return None

    def _keys(self, value: object, node: MappingNode, path: tuple[object, ...]) -> _Problem | None:
        check = self.compiler.key_check(_unwrap(node.key))
        if check is None or _read_failure(value) is not None:
            return None  # any key will do, or the contents cannot be read (_contents says so)
        for key, _ in _mapping_items(value):
            if _serializable_key(key) and not check(key):
                expected = describe_node(node.key)
                if _keys_survive(node.key):
                    return _Problem(path, f"has the key {key!r}, expected {expected}")
                if type(key) is str:
                    message = f"has the key {key!r}, expected {expected}, but keys arrive as str"
                    return _Problem(path, message + self._annotate_hint(node))
                arrives = json.dumps(_json_key(key), ensure_ascii=False)
                message = f"has the key {key!r}, which arrives in the worker as the str {arrives}"
                return _Problem(path, f"{message}, not {expected}{self._annotate_hint(node)}")
        return None

    def _typed_dict(
        self, value: object, node: TypedDictNode, path: tuple[object, ...]
    ) -> _Problem | None:
        failure = _read_failure(value)
        if failure is not None:
            return _Problem(path, _unreadable(value, failure))
        pairs = _mapping_items(value)
        bad_key = next((key for key, _ in pairs if not _serializable_key(key)), _NO_KEY)
        if bad_key is not _NO_KEY:
            return _Problem(path, _bad_key(bad_key))
        declared = {key: item for key, item, _ in typed_dict_items(node)}
        arriving = [_json_key(key) for key, _ in pairs]
        extra = next((key for key in arriving if key not in declared), None)
        if extra is not None:
            name = describe_node(node)
            return _Problem(path, f"has the key {json.dumps(extra)}, which {name} does not declare")
        for key, _, required in typed_dict_items(node):
            if required and key not in arriving:
                return _Problem(path, f"is missing the required key {json.dumps(key)}")
        return self._contents(value, dict, path, lambda key: declared[_json_key(key)])

    def _mismatch(self, value: object, node: Node) -> str:
        literal = isinstance(node, LiteralNode) and _is_scalar(value)
        shown = f"the {type(value).__name__} {value!r}" if literal else _a(value)
        message = f"is {shown}, expected {describe_node(node)}"
        try:
            arrives_as = lossy_image(node)
        except Refusal as refusal:
            whole = refusal.culprit == describe_node(node)
            advice = rule_table.advice(
                refusal.kind, f'"{refusal.culprit}"', whole=whole, subject=None, role="param"
            )
            return f"{message}, which is not JSON-serializable either: {advice}"
        if arrives_as is None:
            return message
        arrives = describe_node(arrives_as)
        return f"{message}, which arrives in the worker as {arrives}{self._annotate_hint(node)}"

    def _annotate_hint(self, node: Node) -> str:
        """Annotate the whole parameter as its image, or else this part of it."""
        for part in (self.top, node):
            try:
                return f"; annotate the parameter as {describe_node(image(part))}"
            except Refusal:
                continue
        return ""


_NO_KEY = object()


def _passes(check: Check, value: object, depth: int) -> bool:
    try:
        return check(value, depth)
    except Exception:  # the value's own methods raised: not serializable as it is
        return False


def _keys_survive(key: Node) -> bool:
    lost: list[Node] = []
    try:
        return fits(key_image(key, lost), key) and not lost
    except Refusal:
        return False


def _unwrap(node: Node) -> Node:
    while isinstance(node, AliasNode | NamedNode):
        node = expand_alias(node) if isinstance(node, AliasNode) else node.inner
    return node


def _is_list_node(node: Node) -> bool:
    return isinstance(node, SequenceNode) and node.origin in LIST_ORIGINS


def _closest_member(value: object, kind: type, union: UnionNode) -> Node | None:
    """The member of a union a failing value was most likely meant for."""
    members = [_unwrap(member) for member in union.members]
    for matches in (_statically_fits, lambda v, m: _image_shape_fits(kind, m)):
        for member in members:
            if matches(value, member):
                return member
    return None


def _statically_fits(value: object, node: Node) -> bool:
    """Whether the value is an instance of the node as it is, before the round trip."""
    match node:
        case TupleNode():
            return isinstance(value, tuple)
        case NamedTupleNode(cls=cls) | EnumNode(cls=cls) | ScalarNode(cls=cls):
            return isinstance(value, cls)
        case SequenceNode(origin=origin) | MappingNode(origin=origin):
            return isinstance(value, origin)
        case LiteralNode(values=values):
            return any(type(value) is type(v) and value == v for v in values)
    return False


def _image_shape_fits(kind: type, node: Node) -> bool:
    """Whether some value whose image is of type ``kind`` passes the node."""
    match node:
        case AnyNode() | OpaqueNode():
            return True
        case SequenceNode(origin=origin):
            return kind is list and origin in LIST_ORIGINS
        case MappingNode(origin=origin):
            return kind is dict and origin in DICT_ORIGINS
        case TypedDictNode():
            return kind is dict
        case ScalarNode(cls=cls):
            return issubclass(kind, cls) or (cls is float and kind is int)
        case LiteralNode(values=values):
            return any(type(v) is kind for v in values)
    return False


def _is_scalar(value: object) -> bool:
    return type(value) in (NoneType, str, int, bool, float, bytes)


def _bad_key(key: object) -> str:
    return (
        f"has a key of type {type(key).__name__} ({key!r}), which is not JSON-serializable; "
        f"{rule_table.KEY_ADVICE}"
    )


def _too_deep() -> str:
    return (
        f"is nested deeper than the {MAX_DEPTH} levels typed_tasks accepts "
        "(Django's serializer recurses once per level); flatten the data"
    )


def _unserializable(value: object) -> str:
    cls = type(value)
    if isinstance(value, bytes):
        advice = _advice("invalid_utf8", cls)
        return f"is {_a(value)} value that is not valid UTF-8, which Django rejects; {advice}"
    if isinstance(value, int):
        return "is an int with too many digits for JSON (see sys.set_int_max_str_digits)"
    return f"is {_a(value)}, which is not JSON-serializable; {_advice(kind_of_class(cls), cls)}"


def _advice(kind: str, cls: type) -> str:
    return rule_table.advice(kind, f'"{cls.__name__}"', whole=True, subject="value", role="arg")


def _unreadable(value: object, failure: str) -> str:
    return f"is {_a(value)} whose contents cannot be read ({failure}), so Django cannot store it"


def _read_failure(value: object) -> str | None:
    try:
        if isinstance(value, Mapping):
            _mapping_items(value)
        elif isinstance(value, Sequence):
            _sequence_items(value)
    except Exception as error:
        return f"{type(error).__name__}: {error}"
    return None


def _a(value: object) -> str:
    if value is None:
        return "None"
    name = type(value).__name__
    return f"{_article(name)} {name}"


def _article(name: str) -> str:
    return "an" if name[:1] in "aeioAEIO" else "a"
