"""The runtime rule against the real round trip, on generated (annotation, value) pairs.

For every pair, the verdict of ``typed_tasks.rule.classify(annotation)`` must agree with
what ``json.loads(json.dumps(normalize_json(value)))`` really does to the value:

* ``Serializable``: the value survives: its image is an instance of the annotation and
  carries the same data, as far as the annotation can tell (a tuple passed to a
  ``Sequence[int]`` may arrive as a list; a tuple passed to ``list[int] | tuple[int, int]``
  may not).
* ``Lossy``: the image is an instance of ``verdict.image``, and some value of the
  annotation does not survive.
* ``NotSerializable``: some value of the annotation makes Django raise.

Bytes that are not valid UTF-8 make Django raise whatever the annotation (the rule says
so for ``bytes``); such values are checked on their own. ``validate_arguments`` must
accept exactly the values whose image is an instance of the annotation.

Values for ``Any`` and ``object`` are JSON-native: the rule says nothing about them and
leaves the judgement to the argument's own type.
"""

import enum
import json
import math
import re
import types
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import (
    Any,
    Literal,
    NamedTuple,
    NewType,
    NotRequired,
    Optional,
    TypeAliasType,
    TypedDict,
    Union,
    get_args,
    get_origin,
    get_type_hints,
    is_typeddict,
)
from uuid import UUID

import pytest
from django.contrib.auth.models import User
from django.utils.json import normalize_json
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from reliability.mypy_runs import run_mypy
from tests.rule_vectors import PRELUDE
from typed_tasks.rule import Lossy, NotSerializable, Serializable, Unknown, classify, describe
from typed_tasks.validation import TaskArgumentError, validate_arguments


class Color(enum.StrEnum):
    RED = "red"
    BLUE = "blue"


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


class Mood(str, enum.Enum):  # noqa: UP042 - the mixin spelling is a case of its own
    GLAD = "glad"


class Perm(enum.IntFlag):
    READ = 1
    WRITE = 2


class Shade(enum.Enum):
    LIGHT = "light"


class Point(NamedTuple):
    x: int
    y: int


class Labelled(NamedTuple):
    label: str
    weight: float


class Payload(TypedDict):
    name: str
    items: list[int]


class Boxed(TypedDict):
    pair: tuple[int, int]
    note: NotRequired[str]


@dataclass
class Parcel:
    weight: int


UserId = NewType("UserId", int)

type Ints = list[int]
type Pair = tuple[int, int]
type Json = bool | int | float | str | list[Json] | dict[str, Json] | None

NONE_TYPE = type(None)
UNION_ORIGINS = (Union, types.UnionType)


class Unserializable(Exception):
    """Django refused the value, as it does at enqueue."""


def round_trip(value: object) -> object:
    """What the worker receives for ``value``."""
    try:
        normalized = normalize_json(value)
        return json.loads(json.dumps(normalized))
    except (TypeError, ValueError) as error:
        raise Unserializable(str(error)) from error


# --- Structural isinstance and equality for parametrized annotations ---------------------


def conforms(value: object, annotation: Any) -> bool:
    """``isinstance`` for parametrized annotations, as mypy reads them."""
    if isinstance(annotation, TypeAliasType):
        return conforms(value, annotation.__value__)
    if annotation is Any or annotation is object:
        return True
    if annotation is None or annotation is NONE_TYPE:
        return value is None
    if hasattr(annotation, "__supertype__"):  # NewType
        return conforms(value, annotation.__supertype__)
    if annotation is float:
        return isinstance(value, (int, float))
    if is_typeddict(annotation):
        return conforms_to_typeddict(value, annotation)
    origin, args = get_origin(annotation), get_args(annotation)
    if origin in UNION_ORIGINS:
        return any(conforms(value, member) for member in args)
    if origin is Literal:
        return any(type(value) is type(choice) and value == choice for choice in args)
    if isinstance(annotation, type) and issubclass(annotation, tuple) and annotation is not tuple:
        # A NamedTuple: the class itself, then each field.
        hints = get_type_hints(annotation)
        return isinstance(value, annotation) and all(
            conforms(getattr(value, name), hint) for name, hint in hints.items()
        )
    if origin is None:
        return isinstance(value, annotation)
    if not isinstance(value, origin):
        return False
    if not args:
        return True
    if origin is tuple:
        assert isinstance(value, tuple)
        if len(args) == 2 and args[1] is Ellipsis:
            return all(conforms(item, args[0]) for item in value)
        return len(value) == len(args) and all(map(conforms, value, args))
    if issubclass(origin, Mapping):
        assert isinstance(value, Mapping)
        key, item = args
        return all(conforms(k, key) and conforms(v, item) for k, v in value.items())
    (item,) = args
    assert isinstance(value, Sequence | set | frozenset | deque)
    return all(conforms(element, item) for element in value)


