"""The parsed form of a runtime annotation: a small tree of ``Node`` objects, how an
annotation is parsed into it, and how a node is spelled (as mypy spells types).
"""

from __future__ import annotations

import collections
import collections.abc as abc
import dataclasses
import enum
import functools
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import NoneType, UnionType
from typing import Any, ForwardRef, Literal, NewType, TypeVar, Union

import typing_extensions

from typed_tasks import rule_table

# ``type`` statements (Python 3.12+) make typing.TypeAliasType instances;
# typing_extensions.TypeAliasType is its own class on every Python before 3.14.
_ALIAS_CLASSES: tuple[type, ...] = tuple(
    {
        getattr(typing, "TypeAliasType", typing_extensions.TypeAliasType),
        typing_extensions.TypeAliasType,
    }
)


# -- the parsed form of an annotation ------------------------------------------


@dataclass(frozen=True, slots=True)
class AnyNode:
    """``Any``, ``object``, an unconstrained TypeVar or an unresolved name (``text``)."""

    text: str
    unresolved: bool = False


@dataclass(frozen=True, slots=True)
class ScalarNode:
    """None, bool, int, float, str, bytes, or a subclass (``cls``) of one of them (``base``)."""

    cls: type
    base: type


@dataclass(frozen=True, slots=True, eq=False)
class LiteralNode:
    values: tuple[object, ...]

    # Literal[1] is not Literal[True], nor Literal['a'] a StrEnum member equal to 'a'.
    def __eq__(self, other: object) -> bool:
        return isinstance(other, LiteralNode) and _typed(self.values) == _typed(other.values)

    def __hash__(self) -> int:
        return hash(_typed(self.values))


def _typed(values: tuple[object, ...]) -> tuple[tuple[type, object], ...]:
    return tuple((type(value), value) for value in values)


@dataclass(frozen=True, slots=True)
class SequenceNode:
    """A sequence class other than tuple (list, Sequence, deque, range...) and its item."""

    origin: type
    item: Node


@dataclass(frozen=True, slots=True)
class TupleNode:
    """``tuple[A, B]``, or ``tuple[A, ...]`` when ``variadic`` (then ``items`` is ``(A,)``)."""

    items: tuple[Node, ...]
    variadic: bool


@dataclass(frozen=True, slots=True)
class NamedTupleNode:
    cls: type


@dataclass(frozen=True, slots=True)
class MappingNode:
    """dict, Mapping, OrderedDict, Counter... with key and value."""

    origin: type
    key: Node
    value: Node


@dataclass(frozen=True, slots=True)
class TypedDictNode:
    """A TypedDict class (``cls``), or an anonymous one (the image of a class) from ``items``."""

    cls: type | None
    items: tuple[tuple[str, Node, bool], ...] = ()  # (key, value, required), for anonymous ones


@dataclass(frozen=True, slots=True)
class UnionNode:
    members: tuple[Node, ...]  # no members: Never


@dataclass(frozen=True, slots=True)
class EnumNode:
    cls: type[enum.Enum]


@dataclass(frozen=True, slots=True)
class AliasNode:
    """A PEP 695 ``type`` alias, expanded lazily so recursive aliases stay finite."""

    alias: Any  # an instance of one of _ALIAS_CLASSES
    args: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class NamedNode:
    """A NewType or bounded TypeVar: behaves as ``inner`` but keeps its name."""

    name: str
    inner: Node
    original: object = field(compare=False)


@dataclass(frozen=True, slots=True)
class OpaqueNode:
    """Anything else: a class or form whose values Django cannot serialize.

    ``cls`` is its runtime class when it has one (a value's image is checked
    against it with isinstance), ``text`` how it is spelled.
    """

    text: str
    cls: type | None
    kind: str


Node = (
    AnyNode
    | ScalarNode
    | LiteralNode
    | SequenceNode
    | TupleNode
    | NamedTupleNode
    | MappingNode
    | TypedDictNode
    | UnionNode
    | EnumNode
    | AliasNode
    | NamedNode
    | OpaqueNode
)

