"""Each kind of change to a task, classified as ``--check`` classifies it against the lock.

Every comparison goes the way of the command: the old code's contract is written to a
lock, read back, and compared with the new code's contract (``changes``).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Sequence
from typing import Any, Literal, NewType, TypedDict

import pytest
from django.tasks import TaskContext, task

from typed_tasks.signatures import lockfile
from typed_tasks.signatures.compare import compare
from typed_tasks.signatures.contract import TaskContract, task_contract

PATH = "app.tasks.job"
UserId = NewType("UserId", int)


class Payload(TypedDict):
    name: str
    sizes: list[int]


class WiderPayload(TypedDict):
    name: str | None
    sizes: list[int | float]


class V2:
    class Payload(TypedDict):  # the same name as the module's Payload, one key narrowed
        name: str
        sizes: list[bool]


def contract(func: Callable[..., Any], **options: Any) -> TaskContract:
    return dataclasses.replace(task_contract(task(**options)(func)), module_path=PATH)


def through_the_lock(contracts: dict[str, TaskContract]) -> dict[str, TaskContract]:
    text = lockfile.dumps(contracts)
    return lockfile.Reader(lockfile.Path("lock.json")).document(json.loads(text))


def changes(
    old: Callable[..., Any],
    new: Callable[..., Any],
    old_options: dict[str, Any] | None = None,
    new_options: dict[str, Any] | None = None,
) -> list[tuple[str, str]]:
    """(breaking or compatible, what changed) from ``old`` to ``new`` at the same path."""
    recorded = through_the_lock({PATH: contract(old, **(old_options or {}))})
    found = compare(recorded, {PATH: contract(new, **(new_options or {}))})
    assert all(change.task == PATH for change in found)
    return [("breaking" if c.breaking else "compatible", c.what) for c in found]


# Old and new versions of one task; module level, as Django requires of task functions.
def base(to: str, count: int) -> None: ...
def base_copy(to: str, count: int) -> None: ...
def without_count(to: str) -> None: ...
def count_renamed(to: str, total: int) -> None: ...
def required_added(to: str, count: int, subject: str) -> None: ...
def defaulted_added(to: str, count: int, subject: str = "") -> None: ...
def count_as_str(to: str, count: str) -> None: ...
def count_widened(to: str, count: int | str) -> None: ...
def count_as_float(to: str, count: float) -> None: ...
def count_any(to: str, count: Any) -> None: ...
def count_unannotated(to: str, count) -> None: ...  # type: ignore[no-untyped-def]
def count_keyword_only(to: str, *, count: int) -> None: ...
def count_positional_only(to: str, count: int, /) -> None: ...
def swapped(count: int, to: str) -> None: ...
def positional_only_to(to: str, /, count: int) -> None: ...
def positional_only_recipient(recipient: str, /, count: int) -> None: ...
def count_defaulted(to: str, count: int = 1) -> None: ...
def any_count(to: str, count: Any) -> None: ...
def int_count(to: str, count: int) -> None: ...
def keyword_only_count(to: str, *, count: int) -> None: ...
def positional_count(to: str, count: int) -> None: ...
def with_args(to: str, *rest: str) -> None: ...
def without_args(to: str) -> None: ...
def with_kwargs(to: str, **rest: str) -> None: ...
def kwargs_int(to: str, **rest: int) -> None: ...
def keyword_into_kwargs(to: str, **rest: int) -> None: ...
def keyword_count(to: str, *, count: int) -> None: ...
def before_args(to: str, extra: str = "", *rest: str) -> None: ...
def ints(values: list[int]) -> None: ...
def strs(values: list[str]) -> None: ...
def int_sequence(values: Sequence[int]) -> None: ...
def int_tuple(values: tuple[int, ...]) -> None: ...
def literal_level(level: Literal[1, 2]) -> None: ...
def int_level(level: int) -> None: ...
def user(user_id: UserId) -> None: ...
def plain_user(user_id: int) -> None: ...
def payload(data: Payload) -> None: ...
def wider_payload(data: WiderPayload) -> None: ...
def payload_v2(data: V2.Payload) -> None: ...
def returns_int(to: str, count: int) -> int: ...
def returns_str(to: str, count: int) -> str: ...
def unresolved(to: str, count: Missing) -> None: ...  # type: ignore[name-defined]  # noqa: F821
def other_unresolved(to: str, count: Gone) -> None: ...  # type: ignore[name-defined]  # noqa: F821
def with_context(context: TaskContext, to: str, count: int) -> None: ...


def test_an_unchanged_task_has_no_changes() -> None:
    assert changes(base, base_copy) == []


def test_a_removed_parameter_breaks() -> None:
    assert changes(base, without_count) == [("breaking", 'parameter "count" removed')]


def test_a_renamed_parameter_breaks() -> None:
    assert changes(base, count_renamed) == [("breaking", 'parameter "count" renamed to "total"')]


def test_a_positional_only_parameter_renamed_is_compatible() -> None:
    assert changes(positional_only_to, positional_only_recipient) == [
        ("compatible", 'parameter "to" renamed to "recipient"')
    ]


def test_a_required_parameter_added_breaks() -> None:
    assert changes(base, required_added) == [("breaking", 'required parameter "subject" added')]


def test_a_parameter_added_with_a_default_is_compatible() -> None:
    assert changes(base, defaulted_added) == [
        ("compatible", 'parameter "subject" added with a default')
    ]


@pytest.mark.parametrize(
    ("old", "new", "before", "after"),
    [
        (base, count_as_str, "int", "str"),
        (count_widened, base, "int | str", "int"),
        (strs, ints, "list[str]", "list[int]"),
        (int_level, literal_level, "int", "Literal[1, 2]"),
        (plain_user, user, "int", "UserId"),
        (wider_payload, payload, "WiderPayload", "Payload"),
    ],
)
def test_a_narrowed_image_breaks(
    old: Callable[..., Any], new: Callable[..., Any], before: str, after: str
) -> None:
    [(kind, what)] = changes(old, new)
    assert kind == "breaking"
    assert what.endswith(f'narrowed from "{before}" to "{after}"')


@pytest.mark.parametrize(
    ("old", "new", "before", "after"),
    [
        (base, count_widened, "int", "int | str"),
        (base, count_as_float, "int", "float"),
        (literal_level, int_level, "Literal[1, 2]", "int"),
        (user, plain_user, "UserId", "int"),
        (payload, wider_payload, "Payload", "WiderPayload"),
        (base, count_any, "int", "Any"),
    ],
)
def test_a_widened_image_is_compatible(
    old: Callable[..., Any], new: Callable[..., Any], before: str, after: str
) -> None:
    [(kind, what)] = changes(old, new)
    assert (kind, what.split(" widened ")[1]) == ("compatible", f'from "{before}" to "{after}"')


def test_a_typeddict_narrowed_under_the_same_name_is_spelled_by_its_keys() -> None:
    assert changes(payload, payload_v2) == [
        (
            "breaking",
            "parameter \"data\" narrowed from \"TypedDict({'name': str, 'sizes': list[int]})\" "
            "to \"TypedDict({'name': str, 'sizes': list[bool]})\"",
        )
    ]


def test_the_same_image_spelled_otherwise_is_compatible() -> None:
    assert changes(int_sequence, int_tuple) == [
        ("compatible", 'parameter "values" annotation "Sequence[int]" -> "tuple[int, ...]"')
    ]


@pytest.mark.parametrize("old", [count_any, count_unannotated])
def test_any_value_queued_does_not_fit_a_narrower_type(old: Callable[..., Any]) -> None:
    """An old ``Any`` says nothing of what the queued jobs hold: honestly, a narrowing."""
    assert changes(old, int_count) == [
        ("breaking", 'parameter "count" narrowed from "Any" to "int"')
    ]


def test_an_unresolved_annotation_is_recorded_and_compared_by_its_text() -> None:
    recorded = contract(unresolved).parameters[1].annotation
    assert (recorded.spelled, recorded.image) == ("Missing", {"unresolved": "Missing"})
    assert changes(unresolved, unresolved) == []
    [(kind, what)] = changes(unresolved, other_unresolved)
    assert (kind, what) == ("breaking", 'parameter "count" narrowed from "Missing" to "Gone"')


def test_positional_becoming_keyword_only_breaks() -> None:
    assert changes(positional_count, keyword_only_count) == [
        ("breaking", 'parameter "count" was at position 2, now keyword-only')
    ]


def test_keyword_becoming_positional_only_breaks() -> None:
    assert changes(base, count_positional_only) == [
        ("breaking", 'parameter "to" is now positional-only'),
        ("breaking", 'parameter "count" is now positional-only'),
    ]


def test_a_moved_parameter_breaks() -> None:
    assert changes(base, swapped) == [
        ("breaking", 'parameter "to" was at position 1, now at position 2'),
        ("breaking", 'parameter "count" was at position 2, now at position 1'),
    ]


def test_keyword_only_becoming_positional_is_compatible() -> None:
    assert changes(keyword_only_count, positional_count) == [
        ("compatible", 'parameter "count" keyword-only -> positional-or-keyword')
    ]


def test_a_dropped_default_breaks_and_an_added_one_is_compatible() -> None:
    assert changes(count_defaulted, base) == [("breaking", 'parameter "count" lost its default')]
    assert changes(base, count_defaulted) == [("compatible", 'parameter "count" now has a default')]


def test_removing_args_or_kwargs_breaks() -> None:
    assert changes(with_args, without_args) == [("breaking", "*args removed")]
    assert changes(with_kwargs, without_args) == [("breaking", "**kwargs removed")]


def test_a_keyword_parameter_taken_by_kwargs_is_compatible_when_its_image_fits() -> None:
    assert changes(keyword_count, keyword_into_kwargs) == [
        ("compatible", 'parameter "count" is now taken by **kwargs')
    ]
    assert changes(with_kwargs, kwargs_int) == [
        ("breaking", '**kwargs narrowed from "str" to "int"')
    ]


def test_a_defaulted_parameter_that_would_take_extra_positional_arguments_breaks() -> None:
    assert changes(with_args, before_args) == [("breaking", 'parameter "extra" added before *args')]


def test_takes_context_switched_with_its_context_parameter_is_compatible() -> None:
    assert changes(base, with_context, new_options={"takes_context": True}) == [
        ("compatible", "takes_context False -> True")
    ]
    assert changes(with_context, base, old_options={"takes_context": True}) == [
        ("compatible", "takes_context True -> False")
    ]


def test_a_queue_or_backend_change_is_compatible() -> None:
    assert changes(
        base, base_copy, new_options={"queue_name": "emails", "backend": "database"}
    ) == [
        ("compatible", 'backend "default" -> "database"'),
        ("compatible", 'queue "default" -> "emails"'),
    ]


def test_a_return_type_change_is_compatible() -> None:
    assert changes(returns_int, returns_str) == [("compatible", 'return type "int" -> "str"')]


def test_a_removed_or_moved_task_breaks_and_a_new_one_is_compatible() -> None:
    job = contract(base)
    moved = dataclasses.replace(job, module_path="app.jobs.job")
    found = compare(through_the_lock({PATH: job}), {"app.jobs.job": moved})
    assert [(c.breaking, c.task, c.what) for c in found] == [
        (True, PATH, 'task moved to "app.jobs.job"'),
        (False, "app.jobs.job", "new task"),
    ]
    [removed] = compare(through_the_lock({PATH: job}), {})
    assert (removed.breaking, removed.what) == (True, "task removed")


def test_each_breaking_change_says_what_to_do_instead() -> None:
    recorded = through_the_lock({PATH: contract(base)})
    [change] = compare(recorded, {PATH: contract(without_count)})
    assert change.render() == (
        'breaking: task "app.tasks.job": parameter "count" removed\n'
        '    note: jobs already queued pass "count" and fail with a TypeError; keep "count" '
        "(with a default, next to any new name) until the jobs enqueued before the deploy "
        "have run, then remove it"
    )


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (base, without_count),
        (base, count_widened),
        (count_any, int_count),
        (base, swapped),
        (payload, payload_v2),
        (unresolved, other_unresolved),
    ],
)
def test_two_locks_compare_as_the_lock_and_the_code_do(
    old: Callable[..., Any], new: Callable[..., Any]
) -> None:
    """A lock holds all a comparison needs: neither version's code is read back."""
    recorded = through_the_lock({PATH: contract(old)})
    code = {PATH: contract(new)}

    assert compare(recorded, through_the_lock(code)) == compare(recorded, code)
