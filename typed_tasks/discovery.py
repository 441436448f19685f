"""Find the tasks of the installed apps, the way Django finds ``admin`` modules.

For each app config (all installed apps, or the ones ``manage.py check`` was
given), the app's ``tasks`` module is imported if the app has one (as
``django.utils.module_loading.autodiscover_modules("tasks")`` would), and every
``Task`` instance among its globals is collected, together with ``Task``
instances that are attributes of classes defined in it (``@task`` on a method).
A task defined in another module counts when the app's ``tasks`` module
imports it (a ``tasks`` package re-exporting from submodules works too).
Tasks made with ``django.tasks.task`` and with ``typed_tasks.task`` are both
found. An app whose ``tasks`` module fails to import is reported, not raised.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

from django.apps import AppConfig, apps
from django.utils.module_loading import module_has_submodule

from typed_tasks.apis import task_classes

if TYPE_CHECKING:
    from django.tasks import Task

TASKS_MODULE = "tasks"


@dataclass
class Discovered:
    """What discovery found: the tasks, and the apps whose tasks module did not import."""

    tasks: list[Task[..., Any]] = field(default_factory=list)
    import_errors: list[tuple[str, BaseException]] = field(default_factory=list)


def discover_tasks(app_configs: Iterable[AppConfig] | None = None) -> Discovered:
    found = Discovered()
    seen: set[int] = set()
    for app_config in apps.get_app_configs() if app_configs is None else app_configs:
        if app_config.module is None or not module_has_submodule(app_config.module, TASKS_MODULE):
            continue
        module_name = f"{app_config.name}.{TASKS_MODULE}"
        try:
            module = import_module(module_name)
        except Exception as error:
            found.import_errors.append((module_name, error))
            continue
        for task in tasks_in_module(module):
            if id(task) not in seen:
                seen.add(id(task))
                found.tasks.append(task)
    return found


def tasks_in_module(module: ModuleType) -> Iterator[Task[..., Any]]:
    classes = task_classes()
    for value in list(vars(module).values()):
        if isinstance(value, classes):
            yield value
        elif isinstance(value, type) and value.__module__ == module.__name__:
            yield from tasks_in_class(value, classes)


def tasks_in_class(
    cls: type, classes: tuple[type[Task[..., Any]], ...]
) -> Iterator[Task[..., Any]]:
    for value in list(vars(cls).values()):
        if isinstance(value, (staticmethod, classmethod)):
            value = value.__func__
        if isinstance(value, classes):
            yield value
        elif isinstance(value, type) and value.__qualname__.startswith(f"{cls.__qualname__}."):
            yield from tasks_in_class(value, classes)
