"""Strict validation of task arguments: what passes, and the exact error for what does not."""

from __future__ import annotations

import enum
import pickle
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Literal, NamedTuple, NewType

import pytest
from typing_extensions import NotRequired, TypedDict, Unpack

from tests.task_api import TaskContext
from typed_tasks.validation import MAX_DEPTH, TaskArgumentError, validate_arguments


class Color(str, enum.Enum):
    RED = "red"


class Level(enum.IntEnum):
    LOW = 1


class Shade(enum.Enum):
    LIGHT = "light"


class Point(NamedTuple):
    x: int
    y: int


class Payload(TypedDict):
    name: str
    items: list[int]


class Options(TypedDict):
    retries: int
    label: NotRequired[str]


UserId = NewType("UserId", int)

if sys.version_info >= (3, 12):
    from tests.pep695_aliases import Json
else:  # no ``type`` statement: the tests using it then check serializability only
    Json = Any


def validate(func: Callable[..., object], *args: object, **kwargs: object) -> None:
    validate_arguments(func, args, kwargs, task_name="app.tasks.job", takes_context=False)


def error_of(func: Callable[..., object], *args: object, **kwargs: object) -> TaskArgumentError:
    with pytest.raises(TaskArgumentError) as raised:
        validate(func, *args, **kwargs)
    return raised.value


def message_of(func: Callable[..., object], *args: object, **kwargs: object) -> str:
    return str(error_of(func, *args, **kwargs))


# -- task functions ---------------------------------------------------------------------------


def send_report(payload: dict[str, Any]) -> None: ...


def move(point: tuple[int, int]) -> None: ...


def count(n: int) -> None: ...


def scale(factor: float) -> None: ...


def greet(name: str) -> None: ...


def paint(color: Color | None) -> None: ...


def store(payload: Payload) -> None: ...


def pick(choice: Literal["a", "b"]) -> None: ...


def schedule(when: datetime) -> None: ...


def index(by_id: dict[int, str]) -> None: ...


def walk(tree: Json) -> None: ...


def bulk(values: list[int]) -> None: ...


def sequence(values: Sequence[int]) -> None: ...


def either(value: list[int] | dict[str, int]) -> None: ...


def rows(values: list[Sequence[int]]) -> None: ...


def tune(level: int | Level) -> None: ...


def lookup(user_id: UserId) -> None: ...


def untyped(value):  # type: ignore[no-untyped-def]
    ...


def anything(value: Any, other: object = None) -> None: ...


# -- what passes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("func", "value"),
    [
        (count, 3),
        (count, True),  # bool is an int, as in the type system
        (count, Level.LOW),  # arrives as 1
        (scale, 2),  # int is accepted for float
        (scale, 2.5),
        (scale, float("nan")),  # json writes and reads NaN back: the round trip holds
        (scale, float("inf")),
        (greet, "ann"),
        (greet, Color.RED),  # arrives as "red", a str
        (greet, b"ann"),  # arrives as "ann"
        (paint, None),
        (store, {"name": "n", "items": [1, 2]}),
        (store, {"name": "n", "items": (1, 2)}),  # the tuple arrives as the list declared
        (pick, "a"),
        (pick, "b"),
        (bulk, (1, 2, 3)),
        (bulk, range(3)),
        (sequence, (1, 2)),
        (rows, [(1, 2), [3], range(2)]),  # each item arrives as a list: a Sequence[int]
        (rows, ((1, 2),)),
        (either, {"a": 1}),
        (either, [1]),
        (lookup, UserId(5)),
        (walk, {"a": [1, 2.5, None, True, {"b": "c"}]}),
        (send_report, {"tuple": (1, 2), "nested": {1: [b"x"]}}),
        (untyped, (1, "a")),  # unknown parameter type: the argument's own type decides
        (anything, Point(1, 2)),
        (index, {}),
    ],
)
def test_values_whose_image_is_declared_pass(func: Callable[..., object], value: object) -> None:
    validate(func, value)


def test_str_enum_member_arrives_as_its_literal_value() -> None:
    def choose(color: Literal["red", "blue"]) -> None: ...

    validate(choose, Color.RED)


# -- what does not: the exact messages ----------------------------------------------------------


def test_not_serializable_deep_inside_names_the_path_and_what_to_pass() -> None:
    error = error_of(send_report, {"items": [1, 2, 3, datetime(2026, 1, 1)]})

    assert str(error) == (
        'app.tasks.job(): argument "payload" at payload["items"][3] is a datetime, which is not '
        "JSON-serializable; pass value.isoformat() and parse it in the task"
    )
    assert (error.task_name, error.parameter, error.path) == (
        "app.tasks.job",
        "payload",
        'payload["items"][3]',
    )
    assert isinstance(error, TypeError)


