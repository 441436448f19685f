"""What the checks remember while mypy builds: bounded, and forgotten when a new build starts."""

from __future__ import annotations

from typing import Any, Final, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class BuildMemo(dict[K, V]):
    """A dict the checks fill as they go.

    Bounded: a long daemon run starts afresh past ``limit`` entries. Emptied by
    ``forget_build`` when a new build starts (a second ``mypy.api.run`` in one process makes
    a new plugin): the keys and values are one build's types, and hold its classes alive.
    """

    __slots__ = ("_limit",)

    def __init__(self, limit: int) -> None:
        super().__init__()
        self._limit = limit
        _MEMOS.append(self)

    def remember(self, key: K, value: V) -> V:
        if len(self) >= self._limit:
            self.clear()
        self[key] = value
        return value


_MEMOS: Final[list[BuildMemo[Any, Any]]] = []


def forget_build() -> None:
    for memo in _MEMOS:
        memo.clear()
