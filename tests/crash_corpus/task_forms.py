# ruff: noqa
"""Every way to make a task and to call one, mostly correct."""

import django.tasks
import django.tasks.base
from datetime import datetime, timedelta
from typing import Any

from django.tasks import Task, TaskContext, TaskResult, default_task_backend, task, task_backends
from django.tasks import task as make_task
from django.tasks.base import task as base_task

import typed_tasks
from typed_tasks import task as typed_task

PRIORITY = 10
QUEUE = "emails"


@task
def bare(x: int) -> int:
    return x


@task()
def called(x: int, y: str = "") -> str:
    return y * x


@task(priority=5, queue_name="default", backend="default")
def with_options(name: str) -> None: ...


@task(priority=PRIORITY, queue_name=QUEUE, backend="database")
def with_constants(ids: list[int]) -> dict[str, int]:
    return {str(i): i for i in ids}


@task(takes_context=True)
def with_context(context: TaskContext, n: int) -> int:
    return context.attempt + n


@django.tasks.task
def dotted(x: int) -> None: ...


@django.tasks.base.task(priority=-100)
def dotted_called(x: int) -> None: ...


@make_task
def aliased(x: float) -> float:
    return x


@base_task(takes_context=False)
def from_base(x: str) -> str:
    return x


@typed_task
def typed_bare(x: int) -> int:
    return x


@typed_task(priority=3, takes_context=True)
def typed_context(context: TaskContext, x: int) -> int:
    return x


@typed_tasks.task(queue_name="default")
def typed_dotted(x: int) -> int:
    return x


@task
async def asynchronous(x: int) -> int:
    return x


def plain(x: int, *, flag: bool = False) -> bool:
    return flag


wrapped = task(plain)
wrapped_with_options = task(priority=1)(plain)
wrapped_twice = task(queue_name="default")(plain)


def calls() -> None:
    bare.enqueue(1)
    bare.enqueue(x=1)
    called.enqueue(2, "a")
    called.enqueue(2, y="a")
    with_options.using(priority=7).enqueue("n")
    with_options.using(queue_name="default", backend="default").enqueue(name="n")
    with_options.using(run_after=datetime.now() + timedelta(minutes=5)).enqueue("n")
    with_constants.enqueue([1, 2])
    with_context.enqueue(3)
    dotted.enqueue(1)
    aliased.enqueue(1.5)
    from_base.enqueue("s")
    typed_bare.enqueue(1)
    typed_context.enqueue(1)
    wrapped.enqueue(1, flag=True)
    wrapped_with_options.enqueue(1)
    result: TaskResult[[int], int] = bare.enqueue(5)
    value: int = result.return_value
    same = bare.get_result(result.id)
    bare.call(1)
    args: tuple[int, ...] = (1,)
    kwargs: dict[str, Any] = {"x": 1}
    bare.enqueue(*args)
    bare.enqueue(**kwargs)
    task_backends["default"].enqueue(bare, [1], {})
    default_task_backend.validate_task(bare)


async def async_calls() -> None:
    await bare.aenqueue(1)
    await asynchronous.aenqueue(x=2)
    await with_context.aenqueue(1)
    result = await asynchronous.aenqueue(3)
    value = result.return_value
    await bare.using(priority=1).aenqueue(2)
    await bare.aget_result("id")
    await bare.acall(1)


def annotated(t: Task[[int], int], any_task: Task[Any, Any]) -> None:
    t.enqueue(1)
    any_task.enqueue(1, 2, three=3)
    any_task.using(priority=101).enqueue()
    (bare if t else called).enqueue(1)
    getattr(bare, "enqueue")(1)