def conforms_to_typeddict(value: object, annotation: Any) -> bool:
    if not isinstance(value, dict):
        return False
    hints = get_type_hints(annotation)
    return annotation.__required_keys__ <= value.keys() <= hints.keys() and all(
        conforms(value[key], hints[key]) for key in value
    )


def same_value(left: object, right: object) -> bool:
    """Equal and of the same types all the way down (NaN equals NaN)."""
    if type(left) is not type(right):
        return False
    if isinstance(left, float) and isinstance(right, float):
        return left == right or (math.isnan(left) and math.isnan(right))
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(same_value(left[k], right[k]) for k in left)
    if isinstance(left, list | tuple) and isinstance(right, list | tuple):
        return len(left) == len(right) and all(map(same_value, left, right))
    return left == right


def carries_same_data(annotation: Any, image: object, value: object) -> bool:
    """``image`` holds what ``value`` held, up to what ``annotation`` can tell apart."""
    if isinstance(annotation, TypeAliasType):
        return carries_same_data(annotation.__value__, image, value)
    if hasattr(annotation, "__supertype__"):
        return carries_same_data(annotation.__supertype__, image, value)
    if annotation is Any or annotation is object:
        return same_value(image, value)
    if is_typeddict(annotation):
        hints = get_type_hints(annotation)
        assert isinstance(image, dict) and isinstance(value, dict)
        return image.keys() == value.keys() and all(
            carries_same_data(hints[k], image[k], value[k]) for k in value
        )
    origin, args = get_origin(annotation), get_args(annotation)
    if origin in UNION_ORIGINS:
        # Every alternative the value belongs to must hold the image as well: a tuple for
        # ``Sequence[int] | tuple[int, ...]`` leaves its tuple alternative behind. ``Any``
        # and ``object`` judge only what no other alternative claims.
        judged = [member for member in args if member is not Any and member is not object]
        holding = [member for member in judged if conforms(value, member)]
        if not holding:
            return len(judged) < len(args) and same_value(image, value)
        return all(
            conforms(image, member) and carries_same_data(member, image, value)
            for member in holding
        )
    if origin in (list, tuple, Sequence, deque) and args:
        assert isinstance(image, Sequence) and isinstance(value, Sequence | deque)
        items = [args[0]] * len(value) if origin is not tuple or args[-1] is Ellipsis else args
        return len(image) == len(value) and all(map(carries_same_data, items, image, value))
    if origin in (dict, Mapping) and args:
        assert isinstance(image, Mapping) and isinstance(value, Mapping)
        return image.keys() == value.keys() and all(
            carries_same_data(args[1], image[k], value[k]) for k in value
        )
    if isinstance(value, enum.Enum):
        return image is value
    return same_value(image, value)


def survives(annotation: Any, value: object) -> bool:
    try:
        image = round_trip(value)
    except Unserializable:
        return False
    return conforms(image, annotation) and carries_same_data(annotation, image, value)


def has_invalid_utf8(value: object) -> bool:
    if isinstance(value, bytes):
        try:
            value.decode("utf-8")
        except UnicodeDecodeError:
            return True
        return False
    if isinstance(value, Mapping):
        return any(has_invalid_utf8(k) or has_invalid_utf8(v) for k, v in value.items())
    if isinstance(value, list | tuple | deque):
        return any(has_invalid_utf8(item) for item in value)
    return False


# --- Annotations and their values -------------------------------------------------------

