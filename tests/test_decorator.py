"""``typed_tasks.task`` behaves as ``django.tasks.task`` on every backend (and the backport's
``typed_tasks.backport.task`` as ``django_tasks.task``, under ``tests.settings_backport``)."""

from __future__ import annotations

import asyncio
import copy
import pickle
import subprocess
import sys
from dataclasses import fields
from pathlib import Path
from typing import Any

import django
import pytest
from django.conf import settings
from django.test import override_settings

from tests.task_api import (
    BACKPORT,
    InvalidTask,
    Task,
    TaskContext,
    TaskResultStatus,
    needs_database,
    task,
    task_backends,
)
from tests.task_api import api_task as django_task
from typed_tasks import TaskArgumentError

BACKENDS = list(settings.TASKS)
ROOT = Path(__file__).resolve().parent.parent


@task
def add(a: int, b: int = 0) -> int:
    return a + b


@task()
def shout(text: str) -> str:
    return text.upper()


@task(priority=5, queue_name="emails", backend="dummy")
def send(address: str) -> str:
    return f"sent to {address}"


@task
async def fetch(count: int) -> list[int]:
    await asyncio.sleep(0)
    return list(range(count))


@task(takes_context=True)
def attempt_number(context: TaskContext, label: str) -> str:
    return f"{label} #{context.attempt}"


@task(takes_context=True, backend="dummy")
async def async_attempt(context: TaskContext, label: str) -> str:
    return f"{label} #{context.attempt}"


@django_task
def plain_add(a: int, b: int) -> int:
    return a + b


def make_task(backend: str, function: Any = add.func) -> Task[..., Any]:
    made: Task[..., Any] = task(backend=backend)(function)
    return made


@pytest.mark.parametrize("backend", BACKENDS)
def test_task_is_an_instance_of_the_backend_task_class(backend: str) -> None:
    made = make_task(backend)
    assert isinstance(made, task_backends[backend].task_class)
    assert made.backend == backend
    assert made.func is add.func
    assert made.module_path == "tests.test_decorator.add"


def test_all_decorator_forms_keep_the_function_and_options() -> None:
    assert (add.priority, add.queue_name, add.backend, add.takes_context) == (
        0,
        "default",
        "default",
        False,
    )
    assert shout.func.__name__ == "shout"
    assert (send.priority, send.queue_name, send.backend) == (5, "emails", "dummy")
    assert attempt_number.takes_context
    assert (async_attempt.takes_context, async_attempt.backend) == (True, "dummy")


def test_fields_are_those_django_sets() -> None:
    for ours in (add, send, attempt_number):
        django_made = django_task(
            priority=ours.priority,
            queue_name=ours.queue_name,
            backend=ours.backend,
            takes_context=ours.takes_context,
        )(ours.func)
        assert field_values(ours) == field_values(django_made)


def field_values(made: Task[..., Any]) -> dict[str, Any]:
    return {f.name: getattr(made, f.name) for f in fields(made)}


def test_django_validation_of_the_task_still_applies() -> None:
    def no_context(label: str) -> str:
        return label

    with pytest.raises(InvalidTask, match="module level"):
        task(no_context)
    with pytest.raises(InvalidTask, match="first argument of 'context'"):
        task(takes_context=True)(add.func)
    with pytest.raises(InvalidTask, match="Queue 'nope'"):
        task(queue_name="nope")(add.func)
    with pytest.raises(InvalidTask, match="priority"):
        task(priority=101)(add.func)
    # Django 6.1 refuses run_after by name, 6.0 takes no such option, and the backport
    # passes its own run_after=None too: a TypeError naming it, in each.
    with pytest.raises(TypeError, match="run_after"):
        task(run_after=None)(add.func)


def test_using_keeps_the_class_and_the_options() -> None:
    moved = add.using(priority=3, backend="dummy")
    assert type(moved) is type(add)
    assert (moved.priority, moved.backend, moved.func) == (3, "dummy", add.func)


def test_pickle_and_deepcopy_round_trip() -> None:
    for original in (add, send.using(priority=-4), attempt_number):
        assert pickle.loads(pickle.dumps(original)) == original
        assert type(pickle.loads(pickle.dumps(original))) is type(original)
        assert copy.deepcopy(original) == original


def test_immediate_backend_runs_sync_and_async_tasks() -> None:
    assert add.enqueue(2, b=3).return_value == 5
    assert shout.enqueue("hi").return_value == "HI"
    assert fetch.enqueue(3).return_value == [0, 1, 2]
    assert asyncio.run(fetch.aenqueue(2)).return_value == [0, 1]
    assert attempt_number.enqueue("run").return_value == "run #1"


