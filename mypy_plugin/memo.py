"""What the checks remember while mypy builds: bounded, and forgotten when a new build starts."""

from __future__ import annotations

from typing import Any, Final, Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class BuildMemo(Generic[K, V]):
    """A dict the checks fill as they go.

    Bounded: a long daemon run starts afresh past ``limit`` entries. Emptied by
    ``forget_build`` when a new build starts (a second ``mypy.api.run`` in one process makes
    a new plugin): the keys and values are one build's types, and hold its classes alive.

    It holds its dict rather than being one: compiled, a call of a method of a class of
    ours is a direct call, where a method of a ``dict`` subclass is looked up by name on
    every call.
    """

    __slots__ = ("_entries", "_limit")

    def __init__(self, limit: int) -> None:
        self._entries: dict[K, V] = {}
        self._limit = limit
        _MEMOS.append(self)

    def get(self, key: K, default: V | None = None) -> V | None:
        return self._entries.get(key, default)

    def __contains__(self, key: K) -> bool:
        return key in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def remember(self, key: K, value: V) -> V:
        entries = self._entries
        if len(entries) >= self._limit:
            entries.clear()
        entries[key] = value
        return value

    def entries(self) -> dict[K, V]:
        """A copy of what is remembered."""
        return dict(self._entries)

    def clear(self) -> None:
        self._entries.clear()


_MEMOS: Final[list[BuildMemo[Any, Any]]] = []


def forget_build() -> None:
    for memo in _MEMOS:
        memo.clear()