SCALAR_VALUES: dict[Any, st.SearchStrategy[Any]] = {
    int: st.integers(),
    float: st.floats(),
    str: st.text(max_size=6),
    bool: st.booleans(),
    NONE_TYPE: st.none(),
    bytes: st.one_of(st.text(max_size=4).map(str.encode), st.binary(max_size=4)),
    Literal["a", "b"]: st.sampled_from(["a", "b"]),
    Literal[1, 2, 3]: st.sampled_from([1, 2, 3]),
    Literal[Color.RED]: st.just(Color.RED),
    Color: st.sampled_from(Color),
    Level: st.sampled_from(Level),
    Mood: st.sampled_from(Mood),
    Perm: st.sampled_from(Perm),
    Shade: st.sampled_from(Shade),
    UserId: st.integers().map(UserId),
    datetime: st.datetimes(),
    date: st.dates(),
    time: st.times(),
    timedelta: st.timedeltas(),
    Decimal: st.decimals(allow_nan=False),
    UUID: st.uuids(),
    Path: st.sampled_from([Path("a/b.txt"), Path("/tmp")]),
    range: st.integers(0, 3).map(range),
    Point: st.builds(Point, st.integers(), st.integers()),
    Labelled: st.builds(Labelled, st.text(max_size=3), st.floats()),
    Payload: st.fixed_dictionaries({"name": st.text(max_size=3), "items": st.lists(st.integers())}),
    Boxed: st.fixed_dictionaries(
        {"pair": st.tuples(st.integers(), st.integers())},
        optional={"note": st.text(max_size=3)},
    ),
    Parcel: st.builds(Parcel, st.integers()),
    User: st.text(max_size=5).map(lambda name: User(username=name)),
    Ints: st.lists(st.integers(), max_size=3),
    Pair: st.tuples(st.integers(), st.integers()),
}

JSON_VALUES: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=4),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=6,
)

HASHABLE_ANNOTATIONS: list[Any] = [
    str,
    int,
    float,
    bool,
    None,
    bytes,
    Color,
    Level,
    int | str,
    tuple[int, int],
    date,
    UUID,
]

JSON_LEAF_ANNOTATIONS: list[Any] = [
    int,
    float,
    str,
    bool,
    None,
    Literal["a", "b"],
    Literal[1, 2, 3],
    UserId,
    Payload,
    Ints,
    Json,
    Any,
    object,
]
LEAF_ANNOTATIONS: list[Any] = [*SCALAR_VALUES, Any, object, Json, None]


def of(origin: Any, *arguments: Any) -> Any:
    """``origin[arguments]``, built at run time."""
    return origin[arguments if len(arguments) > 1 else arguments[0]]


