"""Find the tasks of the installed apps.

``discover_tasks`` (the system check's) finds them the way Django finds ``admin`` modules.
For each app config (all installed apps, or the ones ``manage.py check`` was
given), the app's ``tasks`` module is imported if the app has one (as
``django.utils.module_loading.autodiscover_modules("tasks")`` would), and every
``Task`` instance among its globals is collected, together with ``Task``
instances that are attributes of classes defined in it (``@task`` on a method).
A task defined in another module counts when the app's ``tasks`` module
imports it (a ``tasks`` package re-exporting from submodules works too).
Tasks made with ``django.tasks.task`` and with ``typed_tasks.task`` are both
found. An app whose ``tasks`` module fails to import is reported, not raised.

``discover_all_tasks`` (``manage.py task_signatures``'s) finds every task of every
installed app, wherever it is defined:

1. each app's ``tasks`` module, as above;
2. every other module of each app's package (not under ``migrations`` or ``tests``, nor
   ``test_*``/``tests_*``/``*_tests``/``conftest`` modules) whose source decorates a
   function with ``task`` (``@task``, ``@task(...)``, ``@tasks.task``, or a name
   imported as ``task`` from ``django.tasks``, ``django_tasks`` or ``typed_tasks``):
   it is imported; the source is read, not imported, to decide;
3. every module of an installed app that is imported by then (by Django's start-up,
   by the modules above): its tasks are collected as in ``tasks`` modules.

Missed: a task made by calling the decorator (``send = task(send_email)``) or by a
decorator under another name, in a module nothing imports at start-up; a module
listed in ``TYPED_TASKS["SIGNATURES_EXCLUDE"]``; code outside the installed apps.
"""

from __future__ import annotations

import ast
import pkgutil
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

from django.apps import AppConfig, apps
from django.utils.module_loading import module_has_submodule

from typed_tasks.apis import task_classes

if TYPE_CHECKING:
    from importlib.machinery import ModuleSpec

    from django.tasks import Task

TASKS_MODULE = "tasks"
# Packages and modules of an app that hold no tasks a worker runs, and that importing
# could disturb (a test module configures things as it is imported).
SKIPPED_PACKAGES = frozenset({"migrations", "tests", "test"})
# Where the decorators come from: a name imported from these as ``task`` is one.
TASK_APIS = frozenset(
    {
        "django.tasks",
        "django.tasks.base",
        "django_tasks",
        "django_tasks.base",
        "typed_tasks",
        "typed_tasks.backport",
        "typed_tasks.decorator",
    }
)


@dataclass
class Discovered:
    """What discovery found: the tasks, and the apps whose tasks module did not import."""

    tasks: list[Task[..., Any]] = field(default_factory=list)
    import_errors: list[tuple[str, BaseException]] = field(default_factory=list)
    _seen: set[int] = field(default_factory=set, repr=False)

    def add_tasks_of(self, module: ModuleType) -> None:
        """The tasks ``module`` holds, each once however many modules import it."""
        for task in tasks_in_module(module):
            if id(task) not in self._seen:
                self._seen.add(id(task))
                self.tasks.append(task)


def discover_tasks(app_configs: Iterable[AppConfig] | None = None) -> Discovered:
    found = Discovered()
    for app_config in apps.get_app_configs() if app_configs is None else app_configs:
        if app_config.module is None or not module_has_submodule(app_config.module, TASKS_MODULE):
            continue
        module_name = f"{app_config.name}.{TASKS_MODULE}"
        try:
            module = import_module(module_name)
        except Exception as error:
            found.import_errors.append((module_name, error))
            continue
        found.add_tasks_of(module)
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


def discover_all_tasks(
    app_configs: Iterable[AppConfig] | None = None, exclude: Iterable[str] = ()
) -> Discovered:
    """Every task of every installed app (the module docstring says how they are found)."""
    configs = list(apps.get_app_configs() if app_configs is None else app_configs)
    excluded = tuple(exclude)
    found = Discovered()
    for app_config in configs:
        if app_config.module is None or is_excluded(app_config.name, excluded):
            continue
        for module_name in task_module_names(app_config.module, excluded):
            try:
                import_module(module_name)
            except Exception as error:
                found.import_errors.append((module_name, error))
    packages = tuple(config.name for config in configs)
    for module_name, module in sorted(sys.modules.items()):
        if not isinstance(module, ModuleType) or not in_packages(module_name, packages):
            continue  # sys.modules may hold None for an import that is blocked
        if is_excluded(module_name, excluded):
            continue
        found.add_tasks_of(module)
    return found


def task_module_names(package: ModuleType, excluded: tuple[str, ...]) -> Iterator[str]:
    """The app's ``tasks`` module and the modules whose source decorates a function as a task."""
    tasks_module = f"{package.__name__}.{TASKS_MODULE}"
    if module_has_submodule(package, TASKS_MODULE) and not is_excluded(tasks_module, excluded):
        yield tasks_module
    for module_name, path in source_files(package):
        if is_excluded(module_name, excluded) or module_name == tasks_module:
            continue
        if module_name.startswith(f"{tasks_module}.") or defines_tasks(path):
            yield module_name


def source_files(package: ModuleType) -> Iterator[tuple[str, str]]:
    """(module name, source path) of every module under ``package``, without importing any."""
    pending = [(package.__name__, list(getattr(package, "__path__", [])))]
    while pending:
        prefix, paths = pending.pop()
        for info in sorted(pkgutil.iter_modules(paths), key=lambda info: info.name):
            if is_skipped(info.name):
                continue
            name = f"{prefix}.{info.name}"
            spec = find_spec_quietly(name, info)
            if spec is None:
                continue
            if info.ispkg:
                pending.append((name, list(spec.submodule_search_locations or [])))
            if spec.origin is not None and spec.origin.endswith(".py"):
                yield name, spec.origin


def find_spec_quietly(name: str, info: pkgutil.ModuleInfo) -> ModuleSpec | None:
    finder: Any = info.module_finder
    try:
        spec: ModuleSpec | None = finder.find_spec(name)
    except Exception:
        return None
    return spec


def is_skipped(name: str) -> bool:
    return (
        name in SKIPPED_PACKAGES
        or name == "conftest"
        or name.startswith(("test_", "tests_"))
        or name.endswith("_tests")
    )


def defines_tasks(path: str) -> bool:
    """Whether the module's source decorates a function with a task decorator.

    A module that does not parse is imported, so that its error is reported.
    """
    try:
        with open(path, "rb") as source:
            tree = ast.parse(source.read(), path)
    except SyntaxError:
        return True
    except (OSError, ValueError):
        return False
    names = decorator_names(tree)
    return any(
        is_task_decorator(decorator, names)
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        for decorator in node.decorator_list
    )


def decorator_names(tree: ast.Module) -> set[str]:
    """The names the module binds to a task decorator: ``task`` and its aliases."""
    names = {"task"}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in TASK_APIS:
            names.update(
                alias.asname for alias in node.names if alias.name == "task" and alias.asname
            )
    return names


def is_task_decorator(decorator: ast.expr, names: set[str]) -> bool:
    if isinstance(decorator, ast.Call):
        decorator = decorator.func
    if isinstance(decorator, ast.Name):
        return decorator.id in names
    return isinstance(decorator, ast.Attribute) and decorator.attr == "task"


def in_packages(module_name: str, packages: tuple[str, ...]) -> bool:
    return any(module_name == name or module_name.startswith(f"{name}.") for name in packages)


def is_excluded(module_name: str, excluded: tuple[str, ...]) -> bool:
    return in_packages(module_name, excluded)
