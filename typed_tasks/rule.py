"""The JSON-image rule on runtime annotations (docs/design.md, "The one rule").

A task function receives ``json.loads(json.dumps(normalize_json(value)))`` for
each argument: its JSON image. ``classify`` lifts that to an annotation ``T``:
either every value of ``T`` arrives as a ``T`` (what arrives is what the function
declares), or it arrives as another type (lossy), or Django cannot serialize it
at all, or the rule cannot judge (``Any``, ``object``).

"Arrives as a ``T``" takes two things. The image must fit ``T`` (``fits``: the
worker's containers are fresh, so they compare covariantly, and a
``list[list[int]]`` is a fine ``list[Sequence[int]]``). And every declared
alternative must be able to arrive: in ``int | Level`` a Level member arrives as
an int, which fits the union, yet ``x is Level.HIGH`` silently changes in the
worker (``lossy_image``).

Annotations are first parsed into a small tree of ``Node`` objects; the image,
the subtype and fit relations and the spelling (``describe``, as mypy spells
types) are functions over that tree. ``typed_tasks.validation`` compiles the
same tree into value checkers, so both sides read one parse. The mypy plugin's
twin is ``mypy_plugin.image`` and ``mypy_plugin.fit``; ``tests/rule_vectors.py``
keeps the two in step.
"""

from __future__ import annotations

import builtins
import collections
import collections.abc as abc
import dataclasses
import enum
import functools
import sys
import typing
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import NoneType, UnionType
from typing import Any, ForwardRef, Literal, NewType, TypeVar, Union

import typing_extensions

# ``type`` statements (Python 3.12+) make typing.TypeAliasType instances;
# typing_extensions.TypeAliasType is its own class on every Python before 3.14.
_ALIAS_CLASSES: tuple[type, ...] = tuple(
    {
        getattr(typing, "TypeAliasType", typing_extensions.TypeAliasType),
        typing_extensions.TypeAliasType,
    }
)

# -- verdicts ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Serializable:
    """Every value of the annotation arrives in the worker as an instance of it."""

    annotation: object


@dataclass(frozen=True, slots=True)
class Lossy:
    """Values arrive in the worker as ``image``, which is not the annotation."""

    annotation: object
    image: object


@dataclass(frozen=True, slots=True)
class NotSerializable:
    """Django raises at enqueue for values of this annotation."""

    annotation: object
    reason: str
    hint: str


@dataclass(frozen=True, slots=True)
class Unknown:
    """The rule cannot judge: ``Any``, ``object``, unresolvable forward references."""

    annotation: object


Verdict = Serializable | Lossy | NotSerializable | Unknown


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
    reason: str
    hint: str


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
    reason, hint = why_not_serializable(cls, text)
    return OpaqueNode(text, cls, reason, hint)


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


# -- why a class is not serializable, and what to pass instead -------------------

_GENERIC_HINT = (
    "pass plain JSON data (dict, list, str, int, float, bool or None) and rebuild the object "
    "in the task"
)
_HINTS_BY_CLASS_NAME = {
    "datetime.datetime": "pass value.isoformat() and parse it in the task",
    "datetime.date": "pass value.isoformat() and parse it in the task",
    "datetime.time": "pass value.isoformat() and parse it in the task",
    "datetime.timedelta": "pass value.total_seconds() and rebuild it with timedelta(seconds=...)",
    "decimal.Decimal": "pass str(value) and rebuild it with Decimal(...) in the task",
    "uuid.UUID": "pass str(value) and rebuild it with UUID(...) in the task",
    "pathlib.PurePath": "pass str(value) and rebuild it with Path(...) in the task",
    "builtins.set": "pass sorted(value) (a list) and rebuild the set in the task",
    "builtins.frozenset": "pass sorted(value) (a list) and rebuild the set in the task",
    "builtins.complex": "pass [value.real, value.imag] and rebuild it in the task",
    "builtins.type": "pass the class's dotted import path as a str and import it in the task",
    "django.db.models.base.Model": "pass obj.pk and load it in the task",
    "django.db.models.query.QuerySet": (
        'pass list(queryset.values_list("pk", flat=True)) and query again in the task'
    ),
    "collections.abc.Callable": (
        "pass the function's dotted import path as a str and import it in the task"
    ),
    "collections.abc.Iterator": "pass list(value) and annotate the parameter as list[...]",
    "collections.abc.AsyncIterator": "collect it into a list before enqueueing",
    "collections.abc.AsyncIterable": "collect it into a list before enqueueing",
    "collections.abc.Set": "pass sorted(value) (a list) and rebuild the set in the task",
    "collections.abc.Awaitable": "await it before enqueueing and pass the result",
}