def containers(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    keys = st.sampled_from(HASHABLE_ANNOTATIONS)
    hashable = st.sampled_from(HASHABLE_ANNOTATIONS)
    return st.one_of(
        inner.map(lambda item: of(list, item)),
        inner.map(lambda item: of(Sequence, item)),
        inner.map(lambda item: of(tuple, item, ...)),
        st.lists(inner, min_size=1, max_size=3).map(lambda items: of(tuple, *items)),
        inner.map(lambda item: of(deque, item)),
        st.tuples(keys, inner).map(lambda kv: of(dict, *kv)),
        st.tuples(keys, inner).map(lambda kv: of(Mapping, *kv)),
        hashable.map(lambda item: of(set, item)),
        hashable.map(lambda item: of(frozenset, item)),
        inner.map(lambda item: of(Optional, item)),  # the typing spelling is a case of its own
        st.tuples(inner, inner).map(lambda pair: of(Union, *pair)),
    )


# Three leaves in four are JSON-native, so that containers of them are often serializable.
leaves = st.one_of(*[st.sampled_from(JSON_LEAF_ANNOTATIONS)] * 3, st.sampled_from(LEAF_ANNOTATIONS))
annotations: st.SearchStrategy[Any] = st.recursive(leaves, containers, max_leaves=5)


def values_for(annotation: Any) -> st.SearchStrategy[Any]:
    """Values whose static type is ``annotation``."""
    if annotation in SCALAR_VALUES:
        return SCALAR_VALUES[annotation]
    if annotation is Any or annotation is object or annotation is Json:
        return JSON_VALUES
    if annotation is None:
        return st.none()
    origin, args = get_origin(annotation), get_args(annotation)
    if origin in UNION_ORIGINS:
        return st.one_of([values_for(member) for member in args])
    if origin is tuple and args[-1] is not Ellipsis:
        return st.tuples(*map(values_for, args))
    items = st.lists(values_for(args[0]), max_size=3)
    if origin is list:
        return items
    if origin is tuple:
        return items.map(tuple)
    if origin is Sequence:
        return items | items.map(tuple)
    if origin is deque:
        return items.map(deque)
    if origin in (set, frozenset):
        return st.sets(values_for(args[0]), max_size=3).map(origin)
    mappings = st.dictionaries(values_for(args[0]), values_for(args[1]), max_size=3)
    if origin is dict:
        return mappings
    assert origin is Mapping, annotation
    return mappings | mappings.map(types.MappingProxyType)


@st.composite
def annotated_values(draw: st.DrawFn) -> tuple[Any, Any]:
    annotation = draw(annotations)
    return annotation, draw(values_for(annotation))


WITNESS_SCALARS: dict[Any, list[Any]] = {
    int: [7],
    float: [1.5],
    str: ["s"],
    bool: [True],
    NONE_TYPE: [None],
    bytes: [b"ok"],
    Literal["a", "b"]: ["a"],
    Literal[1, 2, 3]: [2],
    Literal[Color.RED]: [Color.RED],
    UserId: [UserId(3)],
    Path: [Path("a")],
    range: [range(2)],
    Point: [Point(1, 2)],
    Labelled: [Labelled("a", 1.5)],
    Payload: [{"name": "n", "items": [1]}],
    Boxed: [{"pair": (1, 2)}],
    Parcel: [Parcel(1)],
    Ints: [[1]],
    Pair: [(1, 2)],
    datetime: [datetime(2026, 1, 2, 3, 4)],
    date: [date(2026, 1, 2)],
    time: [time(3, 4)],
    timedelta: [timedelta(seconds=5)],
    Decimal: [Decimal("1.5")],
    UUID: [UUID(int=5)],
}


def witnesses(annotation: Any) -> list[Any]:
    """A few values of ``annotation``: every union member and a non-empty container each."""
    if annotation in WITNESS_SCALARS:
        return WITNESS_SCALARS[annotation]
    if annotation is User:
        return [User(username="u")]
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return list(annotation)
    if annotation is Any or annotation is object or annotation is Json:
        return [{"k": [1, "s", None]}]
    if annotation is None:
        return [None]
    origin, args = get_origin(annotation), get_args(annotation)
    if origin in UNION_ORIGINS:
        return [value for member in args for value in witnesses(member)]
    if origin is tuple and args[-1] is not Ellipsis:
        firsts = [witnesses(item)[0] for item in args]
        return [
            tuple([*firsts[:position], value, *firsts[position + 1 :]])
            for position, item in enumerate(args)
            for value in witnesses(item)
        ]
    if origin in (dict, Mapping):
        keys, values = witnesses(args[0]), witnesses(args[1])
        return [{key: value} for key in keys for value in values]
    items = witnesses(args[0])
    # A tuple for an abstract Sequence: the value that does not arrive as itself.
    constructor: Callable[[list[Any]], Any] = tuple if origin is Sequence else origin
    return [constructor(items)]


# --- The properties ---------------------------------------------------------------------

REGRESSIONS: list[tuple[Any, Any]] = [
    (tuple[int, int], (1, 2)),
    (dict[int, str], {1: "a"}),
    (dict[tuple[int, int], str], {(1, 2): "a"}),
    (Sequence[int], (1, 2)),
    (Optional[tuple[int, int]], None),  # noqa: UP045
    (bytes, b"\xff"),
    (Json, {"a": [1, None, 2.5]}),
    (Mapping[str, int], types.MappingProxyType({"a": 1})),
    (Sequence[int] | tuple[int, ...], (1, 2)),  # lossy: its tuple alternative never arrives
    # Disagreements this file found, since fixed in the rule (docs/reliability.md).
    # The image of a union dropped the member holding Any:
    (tuple[int, ...] | tuple[Any, ...], (None,)),
    (Sequence[tuple[int, ...] | tuple[Any, ...]], [(None,)]),
    # A union called serializable though one member arrives as another:
    (str | bytes, b"abc"),
    (Ints | Point | None, Point(1, 2)),
    (Sequence[list[Any] | Sequence[Color]], ([Color.RED],)),
    (int | Level, Level.HIGH),
    # An abstract item inside a list or dict called lossy though every value survives:
    (list[Sequence[int]], [(1, 2)]),
    (list[Mapping[str, int]], [types.MappingProxyType({"a": 1})]),
    (dict[str, Sequence[str]], {"a": ("x",)}),
    (list[int | Sequence[int]], [1, (2, 3)]),
]


def with_regressions(test: Callable[..., None]) -> Callable[..., None]:
    for pair in REGRESSIONS:
        test = example(pair=pair)(test)
    return test


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@with_regressions
@given(pair=annotated_values())
def test_verdict_matches_the_round_trip(pair: tuple[Any, Any]) -> None:
    annotation, value = pair
    verdict = classify(annotation)
    if has_invalid_utf8(value):
        with pytest.raises(Unserializable):
            round_trip(value)
        return
    match verdict:
        case Serializable():
            assert survives(annotation, value), (annotation, value, outcome(value))
        case Lossy(image=image):
            arrived = round_trip(value)
            assert conforms(arrived, image), (annotation, value, arrived, image)
            losing = [w for w in witnesses(annotation) if not survives(annotation, w)]
            assert losing, f"{annotation} is called lossy but every witness survives"
        case NotSerializable():
            raising = [w for w in witnesses(annotation) if raises(w)]
            assert raising, f"{annotation} is called not serializable but Django takes it"
        case Unknown():
            pass
        case _:
            raise AssertionError(f"classify returned {verdict!r}")


def outcome(value: object) -> object:
    """The image, or the refusal, for an assertion message."""
    try:
        return round_trip(value)
    except Unserializable as refusal:
        return refusal


def raises(value: object) -> bool:
    try:
        round_trip(value)
    except Unserializable:
        return True
    return False


def task_function_taking(annotation: Any) -> Callable[[Any], None]:
    def task_function(value: Any) -> None:
        del value

    task_function.__annotations__ = {"value": annotation, "return": None}
    return task_function


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@with_regressions
@given(pair=annotated_values())
def test_validation_accepts_exactly_what_arrives_as_declared(pair: tuple[Any, Any]) -> None:
    annotation, value = pair
    try:
        arrives_as_declared = conforms(round_trip(value), annotation)
    except Unserializable:
        arrives_as_declared = False
    function = task_function_taking(annotation)
    try:
        validate_arguments(function, (value,), {}, task_name="probe", takes_context=False)
    except TaskArgumentError:
        accepted = False
    else:
        accepted = True
    assert accepted == arrives_as_declared, (annotation, value)


@pytest.mark.parametrize("annotation", LEAF_ANNOTATIONS, ids=repr)
def test_every_leaf_has_a_verdict_and_values(annotation: Any) -> None:
    assert isinstance(classify(annotation), Serializable | Lossy | NotSerializable | Unknown)
    assert witnesses(annotation)


def test_conforms_reads_parametrized_types() -> None:
    assert conforms([1, 2], list[int])
    assert not conforms([1, "a"], list[int])
    assert conforms((1, "a"), tuple[int, str])
    assert not conforms([1, "a"], tuple[int, str])
    assert conforms({"1": "a"}, dict[str, str])
    assert not conforms({"1": "a"}, dict[int, str])
    assert conforms(None, int | None)
    assert conforms({"name": "n", "items": []}, Payload)
    assert not conforms({"name": "n"}, Payload)
    assert conforms(Point(1, 2), Point)
    assert not conforms([1, 2], Point)
    assert not conforms("red", Color)
    assert conforms([None, [1.5, {"a": True}]], Json)
    assert not conforms(Color.RED, Literal["red"])


def test_same_data_tells_apart_what_the_annotation_tells_apart() -> None:
    assert carries_same_data(Sequence[int], [1, 2], (1, 2))
    assert not carries_same_data(list[int] | tuple[int, int], [1, 2], (1, 2))
    assert not carries_same_data(dict[int | str, str], {"1": "a"}, {1: "a"})
    assert carries_same_data(float, math.nan, math.nan)


# --- Hostile values: validation decides, Django agrees, nothing else escapes ------------


class RaisingEq(str):
    def __eq__(self, other: object) -> bool:
        raise RuntimeError("__eq__ raised")

    __hash__ = str.__hash__


class RaisingSequence(Sequence[int]):
    def __getitem__(self, index: Any) -> Any:
        raise RuntimeError("__getitem__ raised")

    def __len__(self) -> int:
        return 2

    def __iter__(self) -> Iterator[int]:
        raise RuntimeError("__iter__ raised")


class RaisingMapping(Mapping[str, int]):
    def __getitem__(self, key: str) -> int:
        raise RuntimeError("__getitem__ raised")

    def __len__(self) -> int:
        return 1

    def __iter__(self) -> Iterator[str]:
        raise RuntimeError("__iter__ raised")


def cyclic_list() -> list[Any]:
    cycle: list[Any] = [1]
    cycle.append(cycle)
    return cycle


def cyclic_dict() -> dict[str, Any]:
    cycle: dict[str, Any] = {}
    cycle["self"] = [cycle]
    return cycle


def nested(depth: int, inner: Any) -> Any:
    for level in range(depth):
        inner = [inner] if level % 2 else {"k": inner}
    return inner


HOSTILE_LEAVES = st.sampled_from(
    [
        RaisingEq("a"),
        RaisingSequence(),
        RaisingMapping(),
        b"\xff\xfe",
        10**5000,
        math.nan,
        -math.inf,
        "\ud800",  # a lone surrogate: json.dumps escapes it, utf-8 cannot encode it
        None,
        "fine",
    ]
)
hostile_values = st.one_of(
    st.builds(nested, st.integers(0, 400), HOSTILE_LEAVES),
    st.builds(cyclic_list),
    st.builds(cyclic_dict),
    st.lists(HOSTILE_LEAVES, max_size=3),
    st.dictionaries(st.sampled_from(["a", 1, None, (1, 2)]), HOSTILE_LEAVES, max_size=3),
)
PERMISSIVE_ANNOTATIONS = [Any, object, Json, list[Any], dict[str, Any], Sequence[Any], list[int]]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=hostile_values, annotation=st.sampled_from(PERMISSIVE_ANNOTATIONS))
# found by this test: an undecodable bytes leaf exactly at the depth limit was let through
@example(value=nested(100, b"\xff\xfe"), annotation=Any)
def test_validation_decides_on_hostile_values_and_django_agrees(
    value: Any, annotation: Any
) -> None:
    """Accepted means Django serializes it; refused means a TaskArgumentError; never else."""
    function = task_function_taking(annotation)
    try:
        validate_arguments(function, (value,), {}, task_name="probe", takes_context=False)
    except TaskArgumentError:
        return
    round_trip(value)  # accepted: Django must not raise


