"""The runtime JSON-image rule beyond the shared vectors: the annotation forms users write."""

from __future__ import annotations

import collections
import enum
import sys
import typing
from collections.abc import Iterable, Mapping, MutableMapping, MutableSequence, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal, NamedTuple, NewType, TypeVar

import pytest
import typing_extensions
from typing_extensions import NotRequired, Required, TypedDict, Unpack

from typed_tasks.rule import (
    Lossy,
    NotSerializable,
    Serializable,
    Unknown,
    Verdict,
    classify,
    describe,
    fits,
    is_subtype,
    parse,
)

if sys.version_info >= (3, 11):

    class Color(enum.StrEnum):
        RED = "red"

else:  # enum.StrEnum is Python 3.11+: the str mix-in is the same case there

    class Color(str, enum.Enum):
        RED = "red"


class Mood(str, enum.Enum):
    GLAD = "glad"


class Level(enum.IntEnum):
    LOW = 1


class Perm(enum.IntFlag):
    READ = 1


class Ratio(float, enum.Enum):
    HALF = 0.5


class Shade(enum.Enum):
    LIGHT = "light"


class Flags(enum.Flag):
    ON = 1


class Partial(TypedDict, total=False):
    name: str
    pair: Required[tuple[int, int]]


class Loose(TypedDict, total=False):
    name: str
    size: int


class Tree(TypedDict):
    value: int
    children: list[Tree]


class Boxed(TypedDict):
    pair: tuple[int, int]
    note: NotRequired[str]


class Labelled(NamedTuple):
    label: str
    weight: float


@dataclass
class Parcel:
    weight: int


class Rows(TypedDict):
    rows: list[Sequence[int]]
    by_name: dict[str, Mapping[str, int]]


class Tagged(TypedDict):
    level: int | Level


class Name(str):
    pass


UserId = NewType("UserId", int)
Ids = NewType("Ids", Sequence[int])
Coords = NewType("Coords", tuple[int, int])
Bounded = TypeVar("Bounded", bound=tuple[int, int])
Constrained = TypeVar("Constrained", int, str)
Free = TypeVar("Free")

# PEP 695 aliases (Python 3.12+): their tests are skipped before, their cases left out.
PEP695 = sys.version_info >= (3, 12)
if PEP695:
    from tests.pep695_aliases import Chain, Grid, Json, ListOf, Mixed, Nested, Swapped
needs_pep695 = pytest.mark.skipif(not PEP695, reason="type statements need Python 3.12")


def lossy_image(annotation: object) -> str:
    verdict = classify(annotation)
    assert isinstance(verdict, Lossy), verdict
    return describe(verdict.image)


def kind(verdict: Verdict) -> str:
    return type(verdict).__name__


# -- typing forms that are transparent -------------------------------------------------------


def test_annotated_is_transparent() -> None:
    assert classify(Annotated[int, "doc"]) == Serializable(Annotated[int, "doc"])
    assert lossy_image(Annotated[tuple[int, int], "doc"]) == "list[int]"
    assert describe(Annotated[list[int], "doc"]) == "list[int]"
    assert lossy_image(list[Annotated[tuple[int, ...], 1]]) == "list[list[int]]"


def test_newtype_is_transparent_and_keeps_its_name() -> None:
    assert kind(classify(UserId)) == "Serializable"
    assert describe(list[UserId]) == "list[UserId]"
    assert lossy_image(tuple[UserId, ...]) == "list[UserId]"
    assert lossy_image(Coords) == "list[int]"


def test_typevars_use_their_bound_or_constraints_else_unknown() -> None:
    assert lossy_image(Bounded) == "list[int]"
    assert kind(classify(Constrained)) == "Serializable"
    assert classify(Free) == Unknown(Free)
    assert kind(classify(list[Free])) == "Serializable"  # like list[Any]


# -- aliases ---------------------------------------------------------------------------------


@needs_pep695
def test_recursive_aliases_terminate_and_keep_their_name() -> None:
    assert kind(classify(Json)) == "Serializable"
    assert kind(classify(Nested)) == "Serializable"
    assert describe(Json) == "Json"
    assert describe(dict[str, Json]) == "dict[str, Json]"


@needs_pep695
def test_a_lossy_recursive_alias_is_lossy() -> None:
    verdict = classify(Chain)
    assert isinstance(verdict, Lossy)


@needs_pep695
def test_generic_aliases_substitute_their_arguments_by_name() -> None:
    assert kind(classify(ListOf[int])) == "Serializable"
    assert lossy_image(ListOf[tuple[int, int]]) == "list[list[int]]"
    assert kind(classify(Swapped[int, str])) == "Serializable"  # dict[str, int]
    assert lossy_image(Swapped[str, int]) == "dict[str, str]"  # dict[int, str]


# -- TypedDict and NamedTuple ----------------------------------------------------------------


