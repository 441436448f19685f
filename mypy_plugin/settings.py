"""What the plugin knows about ``settings.TASKS``: aliases, queues, backend capabilities and
the options each backend's ``task_class`` accepts.

When django-stubs' plugin has already set Django up in this process with the same settings
module, ``TASKS`` is read from there. Otherwise the settings module is imported in a child
process, set up the way Django sets itself up (``django.setup()``), so that nothing it does
(environment reads, app imports, failures) can touch or crash the mypy process. If Django
cannot be set up, or the child fails in any way, the plugin knows nothing and the settings
checks stay silent.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any, Final

CAPABILITIES: Final = ("supports_async_task", "supports_priority", "supports_defer")

# The options every task decorator takes itself; Django 6.1's and the backport's pass any
# other keyword on to the backend's ``task_class`` (a dataclass), Django 6.0's to nothing.
DECORATOR_OPTIONS: Final = ("backend", "priority", "queue_name", "takes_context")
# Fields of ``task_class`` that ``@task(...)`` cannot set: the decorator sets ``func``, and
# ``run_after`` raises TypeError there.
_NOT_DECORATOR_OPTIONS: Final = frozenset({"func", "run_after"})

_TIMEOUT_SECONDS: Final = 60

# Runs in the child: sets Django up and prints describe_tasks(settings.TASKS) as JSON.
_READ_TASKS: Final = """
import json, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = sys.argv[1]
import django
from django.conf import settings
try:
    django.setup()
except Exception:
    pass
