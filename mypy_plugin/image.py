"""The JSON image of a mypy type (docs/design.md, "The one rule").

A task's arguments and its return value travel through
``json.loads(json.dumps(normalize_json(value)))``. ``image_of`` lifts that round trip to
types: it returns the type the other side receives, ``Unserializable`` when Django raises,
or ``Any`` where the rule cannot judge (``Any``, ``object``, unbound type variables,
protocols, classes with an unknown base).

What arrives must fit what is declared (``fits``: containers compare covariantly, as the
worker's values are fresh). A declared type must also let each of its alternatives arrive:
in ``int | Level`` a Level member arrives as an int, which fits the union, yet
``x is Level.HIGH`` silently changes in the worker. ``judge_declared`` checks both, for
parameters and return types; ``verdict_of`` judges an argument's image against its parameter.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final, TypeAlias

from mypy.maptype import map_instance_to_supertype
from mypy.nodes import TypeInfo
from mypy.plugin import CheckerPluginInterface
from mypy.subtypes import is_subtype
from mypy.typeops import make_simplified_union
from mypy.types import (
    AnyType,
    CallableType,
    Instance,
    LiteralType,
    NoneType,
    Overloaded,
    TupleType,
    Type,
    TypeAliasType,
    TypedDictType,
    TypeOfAny,
    TypeType,
    TypeVarType,
    UninhabitedType,
    UnionType,
    UnpackType,
    get_proper_type,
)

from mypy_plugin.fit import fits
from mypy_plugin.memo import BuildMemo
from mypy_plugin.safety import STRICT_ERRORS
from typed_tasks import rule_table

# A kind of type without a JSON image (``typed_tasks.rule_table``).
Kind: TypeAlias = str


class Unserializable:
    """Django raises at enqueue: ``culprit`` (the whole type or a part of it) has no image."""

    __slots__ = ("culprit", "kind")

    def __init__(self, culprit: Type, kind: Kind) -> None:
        self.culprit: Final = culprit
        self.kind: Final = kind


class Lossy:
    """The value arrives, but as ``image``, which is not the type it was declared with."""

    __slots__ = ("image",)

    def __init__(self, image: Type) -> None:
        self.image: Final = image


Verdict = Lossy | Unserializable | None  # None: arrives as declared, or unknown


# JSON scalars; a subclass of one (other than an Enum) arrives as the builtin itself.
JSON_SCALARS: Final = frozenset({"builtins.bool", "builtins.str", "builtins.int", "builtins.float"})


# Deeper than this, the rule gives up (unknown) rather than risk the recursion limit.
_MAX_DEPTH: Final = 40


def image_of(api: CheckerPluginInterface, typ: Type) -> Type | Unserializable:
    """The type a value of ``typ`` arrives as after the JSON round trip."""
    return _Imager(api).image(typ, frozenset(), 0)


def judge_declared(api: CheckerPluginInterface, typ: Type, *, returned: bool = False) -> Verdict:
    """Whether every value of ``typ`` arrives as ``typ``: its image fits it, and each of its
    alternatives (union members, at any depth) arrives as itself.

    ``returned``: ``typ`` is a return type, whose values no call site checks.
    """
    if type(typ) is AnyType or is_own_image(typ):
        return None  # the common cases, decided without building the image
    if api.options.fine_grained_incremental:
        return _judge_fully(api, typ, returned)
    key = (typ, returned)
    if key in _SOUND_TYPES:
        return None
    verdict = _judge_fully(api, typ, returned)
    if verdict is None:
        _SOUND_TYPES.remember(key, None)
    return verdict


# In a ``mypy`` run, the declared types the full rule found sound. Tasks declare a few of
# them over and over (``Sequence[int]``, ``Mapping[str, Any]``, a project's NewTypes), a
# new type object per annotation but equal by value; mypy's types hash and compare in
# compiled code. Equal types name the same classes, which keep their meaning for a whole
# ``mypy`` run, but not under the daemon, which re-analyses an edited class in place (it
# judges afresh). A type with something to report is judged each time, so every report is
# made from its own type.
_SOUND_TYPES: Final[BuildMemo[tuple[Type, bool], None]] = BuildMemo(20_000)


def _judge_fully(api: CheckerPluginInterface, typ: Type, returned: bool) -> Verdict:
    imager = _Imager(api, returned=returned)
    image = imager.image(typ, frozenset(), 0)
    if imager.lost and not isinstance(image, Unserializable):
        return Lossy(image)
    return verdict_of(image, typ)


def is_own_image(typ: Type) -> bool:
    """Whether ``typ`` is plainly its own image: the exact builtin scalars and their literals,
    None, and ``list``, ``str``-keyed ``dict``, TypedDict and unions of those.

    A quick, partial test: False (``Any``, enums, bytes, tuples, NewTypes, anything else)
    only means the full rule must decide.
    """
    if type(typ) is Instance and typ.type.fullname in JSON_SCALARS:  # most arguments: no call
        return True
    return _is_own_image(typ, _NO_ALIASES, 0, False)


def is_closed(typ: Type) -> bool:
    """Whether every value mypy accepts for a parameter of type ``typ`` arrives as one: the
    values of its subtypes too (an IntEnum member for an ``int``, a ``defaultdict`` for a
    ``dict``). Such a parameter needs no call-site check.

    ``is_own_image``'s types but a TypedDict, whose subtypes may carry more keys of any
    type, and an alias, whose target an edit may change under a running daemon.
    """
    return _is_own_image(typ, _NO_ALIASES, 0, True)


_NO_ALIASES: Final[frozenset[str]] = frozenset()

# Tuples made once for isinstance: ``A | B`` in a function makes a new union on every call.
_SELF_IMAGED: Final = (AnyType, NoneType, UninhabitedType)
_CALLABLES: Final = (CallableType, Overloaded)


def _is_own_image(typ: Type, aliases: frozenset[str], depth: int, closed: bool) -> bool:
    # Runs for most parameters and arguments: positional arguments, and exact tests for the
    # common classes (mypy does not subclass them; a miss would only mean "not plainly").
    if depth > _MAX_DEPTH:
        return False
    depth += 1
    if type(typ) is TypeAliasType:
        # A recursive alias comes back to itself below; the full rule knows how to stop there.
        if closed or typ.alias is None or typ.alias.fullname in aliases:
            return False
        aliases = aliases | {typ.alias.fullname}
        typ = get_proper_type(typ)
    if type(typ) is Instance:  # first: nearly every argument is one
        name = typ.type.fullname
        if name in JSON_SCALARS:
            return True
        args = typ.args
        if name == "builtins.list" and len(args) == 1:
            return _is_own_image(args[0], aliases, depth, closed)
        if name == "builtins.dict" and len(args) == 2:
            key = args[0] if closed else get_proper_type(args[0])
            return (
                type(key) is Instance
                and key.type.fullname == "builtins.str"
                and _is_own_image(args[1], aliases, depth, closed)
            )
        return False
    if isinstance(typ, NoneType):
        return True
    if isinstance(typ, LiteralType):
        return typ.fallback.type.fullname in JSON_SCALARS
    if isinstance(typ, UnionType):
        items: Iterable[Type] = typ.items
    elif isinstance(typ, TypedDictType) and not closed:
        items = typ.items.values()
    else:
        return False
    # A loop, not all(<generator>): a generator here would make its free variables cells,
    # allocated on every call of this function, most of which never reach this line.
    for item in items:  # noqa: SIM110
        if not _is_own_image(item, aliases, depth, closed):
            return False
    return True


def verdict_of(image: Type | Unserializable, declared: Type) -> Verdict:
    """The verdict for a value that arrives as ``image`` where ``declared`` is expected."""
    if isinstance(image, Unserializable):
        return image
    if fits(image, declared):
        return None
    return Lossy(image)


def judge_safely(api: CheckerPluginInterface, typ: Type, *, returned: bool = False) -> Verdict:
    """``judge_declared``, or None (no report) if the rule fails on ``typ``."""
    try:  # not ``with contained()``: this runs for every parameter of every task
        return judge_declared(api, typ, returned=returned)
    except Exception:
        if STRICT_ERRORS:
            raise
        return None


class _Imager:
    """One image computation; holds only the checker interface, nothing across calls.

    ``lost`` collects each declared alternative (a union member) whose values never arrive
    as that alternative. ``returned``: the type is a return type (see _ABSTRACT_COLLECTIONS).
    """

    def __init__(self, api: CheckerPluginInterface, *, returned: bool = False) -> None:
        self.api = api
        self.returned = returned
        self.lost: list[Type] = []

    def image(self, typ: Type, seen: frozenset[str], depth: int) -> Type | Unserializable:
        if depth > _MAX_DEPTH:
            return _unknown()
        if isinstance(typ, TypeAliasType):
            # A recursive alias refers to itself below; the second visit cannot add anything.
            if typ.alias is None or typ.alias.fullname in seen:
                return _unknown()
            seen = seen | {typ.alias.fullname}
            if typ.is_recursive:
                return self.recursive_alias(typ, seen, depth)
        return self.proper_image(typ, seen, depth)

    def recursive_alias(
        self, typ: TypeAliasType, seen: frozenset[str], depth: int
    ) -> Type | Unserializable:
        """The alias itself (shown by its name) when its values arrive as declared."""
        before = len(self.lost)
        image = self.proper_image(typ, seen, depth)
        if isinstance(image, Unserializable) or len(self.lost) > before:
            return image
        return typ if fits(image, typ) else image

    def proper_image(self, typ: Type, seen: frozenset[str], depth: int) -> Type | Unserializable:
        proper = get_proper_type(typ)
        depth += 1
        if isinstance(proper, _SELF_IMAGED):
            return proper
        if isinstance(proper, Instance):
            return self.instance(proper, seen, depth)
        if isinstance(proper, LiteralType):
            return self.literal(proper, seen, depth)
        if isinstance(proper, UnionType):
            return self.alternatives(proper.items, seen, depth)
        if isinstance(proper, TupleType):
            return self.tuple(proper, seen, depth)
        if isinstance(proper, TypedDictType):
            return self.typeddict(proper, seen, depth)
        if isinstance(proper, TypeVarType):
            return self.type_var(proper, seen, depth)
        if isinstance(proper, TypeType) or (
            isinstance(proper, _CALLABLES) and proper.is_type_obj()
        ):
            return Unserializable(proper, "type")
        if isinstance(proper, _CALLABLES):
            return Unserializable(proper, "callable")
        return _unknown()

    def literal(self, typ: LiteralType, seen: frozenset[str], depth: int) -> Type | Unserializable:
        info = typ.fallback.type
        if info.has_base("builtins.bytes"):
            # mypy keeps escapes (b"\xff" as "\\xff"); only plain text is known to decode as is.
            plain = isinstance(typ.value, str) and "\\" not in typ.value
            return (
                LiteralType(typ.value, self.named("builtins.str"))
                if plain
                else self.named("builtins.str")
            )
        if not info.is_enum:
            return typ
        image = self.instance(typ.fallback, seen, depth)
        member = info.get(str(typ.value))
        value = get_proper_type(member.type) if member is not None else None
        # An enum member arrives as its value: Literal[Color.RED] as Literal["red"].
        known = value.last_known_value if isinstance(value, Instance) else None
        if known is not None and isinstance(image, Instance) and is_subtype(known, image):
            return known
        return image

    def alternatives(
        self, items: list[Type], seen: frozenset[str], depth: int
    ) -> Type | Unserializable:
        """A declared union: each member must arrive as itself."""
        images: list[Type] = []
        for item in items:
            image = self.image(item, seen, depth)
            if isinstance(image, Unserializable):
                return image
            if not fits(image, item):
                self.lost.append(item)
            images.append(image)
        return make_simplified_union(images)

    def join(self, items: list[Type], seen: frozenset[str], depth: int) -> Type | Unserializable:
        """The items of a tuple, which all arrive in one list."""
        images: list[Type] = []
        for item in items:
            image = self.image(item, seen, depth)
            if isinstance(image, Unserializable):
                return image
            images.append(image)
        return make_simplified_union(images)

    def tuple(self, typ: TupleType, seen: frozenset[str], depth: int) -> Type | Unserializable:
        items: list[Type] = []
        for item in typ.items:
            proper = get_proper_type(item)
            if isinstance(proper, UnpackType):
                unpacked = get_proper_type(proper.type)
                if not (isinstance(unpacked, Instance) and unpacked.args):
                    return _unknown()
                item = unpacked.args[0]
            items.append(item)
        image = self.join(items, seen, depth)
        if isinstance(image, Unserializable):
            return image
        return self.list_of(image)

    def typeddict(
        self, typ: TypedDictType, seen: frozenset[str], depth: int
    ) -> Type | Unserializable:
        images: list[Type] = []
        before = len(self.lost)
        for value in typ.items.values():
            image = self.image(value, seen, depth)
            if isinstance(image, Unserializable):
                return image
            images.append(image)
        if len(self.lost) == before and all(map(fits, images, typ.items.values())):
            return typ
        # Shown as TypedDict({...}) in messages: the named class is not what arrives.
        return typ.copy_modified(item_types=images, fallback=_anonymous_fallback(typ))

    def type_var(self, typ: TypeVarType, seen: frozenset[str], depth: int) -> Type | Unserializable:
        # Whatever the caller binds it to is judged at the call site; only a bound or
        # value restriction without an image is known here.
        before = len(self.lost)
        for bound in [*typ.values, typ.upper_bound]:
            image = self.image(bound, seen, depth)
            if isinstance(image, Unserializable):
                return image
        del self.lost[before:]  # what the caller binds may be any one of them, or a subtype
        return _unknown()

    def instance(self, typ: Instance, seen: frozenset[str], depth: int) -> Type | Unserializable:
        info = typ.type
        if info.fullname == "builtins.object":
            return _unknown()
        # The two containers json.loads builds, without the walks of their bases below.
        if info.fullname == "builtins.list" and len(typ.args) == 1:
            return self.sequence(typ.args[0], seen, depth)
        if info.fullname == "builtins.dict" and len(typ.args) == 2:
            return self.mapping(typ, seen, depth)
        if info.is_newtype and info.bases:
            base = info.bases[0]
            before = len(self.lost)
            image = self.image(base, seen, depth)
            if isinstance(image, Unserializable) or len(self.lost) > before:
                return image
            return typ if fits(image, base) else image
        if info.is_enum:
            for scalar in ("builtins.str", "builtins.int", "builtins.float"):
                if info.has_base(scalar):
                    return self.named(scalar)
            return Unserializable(typ, "enum")
        if info.fullname in JSON_SCALARS:
            return typ
        if info.has_base("builtins.bytes"):
            return self.named("builtins.str")
        for scalar in ("builtins.str", "builtins.int", "builtins.float"):  # bool: no subclasses
            if info.has_base(scalar):
                return self.named(scalar)
        if info.tuple_type is not None:
            return self.image(info.tuple_type, seen, depth)
        if info.typeddict_type is not None:
            return self.image(info.typeddict_type, seen, depth)
        if info.fullname in rule_table.ITERATION_ONLY and typ.args:
            if self.returned:
                return Unserializable(typ, "iterator")
            return self.sequence(typ.args[0], seen, depth)
        mapping = _supertype(typ, "typing.Mapping")
        if mapping is not None:
            return self.mapping(mapping, seen, depth)
        sequence = _supertype(typ, "typing.Sequence")
        if sequence is not None:
            return self.sequence(sequence.args[0], seen, depth)
        return self.other_class(typ)

    def sequence(self, item: Type, seen: frozenset[str], depth: int) -> Type | Unserializable:
        image = self.image(item, seen, depth)
        return image if isinstance(image, Unserializable) else self.list_of(image)

    def mapping(self, typ: Instance, seen: frozenset[str], depth: int) -> Type | Unserializable:
        key, value = typ.args
        key_image = self.key(key, seen, depth)
        if isinstance(key_image, Unserializable):
            return key_image
        value_image = self.image(value, seen, depth)
        if isinstance(value_image, Unserializable):
            return value_image
        return self.api.named_generic_type("builtins.dict", [key_image, value_image])

    def key(self, key: Type, seen: frozenset[str], depth: int) -> Type | Unserializable:
        """Keys are normalized like values; json.dumps then turns every non-str key into a str.

        Each member of a union of key types must arrive as itself (the ``int`` in
        ``dict[int | str, V]`` never does).
        """
        proper_key = get_proper_type(key)
        if isinstance(proper_key, UnionType):
            images: list[Type] = []
            for member in proper_key.items:
                member_image = self.key(member, seen, depth)
                if isinstance(member_image, Unserializable):
                    return Unserializable(key, "key")
                if not fits(member_image, member):
                    self.lost.append(member)
                images.append(member_image)
            return make_simplified_union(images)
        image = self.image(key, seen, depth)
        if isinstance(image, Unserializable):
            return Unserializable(key, "key")
        proper = get_proper_type(image)
        if isinstance(proper, Instance) and proper.type.fullname in JSON_SCALARS:
            # the common keys, without the subtype checks below
            return proper if proper.type.fullname == "builtins.str" else self.named("builtins.str")
        str_type = self.named("builtins.str")
        if isinstance(proper, AnyType):
            return str_type
        number_or_none = make_simplified_union([self.named("builtins.float"), NoneType()])
        if is_subtype(proper, str_type):
            return proper
        if is_subtype(proper, number_or_none):
            return str_type
        return Unserializable(key, "key")

    def other_class(self, typ: Instance) -> Type | Unserializable:
        info = typ.type
        for base in info.mro:
            kind = rule_table.KIND_BY_CLASS.get(base.fullname)
            if kind is not None:
                return Unserializable(typ, kind)
            if "dataclass" in base.metadata:
                return Unserializable(typ, "dataclass")
            if "attrs" in base.metadata:
                return Unserializable(typ, "attrs")
        if info.fallback_to_any or info.is_protocol:
            return _unknown()
        return Unserializable(typ, "class")

    def list_of(self, item: Type) -> Instance:
        return self.api.named_generic_type("builtins.list", [item])

    def named(self, fullname: str) -> Instance:
        return self.api.named_generic_type(fullname, [])


def _supertype(typ: Instance, fullname: str) -> Instance | None:
    """``typ`` seen as the generic base class ``fullname``, if it derives from it."""
    base = _base_info(typ.type, fullname)
    if base is None:
        return None
    mapped = map_instance_to_supertype(typ, base)
    return mapped if len(mapped.args) == len(base.defn.type_vars) and mapped.args else None


def _base_info(info: TypeInfo, fullname: str) -> TypeInfo | None:
    for base in info.mro:
        if base.fullname == fullname:
            return base
    return None


def _anonymous_fallback(typ: TypedDictType) -> Instance:
    for base in typ.fallback.type.mro:
        if base.fullname in ("typing._TypedDict", "typing_extensions._TypedDict"):
            return Instance(base, [])
    return typ.fallback


def _unknown() -> AnyType:
    return AnyType(TypeOfAny.implementation_artifact)
