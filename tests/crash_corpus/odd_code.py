# ruff: noqa
"""Code a checker meets in the wild: forward references, undefined names, redefinitions,
generics, decorators stacked and applied oddly, dynamic values for every option."""

from __future__ import annotations

import functools
import typing
from typing import TYPE_CHECKING, Any, Generic, Literal, ParamSpec, TypeVar, overload

import django.tasks
from django.tasks import Task, TaskContext, task

if TYPE_CHECKING:
    from django.contrib.auth.models import User

T = TypeVar("T")
P = ParamSpec("P")
OPTIONS: dict[str, Any] = {"priority": 1}


@task
def forward(item: Later, items: list[Later], user: User) -> Later:
    return item


class Later(typing.NamedTuple):
    a: int


@task
def undefined(x: Missing, y: "AlsoMissing") -> NotThere: ...


@task
def generic(x: T) -> T:
    return x


@task
def paramspec(f: typing.Callable[P, int], *args: P.args, **kwargs: P.kwargs) -> int:
    return f(*args, **kwargs)


@task
def star(*args: int, **kwargs: str) -> None: ...


@task
def positional_only(a: int, /, b: int, *, c: int) -> None: ...


@task
def untyped(a, b=1, *c, **d): ...


@task
def defaults(a: int = "x", b: list[int] = []) -> None: ...  # type: ignore[assignment]


@task
def redefined(x: int) -> None: ...


@task  # type: ignore[no-redef]
def redefined(x: str) -> None: ...


if OPTIONS:

    @task
    def conditional(x: int) -> None: ...

else:

    @task
    def conditional(x: int) -> None: ...


@functools.cache
@task
def cached_task(x: int) -> None: ...


@task
@functools.wraps(print)
def wrapped_print(*args: Any) -> None: ...


@task(**OPTIONS)
def splatted_options() -> None: ...


@task(*[])
def splatted_positional() -> None: ...


@task(priority=1 if OPTIONS else 2, queue_name=str(OPTIONS), backend=f"{OPTIONS}")
def dynamic_options() -> None: ...


@task(priority=True)
def bool_priority() -> None: ...


@task(priority=1.5, takes_context="yes", unknown_option=1)
def wrong_types() -> None: ...


@task(takes_context=OPTIONS["x"])
def context_unknown(context: TaskContext) -> None: ...


@task(lambda: None)
def positional_function_argument() -> None: ...


@overload
def overloaded(x: int) -> int: ...
@overload
def overloaded(x: str) -> str: ...
def overloaded(x: int | str) -> int | str:
    return x


overloaded_task = task(overloaded)


class Box(Generic[T]):
    @task
    def method(self, item: T) -> T:
        return item


def factory(priority: int) -> Task[[int], None]:
    @task(priority=priority)
    def made(x: int) -> None: ...

    return made


decorator = task(priority=1)
decorated = decorator(lambda: None)
tasks = [task(f) for f in (print, len)]
not_a_function = task(42)
class_as_task = task(Later)
bound = task(Later(1).count)
recursive_alias_task: Task[[int], None] = task(lambda x: None)


@task
def uses_literal(mode: Literal["a", "b"], n: Literal[1, 2] = 1) -> Literal["ok"]:
    return "ok"


@task
def self_referencing(x: int) -> None:
    self_referencing.enqueue(x - 1)
    self_referencing.using(priority=x).enqueue(x)


def calls() -> None:
    forward.enqueue(Later(1), [Later(2)], None)
    undefined.enqueue(1, 2)
    generic.enqueue({1})
    star.enqueue(1, 2, a="x")
    positional_only.enqueue(1, b=2, c=3)
    positional_only.enqueue(a=1, b=2, c=3)
    untyped.enqueue(object(), 2, 3, d=4)
    redefined.enqueue(1)
    conditional.enqueue(1)
    cached_task(1).enqueue()
    splatted_options.enqueue()
    factory(1).enqueue(2)
    tasks[0].enqueue("x")
    decorated.enqueue()
    not_a_function.enqueue()
    Box[int]().method.enqueue(1)
    uses_literal.enqueue("c")
    django.tasks.task(print).enqueue("x")
    task.enqueue()
    undefined_name.enqueue(1)
    forward.using(**OPTIONS).enqueue(*[], **{})
    forward.using(priority=OPTIONS["p"]).enqueue(Later(1), [], None)
