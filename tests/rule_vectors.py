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
* ``unserializable``: ``normalize_json`` or ``json.dumps`` raise; ``advice`` is what both
  sides tell the user to do instead, for a parameter named ``p`` (the plugin's note, the
  system check's hint), or for a return value in ``RETURN_VECTORS``.
* ``unknown``: the rule cannot judge (``Any``, ``object``); nothing is said.

The vectors that use PEP 695 aliases (``Ints``, ``Pair``, ``Json``) need Python 3.12;
``VECTORS`` leaves them out before.
"""

import re
import sys
from dataclasses import dataclass
from typing import Literal

PRELUDE = """\
import enum
from collections import deque
from collections.abc import Awaitable, Callable, Collection, Container, Coroutine, Iterable
from collections.abc import Iterator, Mapping, Reversible, Sequence
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
"""

PEP695 = sys.version_info >= (3, 12)
ALIASES = """
type Ints = list[int]
type Pair = tuple[int, int]
type Json = None | bool | int | float | str | list[Json] | dict[str, Json]
"""
if PEP695:
    PRELUDE += ALIASES

Verdict = Literal["ok", "lossy", "unserializable", "unknown"]


@dataclass(frozen=True)
class Vector:
    annotation: str
    verdict: Verdict
    image: str | None = None  # only for "lossy": the type the worker receives
    advice: str | None = None  # only for "unserializable": what to do instead

    @property
    def available(self) -> bool:
        """Whether this Python can spell the annotation (PEP 695 aliases need 3.12)."""
        return PEP695 or not re.search(r"\b(Ints|Pair|Json)\b", self.annotation)


ALL_VECTORS: tuple[Vector, ...] = (
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
    Vector(
        "datetime",
        "unserializable",
        advice="pass p.isoformat() and parse it in the task",
    ),
    Vector(
        "date",
        "unserializable",
        advice="pass p.isoformat() and parse it in the task",
    ),
    Vector(
        "time",
        "unserializable",
        advice="pass p.isoformat() and parse it in the task",
    ),
    Vector(
        "timedelta",
        "unserializable",
        advice="pass p.total_seconds() and rebuild it with timedelta(seconds=...) in the task",
    ),
    Vector(
        "Decimal",
        "unserializable",
        advice="pass str(p) and convert it back with Decimal(...) in the task",
    ),
    Vector(
        "UUID",
        "unserializable",
        advice="pass str(p) and convert it back with UUID(...) in the task",
    ),
    Vector(
        "Path",
        "unserializable",
        advice="pass str(p) and convert it back with Path(...) in the task",
    ),
    Vector(
        "set[int]",
        "unserializable",
        advice="pass list(p) and annotate the parameter as a list",
    ),
    Vector(
        "frozenset[str]",
        "unserializable",
        advice="pass list(p) and annotate the parameter as a list",
    ),
    Vector(
        "Parcel",
        "unserializable",
        advice="pass dataclasses.asdict(p) and annotate the parameter as a TypedDict",
    ),
    Vector(
        "Shade",
        "unserializable",
        advice=(
            "pass p.value and convert it back in the task, or derive the enum from "
            "StrEnum or IntEnum"
        ),
    ),
    Vector(
        "User",
        "unserializable",
        advice="pass p.pk and load it in the task",
    ),
    Vector(
        "QuerySet[User]",
        "unserializable",
        advice="pass a list of primary keys and query them in the task",
    ),
    Vector(
        "Callable[[], None]",
        "unserializable",
        advice="pass the function's dotted path as a str and import it in the task",
    ),
    Vector(
        "Iterator[int]",
        "unserializable",
        advice="pass list(p) and annotate the parameter as a list",
    ),
    Vector(
        "dict[str, set[int]]",
        "unserializable",
        advice='"set[int]" in it is not JSON-serializable; use a list instead',
    ),
    Vector(
        "list[datetime]",
        "unserializable",
        advice=(
            '"datetime" in it is not JSON-serializable; use an ISO 8601 string '
            "(.isoformat()) instead"
        ),
    ),
    Vector(
        "int | datetime",
        "unserializable",
        advice=(
            '"datetime" in it is not JSON-serializable; use an ISO 8601 string '
            "(.isoformat()) instead"
        ),
    ),
    Vector(
        "Optional[Decimal]",
        "unserializable",
        advice='"Decimal" in it is not JSON-serializable; use a str instead',
    ),
    Vector(
        "Mapping[date, int]",
        "unserializable",
        advice=(
            'dict keys of type "date" are not JSON-serializable; use str, int, '
            "float, bool or None keys"
        ),
    ),
    Vector(
        "dict[tuple[int, int], str]",
        "unserializable",
        advice=(
            'dict keys of type "tuple[int, int]" are not JSON-serializable; use '
            "str, int, float, bool or None keys"
        ),
    ),
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
    Vector(
        "type[int]",
        "unserializable",
        advice="pass the class's dotted path as a str and import it in the task",
    ),
    Vector(
        "complex",
        "unserializable",
        advice="pass [p.real, p.imag] and rebuild it with complex(*...) in the task",
    ),
    Vector(
        "Callable[..., Any]",
        "unserializable",
        advice="pass the function's dotted path as a str and import it in the task",
    ),
    Vector(
        "dict[str, Shade]",
        "unserializable",
        advice=(
            '"Shade" in it is not JSON-serializable; use its .value, or an enum '
            "derived from StrEnum or IntEnum instead"
        ),
    ),
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
    Vector(
        "dict[str, Parcel] | None",
        "unserializable",
        advice=(
            '"Parcel" in it is not JSON-serializable; use a TypedDict '
            "(dataclasses.asdict()) instead"
        ),
    ),
    Vector(
        "tuple[int, Decimal]",
        "unserializable",
        advice='"Decimal" in it is not JSON-serializable; use a str instead',
    ),
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
    Vector(
        "Awaitable[int]",
        "unserializable",
        advice="pass the awaited result instead",
    ),
    Vector(
        "Coroutine[Any, Any, int]",
        "unserializable",
        advice="pass the awaited result instead",
    ),
    Vector(
        "list[Awaitable[str]]",
        "unserializable",
        advice='"Awaitable[str]" in it is not JSON-serializable; use the awaited result instead',
    ),
)

# Return annotations: judged as parameters, except that nothing checks a returned value the
# way a call site checks an argument, so a type that promises only iteration may be a
# generator, a set or a QuerySet, which the result store refuses (found by the realistic
# audit, docs/audit.md). Verdicts "ok" or "unserializable".
ALL_RETURN_VECTORS: tuple[Vector, ...] = (
    Vector(
        "Iterable[int]",
        "unserializable",
        advice="return a list instead",
    ),
    Vector(
        "Collection[str]",
        "unserializable",
        advice="return a list instead",
    ),
    Vector(
        "Container[int]",
        "unserializable",
        advice="return a list instead",
    ),
    Vector(
        "Reversible[int]",
        "unserializable",
        advice="return a list instead",
    ),
    Vector(
        "list[Iterable[int]]",
        "unserializable",
        advice='"Iterable[int]" in it is not JSON-serializable; use a list instead',
    ),
    Vector(
        "dict[str, Collection[str]] | None",
        "unserializable",
        advice='"Collection[str]" in it is not JSON-serializable; use a list instead',
    ),
    Vector("Sequence[int]", "ok"),
    Vector("Mapping[str, Sequence[int]]", "ok"),
    Vector("list[int]", "ok"),
    Vector(
        "Decimal",
        "unserializable",
        advice="return a str instead",
    ),
)

VECTORS = tuple(vector for vector in ALL_VECTORS if vector.available)
RETURN_VECTORS = tuple(vector for vector in ALL_RETURN_VECTORS if vector.available)