ANY = AnyNode("Any")
STR = ScalarNode(str, str)
INT = ScalarNode(int, int)
NEVER = UnionNode(())

_SCALAR_BASES = (bool, int, float, str, bytes)  # bool before int: the most specific base wins
_TRANSPARENT_FORMS = {
    typing.Annotated,
    typing_extensions.ReadOnly,
    typing_extensions.Required,  # typing's own on Python 3.11+
    typing_extensions.NotRequired,
    typing.ClassVar,
    typing.Final,
}
# Sequence-like classes whose type argument is covariant: a list of a subtype still fits.
_COVARIANT_ORIGINS: frozenset[type] = frozenset(
    {abc.Sequence, abc.Collection, abc.Iterable, abc.Container, abc.Reversible}
)
# Sequence-like classes a list is an instance of: what arrives as a list still fits.
LIST_ORIGINS: frozenset[type] = _COVARIANT_ORIGINS | {list, abc.MutableSequence}
DICT_ORIGINS: frozenset[type] = frozenset({dict, abc.Mapping, abc.MutableMapping})

Env = Mapping[object, "Node"]


def parse(annotation: object, env: Env | None = None) -> Node:
    """Parse a runtime annotation (already resolved by ``typing.get_type_hints``)."""
    env = env or {}
    if annotation is None or annotation is NoneType:
        return ScalarNode(NoneType, NoneType)
    if annotation is Any:
        return ANY
    if annotation is object:
        return AnyNode("object")
    if annotation is typing_extensions.LiteralString:
        return STR
    if annotation is typing_extensions.Never or annotation is typing.NoReturn:
        return NEVER
    if isinstance(annotation, str):
        return AnyNode(annotation, unresolved=True)
    if isinstance(annotation, ForwardRef):
        return AnyNode(annotation.__forward_arg__, unresolved=True)
    # typing_extensions.Unpack[...] is a TypeVar to isinstance on Python 3.10.
    if isinstance(annotation, TypeVar) and typing.get_origin(annotation) is None:
        return _parse_type_var(annotation, env)
    if isinstance(annotation, NewType):
        inner = parse(annotation.__supertype__, env)
        return NamedNode(annotation.__name__, inner, annotation)
    if isinstance(annotation, _ALIAS_CLASSES):
        return AliasNode(annotation, ())

    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in _TRANSPARENT_FORMS:
        return parse(args[0], env)
    if origin is Union or origin is UnionType:
        return UnionNode(tuple(parse(arg, env) for arg in args))
    if origin is Literal:
        return LiteralNode(args)
    if isinstance(origin, _ALIAS_CLASSES):
        return AliasNode(origin, tuple(parse(arg, env) for arg in args))
    if isinstance(origin, type):
        return _parse_class(origin, args, annotation, env)
    if isinstance(annotation, type):
        return _parse_class(annotation, (), annotation, env)
    return AnyNode(repr(annotation).removeprefix("typing."))  # Self, ParamSpec args...


def _parse_type_var(var: TypeVar, env: Env) -> Node:
    if var in env:
        return env[var]
    if var.__bound__ is not None:
        return NamedNode(var.__name__, parse(var.__bound__, env), var)
    if var.__constraints__:
        inner = UnionNode(tuple(parse(c, env) for c in var.__constraints__))
        return NamedNode(var.__name__, inner, var)
    return AnyNode(var.__name__)


def _parse_class(cls: type, args: tuple[Any, ...], annotation: object, env: Env) -> Node:
    def arg(index: int) -> Node:
        return parse(args[index], env) if len(args) > index else ANY

    if typing_extensions.is_typeddict(cls):
        if getattr(cls, "__typed_tasks_anonymous__", False):
            return TypedDictNode(None, typed_dict_items(TypedDictNode(cls)))
        return TypedDictNode(cls)
    if issubclass(cls, enum.Enum):
        return EnumNode(cls)
    if issubclass(cls, tuple) and hasattr(cls, "_fields"):
        return NamedTupleNode(cls)
    if cls is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return TupleNode((arg(0),), variadic=True)
        if annotation is tuple:
            return TupleNode((ANY,), variadic=True)
        return TupleNode(tuple(parse(a, env) for a in args), variadic=False)
    for base in _SCALAR_BASES:
        if issubclass(cls, base):
            return ScalarNode(cls, base)
    if cls is range or cls is bytearray or cls is memoryview:
        return SequenceNode(cls, INT)
    if issubclass(cls, abc.Mapping):
        if issubclass(cls, collections.Counter):
            return MappingNode(cls, arg(0), INT)
        return MappingNode(cls, arg(0), arg(1))
    if cls in LIST_ORIGINS or issubclass(cls, abc.Sequence):
        return SequenceNode(cls, arg(0))
    text = _spell_generic(cls, args, env)
    return OpaqueNode(text, cls, kind_of_class(cls))


