"""A task function's annotations, resolved once, the same way for every check.

The system check (``checks``), strict validation at enqueue (``validation``) and the
signature lock all judge what this returns, so a task is judged alike by each.
Annotations are resolved as ``typing.get_type_hints`` resolves them (string annotations
evaluated in the function's module, ``Annotated`` kept). One that cannot be resolved (a
name the module does not define, an import under ``TYPE_CHECKING``) becomes a
``typing.ForwardRef`` of its text, which the rule judges as unknown: nothing is reported
at the definition, and at enqueue only serializability is checked.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from types import SimpleNamespace


def resolve_annotations(func: Callable[..., object]) -> dict[str, object]:
    """Parameter name (and ``"return"``) -> the resolved annotation; unannotated names are
    absent."""
    try:
        return typing.get_type_hints(func, include_extras=True)
    except Exception:
        pass
    raw: dict[str, object] = dict(getattr(func, "__annotations__", {}) or {})
    namespace = getattr(inspect.unwrap(func), "__globals__", {})
    resolved: dict[str, object] = {}
    for name, annotation in raw.items():
        single = SimpleNamespace(__annotations__={name: annotation}, __globals__=namespace)
        try:
            resolved.update(typing.get_type_hints(single, include_extras=True))
        except Exception:
            resolved[name] = _unresolved(annotation)
    return resolved


def _unresolved(annotation: object) -> object:
    text = annotation if isinstance(annotation, str) else repr(annotation)
    try:
        return typing.ForwardRef(text)
    except SyntaxError:  # not an expression at all: unknown all the same
        return typing.Any
