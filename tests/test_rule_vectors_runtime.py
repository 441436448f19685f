"""The shared rule vectors, run through the runtime rule (``typed_tasks.rule``).

The mypy plugin runs the same table; a vector the two sides disagree on, in verdict, image
or advice, fails one of them.
"""

import re
import sys

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


# The prelude's ``type`` statements are Python 3.12+ syntax: before 3.12 they are left out,
# and so are the vectors that use the aliases they define.
TYPE_STATEMENT = re.compile(r"^type (\w+) = .*$", re.MULTILINE)
PEP695_ALIASES = TYPE_STATEMENT.findall(PRELUDE)


def runnable_prelude() -> str:
    return PRELUDE if sys.version_info >= (3, 12) else TYPE_STATEMENT.sub("", PRELUDE)


def uses_pep695_alias(vector: Vector) -> bool:
    return any(re.search(rf"\b{alias}\b", vector.annotation) for alias in PEP695_ALIASES)


@pytest.fixture(scope="module")
def prelude() -> dict[str, object]:
    namespace: dict[str, object] = {}
    exec(runnable_prelude(), namespace)
    return namespace


@pytest.mark.parametrize("vector", VECTORS, ids=[v.annotation for v in VECTORS])
def test_vector(vector: Vector, prelude: dict[str, object]) -> None:
    if sys.version_info < (3, 12) and uses_pep695_alias(vector):
        pytest.skip("type statements need Python 3.12")
    verdict = classify(eval(vector.annotation, prelude))

    assert VERDICT_NAMES[type(verdict)] == vector.verdict
    if isinstance(verdict, Lossy):
        assert describe(verdict.image) == vector.image
    if isinstance(verdict, NotSerializable):
        assert verdict.advice("p", "param") == vector.advice


@pytest.mark.parametrize("vector", RETURN_VECTORS, ids=[v.annotation for v in RETURN_VECTORS])
def test_return_vector(vector: Vector, prelude: dict[str, object]) -> None:
    if sys.version_info < (3, 12) and uses_pep695_alias(vector):
        pytest.skip("type statements need Python 3.12")
    verdict = classify_return(eval(vector.annotation, prelude))

    assert VERDICT_NAMES[type(verdict)] == vector.verdict
    if isinstance(verdict, NotSerializable):
        assert verdict.advice(None, "return") == vector.advice