_CALLABLE: object = abc.Callable


def _spell_generic(cls: type, args: tuple[Any, ...], env: Env) -> str:
    if not args:
        return cls.__name__
    if cls is _CALLABLE and len(args) == 2:
        params = args[0]
        spelled = "..." if params is Ellipsis else _spell_list(params, env)
        return f"Callable[{spelled}, {describe_node(parse(args[1], env))}]"
    return f"{cls.__name__}[{', '.join(_spell_arg(a, env) for a in args)}]"


def _spell_list(params: object, env: Env) -> str:
    if isinstance(params, list):
        return "[" + ", ".join(_spell_arg(p, env) for p in params) + "]"
    return _spell_arg(params, env)


def _spell_arg(arg: object, env: Env) -> str:
    return "..." if arg is Ellipsis else describe_node(parse(arg, env))


# -- why a class is not serializable -----------------------------------------------------

# Abstract classes a class can belong to without naming them among its bases.
_VIRTUAL_BASES: tuple[tuple[type, str], ...] = tuple(
    (getattr(abc, name.rpartition(".")[2]), kind)
    for name, kind in rule_table.KIND_BY_CLASS.items()
    if name.startswith("collections.abc.")
)


def kind_of_class(cls: type) -> str:
    """The kind (``rule_table``) of a class whose instances ``normalize_json`` rejects."""
    kind = rule_table.kind_of([f"{base.__module__}.{base.__qualname__}" for base in cls.__mro__])
    if kind is not None:
        return kind
    for abstract, abstract_kind in _VIRTUAL_BASES:
        if issubclass(cls, abstract):
            return abstract_kind
    if issubclass(cls, enum.Enum):
        return "enum"
    if dataclasses.is_dataclass(cls):
        return "dataclass"
    if hasattr(cls, "model_dump"):  # pydantic v2 and look-alikes
        return "pydantic"
    if hasattr(cls, "__attrs_attrs__"):
        return "attrs"
    return rule_table.CLASS


# -- lazily expanded nodes -------------------------------------------------------


@functools.cache
def expand_alias(node: AliasNode) -> Node:
    env: dict[object, Node] = dict(zip(node.alias.__type_params__, node.args, strict=False))
    return parse(node.alias.__value__, env)


@functools.cache
def typed_dict_items(node: TypedDictNode) -> tuple[tuple[str, Node, bool], ...]:
    """(key, value node, required) for each key of a TypedDict, class or anonymous."""
    if node.cls is None:
        return node.items
    try:
        hints = typing.get_type_hints(node.cls, include_extras=True)
    except Exception:  # an unresolvable forward reference: its strings parse as unresolved
        hints = dict(node.cls.__annotations__)
    required = node.cls.__required_keys__  # type: ignore[attr-defined]
    return tuple(
        (key, parse(hint), _is_required(key, hint, required)) for key, hint in hints.items()
    )


def _is_required(key: str, hint: object, required_keys: frozenset[str]) -> bool:
    # Python 3.12 cannot see Required[...] inside a string annotation when it builds
    # __required_keys__; the resolved hint still carries it.
    origin = typing.get_origin(hint)
    if origin is typing.Annotated:
        origin = typing.get_origin(typing.get_args(hint)[0])
    if origin is typing_extensions.Required:
        return True
    if origin is typing_extensions.NotRequired:
        return False
    return key in required_keys


