"""What ``typed_tasks.task`` and ``typed_tasks.backport.task`` do at runtime, for either API.

Each decorator lets its API (``django.tasks.task`` or the backport's ``django_tasks.task``)
make the task with the options it was given, then hands it to ``strict_task``: the same
fields, in a subclass of the configured backend's ``task_class`` (so
``isinstance(t, backend.task_class)`` holds and every backend works) whose ``enqueue`` and
``aenqueue`` validate the arguments against the function's parameters
(``typed_tasks.validation``) before anything reaches the backend, when
``TYPED_TASKS["STRICT_VALIDATION"]`` is on (the default; see ``typed_tasks.conf``).

Nothing here imports either task API.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import Any, ClassVar, Protocol, TypeVar

from django.utils.module_loading import import_string

from typed_tasks.conf import strict_validation
from typed_tasks.validation import validate_arguments

__all__ = ["strict_task"]


class Task(Protocol):
    """What this module uses of a task of either API: a frozen dataclass instance."""

    __dataclass_fields__: ClassVar[dict[str, Any]]

    @property
    def func(self) -> Callable[..., Any]: ...

    @property
    def takes_context(self) -> bool: ...

    @property
    def module_path(self) -> str: ...


AnyTask = TypeVar("AnyTask", bound=Task)


def strict_task(made: AnyTask) -> AnyTask:
    """``made`` rebuilt, with the same field values, as an instance of its strict subclass."""
    init_values = {field.name: getattr(made, field.name) for field in fields(made) if field.init}
    return strict_class(type(made))(**init_values)


# Each backend class's strict subclass (typed loosely: a class made at runtime).
_strict_classes: dict[type[Task], type[Any]] = {}


def strict_class(task_class: type[AnyTask]) -> type[AnyTask]:
    """A subclass of ``task_class`` whose ``enqueue``/``aenqueue`` validate their arguments.

    Made once per backend class, so all its tasks share one subclass. It adds no
    fields and no slots: ``dataclasses.replace`` (used by ``using``) and ``fields``
    keep working on it.
    """
    if task_class in _strict_classes:
        return _strict_classes[task_class]

    class StrictTask(task_class):  # type: ignore[valid-type, misc]
        __slots__ = ()

        def enqueue(self, *args: Any, **kwargs: Any) -> Any:
            check_arguments(self, args, kwargs)
            return super().enqueue(*args, **kwargs)

        async def aenqueue(self, *args: Any, **kwargs: Any) -> Any:
            check_arguments(self, args, kwargs)
            return await super().aenqueue(*args, **kwargs)

        def __reduce__(self) -> tuple[Any, ...]:
            # The class is made at runtime and cannot be pickled by name: pickle the
            # backend's class and the fields, with the function by its module path (the
            # module's attribute of that name is the task, not the function).
            init_values = {f.name: getattr(self, f.name) for f in fields(self) if f.init}
            init_values["func"] = self.module_path
            return (reconstruct, (task_class, init_values))

    StrictTask.__name__ = StrictTask.__qualname__ = f"Strict{task_class.__name__}"
    return _strict_classes.setdefault(task_class, StrictTask)


def reconstruct(task_class: type[Task], init_values: dict[str, Any]) -> Task:
    """Unpickle a task made by ``typed_tasks``' decorators (see ``StrictTask.__reduce__``)."""
    function = import_string(init_values["func"])
    if isinstance(function, task_class):
        function = function.func
    return strict_class(task_class)(**(init_values | {"func": function}))


def check_arguments(task: Task, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Raise ``TaskArgumentError`` for an argument the worker would not receive as declared."""
    if strict_validation():
        validate_arguments(
            task.func,
            args,
            kwargs,
            task_name=task.module_path,
            takes_context=task.takes_context,
        )
