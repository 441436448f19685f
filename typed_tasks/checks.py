"""The Django system check for tasks (``manage.py check``, with ``"typed_tasks"`` installed).

Tasks are found by ``typed_tasks.discovery``: each installed app's ``tasks``
module is imported and the ``Task`` instances in it are checked, whether made
by ``django.tasks.task`` or ``typed_tasks.task``. Each message names the task by
its module path. Ids are stable; silence one with ``SILENCED_SYSTEM_CHECKS``.

* ``typed_tasks.E001``: the ``TYPED_TASKS`` setting is malformed (not a dict,
  an unknown key, a value of the wrong type).
* ``typed_tasks.E002``: an app's ``tasks`` module raised on import (for
  example Django's ``InvalidTask`` for ``takes_context=True`` without a first
  parameter ``context``), so its tasks could not be checked.
* ``typed_tasks.E003``: a parameter's type is not JSON-serializable (a
  ``datetime``, a model instance, a ``set``...): enqueue would raise.
* ``typed_tasks.W001``: a parameter's type does not survive the JSON round trip
  (a ``tuple`` arrives as a ``list``, an ``Enum`` member as its value): the
  function receives something other than it declares.
* ``typed_tasks.E004``: the return type is not JSON-serializable: the worker
  fails to store the result.
* ``typed_tasks.W002``: the return type does not survive the round trip:
  ``TaskResult.return_value`` is not what the function returned.
* ``typed_tasks.E005``: ``takes_context=True`` but the first parameter is not
  ``context`` (missing, named otherwise, or annotated with something other
  than ``TaskContext`` or a subclass of it).
* ``typed_tasks.E006``: the first parameter is annotated ``TaskContext`` but
  the task does not take context: callers cannot pass it.
* ``typed_tasks.E007``: the task is a method; the worker imports tasks by
  module path and cannot import a method.

Parameters and returns the rule cannot judge (unannotated, ``Any``,
``object``, an annotation that does not resolve) are not reported.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from django.apps import AppConfig
from django.core.checks import CheckMessage, Error, Warning

from typed_tasks import conf
from typed_tasks.annotations import resolve_annotations
from typed_tasks.apis import context_classes
from typed_tasks.discovery import discover_tasks
from typed_tasks.rule import Lossy, NotSerializable, classify, classify_return, describe

if TYPE_CHECKING:
    from django.tasks import Task


def check_typed_tasks_setting(
    app_configs: Iterable[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    return [
        Error(problem, hint=conf.HINT, id="typed_tasks.E001") for problem in conf.setting_problems()
    ]


def check_tasks(
    app_configs: Iterable[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    discovered = discover_tasks(app_configs)
    messages: list[CheckMessage] = [
        Error(
            f'could not import "{module_name}" to check its tasks: {type(error).__name__}: {error}',
            hint="fix the error: Django raises it wherever the module is imported",
            obj=module_name,
            id="typed_tasks.E002",
        )
        for module_name, error in discovered.import_errors
    ]
    for task in discovered.tasks:
        messages.extend(task_problems(task))
    return messages


def task_problems(task: Task[..., Any]) -> Iterator[CheckMessage]:
    name = task.module_path
    if is_method(task.func):
        yield Error(
            f'task "{name}" is a method: the worker imports tasks by module path '
            "and cannot import a method",
            hint="define the task as a module-level function",
            obj=name,
            id="typed_tasks.E007",
        )
    annotations = resolve_annotations(task.func)
    parameters = list(inspect.signature(task.func).parameters.values())
    first = parameters[0] if parameters else None
    first_is_context = first is not None and is_context_annotation(first, annotations)
    if task.takes_context:
        if first is None or first.name != "context" or not (first_is_context or unannotated(first)):
            yield Error(
                f'task "{name}" takes context, but its first parameter is not '
                '"context: TaskContext"',
                hint='make the first parameter "context: TaskContext"; callers do not pass it',
                obj=name,
                id="typed_tasks.E005",
            )
    elif first is not None and first_is_context:
        yield Error(
            f'first parameter "{first.name}" of task "{name}" is annotated "TaskContext", '
            "but the task does not take context",
            hint='pass takes_context=True to @task and name the parameter "context"',
            obj=name,
            id="typed_tasks.E006",
        )
    skip_first = task.takes_context or first_is_context
    for parameter in parameters[1:] if skip_first else parameters:
        if parameter.name in annotations:
            yield from parameter_problems(name, parameter.name, annotations[parameter.name])
    if "return" in annotations:
        yield from return_problems(name, annotations["return"])


def parameter_problems(
    task_name: str, parameter: str, annotation: object
) -> Iterator[CheckMessage]:
    verdict = classify(annotation)
    subject = f'parameter "{parameter}" of task "{task_name}" has type "{describe(annotation)}"'
    if isinstance(verdict, NotSerializable):
        yield Error(
            f"{subject}, which is not JSON-serializable",
            hint=verdict.advice(parameter, "param"),
            obj=task_name,
            id="typed_tasks.E003",
        )
    elif isinstance(verdict, Lossy):
        image = describe(verdict.image)
        yield Warning(
            f'{subject}, which arrives in the worker as "{image}"',
            hint=f'annotate it as "{image}"',
            obj=task_name,
            id="typed_tasks.W001",
        )


def return_problems(task_name: str, annotation: object) -> Iterator[CheckMessage]:
    verdict = classify_return(annotation)
    subject = f'return type "{describe(annotation)}" of task "{task_name}"'
    if isinstance(verdict, NotSerializable):
        yield Error(
            f"{subject} is not JSON-serializable",
            hint=verdict.advice(None, "return"),
            obj=task_name,
            id="typed_tasks.E004",
        )
    elif isinstance(verdict, Lossy):
        image = describe(verdict.image)
        yield Warning(
            f'{subject} is stored as "{image}"',
            hint=f'annotate the return type as "{image}"',
            obj=task_name,
            id="typed_tasks.W002",
        )


def is_method(func: Callable[..., Any]) -> bool:
    qualname: str = getattr(func, "__qualname__", "")
    return "." in qualname and "<locals>" not in qualname


def unannotated(parameter: inspect.Parameter) -> bool:
    return parameter.annotation is inspect.Parameter.empty


def is_context_annotation(parameter: inspect.Parameter, annotations: dict[str, object]) -> bool:
    """Annotated ``TaskContext``, or a subclass of it (a backend may pass its own)."""
    annotation = annotations.get(parameter.name)
    contexts = context_classes()
    for candidate in (annotation, typing.get_origin(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, contexts):
            return True
    if isinstance(parameter.annotation, str):
        # Under ``from __future__ import annotations``, ``TaskContext[P, R]`` does not
        # evaluate at runtime (Django's class is not generic): judge the text.
        head = parameter.annotation.split("[", 1)[0].rsplit(".", 1)[-1]
        return head.strip() == "TaskContext"
    return False
