"""``typed_tasks.backport``: the public API of ``typed_tasks`` for the ``django_tasks`` backport.

For projects whose tasks use the ``django-tasks`` package (``from django_tasks import
task``), on Django 5.2 LTS or on 6.x. ``task`` here does at runtime what
``typed_tasks.task`` does (``typed_tasks.strict``: the backend's own ``task_class``,
arguments validated at enqueue), on top of ``django_tasks.task``; only its static types
differ, in the backport's own classes:

* the task is ``django_tasks.base.Task[P, R]`` with the function's exact parameters
  ``P`` (``enqueue``, ``aenqueue``, ``using(...).enqueue``, ``call`` and ``acall`` check
  their arguments), and its results are ``TaskResult[R]``;
* for ``async def`` functions ``R`` is the awaited type;
* ``takes_context=True`` removes the leading ``context: TaskContext`` from what callers
  pass to ``enqueue``/``aenqueue``; the task is a ``ContextTask[P, R]`` whose
  ``call``/``acall`` still take the context first, as the backport's do at runtime.
  ``ContextTask`` exists for type checkers only;
* other options are forwarded to the backend's ``task_class``, which refuses those it
  does not have.

Importing this module imports ``django_tasks`` (which patches Django's classes for type
subscripting through ``django_stubs_ext``, as it does for every project that uses it).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, Concatenate, Literal, ParamSpec, Protocol, TypeVar, overload

from django_tasks.base import (
    DEFAULT_TASK_BACKEND_ALIAS,
    DEFAULT_TASK_PRIORITY,
    DEFAULT_TASK_QUEUE_NAME,
    Task,
    TaskContext,
)
from django_tasks.base import task as backport_task

from typed_tasks.rule import (
    Lossy,
    NotSerializable,
    Serializable,
    Unknown,
    Verdict,
    classify,
    describe,
)
from typed_tasks.strict import strict_task
from typed_tasks.validation import TaskArgumentError

__all__ = [
    "ContextTaskDecorator",
    "Lossy",
    "NotSerializable",
    "Serializable",
    "TaskArgumentError",
    "TaskDecorator",
    "Unknown",
    "Verdict",
    "classify",
    "describe",
    "task",
]

P = ParamSpec("P")
R = TypeVar("R")


if TYPE_CHECKING:

    class ContextTask(Task[P, R]):
        """A task made with ``takes_context=True``: ``call``/``acall`` take the context first."""

        def call(  # type: ignore[override]
            self, context: TaskContext, /, *args: P.args, **kwargs: P.kwargs
        ) -> R: ...

        async def acall(  # type: ignore[override]
            self, context: TaskContext, /, *args: P.args, **kwargs: P.kwargs
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
        self, function: Callable[Concatenate[TaskContext, P], Coroutine[Any, Any, R]], /
    ) -> ContextTask[P, R]: ...
    @overload
    def __call__(
        self, function: Callable[Concatenate[TaskContext, P], R], /
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
    function: Callable[Concatenate[TaskContext, P], Coroutine[Any, Any, R]],
    *,
    priority: int = ...,
    queue_name: str = ...,
    backend: str = ...,
    takes_context: Literal[True],
    **options: Any,
) -> ContextTask[P, R]: ...
@overload
def task(
    function: Callable[Concatenate[TaskContext, P], R],
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
    """Make ``function`` a task, exactly as ``django_tasks.task`` does, validated at enqueue."""

    def make_task(func: Callable[..., Any]) -> Task[..., Any]:
        made: Task[..., Any] = backport_task(
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