def test_typed_dict_total_false_keeps_which_keys_are_required() -> None:
    assert kind(classify(Loose)) == "Serializable"
    assert lossy_image(Partial) == "TypedDict({'name'?: str, 'pair': list[int]})"
    assert lossy_image(Boxed) == "TypedDict({'pair': list[int], 'note'?: str})"


def test_recursive_typed_dict() -> None:
    assert kind(classify(Tree)) == "Serializable"
    assert kind(classify(list[Tree])) == "Serializable"


def test_typed_dict_fits_mapping_of_str_to_object() -> None:
    assert kind(classify(Sequence[Loose])) == "Serializable"


def test_named_tuple_arrives_as_a_list_of_its_field_images() -> None:
    assert lossy_image(Labelled) == "list[str | float]"
    assert describe(Labelled) == "Labelled"


# -- string annotations ------------------------------------------------------------------------


def test_string_annotations_resolved_by_get_type_hints() -> None:
    # This module uses `from __future__ import annotations`: every annotation is a string.
    def task_function(when: datetime, tree: Tree, ids: list[UserId]) -> None:
        del when, tree, ids

    assert task_function.__annotations__["when"] == "datetime"
    hints = typing.get_type_hints(task_function, include_extras=True)
    assert kind(classify(hints["when"])) == "NotSerializable"
    assert kind(classify(hints["tree"])) == "Serializable"
    assert kind(classify(hints["ids"])) == "Serializable"


def test_unresolvable_names_are_unknown() -> None:
    assert classify("Missing") == Unknown("Missing")
    assert classify(typing.ForwardRef("Missing")) == Unknown(typing.ForwardRef("Missing"))
    missing = "Missing"  # a name no namespace defines
    assert kind(classify(list[missing])) == "Unknown"
    assert kind(classify(dict[str, missing])) == "Unknown"
    assert describe(list[missing]) == "list[Missing]"


# -- enums -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("annotation", "arrives_as"),
    [(Color, "str"), (Mood, "str"), (Level, "int"), (Perm, "int"), (Ratio, "float")],
    ids=["StrEnum", "str-mixin", "IntEnum", "IntFlag", "float-mixin"],
)
def test_enums_with_a_value_type_arrive_as_that_type(annotation: object, arrives_as: str) -> None:
    assert lossy_image(annotation) == arrives_as


@pytest.mark.parametrize("annotation", [Shade, Flags, list[Shade], dict[Shade, int]])
def test_plain_enums_are_not_serializable_with_a_value_hint(annotation: object) -> None:
    verdict = classify(annotation)
    assert isinstance(verdict, NotSerializable)
    assert "is an Enum, which is not JSON-serializable" in verdict.reason
    assert ".value" in verdict.hint


def test_enum_literals_arrive_as_their_values() -> None:
    assert lossy_image(Literal[Color.RED]) == "Literal['red']"
    assert lossy_image(Literal[Level.LOW, "x"]) == "Literal[1, 'x']"
    assert kind(classify(Literal[Shade.LIGHT])) == "NotSerializable"


def test_enum_keys_arrive_as_str() -> None:
    assert lossy_image(dict[Level, int]) == "dict[str, int]"


# -- the rest of the table -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("annotation", "arrives_as"),
    [
        (Name, "str"),
        (collections.OrderedDict[str, int], "dict[str, int]"),
        (collections.defaultdict[int, list[int]], "dict[str, list[int]]"),
        (collections.Counter[str], "dict[str, int]"),
        (Mapping[Literal[1], str], "dict[str, str]"),
        (tuple[int, bool], "list[int]"),
        (tuple[()], "list[Never]"),
        (Literal[b"ab"], "Literal['ab']"),
    ],
)
def test_lossy_images(annotation: object, arrives_as: str) -> None:
    assert lossy_image(annotation) == arrives_as


@pytest.mark.parametrize(
    ("annotation", "hint"),
    [
        (Parcel, "dataclasses.asdict(value)"),
        (datetime, "value.isoformat()"),
        (type[int], "the class's dotted path as a str"),
        (Literal[b"\xff"], "base64"),
        (dict[frozenset[int], str], "use str, int, float, bool or None keys"),
        (typing.Iterator[int], "list(value)"),
    ],
)
def test_not_serializable_names_what_to_pass_instead(annotation: object, hint: str) -> None:
    verdict = classify(annotation)
    assert isinstance(verdict, NotSerializable)
    assert hint in verdict.hint


def test_model_instances_are_passed_by_primary_key() -> None:
    from django.contrib.auth.models import User

    verdict = classify(User | None)
    assert verdict == NotSerializable(
        User | None, "User is not JSON-serializable", "model", "User", whole=False
    )
    assert verdict.advice("user", "param") == (
        '"User" in it is not JSON-serializable; use its primary key (.pk) instead'
    )
    whole = classify(User)
    assert isinstance(whole, NotSerializable)
    assert whole.advice("user", "param") == "pass user.pk and load it in the task"