from mypy_plugin.settings import describe_tasks
print()
print(json.dumps(describe_tasks(settings.TASKS), sort_keys=True))
"""


class Backend:
    __slots__ = (
        "alias",
        "capabilities",
        "origin",
        "path",
        "queues",
        "queues_as_set",
        "task_class",
        "task_options",
    )

    def __init__(
        self,
        alias: str,
        path: str,
        queues: frozenset[str] | None,  # None: any queue is accepted, or not known
        capabilities: dict[str, bool] | None,  # None: the backend could not be built
        origin: str | None = None,  # the TASKS a test sets, if not the settings module's
        task_class: str | None = None,  # the dotted path of its task_class, if known
        task_options: frozenset[str] | None = None,  # what @task(...) may pass; None: unknown
        queues_as_set: bool = False,  # its queues are its QUEUES setting, as Django's own
    ) -> None:
        self.alias: Final = alias
        self.path: Final = path
        self.queues: Final = queues
        self.capabilities: Final = capabilities
        self.origin: Final = origin
        self.task_class: Final = task_class
        self.task_options: Final = task_options
        self.queues_as_set: Final = queues_as_set

    def accepts_queue(self, queue: str) -> bool:
        return self.queues is None or queue in self.queues

    def lacks(self, capability: str) -> bool:
        return self.capabilities is not None and not self.capabilities.get(capability, True)

    def with_unknown(self, capabilities: frozenset[str]) -> Backend:
        """This backend with ``capabilities`` not known (the code tests them at run time)."""
        known = self.capabilities
        if known is not None:
            known = {name: value for name, value in known.items() if name not in capabilities}
        return Backend(
            self.alias,
            self.path,
            self.queues,
            known,
            self.origin,
            self.task_class,
            self.task_options,
            self.queues_as_set,
        )


class TasksSettings:
    __slots__ = ("backends", "origin", "raw")

    def __init__(
        self, backends: dict[str, Backend], raw: dict[str, object], origin: str | None = None
    ) -> None:
        self.backends: Final = backends
        self.raw: Final = raw  # the child's output, for mypy's cache metadata
        self.origin: Final = origin  # where a test overrides TASKS; None: the settings module

    def backend(self, alias: str) -> Backend | None:
        return self.backends.get(alias)


def read_tasks_settings(settings_module: str, search_path: list[str]) -> TasksSettings | None:
    """Import ``settings_module`` in a child process and read TASKS; None if that fails.

    The child imports from the current directory, ``search_path`` (mypy's ``mypy_path``)
    and the inherited PYTHONPATH, as the project's own code would.
    """
    in_process = _read_configured(settings_module)
    if in_process is not None:
        return in_process
    python_path = [*search_path, os.environ.get("PYTHONPATH", "")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path for path in python_path if path)}
    try:
        completed = subprocess.run(
            [sys.executable, "-c", _READ_TASKS, settings_module],
            capture_output=True,
            text=True,
            timeout=_TIMEOUT_SECONDS,
            check=False,
            env=env,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if completed.returncode != 0:
        return None
    # The settings module may print too: the result is the last line.
    lines = completed.stdout.strip().splitlines()
    try:
        raw = json.loads(lines[-1]) if lines else None
    except ValueError:
        return None
    return _parse(raw)


def _parse(raw: object) -> TasksSettings | None:
    if not isinstance(raw, dict):
        return None
    backends = {}
    for alias, entry in raw.items():
        if not isinstance(entry, dict):
            return None
        queues = entry.get("queues")
        capabilities = entry.get("capabilities")
        task_class = entry.get("task_class")
        task_options = entry.get("task_options")
        backends[alias] = Backend(
            alias=alias,
            path=str(entry.get("backend", "")),
            queues=frozenset(queues) if isinstance(queues, list) else None,
            capabilities=dict(capabilities) if isinstance(capabilities, dict) else None,
            task_class=task_class if isinstance(task_class, str) else None,
            task_options=frozenset(task_options) if isinstance(task_options, list) else None,
            queues_as_set=entry.get("queues_as_set") is True,
        )
    return TasksSettings(backends=backends, raw=raw)


def _read_configured(settings_module: str) -> TasksSettings | None:
    """TASKS read in this process when django-stubs' plugin has already set Django up with
    ``settings_module``: reading it here then risks nothing the child would spare us, and
    saves a second interpreter and a second ``django.setup()`` on every mypy run."""
    conf = sys.modules.get("django.conf")
    settings = getattr(conf, "settings", None)
    if settings is None or not settings.configured:
        return None
    if getattr(settings, "SETTINGS_MODULE", None) != settings_module:
        return None
    try:
        raw = json.loads(json.dumps(describe_tasks(settings.TASKS), sort_keys=True))
    except Exception:
        return None
    return _parse(raw)


def describe_tasks(tasks: dict[str, dict[str, Any]]) -> dict[str, dict[str, object]]:
    """``settings.TASKS`` as plain data: alias -> {backend, queues, capabilities, task_class,
    task_options}.

    Queues and capabilities are read from the backend as Django builds it,
    ``BackendClass(alias=..., params=...)``, not from the class or the raw settings: some
    backends compute them in ``__init__``. ``queues`` is None when the backend accepts any
    queue (none listed); ``queues``, ``capabilities``, ``task_class`` and ``task_options``
    are None when the backend cannot be imported or built (``task_options`` also when its
    ``task_class`` is not a dataclass). ``queues_as_set``: its queues are its ``QUEUES``
    setting, as Django's own backends do (a test overriding ``TASKS`` can then be read).
    Run in this process or in the child (``_READ_TASKS``), with Django set up.
    """
    from django.utils.module_loading import import_string

    described: dict[str, dict[str, object]] = {}
    for alias, params in tasks.items():
        queues: list[str] | None = None
        queues_as_set = False
        capabilities: dict[str, bool] | None = None
        task_class: str | None = None
        task_options: list[str] | None = None
        try:
            backend_class = import_string(params["BACKEND"])
            # Django checks a task against the backend it builds from these settings: some
            # backends compute their queues or capabilities in __init__ (from OPTIONS).
            backend = backend_class(alias=alias, params=params)
            accepted = {str(queue) for queue in backend.queues}
            capabilities = {name: bool(getattr(backend, name)) for name in CAPABILITIES}
            queues = sorted(accepted) or None  # empty: Django accepts any queue
            queues_as_set = accepted == {str(q) for q in params.get("QUEUES", ["default"])}
            task_class, task_options = _task_class_options(backend_class)
        except Exception:
            queues, capabilities = None, None
        described[str(alias)] = {
            "backend": str(params.get("BACKEND", "")),
            "queues": queues,
            "queues_as_set": queues_as_set,
            "capabilities": capabilities,
            "task_class": task_class,
            "task_options": task_options,
        }
    return described


def _task_class_options(backend: type) -> tuple[str | None, list[str] | None]:
    """The dotted path of ``backend.task_class`` and the options ``@task(...)`` may pass."""
    import dataclasses

    task_class = getattr(backend, "task_class", None)
    if not isinstance(task_class, type):
        return None, None
    path = f"{task_class.__module__}.{task_class.__qualname__}"
    if not dataclasses.is_dataclass(task_class):
        return path, None
    fields = {field.name for field in dataclasses.fields(task_class) if field.init}
    options = fields - _NOT_DECORATOR_OPTIONS
    if not _decorator_forwards_options(backend):
        options &= set(DECORATOR_OPTIONS)
    return path, sorted(options)


def _decorator_forwards_options(backend: type) -> bool:
    """Whether the ``task`` decorator of the backend's package passes other keywords on to its
    ``task_class``: the backport's and Django 6.1's do, Django 6.0's does not."""
    import importlib
    import inspect

    package = "django.tasks"
    for klass in backend.__mro__:
        if klass.__module__.partition(".")[0] == "django_tasks":
            package = "django_tasks"
            break
    decorator = importlib.import_module(f"{package}.base").task
    parameters = inspect.signature(decorator).parameters.values()
    return any(parameter.kind is inspect.Parameter.VAR_KEYWORD for parameter in parameters)
