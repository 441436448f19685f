"""Shared vectors for the JSON-image rule (docs/design.md, "The one rule").

One table, run through both implementations of the rule: the runtime one
(``typed_tasks.rule.classify``) and the mypy plugin (a generated task module
checked by a real mypy run). A vector the two disagree on fails the suite.

Each vector names an annotation, written as source text that is valid both as a
runtime expression and as a mypy type in a module that starts with ``PRELUDE``.

* ``ok``: what the worker receives is what the parameter declares: the image fits
  the declared type (containers compare covariantly, as json.loads builds fresh
  ones) and every alternative of every union in it can arrive as itself.
* ``lossy``: it arrives as ``image`` (spelled as mypy spells types), which is
  not the declared type, or which never holds one of its alternatives.
* ``unserializable``: ``normalize_json`` or ``json.dumps`` raise.
* ``unknown``: the rule cannot judge (``Any``, ``object``); nothing is said.
"""

from dataclasses import dataclass
from typing import Literal

PRELUDE = """\
import enum
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, NamedTuple, NewType, Optional, TypedDict
from uuid import UUID

from django.contrib.auth.models import User
from django.db.models import QuerySet


class Color(str, enum.Enum):
    RED = "red"
    BLUE = "blue"


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


class Shade(enum.Enum):
    LIGHT = "light"


class Point(NamedTuple):
    x: int
    y: int


class Payload(TypedDict):
    name: str
    items: list[int]


@dataclass
class Parcel:
    weight: int


UserId = NewType("UserId", int)
Ids = NewType("Ids", Sequence[int])

type Ints = list[int]
type Pair = tuple[int, int]
type Json = None | bool | int | float | str | list[Json] | dict[str, Json]
"""

Verdict = Literal["ok", "lossy", "unserializable", "unknown"]


@dataclass(frozen=True)
class Vector:
    annotation: str
    verdict: Verdict
    image: str | None = None  # only for "lossy": the type the worker receives


