"""A parameter's JSON image, as the lock records it, reads back as the same image.

The lock is compared without the code that wrote it, so what it records must be the
rule's image itself: for every shared rule vector, the recorded image reads back as the
rule's image of the annotation (spelled the same) and fits itself.
"""

from __future__ import annotations

import json
import sys
from typing import Any, TypedDict

import pytest

from tests.rule_vectors import PRELUDE, VECTORS, Vector
from typed_tasks.rule import describe_node, fits, image, parse
from typed_tasks.signatures.images import ImageFormatError, decode, encode_annotation


@pytest.fixture(scope="module")
def prelude() -> dict[str, object]:
    namespace: dict[str, object] = {}
    exec(PRELUDE, namespace)
    return namespace


def recorded(annotation: object, side: Any = "new") -> Any:
    """The image as the lock stores it (through JSON text), read back and parsed."""
    stored = json.loads(json.dumps(encode_annotation(parse(annotation))))
    return parse(decode(stored, side))


@pytest.mark.parametrize("vector", VECTORS, ids=[v.annotation for v in VECTORS])
def test_the_recorded_image_is_the_rules_image(vector: Vector, prelude: dict[str, object]) -> None:
    annotation = eval(vector.annotation, prelude)
    stored = encode_annotation(parse(annotation))
    if vector.verdict == "unserializable":
        assert set(stored) == {"not_serializable"}
    elif vector.verdict == "unknown":
        assert set(stored) == {"any"}
    else:
        read_back = recorded(annotation)
        assert describe_node(read_back) == describe_node(image(parse(annotation)))
        assert fits(recorded(annotation, "old"), read_back)


class Tree(TypedDict):
    label: str
    children: list[Tree]
    where: tuple[float, float]


def test_a_recursive_typeddict_is_recorded_and_reads_back() -> None:
    stored = encode_annotation(parse(Tree))
    assert stored == {
        "typeddict": f"{__name__}.Tree",
        "required": {
            "label": "str",
            "children": {"list": {"alias": f"{__name__}.Tree"}},
            "where": {"list": "float"},
        },
        "optional": {},
    }
    old, new = recorded(Tree, "old"), recorded(Tree)
    assert fits(old, new)
    assert describe_node(new) == "Tree"


@pytest.mark.skipif(sys.version_info < (3, 12), reason="type statements need Python 3.12")
def test_a_recursive_alias_is_recorded_and_reads_back() -> None:
    from tests.pep695_aliases import Json, Nested

    assert fits(recorded(Json, "old"), recorded(Json))
    assert describe_node(recorded(Json)) == "Json"
    assert not fits(recorded(Json, "old"), recorded(Nested))
    assert fits(recorded(Nested, "old"), recorded(Json))


def test_an_unresolved_annotation_fits_only_itself() -> None:
    assert encode_annotation(parse("Missing")) == {"unresolved": "Missing"}
    assert fits(recorded("Missing", "old"), recorded("Missing"))
    assert not fits(recorded("Missing", "old"), recorded(int))
    assert not fits(recorded(int, "old"), recorded("Missing"))


def test_an_old_any_fits_only_a_new_any() -> None:
    assert fits(recorded(Any, "old"), recorded(Any))
    assert not fits(recorded(Any, "old"), recorded(int))
    assert fits(recorded(int, "old"), recorded(Any))
    assert not fits(recorded(list[Any], "old"), recorded(list[int]))


def test_nothing_queued_for_an_unserializable_parameter_can_fail() -> None:
    """No value of it can be enqueued (normalize_json raises), so none is queued."""
    assert fits(recorded(set[int], "old"), recorded(int))
    assert not fits(recorded(int, "old"), recorded(set[int]))


@pytest.mark.parametrize(
    "stored",
    ["integer", 3, {}, {"list": "integer"}, {"dict": ["str"]}, {"alias": "Loop"}, {"shape": 1}],
)
def test_a_malformed_image_is_refused(stored: object) -> None:
    with pytest.raises(ImageFormatError):
        decode(stored, "old")