_HINTS_BY_ABSTRACT_CLASS: tuple[tuple[Any, str], ...] = (
    (abc.Iterator, _HINTS_BY_CLASS_NAME["collections.abc.Iterator"]),
    (abc.AsyncIterable, _HINTS_BY_CLASS_NAME["collections.abc.AsyncIterable"]),
    (abc.Set, _HINTS_BY_CLASS_NAME["collections.abc.Set"]),
    (abc.Awaitable, _HINTS_BY_CLASS_NAME["collections.abc.Awaitable"]),
    (abc.Callable, _HINTS_BY_CLASS_NAME["collections.abc.Callable"]),
)


def why_not_serializable(cls: type, text: str) -> tuple[str, str]:
    """The reason and the hint for a class whose instances normalize_json rejects."""
    reason = f"{text} is not JSON-serializable"
    for base in cls.__mro__:
        hint = _HINTS_BY_CLASS_NAME.get(f"{base.__module__}.{base.__qualname__}")
        if hint is not None:
            return reason, hint
    for abstract, hint in _HINTS_BY_ABSTRACT_CLASS:  # virtual subclasses: not in the MRO
        if issubclass(cls, abstract):
            return reason, hint
    if dataclasses.is_dataclass(cls):
        return reason, "pass dataclasses.asdict(value) and rebuild it in the task"
    if hasattr(cls, "model_dump"):  # pydantic v2 and look-alikes
        hint = f'pass value.model_dump(mode="json") and rebuild it with {cls.__name__}(**data)'
        return reason, hint
    if hasattr(cls, "__attrs_attrs__"):
        return reason, "pass attrs.asdict(value) and rebuild it in the task"
    return reason, _GENERIC_HINT


def enum_hint(cls: type[enum.Enum]) -> str:
    return f"pass member.value and rebuild the member with {cls.__name__}(value) in the task"


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


# -- the image ---------------------------------------------------------------------


class Refusal(Exception):
    """Raised while imaging a node whose values Django cannot serialize."""

    def __init__(self, reason: str, hint: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.hint = hint


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
        case OpaqueNode(reason=reason, hint=hint):
            raise Refusal(reason, hint)


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
    raise Refusal(f"{cls.__name__} is an Enum, which is not JSON-serializable", enum_hint(cls))


def _literal_image(value: object) -> object:
    if isinstance(value, enum.Enum):
        _enum_image(type(value))
        return value.value
    if isinstance(value, bytes):
        try:
            return value.decode()
        except UnicodeDecodeError:
            raise Refusal(f"{value!r} is not valid UTF-8", BYTES_HINT) from None
    return value


BYTES_HINT = "pass base64.b64encode(value).decode() and decode it in the task"


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
    raise Refusal(f"dict keys of type {text} are not JSON-serializable", "use str keys")


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


# -- subtyping, as mypy decides it ------------------------------------------------


def is_subtype(sub: Node, sup: Node, *, proper: bool = False) -> bool:
    """Whether ``sub`` is a subtype of ``sup``: Any fits both ways and int fits float.

    ``proper``, as mypy simplifies unions: no int-to-float promotion, and Any is a
    subtype of nothing but Any (so ``list[Any]`` does not swallow ``list[int]``).
    """
    return _subtype(sub, sup, proper, frozenset())


def _equivalent(a: Node, b: Node) -> bool:
    return is_subtype(a, b) and is_subtype(b, a)


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


# -- classify and describe -----------------------------------------------------------


def classify(annotation: object) -> Verdict:
    """Judge a parameter annotation by the JSON-image rule."""
    node = parse(annotation)
    if isinstance(node, AnyNode) or _has_unresolved(node):
        return Unknown(annotation)
    try:
        arrives_as = lossy_image(node)
    except Refusal as refusal:
        return NotSerializable(annotation, refusal.reason, refusal.hint)
    if arrives_as is None:
        return Serializable(annotation)
    return Lossy(annotation, to_annotation(arrives_as))


# Annotations that promise only iteration. A parameter so declared receives a list (the
# call site refuses a set or a generator); a return value has no such check, so declared
# so it may be a generator, a set or a QuerySet, which the result store refuses.
_ITERATION_ONLY: frozenset[type] = frozenset(
    {abc.Iterable, abc.Collection, abc.Container, abc.Reversible}
)


def classify_return(annotation: object) -> Verdict:
    """Judge a return annotation: as a parameter, but iteration-only types are refused."""
    node = parse(annotation)
    for part in {node} | reachable(node):
        if isinstance(part, SequenceNode) and part.origin in _ITERATION_ONLY:
            reason = f"{describe_node(part)} is not JSON-serializable"
            return NotSerializable(annotation, reason, "return a list instead")
    return classify(annotation)


def _has_unresolved(node: Node) -> bool:
    return any(isinstance(n, AnyNode) and n.unresolved for n in reachable(node))


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