@functools.cache
def named_tuple_items(node: NamedTupleNode) -> tuple[Node, ...]:
    try:
        hints = typing.get_type_hints(node.cls, include_extras=True)
    except Exception:
        hints = dict(getattr(node.cls, "__annotations__", {}))
    fields: tuple[str, ...] = node.cls._fields  # type: ignore[attr-defined]
    return tuple(parse(hints.get(name, Any)) for name in fields)


def is_recursive(node: AliasNode) -> bool:
    return node in reachable(expand_alias(node))


def reachable(node: Node) -> set[Node]:
    """Every node below ``node``, lazily expanded ones included, each once."""
    seen: set[Node] = set()
    pending = [node]
    while pending:
        for child in _children(pending.pop()):
            if child not in seen:
                seen.add(child)
                pending.append(child)
    return seen


def _children(node: Node) -> Iterator[Node]:
    match node:
        case SequenceNode(item=item):
            yield item
        case TupleNode(items=items) | UnionNode(members=items):
            yield from items
        case MappingNode(key=key, value=value):
            yield key
            yield value
        case NamedNode(inner=inner):
            yield inner
        case AliasNode():
            yield expand_alias(node)
        case TypedDictNode():
            yield from (value for _, value, _ in typed_dict_items(node))
        case NamedTupleNode():
            yield from named_tuple_items(node)
        case _:
            pass


# -- spelling ---------------------------------------------------------------------------


def describe(annotation: object) -> str:
    """Spell an annotation as mypy spells types: ``list[int]``, ``int | None``."""
    return describe_node(parse(annotation))


def describe_node(node: Node) -> str:
    match node:
        case AnyNode(text=text):
            return text
        case ScalarNode(cls=cls):
            return "None" if cls is NoneType else cls.__name__
        case LiteralNode(values=values):
            return f"Literal[{', '.join(_spell_literal(v) for v in values)}]"
        case SequenceNode(origin=origin, item=item):
            if origin in (range, bytearray, memoryview):
                return origin.__name__
            return f"{origin.__name__}[{describe_node(item)}]"
        case TupleNode(items=items, variadic=variadic):
            if variadic:
                return f"tuple[{describe_node(items[0])}, ...]"
            return f"tuple[{', '.join(describe_node(i) for i in items) or '()'}]"
        case MappingNode(origin=origin, key=key, value=value):
            if issubclass(origin, collections.Counter):
                return f"{origin.__name__}[{describe_node(key)}]"
            return f"{origin.__name__}[{describe_node(key)}, {describe_node(value)}]"
        case TypedDictNode(cls=cls):
            if cls is not None:
                return cls.__name__
            return f"TypedDict({{{', '.join(_spell_item(*i) for i in node.items)}}})"
        case UnionNode(members=members):
            return _describe_union(members)
        case EnumNode(cls=cls) | NamedTupleNode(cls=cls):
            return cls.__name__
        case AliasNode(alias=alias, args=args):
            if not is_recursive(node):
                return describe_node(expand_alias(node))
            spelled_args = f"[{', '.join(describe_node(a) for a in args)}]" if args else ""
            return str(alias.__name__) + spelled_args
        case NamedNode(name=name):
            return name
        case OpaqueNode(text=text):
            return text


def _spell_item(key: str, value: Node, required: bool) -> str:
    return f"{key!r}{'' if required else '?'}: {describe_node(value)}"


def _spell_literal(value: object) -> str:
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"
    return repr(value)


def _describe_union(members: tuple[Node, ...]) -> str:
    """mypy's order: several Literal members merged first, None last."""
    if not members:
        return "Never"
    literal_values = [v for m in members if isinstance(m, LiteralNode) for v in m.values]
    merge_literals = len(literal_values) > 1
    spelled: list[str] = []
    if merge_literals:
        spelled.append(describe_node(LiteralNode(tuple(literal_values))))
    for member in members:
        if merge_literals and isinstance(member, LiteralNode):
            continue
        text = describe_node(member)
        if text != "None" and text not in spelled:
            spelled.append(text)
    if any(describe_node(m) == "None" for m in members):
        spelled.append("None")
    return " | ".join(spelled)
