"""One way to resolve a task's annotations: the system check and strict validation agree.

An annotation that cannot be resolved at runtime (a name imported only under
``TYPE_CHECKING``, a typo) is unknown to both: ``manage.py check`` says nothing about it,
and enqueue checks only that the value can be serialized.
"""

import typing

import pytest

from typed_tasks.annotations import resolve_annotations
from typed_tasks.checks import task_problems
from typed_tasks.validation import TaskArgumentError, validate_arguments

tasks_api = pytest.importorskip("django.tasks")


def remember(customer: "Customer", tags: "list[Customer]", count: int) -> "Customer":  # type: ignore[name-defined] # noqa: F821
    raise NotImplementedError


remember_task = tasks_api.task(remember)


def validate(*args: object) -> None:
    validate_arguments(remember, args, {}, task_name="tests.remember", takes_context=False)


def test_an_unresolvable_annotation_is_a_forward_reference_to_its_text() -> None:
    resolved = resolve_annotations(remember)

    assert resolved == {
        "customer": typing.ForwardRef("Customer"),
        "tags": typing.ForwardRef("list[Customer]"),
        "count": int,
        "return": typing.ForwardRef("Customer"),
    }


def test_the_system_check_says_nothing_about_it() -> None:
    assert list(task_problems(remember_task)) == []


def test_enqueue_checks_only_that_it_can_be_serialized() -> None:
    validate({"id": 1}, ["a", 2], 3)
    with pytest.raises(TaskArgumentError, match='argument "customer" is a set'):
        validate({1}, [], 3)
    with pytest.raises(TaskArgumentError, match=r'argument "tags" at tags\[0\] is a set'):
        validate(1, [{1}], 3)
    with pytest.raises(TaskArgumentError, match='argument "count" is a str, expected int'):
        validate(1, [], "3")
