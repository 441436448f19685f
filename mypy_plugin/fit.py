"""Whether what arrives in the worker fits the declared type: ``fits(image, declared)``.

The worker's values are freshly built by ``json.loads``; nobody else holds a reference to
them, so mypy's invariance of ``list`` and ``dict`` (which protects aliases from writes)
does not apply. A ``list[list[int]]`` that arrives is a fine ``list[Sequence[int]]``:
containers compare covariantly. The runtime twin is ``typed_tasks.rule.fits``.
"""

from __future__ import annotations

from typing import Final

from mypy.maptype import map_instance_to_supertype
from mypy.subtypes import is_subtype
from mypy.types import AnyType, Instance, Type, TypedDictType, UnionType, get_proper_type

# The containers json.loads builds; only they are compared covariantly.
_FRESH_CONTAINERS: Final = frozenset({"builtins.list", "builtins.dict"})

# Deeper than this, only mypy's own subtyping decides.
_MAX_DEPTH: Final = 40


def fits(image: Type, declared: Type) -> bool:
    """Whether every value that arrives as ``image`` is an instance of ``declared``."""
    return _fits(image, declared, 0)


def _fits(image: Type, declared: Type, depth: int) -> bool:
    if is_subtype(image, declared):
        return True
    if depth > _MAX_DEPTH:
        return False
    depth += 1
    arrived = get_proper_type(image)
    expected = get_proper_type(declared)
    if isinstance(arrived, AnyType):
        return True
    if isinstance(arrived, UnionType):
        return all(_fits(item, declared, depth) for item in arrived.items)
    if isinstance(expected, UnionType):
        return any(_fits(image, item, depth) for item in expected.items)
    if isinstance(arrived, Instance) and isinstance(expected, Instance):
        return _container_fits(arrived, expected, depth)
    if isinstance(arrived, TypedDictType) and isinstance(expected, TypedDictType):
        return _typed_dict_fits(arrived, expected, depth)
    return False


def _container_fits(arrived: Instance, expected: Instance, depth: int) -> bool:
    """A list or dict fits any base class of list or dict whose arguments its own fit."""
    if arrived.type.fullname not in _FRESH_CONTAINERS or not arrived.type.has_base(
        expected.type.fullname
    ):
        return False
    mapped = map_instance_to_supertype(arrived, expected.type)
    if len(mapped.args) != len(expected.args):
        return False
    return all(_fits(a, e, depth) for a, e in zip(mapped.args, expected.args, strict=True))


def _typed_dict_fits(arrived: TypedDictType, expected: TypedDictType, depth: int) -> bool:
    """Field by field; a key the declared type requires must be required in what arrives."""
    for key, expected_value in expected.items.items():
        arrived_value = arrived.items.get(key)
        if arrived_value is None:
            return False
        if key in expected.required_keys and key not in arrived.required_keys:
            return False
        if not _fits(arrived_value, expected_value, depth):
            return False
    return True