VECTORS: tuple[Vector, ...] = (
    # Scalars and literals are their own image.
    Vector("int", "ok"),
    Vector("str", "ok"),
    Vector("float", "ok"),
    Vector("bool", "ok"),
    Vector("None", "ok"),
    Vector("Literal['a', 'b']", "ok"),
    Vector("Literal[1, 2, 3]", "ok"),
    # Containers that survive.
    Vector("list[int]", "ok"),
    Vector("list[str | None]", "ok"),
    Vector("dict[str, int]", "ok"),
    Vector("dict[str, list[dict[str, float]]]", "ok"),
    Vector("Sequence[int]", "ok"),
    Vector("Mapping[str, str]", "ok"),
    Vector("int | None", "ok"),
    Vector("Optional[str]", "ok"),
    Vector("Payload", "ok"),
    Vector("list[Payload]", "ok"),
    Vector("UserId", "ok"),
    Vector("list[UserId]", "ok"),
    Vector("Ints", "ok"),
    Vector("Json", "ok"),
    Vector("list[Any]", "ok"),
    Vector("dict[str, Any]", "ok"),
    # Unknown: say nothing.
    Vector("Any", "unknown"),
    Vector("object", "unknown"),
    # Lossy: arrives as something else.
    Vector("tuple[int, int]", "lossy", "list[int]"),
    Vector("tuple[int, ...]", "lossy", "list[int]"),
    Vector("tuple[int, str]", "lossy", "list[int | str]"),
    Vector("Point", "lossy", "list[int]"),
    Vector("Pair", "lossy", "list[int]"),
    Vector("dict[int, str]", "lossy", "dict[str, str]"),
    Vector("Color", "lossy", "str"),
    Vector("Level", "lossy", "int"),
    Vector("bytes", "lossy", "str"),
    Vector("deque[int]", "lossy", "list[int]"),
    Vector("list[tuple[int, int]]", "lossy", "list[list[int]]"),
    Vector("dict[str, tuple[str, ...]]", "lossy", "dict[str, list[str]]"),
    Vector("tuple[int, int] | None", "lossy", "list[int] | None"),
    Vector("Sequence[Color]", "lossy", "list[str]"),
    # Not serializable: Django raises at enqueue.
    Vector("datetime", "unserializable"),
    Vector("date", "unserializable"),
    Vector("time", "unserializable"),
    Vector("timedelta", "unserializable"),
    Vector("Decimal", "unserializable"),
    Vector("UUID", "unserializable"),
    Vector("Path", "unserializable"),
    Vector("set[int]", "unserializable"),
    Vector("frozenset[str]", "unserializable"),
    Vector("Parcel", "unserializable"),
    Vector("Shade", "unserializable"),
    Vector("User", "unserializable"),
    Vector("QuerySet[User]", "unserializable"),
    Vector("Callable[[], None]", "unserializable"),
    Vector("Iterator[int]", "unserializable"),
    Vector("dict[str, set[int]]", "unserializable"),
    Vector("list[datetime]", "unserializable"),
    Vector("int | datetime", "unserializable"),
    Vector("Optional[Decimal]", "unserializable"),
    Vector("Mapping[date, int]", "unserializable"),
    Vector("dict[tuple[int, int], str]", "unserializable"),
    # Appended with the mypy plugin: more classes, keys and literals.
    Vector("dict[Literal['a', 'b'], int]", "ok"),
    Vector("list[object]", "ok"),
    Vector("list[Json]", "ok"),
    Vector("Sequence[Payload]", "ok"),
    Vector("dict[str, Ints] | None", "ok"),
    Vector("range", "lossy", "list[int]"),
    Vector("bytearray", "lossy", "list[int]"),
    Vector("dict[bool, int]", "lossy", "dict[str, int]"),
    Vector("dict[None, int]", "lossy", "dict[str, int]"),
    Vector("dict[float, int]", "lossy", "dict[str, int]"),
    Vector("dict[Color, int]", "lossy", "dict[str, int]"),
    Vector("dict[Level, str]", "lossy", "dict[str, str]"),
    Vector("Mapping[UserId, str]", "lossy", "dict[str, str]"),
    Vector("Literal[Color.RED]", "lossy", "Literal['red']"),
    Vector("Literal[Level.LOW, 'x']", "lossy", "Literal[1, 'x']"),
    Vector("Literal[b'ab']", "lossy", "Literal['ab']"),
    Vector("dict[str, Point]", "lossy", "dict[str, list[int]]"),
    Vector("dict[str, Pair]", "lossy", "dict[str, list[int]]"),
    Vector("Pair | None", "lossy", "list[int] | None"),
    Vector("tuple[UserId, ...]", "lossy", "list[UserId]"),
    Vector("type[int]", "unserializable"),
    Vector("complex", "unserializable"),
    Vector("Callable[..., Any]", "unserializable"),
    Vector("dict[str, Shade]", "unserializable"),
    # Appended with the runtime rule: unions that keep NewTypes and literals, joins of
    # tuple items, lossy items of abstract containers (agreed by both rules).
    Vector("UserId | Sequence[int]", "ok"),
    Vector("Literal['a', 'b'] | Literal['c']", "ok"),
    Vector("dict[str, Payload] | None", "ok"),
    Vector("tuple[int, bool]", "lossy", "list[int]"),
    Vector("tuple[Color, Level]", "lossy", "list[str | int]"),
    Vector("Sequence[Pair]", "lossy", "list[list[int]]"),
    Vector("Mapping[str, bytes]", "lossy", "dict[str, str]"),
    Vector("list[Point] | None", "lossy", "list[list[int]] | None"),
    Vector("tuple[Payload, ...]", "lossy", "list[Payload]"),
    Vector("dict[str, Parcel] | None", "unserializable"),
    Vector("tuple[int, Decimal]", "unserializable"),
    # Fit, not invariant subtyping: what arrives is freshly built, so a list of lists is a
    # fine list of sequences (mypy's list and dict are invariant only to protect aliases).
    Vector("list[Sequence[int]]", "ok"),
    Vector("list[Mapping[str, int]]", "ok"),
    Vector("dict[str, Sequence[str]]", "ok"),
    Vector("list[int | Sequence[int]]", "ok"),
    Vector("Mapping[str, list[Sequence[float]]]", "ok"),
    Vector("Ids", "ok"),
    Vector("list[Ids] | None", "ok"),
    # Every declared alternative must be able to arrive: a member whose values arrive as
    # another member makes the union lossy, though its image fits the union as a whole.
    Vector("int | Level", "lossy", "int"),
    Vector("str | bytes", "lossy", "str"),
    Vector("Color | None", "lossy", "str | None"),
    Vector("list[int] | tuple[int, ...]", "lossy", "list[int]"),
    Vector("Ints | Point | None", "lossy", "list[int] | None"),
    Vector("list[Level] | list[int]", "lossy", "list[int]"),
    Vector("dict[str, int | Level]", "lossy", "dict[str, int]"),
    Vector("dict[int | str, str]", "lossy", "dict[str, str]"),
    Vector("Literal[Color.RED, 'red']", "lossy", "Literal['red']"),
    Vector("Sequence[str | Color] | None", "lossy", "list[str] | None"),
    # ...and the alternatives that do arrive as themselves.
    Vector("int | bool", "ok"),
    Vector("float | int", "ok"),
    Vector("UserId | int", "ok"),
    Vector("dict[Literal['a'] | str, int]", "ok"),
    # A recursive alias whose values arrive as declared keeps its name inside an image.
    Vector("deque[Json] | None", "lossy", "list[Json] | None"),
    Vector("tuple[Json, ...]", "lossy", "list[Json]"),
    # Awaitables are protocols to mypy, but a coroutine object is no JSON value.
    Vector("Awaitable[int]", "unserializable"),
    Vector("Coroutine[Any, Any, int]", "unserializable"),
    Vector("list[Awaitable[str]]", "unserializable"),
)

# Return annotations: judged as parameters, except that nothing checks a returned value the
# way a call site checks an argument, so a type that promises only iteration may be a
# generator, a set or a QuerySet, which the result store refuses (found by the realistic
# audit, docs/audit.md). Verdicts "ok" or "unserializable".
RETURN_VECTORS: tuple[Vector, ...] = (
    Vector("Iterable[int]", "unserializable"),
    Vector("Collection[str]", "unserializable"),
    Vector("Container[int]", "unserializable"),
    Vector("Reversible[int]", "unserializable"),
    Vector("list[Iterable[int]]", "unserializable"),
    Vector("dict[str, Collection[str]] | None", "unserializable"),
    Vector("Sequence[int]", "ok"),
    Vector("Mapping[str, Sequence[int]]", "ok"),
    Vector("list[int]", "ok"),
    Vector("Decimal", "unserializable"),
)
