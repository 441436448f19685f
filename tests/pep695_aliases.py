"""PEP 695 ``type`` aliases judged by the rule tests: imported on Python 3.12+ only."""

import enum
from collections.abc import Sequence


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


type Json = bool | int | float | str | list[Json] | dict[str, Json] | None
type Nested = int | list[Nested]
type Chain = tuple[int, Chain] | None
type ListOf[T] = list[T]
type Swapped[K, V] = dict[V, K]
type Mixed = int | Level
type Grid = list[Sequence[Grid] | int]
type Ints = list[int]
type Pair = tuple[int, int]