# --- The plugin agrees with the runtime rule on generated annotations ------------------

# Classes the shared vectors' PRELUDE defines too, so a generated annotation can be spelled
# in a module that starts with it.
SPELLABLE_CLASSES: list[Any] = [
    *(int, float, str, bool, bytes, object, Color, Level, Shade, Point, Payload, Parcel, User),
    *(datetime, date, time, timedelta, Decimal, UUID, Path),
    *(deque, list, tuple, dict, set, frozenset, Sequence, Mapping),
]
SPELLABLE: dict[Any, str] = {cls: cls.__name__ for cls in SPELLABLE_CLASSES}
SPELLABLE.update({NONE_TYPE: "None", UserId: "UserId", Ints: "Ints", Pair: "Pair", Json: "Json"})


class Unspellable(Exception):
    """An annotation the PRELUDE cannot name."""


def spell(annotation: Any) -> str:
    """Source text for ``annotation`` in a module that starts with the vectors' PRELUDE."""
    if annotation is None:
        return "None"
    if annotation is Any:
        return "Any"
    origin, args = get_origin(annotation), get_args(annotation)
    if origin in UNION_ORIGINS:
        return " | ".join(map(spell, args))
    if origin is Literal:
        return f"Literal[{', '.join(map(spell_literal, args))}]"
    if origin is not None:
        spelled = ", ".join("..." if arg is Ellipsis else spell(arg) for arg in args)
        return f"{spell(origin)}[{spelled}]"
    try:
        return SPELLABLE[annotation]
    except (KeyError, TypeError):
        raise Unspellable(repr(annotation)) from None


