"""``typed_tasks.task``: Django's ``task`` decorator with strict validation and exact types.

At runtime the decorator calls ``django.tasks.task`` with the same options and
returns an instance of a subclass of the configured backend's ``task_class``
(so ``isinstance(t, backend.task_class)`` holds and every backend works). The
subclass only adds one thing: ``enqueue`` and ``aenqueue`` validate the
arguments against the function's parameters (``typed_tasks.validation``)
before anything reaches the backend, when ``TYPED_TASKS["STRICT_VALIDATION"]``
is on (the default; see ``typed_tasks.conf``).

Statically (mypy and pyright, with django-stubs):

* the task is ``Task[P, R]`` with the function's exact parameters ``P``, so
  ``enqueue``, ``aenqueue``, ``using(...).enqueue``, ``call``, ``acall`` and
  ``get_result`` check their arguments;
* for ``async def`` functions ``R`` is the awaited type, so
  ``TaskResult.return_value`` is ``R`` and not a ``Coroutine``;
* ``takes_context=True`` removes the leading ``context: TaskContext`` from what
  callers pass to ``enqueue``/``aenqueue``. Django's ``Task.call``/``acall``
  pass their arguments straight to the function, so on such a task they still
  need the context first: the task is a ``ContextTask[P, R]``, whose
  ``call``/``acall`` say so. ``ContextTask`` exists for type checkers only.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import fields
from datetime import datetime
from typing import TYPE_CHECKING, Any, Concatenate, Literal, ParamSpec, Protocol, TypeVar, overload

from django.tasks.base import (
    DEFAULT_TASK_BACKEND_ALIAS,
    DEFAULT_TASK_PRIORITY,
    DEFAULT_TASK_QUEUE_NAME,
    Task,
    TaskContext,
    TaskResult,
)
from django.tasks.base import task as django_task

from typed_tasks.conf import strict_validation
from typed_tasks.validation import validate_arguments

__all__ = ["ContextTaskDecorator", "TaskDecorator", "task"]

P = ParamSpec("P")
R = TypeVar("R")


if TYPE_CHECKING:

    class ContextTask(Task[P, R]):
        """A task made with ``takes_context=True``: ``call``/``acall`` take the context first."""

        def using(
            self,
            *,
            priority: int | None = None,
            queue_name: str | None = None,
            run_after: datetime | None = None,
            backend: str | None = None,
        ) -> ContextTask[P, R]: ...

        def call(  # type: ignore[override]
            self, context: TaskContext[Any, Any], /, *args: P.args, **kwargs: P.kwargs
        ) -> R: ...

        async def acall(  # type: ignore[override]
            self, context: TaskContext[Any, Any], /, *args: P.args, **kwargs: P.kwargs
        ) -> R: ...


class TaskDecorator(Protocol):
    """What ``task(...)`` returns: applied to a function, it makes the task."""

    @overload
    def __call__(self, function: Callable[P, Coroutine[Any, Any, R]], /) -> Task[P, R]: ...
    @overload
    def __call__(self, function: Callable[P, R], /) -> Task[P, R]: ...


class ContextTaskDecorator(Protocol):
    """What ``task(..., takes_context=True)`` returns."""

    @overload
    def __call__(
        self, function: Callable[Concatenate[TaskContext[Any, Any], P], Coroutine[Any, Any, R]], /
    ) -> ContextTask[P, R]: ...
    @overload
    def __call__(
        self, function: Callable[Concatenate[TaskContext[Any, Any], P], R], /
    ) -> ContextTask[P, R]: ...


@overload
def task(
    function: Callable[P, Coroutine[Any, Any, R]],
    *,
    priority: int = ...,
    queue_name: str = ...,
    backend: str = ...,
    takes_context: Literal[False] = False,
) -> Task[P, R]: ...
@overload
def task(
    function: Callable[P, R],
    *,
    priority: int = ...,
    queue_name: str = ...,
    backend: str = ...,
    takes_context: Literal[False] = False,
) -> Task[P, R]: ...
@overload
def task(
    function: Callable[Concatenate[TaskContext[Any, Any], P], Coroutine[Any, Any, R]],
    *,
    priority: int = ...,
    queue_name: str = ...,
    backend: str = ...,
    takes_context: Literal[True],
) -> ContextTask[P, R]: ...
@overload
def task(
    function: Callable[Concatenate[TaskContext[Any, Any], P], R],
    *,
    priority: int = ...,
    queue_name: str = ...,
    backend: str = ...,
    takes_context: Literal[True],
) -> ContextTask[P, R]: ...
@overload
def task(
    *,
    priority: int = ...,
    queue_name: str = ...,
    backend: str = ...,
    takes_context: Literal[False] = False,
) -> TaskDecorator: ...
@overload
def task(
    *,
    priority: int = ...,
    queue_name: str = ...,
    backend: str = ...,
    takes_context: Literal[True],
) -> ContextTaskDecorator: ...
def task(
    function: Callable[..., Any] | None = None,
    *,
    priority: int = DEFAULT_TASK_PRIORITY,
    queue_name: str = DEFAULT_TASK_QUEUE_NAME,
    backend: str = DEFAULT_TASK_BACKEND_ALIAS,
    takes_context: bool = False,
    **options: Any,
) -> Any:
    """Make ``function`` a task, exactly as ``django.tasks.task`` does, validated at enqueue."""

    def make_task(func: Callable[..., Any]) -> Task[..., Any]:
        made: Task[..., Any] = django_task(  # type: ignore[call-overload]
            func,
            priority=priority,
            queue_name=queue_name,
            backend=backend,
            takes_context=takes_context,
            **options,
        )
        init_values = {
            field.name: getattr(made, field.name) for field in fields(made) if field.init
        }
        return strict_class(type(made))(**init_values)

    if function is None:
        return make_task
    return make_task(function)


_strict_classes: dict[type[Task[..., Any]], type[Task[..., Any]]] = {}


def strict_class(task_class: type[Task[..., Any]]) -> type[Task[..., Any]]:
    """A subclass of ``task_class`` whose ``enqueue``/``aenqueue`` validate their arguments.

    Made once per backend class, so all its tasks share one subclass. It adds no
    fields and no slots: ``dataclasses.replace`` (used by ``using``),
    ``fields`` and Django's ``_reconstruct`` keep working on it.
    """
    if task_class in _strict_classes:
        return _strict_classes[task_class]

    class StrictTask(task_class):  # type: ignore[valid-type, misc]
        __slots__ = ()

        def enqueue(self, *args: Any, **kwargs: Any) -> TaskResult[..., Any]:
            check_arguments(self, args, kwargs)
            result: TaskResult[..., Any] = super().enqueue(*args, **kwargs)
            return result

        async def aenqueue(self, *args: Any, **kwargs: Any) -> TaskResult[..., Any]:
            check_arguments(self, args, kwargs)
            result: TaskResult[..., Any] = await super().aenqueue(*args, **kwargs)
            return result

        def __reduce__(self) -> tuple[Any, ...]:
            # The class is made at runtime and cannot be pickled by name: pickle
            # the backend's class instead and rebuild this subclass from it.
            _, (init_values,) = super().__reduce__()
            return (reconstruct, (task_class, init_values))

    StrictTask.__name__ = StrictTask.__qualname__ = f"Strict{task_class.__name__}"
    return _strict_classes.setdefault(task_class, StrictTask)


def reconstruct(task_class: type[Task[..., Any]], init_values: dict[str, Any]) -> Task[..., Any]:
    """Unpickle a task made by ``typed_tasks.task`` (see ``StrictTask.__reduce__``)."""
    rebuilt: Task[..., Any] = strict_class(task_class)._reconstruct(init_values)  # type: ignore[attr-defined]
    return rebuilt


def check_arguments(task: Task[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Raise ``TaskArgumentError`` for an argument the worker would not receive as declared."""
    if strict_validation():
        validate_arguments(
            task.func,
            args,
            kwargs,
            task_name=task.module_path,
            takes_context=task.takes_context,
        )
