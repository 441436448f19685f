"""``typed_tasks.task``: Django's ``task`` decorator with strict validation and exact types.

At runtime the decorator calls ``django.tasks.task`` with the same options (a
backend's own ``task_class`` options too, as Django 6.1 forwards them) and makes
the task strict (``typed_tasks.strict``): ``enqueue`` and ``aenqueue`` validate the
arguments before anything reaches the backend. The backport's twin is
``typed_tasks.backport.task``.

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
  ``call``/``acall`` say so. ``ContextTask`` exists for type checkers only;
* options other than Django's own (``**options``) are accepted and forwarded to
  the backend's ``task_class``, which refuses those it does not have.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import TYPE_CHECKING, Any, Concatenate, Literal, ParamSpec, Protocol, TypeVar, overload

from django.tasks.base import (
    DEFAULT_TASK_BACKEND_ALIAS,
    DEFAULT_TASK_PRIORITY,
    DEFAULT_TASK_QUEUE_NAME,
    Task,
    TaskContext,
)
from django.tasks.base import task as django_task

from typed_tasks.strict import strict_task

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
    **options: Any,
) -> Task[P, R]: ...
@overload
def task(
    function: Callable[P, R],
    *,
    priority: int = ...,
    queue_name: str = ...,
    backend: str = ...,
    takes_context: Literal[False] = False,
    **options: Any,
) -> Task[P, R]: ...
@overload
def task(
    function: Callable[Concatenate[TaskContext[Any, Any], P], Coroutine[Any, Any, R]],
    *,
    priority: int = ...,
    queue_name: str = ...,
    backend: str = ...,
    takes_context: Literal[True],
    **options: Any,
) -> ContextTask[P, R]: ...
@overload
def task(
    function: Callable[Concatenate[TaskContext[Any, Any], P], R],
    *,
    priority: int = ...,
    queue_name: str = ...,
    backend: str = ...,
    takes_context: Literal[True],
    **options: Any,
) -> ContextTask[P, R]: ...
@overload
def task(
    *,
    priority: int = ...,
    queue_name: str = ...,
    backend: str = ...,
    takes_context: Literal[False] = False,
    **options: Any,
) -> TaskDecorator: ...
@overload
def task(
    *,
    priority: int = ...,
    queue_name: str = ...,
    backend: str = ...,
    takes_context: Literal[True],
    **options: Any,
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
        return strict_task(made)

    if function is None:
        return make_task
    return make_task(function)