def spell_literal(value: object) -> str:
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"
    return repr(value)


def spellable(annotation: Any) -> bool:
    try:
        spell(annotation)
    except Unspellable:
        return False
    return True


def plugin_verdicts(annotations: list[Any], workdir: Path) -> dict[int, str]:
    """The plugin's verdict on each annotation: "ok" (or unknown), "unserializable", or
    "lossy: <image>" with the image as it spells it."""
    tasks = [
        f"@task\ndef t{index}(p: {spell(annotation)}) -> None: ...\n"
        for index, annotation in enumerate(annotations)
    ]
    module = workdir / "generated_tasks.py"
    module.write_text("\n\n".join([PRELUDE, "from django.tasks import task\n", *tasks]))
    run = run_mypy([module], config="plugin", workdir=workdir, cache_dir=workdir / "cache")
    assert not run.crashed and run.exit_code in (0, 1), run.output
    verdicts = dict.fromkeys(range(len(annotations)), "ok")
    for line in run.output.splitlines():
        if "[task-param]" in line and (found := re.search(r'task "t(\d+)"', line)):
            lossy = re.search(r'arrives in the worker as "(.*)"', line)
            verdicts[int(found.group(1))] = (
                f"lossy: {lossy.group(1)}" if lossy else "unserializable"
            )
    return verdicts