def test_a_tuple_for_a_tuple_parameter_arrives_as_a_list() -> None:
    assert message_of(move, (1, 2)) == (
        'app.tasks.job(): argument "point" is a tuple, which arrives in the worker as a list; '
        "annotate the parameter as list[int]"
    )


def test_a_list_for_a_tuple_parameter_says_the_annotation_never_arrives() -> None:
    assert message_of(move, [1, 2]) == (
        'app.tasks.job(): argument "point" is a list, expected tuple[int, int], which arrives in '
        "the worker as list[int]; annotate the parameter as list[int]"
    )


def test_an_enum_member_for_its_enum_parameter_arrives_as_its_value() -> None:
    assert message_of(paint, Color.RED) == (
        'app.tasks.job(): argument "color" is a Color, which arrives in the worker as a str; '
        "annotate the parameter as str | None"
    )


def test_a_plain_enum_member_is_not_serializable() -> None:
    assert message_of(anything, Shade.LIGHT) == (
        'app.tasks.job(): argument "value" is a Shade, which is not JSON-serializable; '
        "pass value.value and convert it back in the task, or derive the enum from StrEnum or "
        "IntEnum"
    )


@pytest.mark.parametrize(
    ("func", "value", "expected"),
    [
        (count, "3", 'argument "n" is a str, expected int'),
        (count, 1.5, 'argument "n" is a float, expected int'),
        (greet, None, 'argument "name" is None, expected str'),
        (pick, "c", "argument \"choice\" is the str 'c', expected Literal['a', 'b']"),
        (bulk, {"a": 1}, 'argument "values" is a dict, expected list[int]'),
        (bulk, [1, "2"], 'argument "values" at values[1] is a str, expected int'),
        (either, "x", 'argument "value" is a str, expected list[int] | dict[str, int]'),
        (either, {"a": "b"}, 'argument "value" at value["a"] is a str, expected int'),
        (lookup, "5", 'argument "user_id" is a str, expected UserId'),
        (rows, [(1, "2")], 'argument "values" at values[0][1] is a str, expected int'),
    ],
)
def test_type_mismatches_name_what_was_expected(
    func: Callable[..., object], value: object, expected: str
) -> None:
    assert message_of(func, value) == f"app.tasks.job(): {expected}"


def test_a_mismatch_on_a_parameter_that_cannot_be_serialized_says_so() -> None:
    assert message_of(schedule, "2026-01-01") == (
        'app.tasks.job(): argument "when" is a str, expected datetime, which is not '
        "JSON-serializable either: pass an ISO 8601 string (.isoformat()) instead"
    )


def test_non_str_keys_arrive_as_str() -> None:
    assert message_of(index, {1: "a"}) == (
        'app.tasks.job(): argument "by_id" has the key 1, which arrives in the worker as the '
        'str "1", not int; annotate the parameter as dict[str, str]'
    )


def test_keys_json_cannot_write_are_not_serializable() -> None:
    assert message_of(send_report, {"inner": {(1, 2): "x"}}) == (
        'app.tasks.job(): argument "payload" at payload["inner"] has a key of type tuple '
        "((1, 2)), which is not JSON-serializable; use str, int, float, bool or None keys"
    )


def test_typed_dict_keys_missing_extra_and_nested() -> None:
    assert message_of(store, {"name": "n"}) == (
        'app.tasks.job(): argument "payload" is missing the required key "items"'
    )
    assert message_of(store, {"name": "n", "items": [], "size": 1}) == (
        'app.tasks.job(): argument "payload" has the key "size", which Payload does not declare'
    )
    error = error_of(store, {"name": "n", "items": [1, 2, "3"]})
    assert error.path == 'payload["items"][2]'
    assert str(error).endswith("is a str, expected int")


def test_a_recursive_alias_reports_deep_paths() -> None:
    error = error_of(walk, {"a": [1, {"b": {1, 2}}]})
    assert error.path == 'tree["a"][1]["b"]'
    assert "is a set, which is not JSON-serializable; pass list(value)" in str(error)


def test_unknown_parameters_still_check_serializability() -> None:
    assert error_of(untyped, [datetime(2026, 1, 1)]).path == "value[0]"
    assert error_of(anything, None, {"when": datetime(2026, 1, 1)}).path == 'other["when"]'