def test_iterable_only_annotations_accept_the_list_that_arrives() -> None:
    assert kind(classify(Iterable[int])) == "Serializable"


def test_unknown_forms_say_nothing() -> None:
    assert kind(classify(Any)) == "Unknown"
    assert kind(classify(object)) == "Unknown"
    assert kind(classify(typing_extensions.Self)) == "Unknown"


def test_unpacked_kwargs_are_judged_by_the_caller_not_here() -> None:
    assert kind(classify(Unpack[Loose])) == "Unknown"


# -- describe: mypy's spelling ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("annotation", "spelled"),
    [
        (typing.Optional[int], "int | None"),  # noqa: UP045
        (None | int | str, "int | str | None"),
        (typing.Union[Literal["a"], None, Literal["b"]], "Literal['a', 'b'] | None"),  # noqa: UP007
        (Literal["a"] | int, "Literal['a'] | int"),
        (tuple[int, ...], "tuple[int, ...]"),
        (typing.Callable[[int], str], "Callable[[int], str]"),
        (typing.Callable[..., None], "Callable[..., None]"),
        (collections.Counter[str], "Counter[str]"),
        (typing.List[typing.Dict[str, int]], "list[dict[str, int]]"),  # noqa: UP006
        (Literal[Color.RED], "Literal[Color.RED]"),
        (typing_extensions.Never, "Never"),
        (range, "range"),
    ],
)
def test_describe_spells_as_mypy(annotation: object, spelled: str) -> None:
    assert describe(annotation) == spelled


def test_literal_true_is_not_literal_one() -> None:
    assert kind(classify(dict[str, Literal[True]])) == "Serializable"
    assert describe(Literal[1] | Literal[True]) == "Literal[1, True]"


def test_a_typed_dict_with_an_unresolvable_name_is_unknown() -> None:
    namespace: dict[str, object] = {}
    exec(
        "from typing import TypedDict\nclass Ghostly(TypedDict):\n    ghost: 'Missing'\n",
        namespace,
    )
    assert kind(classify(namespace["Ghostly"])) == "Unknown"


def test_unions_keep_newtypes_and_split_literals() -> None:
    assert kind(classify(UserId | Sequence[int])) == "Serializable"
    assert kind(classify(Literal["a", "b"] | Literal["c"])) == "Serializable"
    assert kind(classify(Constrained | None)) == "Serializable"


def test_any_inside_a_union_image_does_not_swallow_precise_members() -> None:
    assert lossy_image(tuple[list[int], list[Any]]) == "list[list[int] | list[Any]]"


# -- fit: what arrives is fresh, so containers compare covariantly ------------------------------


def test_a_fresh_list_of_lists_fits_a_list_of_sequences_though_it_is_no_subtype() -> None:
    arrives, declared = parse(list[list[int]]), parse(list[Sequence[int]])
    assert fits(arrives, declared)
    assert not is_subtype(arrives, declared)  # mypy's list is invariant: aliases could write


@pytest.mark.parametrize(
    "annotation",
    [
        MutableSequence[Sequence[int]],
        dict[str, MutableMapping[str, Sequence[float]]],
        list[Iterable[int]],
        Rows,
        list[Rows],
        Ids,
        *([Grid] if PEP695 else []),
    ],
    ids=repr,
)
def test_abstract_items_of_concrete_containers_are_serializable(annotation: object) -> None:
    assert kind(classify(annotation)) == "Serializable"


def test_fit_still_looks_at_every_item() -> None:
    assert lossy_image(list[Sequence[bytes]]) == "list[list[str]]"
    assert lossy_image(dict[str, Sequence[Level]]) == "dict[str, list[int]]"
    assert not fits(parse(list[str]), parse(list[Sequence[int]]))


# -- every declared alternative must be able to arrive ------------------------------------------


@pytest.mark.parametrize(
    ("annotation", "arrives_as"),
    [
        (typing.Optional[Level], "int | None"),  # noqa: UP045
        (Literal[Level.LOW] | int, "int"),
        *(
            [(Mixed, "int"), (list[Mixed], "list[int]")]  # the alias does not keep its name
            if PEP695
            else []
        ),
        (Tagged, "TypedDict({'level': int})"),
        (Mapping[Literal[1] | str, int], "dict[str, int]"),
        (Sequence[str] | bytes, "list[str] | str"),
    ],
    ids=repr,
)
def test_a_union_member_that_arrives_as_another_is_lossy(
    annotation: object, arrives_as: str
) -> None:
    assert lossy_image(annotation) == arrives_as


@pytest.mark.parametrize(
    "annotation",
    [
        int | bool,
        float | int,
        *([Json, dict[str, Json] | None] if PEP695 else []),
        Constrained | None,
        UserId | None,
    ],
    ids=repr,
)
def test_union_members_that_each_arrive_as_themselves_are_serializable(
    annotation: object,
) -> None:
    assert kind(classify(annotation)) == "Serializable"