def runtime_verdict(annotation: Any) -> str:
    """``classify``'s verdict, spelled as ``plugin_verdicts`` spells the plugin's."""
    match classify(annotation):
        case Lossy(image=image):
            return f"lossy: {describe(image)}"
        case NotSerializable():
            return "unserializable"
        case _:
            return "ok"


def mentions_json(annotation: Any) -> bool:
    return annotation is Json or any(map(mentions_json, get_args(annotation)))


def comparable(verdict: str, annotation: Any) -> str:
    """The verdict, less two known differences in how the sides spell an image (each pinned
    by a strict xfail test below): where ``Json`` is joined with other types the plugin
    expands it once, the runtime keeps its name; and the plugin says ``Any`` for ``object``
    (so the runtime's ``Any | object`` is the plugin's ``Any``)."""
    if mentions_json(annotation):
        return verdict.partition(":")[0]
    return re.sub(r"\bAny(?: \| Any\b)+", "Any", re.sub(r"\bobject\b", "Any", verdict))


@settings(
    max_examples=3,
    deadline=None,
    phases=[Phase.generate],  # no shrinking (a mypy run per step): every mismatch is listed
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(batch=st.lists(annotations.filter(spellable), min_size=80, max_size=80))
def test_the_plugin_gives_the_runtime_verdict(batch: list[Any], tmp_path: Path) -> None:
    said = plugin_verdicts(batch, tmp_path)
    mismatches = [
        (spell(annotation), runtime_verdict(annotation), said[index])
        for index, annotation in enumerate(batch)
        if comparable(runtime_verdict(annotation), annotation)
        != comparable(said[index], annotation)
    ]
    assert mismatches == [], "(annotation, runtime, plugin):\n" + "\n".join(map(str, mismatches))


def test_both_sides_name_a_recursive_alias_in_an_image(tmp_path: Path) -> None:
    annotation = deque[Json] | None
    assert plugin_verdicts([annotation], tmp_path)[0] == runtime_verdict(annotation)


@pytest.mark.xfail(strict=True, reason="image spelling: Json joined with others, object as Any")
@pytest.mark.parametrize("annotation", [tuple[Json | Ints, ...], tuple[object]], ids=repr)
def test_both_sides_spell_an_image_alike(annotation: Any, tmp_path: Path) -> None:
    assert plugin_verdicts([annotation], tmp_path)[0] == runtime_verdict(annotation)