def test_an_unresolvable_annotation_is_judged_as_any() -> None:
    namespace: dict[str, Any] = {}
    exec("def job(a: 'Missing', b: int) -> None: ...", namespace)
    job = namespace["job"]

    validate(job, (1, 2), 3)
    assert error_of(job, {1, 2}, 3).parameter == "a"
    assert error_of(job, 1, "3").parameter == "b"


# -- binding: what the worker could not call ---------------------------------------------------


def two(a: int, b: str = "x", *, c: int = 0) -> None: ...


def only_positional(a: int, /) -> None: ...


def variadic(first: int, *rest: int, **extra: str) -> None: ...


def unpacked(**options: Unpack[Options]) -> None: ...


@pytest.mark.parametrize(
    ("call", "message", "parameter"),
    [
        (lambda: validate(two), 'missing a required argument: "a"', "a"),
        (lambda: validate(two, 1, "x", 3), "takes 2 positional arguments but 3 were given", ""),
        (lambda: validate(two, 1, a=2), 'got multiple values for argument "a"', "a"),
        (lambda: validate(two, 1, d=2), 'got an unexpected keyword argument "d"', "d"),
        (
            lambda: validate(only_positional, a=1),
            'got positional-only argument "a" passed as a keyword',
            "a",
        ),
        (lambda: validate(unpacked), 'missing a required argument: "retries"', "retries"),
        (lambda: validate(unpacked, retries=1, x=2), 'got an unexpected keyword argument "x"', "x"),
    ],
)
def test_arguments_that_would_not_bind(
    call: Callable[[], None], message: str, parameter: str
) -> None:
    with pytest.raises(TaskArgumentError) as raised:
        call()
    assert str(raised.value) == f"app.tasks.job(): {message}"
    assert raised.value.parameter == parameter


def test_variadic_arguments_are_checked_with_their_annotation() -> None:
    validate(variadic, 1, 2, 3, note="a")
    assert error_of(variadic, 1, 2, "3").path == "rest[1]"
    error = error_of(variadic, 1, note=5)
    assert (error.parameter, error.path) == ("note", "note")
    assert str(error) == 'app.tasks.job(): argument "note" is an int, expected str'


def test_unpacked_typed_dict_keywords_are_checked_one_by_one() -> None:
    validate(unpacked, retries=3, label="x")
    assert message_of(unpacked, retries="3") == (
        'app.tasks.job(): argument "retries" is a str, expected int'
    )


def test_the_context_parameter_is_not_an_argument() -> None:
    def with_context(context: TaskContext, name: str) -> None: ...

    validate_arguments(with_context, ("a",), {}, task_name="t", takes_context=True)
    with pytest.raises(TaskArgumentError) as raised:
        validate_arguments(with_context, (1,), {}, task_name="t", takes_context=True)
    assert raised.value.parameter == "name"


# -- bad input: clear errors, never a crash or a hang -------------------------------------------


def test_reference_cycles_are_reported() -> None:
    loop: list[object] = [1]
    loop.append(loop)
    assert message_of(anything, loop) == (
        'app.tasks.job(): argument "value" at value[1] refers back to an enclosing list '
        "(a reference cycle), which JSON cannot represent"
    )
    knot: dict[str, object] = {}
    knot["self"] = {"again": knot}
    assert error_of(walk, knot).path == 'tree["self"]["again"]'


def test_very_deep_nesting_is_refused_at_the_limit_without_recursion_errors() -> None:
    deep: list[object] = []
    for _ in range(100_000):
        deep = [deep]
    for func in (anything, walk, untyped):
        error = error_of(func, deep)
        assert f"is nested deeper than the {MAX_DEPTH} levels typed_tasks accepts" in str(error)
        assert error.path.count("[0]") == MAX_DEPTH
        assert "...[0][0][0][0] (100 levels)" in str(error)


def test_nesting_up_to_the_limit_passes() -> None:
    deep: list[object] = []
    for _ in range(MAX_DEPTH - 1):
        deep = [deep]
    validate(anything, deep)
    validate(walk, deep)


def test_huge_payloads_pass_and_a_bad_item_at_the_end_is_found() -> None:
    huge = list(range(200_000))  # over 1 MB of JSON
    validate(bulk, huge)
    validate(anything, {"rows": [[i, str(i)] for i in range(100_000)]})
    huge.append("last")
    assert error_of(bulk, huge).path == "values[200000]"


class BrokenSequence(Sequence[int]):
    """A sequence whose iteration and length raise."""

    def __getitem__(self, index: Any) -> Any:
        raise RuntimeError("no items")

    def __len__(self) -> int:
        raise RuntimeError("no length")

    def __iter__(self) -> Any:
        raise RuntimeError("no iteration")