def test_call_and_acall_run_the_function_in_process() -> None:
    assert add.call(1, 2) == 3
    assert fetch.call(2) == [0, 1]
    assert asyncio.run(fetch.acall(1)) == [0]
    assert asyncio.run(add.acall(4)) == 4


def test_call_on_a_context_task_passes_arguments_straight_to_the_function() -> None:
    # Django's Task.call does not make a context: the caller passes it first, as
    # workers do. The static types of typed_tasks.task say the same.
    result = add.enqueue(1)
    assert attempt_number.call(TaskContext(task_result=result), "direct") == "direct #1"
    with pytest.raises(TypeError, match="missing 1 required positional argument"):
        attempt_number.call("no context")


def test_dummy_backend_stores_the_call() -> None:
    dummy = task_backends["dummy"]
    dummy.clear()  # type: ignore[attr-defined]
    result = add.using(backend="dummy").enqueue(7, b=1)
    assert result.status == TaskResultStatus.READY
    assert [(r.args, r.kwargs) for r in dummy.results] == [([7], {"b": 1})]  # type: ignore[attr-defined]
    assert dummy.results[0].task == add.using(backend="dummy")  # type: ignore[attr-defined]


@needs_database
@pytest.mark.django_db(transaction=True)
def test_database_backend_round_trip_through_the_worker() -> None:
    from tests.database_tasks import (
        async_attempt,
        multiply,
        run_database_worker,
        send,
        stored_count,
    )

    results = [
        multiply.enqueue(6, 7),
        send.enqueue("ada@example.com"),
        asyncio.run(async_attempt.aenqueue("async")),
    ]
    assert stored_count() == 3
    run_database_worker()
    for result in results:
        result.refresh()
        assert result.status == TaskResultStatus.SUCCESSFUL
    assert [r.return_value for r in results] == [42, "sent to ada@example.com", "async #1"]
    # The worker rebuilt each task from its module path: it is ours, validation included.
    stored = multiply.get_result(results[0].id)
    assert type(stored.task) is type(multiply)
    assert stored.task.module_path == "tests.database_tasks.multiply"


@needs_database
@pytest.mark.django_db(transaction=True)
@override_settings(TYPED_TASKS={"STRICT_VALIDATION": False})
def test_database_backend_with_strict_validation_off() -> None:
    from tests.database_tasks import multiply, run_database_worker

    result = multiply.enqueue(2, 2)
    run_database_worker()
    result.refresh()
    assert result.return_value == 4


def test_function_can_be_passed_by_keyword_as_with_django() -> None:
    made = task(function=add.func, backend="dummy")
    assert (made.func, made.backend) == (add.func, "dummy")


def test_importing_the_package_loads_no_django() -> None:
    # mypy imports typed_tasks when it loads the plugin ``typed_tasks.mypy``.
    code = (
        "import sys, typed_tasks; print(sorted(m for m in sys.modules if m.startswith('django')))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert run.stdout.strip() == "[]"


# Django 6.1 passes the decorator's other options to the backend's task_class; so does
# the backport. Django 6.0 accepts Django's own options only.
forwards_options = pytest.mark.skipif(
    not BACKPORT and django.VERSION < (6, 1),
    reason="Django 6.0's task decorator takes no backend options",
)


@forwards_options
def test_an_option_of_the_backends_task_class_reaches_the_task() -> None:
    from tests.option_backend import DedupTask

    made = task(backend="options", dedup=True)(add.func)
    assert isinstance(made, DedupTask)
    assert made.dedup is True
    assert made.using(priority=2).dedup is True
    assert made.enqueue(2, b=3).return_value == 5
    with pytest.raises(TaskArgumentError):
        made.enqueue("2")
    assert task(add.func, backend="options").dedup is False  # type: ignore[attr-defined]


@forwards_options
def test_an_option_the_task_class_lacks_is_refused() -> None:
    with pytest.raises(TypeError, match="dedupe"):
        task(backend="options", dedupe=True)(add.func)


@pytest.mark.skipif(django.VERSION >= (6, 0), reason="this Django has django.tasks")
def test_without_django_tasks_typed_tasks_task_names_the_backport_twin() -> None:
    import typed_tasks

    with pytest.raises(ImportError, match=r"use typed_tasks\.backport\.task"):
        typed_tasks.task  # noqa: B018
