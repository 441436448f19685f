"""The shared rule vectors, run through the runtime rule (``typed_tasks.rule``).

The mypy plugin runs the same table; a vector the two sides disagree on, in verdict, image
or advice, fails one of them.
"""

import pytest

from tests.rule_vectors import PRELUDE, RETURN_VECTORS, VECTORS, Vector
from typed_tasks.rule import (
    Lossy,
    NotSerializable,
    Serializable,
    Unknown,
    Verdict,
    classify,
    classify_return,
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
    verdict = classify(eval(vector.annotation, prelude))

    assert VERDICT_NAMES[type(verdict)] == vector.verdict
    if isinstance(verdict, Lossy):
        assert describe(verdict.image) == vector.image
    if isinstance(verdict, NotSerializable):
        assert verdict.advice("p", "param") == vector.advice


@pytest.mark.parametrize("vector", RETURN_VECTORS, ids=[v.annotation for v in RETURN_VECTORS])
def test_return_vector(vector: Vector, prelude: dict[str, object]) -> None:
    verdict = classify_return(eval(vector.annotation, prelude))

    assert VERDICT_NAMES[type(verdict)] == vector.verdict
    if isinstance(verdict, NotSerializable):
        assert verdict.advice(None, "return") == vector.advice
