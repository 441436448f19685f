"""Strict validation: a bad argument is rejected before the backend stores or runs anything."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from tests.task_api import Task, TaskContext, needs_database, task, task_backends
from typed_tasks import TaskArgumentError

ran: list[object] = []


@task
def count_items(payload: dict[str, list[int]]) -> int:
    ran.append(payload)
    return len(payload["items"])


@task
def greet(name: str, times: int = 1) -> str:
    ran.append(name)
    return name * times


@task
async def async_greet(name: str) -> str:
    ran.append(name)
    return name


@task(takes_context=True)
def labelled(context: TaskContext, label: str) -> str:
    ran.append(label)
    return label


@task
def loose(untyped, anything: Any = None) -> None:  # type: ignore[no-untyped-def]
    ran.append((untyped, anything))


@pytest.fixture(autouse=True)
def clean_slate() -> Iterator[None]:
    ran.clear()
    task_backends["dummy"].clear()  # type: ignore[attr-defined]
    yield


def dummy_results() -> list[Any]:
    stored: list[Any] = task_backends["dummy"].results  # type: ignore[attr-defined]
    return stored


def enqueue_both_ways(made: Task[..., Any], *args: Any, **kwargs: Any) -> list[Callable[[], Any]]:
    """The sync and the async way to enqueue the same call."""
    return [
        lambda: made.enqueue(*args, **kwargs),
        lambda: asyncio.run(made.aenqueue(*args, **kwargs)),
    ]


@pytest.fixture
def no_typed_tasks_setting() -> Iterator[None]:
    with override_settings():
        del settings.TYPED_TASKS
        yield


@pytest.mark.usefixtures("no_typed_tasks_setting")
def test_strict_validation_is_on_by_default_even_with_the_immediate_backend() -> None:
    assert not hasattr(settings, "TYPED_TASKS")
    for enqueue in enqueue_both_ways(greet, 42):
        with pytest.raises(TaskArgumentError) as raised:
            enqueue()
        assert raised.value.task_name == "tests.test_strict_enqueue.greet"
        assert raised.value.parameter == "name"
    assert ran == []


def test_the_error_is_a_type_error_naming_task_parameter_and_path() -> None:
    with pytest.raises(TypeError) as raised:
        count_items.enqueue({"items": [1, 2, "3"]})
    message = str(raised.value)
    assert "tests.test_strict_enqueue.count_items" in message
    assert 'payload["items"][2]' in message
    assert raised.value.path == 'payload["items"][2]'  # type: ignore[attr-defined]
    assert ran == []


def test_values_that_django_cannot_serialize_are_rejected_by_name() -> None:
    with pytest.raises(TaskArgumentError) as raised:
        greet.enqueue(datetime(2026, 1, 1, tzinfo=timezone.utc))
    assert raised.value.parameter == "name"
    assert "datetime" in str(raised.value)


def test_good_arguments_reach_the_backend() -> None:
    assert greet.enqueue("ab", times=2).return_value == "abab"
    assert asyncio.run(async_greet.aenqueue("x")).return_value == "x"
    assert count_items.enqueue({"items": [1, 2]}).return_value == 2
    assert ran == ["ab", "x", {"items": [1, 2]}]


def test_arity_mistakes_are_rejected_before_the_backend() -> None:
    for enqueue in enqueue_both_ways(greet.using(backend="dummy"), "a", 1, 2):
        with pytest.raises(TypeError):
            enqueue()
    assert dummy_results() == []


def test_dummy_backend_stores_nothing_after_a_rejected_enqueue() -> None:
    on_dummy = greet.using(backend="dummy")
    for enqueue in enqueue_both_ways(on_dummy, "a", times="2"):
        with pytest.raises(TaskArgumentError) as raised:
            enqueue()
        assert raised.value.parameter == "times"
    assert dummy_results() == []
    on_dummy.enqueue("a", times=2)
    assert len(dummy_results()) == 1


@needs_database
@pytest.mark.django_db(transaction=True)
def test_database_backend_stores_nothing_after_a_rejected_enqueue() -> None:
    from tests.database_tasks import store, stored_count

    for made in (store, greet.using(backend="database")):
        for enqueue in enqueue_both_ways(made, ["not", "a", "str"]):
            with pytest.raises(TaskArgumentError):
                enqueue()
    assert stored_count() == 0
    store.enqueue("fine")
    asyncio.run(store.aenqueue("fine"))
    assert stored_count() == 2


def test_parameters_the_rule_cannot_judge_only_need_serializable_values() -> None:
    loose.enqueue((1, 2), anything={"a": [1]})
    assert ran == [([1, 2], {"a": [1]})]
    for bad in (
        {"untyped": {1, 2}},
        {"untyped": 1, "anything": datetime(2026, 1, 1, tzinfo=timezone.utc)},
    ):
        with pytest.raises(TaskArgumentError) as raised:
            loose.enqueue(**bad)
        assert "not JSON-serializable" in str(raised.value)
    assert len(ran) == 1


def test_using_keeps_validation() -> None:
    with pytest.raises(TaskArgumentError):
        greet.using(priority=10).enqueue(1)
    with pytest.raises(TaskArgumentError):
        greet.using(backend="dummy").using(priority=3).enqueue(1)
    assert dummy_results() == []
    assert ran == []


def test_the_context_parameter_is_not_an_argument() -> None:
    assert labelled.enqueue("fine").return_value == "fine"
    with pytest.raises(TaskArgumentError) as raised:
        labelled.enqueue(3)
    assert raised.value.parameter == "label"
    assert ran == ["fine"]


@override_settings(TYPED_TASKS={"STRICT_VALIDATION": False})
def test_strict_validation_off_lets_the_backend_decide() -> None:
    # What strict validation rejects for its type still reaches the backend...
    greet.using(backend="dummy").enqueue("a", times="2")  # type: ignore[arg-type]
    assert [r.kwargs for r in dummy_results()] == [{"times": "2"}]
    # ...and what Django cannot serialize fails there, with Django's own error.
    with pytest.raises(TypeError) as raised:
        greet.using(backend="dummy").enqueue(datetime(2026, 1, 1, tzinfo=timezone.utc))
    assert not isinstance(raised.value, TaskArgumentError)


@override_settings(TYPED_TASKS={"STRICT_VALIDATION": True})
def test_strict_validation_on_explicitly() -> None:
    with pytest.raises(TaskArgumentError):
        greet.enqueue(1)


@pytest.mark.parametrize(
    ("setting", "problem"),
    [
        (["STRICT_VALIDATION"], "TYPED_TASKS must be a dict, not list"),
        ({"STRICT": True}, 'TYPED_TASKS has an unknown key "STRICT"'),
        ({"STRICT_VALIDATION": "yes"}, 'TYPED_TASKS["STRICT_VALIDATION"] must be a bool, not str'),
    ],
)
def test_a_malformed_setting_is_an_improperly_configured_error_at_enqueue(
    setting: object, problem: str
) -> None:
    with override_settings(TYPED_TASKS=setting), pytest.raises(ImproperlyConfigured) as raised:
        greet.enqueue("a")
    assert problem in str(raised.value)
    assert ran == []
