"""The shared rule vectors, run through the runtime rule (``typed_tasks.rule.classify``).

The mypy plugin runs the same table; a vector the two sides disagree on fails one of them.
"""

import pytest

from tests.rule_vectors import PRELUDE, VECTORS, Vector
from typed_tasks.rule import (
    Lossy,
    NotSerializable,
    Serializable,
    Unknown,
    Verdict,
    classify,
    describe,
)

VERDICT_NAMES: dict[type[Verdict], str] = {
    Serializable: "ok",
    Lossy: "lossy",
    NotSerializable: "unserializable",
    Unknown: "unknown",
}


@pytest.fixture(scope="module")
def prelude() -> dict[str, object]:
    namespace: dict[str, object] = {}
    exec(PRELUDE, namespace)
    return namespace


@pytest.mark.parametrize("vector", VECTORS, ids=[v.annotation for v in VECTORS])
def test_vector(vector: Vector, prelude: dict[str, object]) -> None:
    annotation = eval(vector.annotation, prelude)

    verdict = classify(annotation)

    assert VERDICT_NAMES[type(verdict)] == vector.verdict
    if isinstance(verdict, Lossy):
        assert describe(verdict.image) == vector.image
    if isinstance(verdict, NotSerializable):
        assert verdict.reason and verdict.hint