class LengthlessSequence(Sequence[int]):
    """normalize_json iterates and never asks for the length."""

    def __getitem__(self, index: Any) -> Any:
        if index >= 2:
            raise IndexError(index)
        return index

    def __len__(self) -> int:
        raise RuntimeError("no length")


class TouchyKey(str):
    """A str key whose comparison raises."""

    __hash__ = str.__hash__

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("no comparing")


def test_objects_whose_methods_raise_get_a_clear_error() -> None:
    assert message_of(anything, {"x": BrokenSequence()}) == (
        'app.tasks.job(): argument "value" at value["x"] is a BrokenSequence whose contents '
        "cannot be read (RuntimeError: no iteration), so Django cannot store it"
    )
    assert error_of(bulk, BrokenSequence()).parameter == "values"
    validate(bulk, LengthlessSequence())
    validate(store, {TouchyKey("name"): "n", "items": []})
    validate(pick, TouchyKey("a"))


def test_bytes_that_are_not_utf8_are_refused_with_their_path() -> None:
    assert message_of(send_report, {"blob": [b"\xff\xfe"]}) == (
        'app.tasks.job(): argument "payload" at payload["blob"][0] is a bytes value that is not '
        "valid UTF-8, which Django rejects; pass base64.b64encode(value).decode() and decode it "
        "in the task"
    )
    assert error_of(greet, b"\xff").parameter == "name"


def test_ints_too_long_for_json_are_refused() -> None:
    error = error_of(count, 10**5000)
    assert "is an int with too many digits for JSON" in str(error)
    validate(count, 10**4000)


# -- the error itself ---------------------------------------------------------------------------


def test_the_error_survives_pickling() -> None:
    error = error_of(count, "3")
    copy = pickle.loads(pickle.dumps(error))
    assert (str(copy), copy.task_name, copy.parameter, copy.path) == (
        str(error),
        error.task_name,
        error.parameter,
        error.path,
    )


def test_str_keys_are_checked_against_literal_key_types() -> None:
    def tally(counts: dict[Literal["a", "b"], int]) -> None: ...

    validate(tally, {"a": 1, "b": 2})
    assert message_of(tally, {"c": 1}) == (
        "app.tasks.job(): argument \"counts\" has the key 'c', expected Literal['a', 'b']"
    )


def test_iterators_and_callables_say_what_to_pass() -> None:
    assert message_of(anything, (i for i in range(3))).endswith(
        "is a generator, which is not JSON-serializable; "
        "pass list(value) and annotate the parameter as a list"
    )
    assert "the function's dotted path as a str" in message_of(anything, len)


def test_model_instances_are_passed_by_primary_key() -> None:
    from django.contrib.auth.models import User

    assert message_of(anything, User(username="ann")) == (
        'app.tasks.job(): argument "value" is a User, which is not JSON-serializable; '
        "pass value.pk and load it in the task"
    )


def test_ints_in_dict_values_are_checked_for_length_too() -> None:
    def totals(by_name: dict[str, int]) -> None: ...

    assert "too many digits" in message_of(totals, {"a": 10**5000})


def test_int_keys_for_int_key_parameters_arrive_as_str() -> None:
    assert message_of(index, {"1": "a"}) == (
        "app.tasks.job(): argument \"by_id\" has the key '1', expected int, but keys arrive as "
        "str; annotate the parameter as dict[str, str]"
    )


def test_a_callable_without_a_readable_signature_gets_serializability_checks_only() -> None:
    def opaque(*args: Any, **kwargs: Any) -> None: ...

    opaque.__signature__ = "not a signature"  # type: ignore[attr-defined]
    validate(opaque, (1, 2), key="value")
    assert error_of(opaque, 1, when=datetime(2026, 1, 1)).path == "when"


def test_containers_for_a_union_with_a_literal() -> None:
    def tag(value: Literal["a", "b"] | list[int]) -> None: ...

    validate(tag, [])
    validate(tag, "a")
    assert error_of(tag, {"a": 1}).parameter == "value"


def test_paths_spell_keys_as_plain_values() -> None:
    assert error_of(send_report, {Color.RED: {Level.LOW: {1.5: {None: {True: set()}}}}}).path == (
        'payload["red"][1][1.5][None][True]'
    )


def test_a_mismatch_on_a_union_whose_member_never_arrives_says_what_arrives() -> None:
    assert message_of(tune, "high") == (
        'app.tasks.job(): argument "level" is a str, expected int | Level, which arrives in '
        "the worker as int; annotate the parameter as int"
    )
