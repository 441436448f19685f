"""The mypy plugin: answers mypy's "which hook for this name?" and what the reports depend on.

The hooks themselves (``hooks``) are made, and the checks imported, when mypy first asks for
one of ours: a run with nothing to check (a warm cache) pays only for this module.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeVar

from mypy.nodes import TypeInfo, Var
from mypy.options import Options
from mypy.plugin import (
    FunctionContext,
    FunctionSigContext,
    MethodContext,
    MethodSigContext,
    Plugin,
    ReportConfigContext,
)
from mypy.types import FunctionLike, Type

# errorcodes: registered at import, before mypy checks the codes named in its configuration.
from mypy_plugin import errorcodes, fullnames  # noqa: F401
from mypy_plugin.config import read_settings_module
from mypy_plugin.safety import STRICT_ERRORS, contained
from mypy_plugin.settings import TasksSettings, read_tasks_settings

if TYPE_CHECKING:
    from mypy_plugin.hooks import Hooks


def source_digest(package: Path) -> str:
    """A checksum of the plugin's own source, so that any change to it refreshes mypy's cache.

    mypy hashes only the module named in ``plugins`` (``typed_tasks.mypy``), not this package.
    Paid by every run, warm ones included, so as cheaply as it can be: CRC-32, not a
    cryptographic hash (it only has to notice an edit), over each file read with ``os.read``
    (no file object); SHA-256 over file objects took five times the instructions.
    """
    checksum = 0
    for name in sorted(os.listdir(package)):
        if name.endswith(".py"):
            checksum = zlib.crc32(name.encode(), checksum)
            descriptor = os.open(os.path.join(package, name), os.O_RDONLY)
            try:
                while chunk := os.read(descriptor, 1 << 16):
                    checksum = zlib.crc32(chunk, checksum)
            finally:
                os.close(descriptor)
    return f"{checksum:08x}"


PLUGIN_VERSION: Final = source_digest(Path(__file__).parent)

# Packages that a daemon run never re-checks from the user's edits (the standard library's
# stubs, Django's): a name in them keeps its meaning for the life of the process, so "not
# task-related" can be remembered for it. Not "test": CPython's has no stubs, and a project
# may call its own package so.
_FIXED_PACKAGES: Final = frozenset({*sys.stdlib_module_names, "typing_extensions", "django"}) - {
    "test"
}


H = TypeVar("H")


class _NotYet:
    """What ``decide`` answers when the answer depends on a type mypy has not inferred yet."""


NOT_YET: Final = _NotYet()


class _HookTable(dict[str, H | None]):
    """fullname -> hook (None: no hook), as ``decide`` answers, remembered.

    mypy asks for the hooks of every call, method call and operator in the program, tens of
    thousands of times in a large one; a name seen before is answered by a dict look-up.

    A name keeps its meaning for the whole of a ``mypy`` run. A daemon (``fixed_only``)
    re-checks the user's edits in the same process, so there the table remembers only
    names in _FIXED_PACKAGES (and mypy's "<list>", "<dict>"... for displays). An answer of
    ``NOT_YET`` is "no hook" this time and is never remembered: mypy asks again on the
    pass where it has inferred what the answer depends on.
    """

    def __init__(self, decide: Callable[[str], H | _NotYet | None], *, fixed_only: bool) -> None:
        super().__init__()
        self._decide = decide
        self._fixed_only = fixed_only

    def __missing__(self, fullname: str) -> H | None:
        hook = self._decide(fullname)
        if isinstance(hook, _NotYet):
            return None
        if (
            not self._fixed_only
            or fullname.startswith("<")
            or fullname.partition(".")[0] in _FIXED_PACKAGES
        ):
            self[fullname] = hook
        return hook


# The hooks of mypy's Plugin this plugin does not use: each answers None for every name.
_HOOKS_NOT_USED: Final = (
    "get_type_analyze_hook",
    "get_attribute_hook",
    "get_class_attribute_hook",
    "get_class_decorator_hook",
    "get_class_decorator_hook_2",
    "get_metaclass_hook",
    "get_base_class_hook",
    "get_customize_class_mro_hook",
    "get_dynamic_class_hook",
)
_NO_HOOKS: Final[dict[str, None]] = {}


class TypedTasksPlugin(Plugin):
    def __init__(self, options: Options) -> None:
        super().__init__(options)
        self._settings_module: str | None = None
        with contained():
            self._settings_module = read_settings_module(options.config_file)
        self._settings: TasksSettings | None = None
        self._settings_read = False
        self._config_digest: str | None = None
        self._hooks: Hooks | None = None
        daemon = options.fine_grained_incremental
        self._function_hooks = _HookTable(self._function_hook, fixed_only=daemon)
        self._method_hooks = _HookTable(self._method_hook, fixed_only=daemon)
        # Which calls get a signature hook depends on their names alone.
        self._function_signature_hooks = _HookTable(self._function_signature_hook, fixed_only=False)
        self._method_signature_hooks = _HookTable(self._method_signature_hook, fixed_only=False)
        # mypy asks every plugin for its hooks for every call, annotation, class and
        # attribute in the program, and reaches a plugin written in Python by looking the
        # method up by name on the instance. Each answer here is a C method set on the
        # instance over the method of the same name: a table's own ``__getitem__`` (only a
        # name not seen before runs ``__missing__``), and for the hooks this plugin has
        # none of, the ``get`` of an empty dict. Neither runs a Python frame or binds a
        # method per question. The methods below say the same for a caller that reads
        # them from the class.
        for method, table in (
            ("get_function_hook", self._function_hooks),
            ("get_method_hook", self._method_hooks),
            ("get_function_signature_hook", self._function_signature_hooks),
            ("get_method_signature_hook", self._method_signature_hooks),
        ):
            setattr(self, method, table.__getitem__)
        for method in _HOOKS_NOT_USED:
            setattr(self, method, _NO_HOOKS.get)

    def tasks_settings(self) -> TasksSettings | None:
        """``settings.TASKS`` of the configured settings module, read once per process."""
        if not self._settings_read:
            self._settings_read = True
            module = self._settings_module
            search_path = list(self.options.mypy_path)
            with contained():
                self._settings = read_tasks_settings(module, search_path) if module else None
        return self._settings

    def hooks(self) -> Hooks:
        """The plugin's hooks, made (and the checks imported) the first time one is needed."""
        if self._hooks is None:
            from mypy_plugin.hooks import Hooks  # here: see the module docstring

            self._hooks = Hooks(self.tasks_settings, self.lookup_fully_qualified)
        return self._hooks

    def get_function_hook(self, fullname: str) -> Callable[[FunctionContext], Type] | None:
        return self._function_hooks[fullname]

    def get_function_signature_hook(
        self, fullname: str
    ) -> Callable[[FunctionSigContext], FunctionLike] | None:
        return self._function_signature_hooks[fullname]

    def get_method_hook(self, fullname: str) -> Callable[[MethodContext], Type] | None:
        return self._method_hooks[fullname]

    def get_method_signature_hook(
        self, fullname: str
    ) -> Callable[[MethodSigContext], FunctionLike] | None:
        return self._method_signature_hooks[fullname]

    def _function_hook(self, fullname: str) -> Callable[[FunctionContext], Type] | _NotYet | None:
        if fullname in fullnames.TASK_DECORATORS:
            return self.hooks().task_call
        if fullname == fullnames.APPLY_TASK_DECORATOR:
            return self.hooks().apply
        stored = self._is_stored_task_decorator(fullname)
        if isinstance(stored, _NotYet):
            return stored
        return self.hooks().apply if stored else None

    def _method_hook(self, fullname: str) -> Callable[[MethodContext], Type] | None:
        task_method = self._task_method(fullname)
        if task_method in ("enqueue", "aenqueue"):
            return self.hooks().enqueue
        if task_method == "using":
            return self.hooks().using
        if fullname in fullnames.TYPED_TASK_DECORATOR_CALLS:
            return self.hooks().typed_apply
        return None

    def _function_signature_hook(
        self, fullname: str
    ) -> Callable[[FunctionSigContext], FunctionLike] | None:
        if fullname in fullnames.DECORATORS_WITH_FIXED_OPTIONS:
            return self.hooks().accept_options
        return None

    def _method_signature_hook(
        self, fullname: str
    ) -> Callable[[MethodSigContext], FunctionLike] | None:
        if fullname in fullnames.TYPED_CONTEXT_TASK_DECORATOR_CALLS:
            return self.hooks().accept_any_context_function
        if fullname in fullnames.TASK_DIRECT_CALLS:
            return self.hooks().context_first
        return None

    def _is_stored_task_decorator(self, fullname: str) -> bool | _NotYet:
        """Whether ``fullname`` is a variable holding what ``django.tasks.task(...)`` returned.

        ``email_task = task(queue_name="emails")`` then ``@email_task``: mypy names the call
        after the variable, not after the callable the variable holds. ``NOT_YET`` while the
        variable's type is not inferred (a module of the same import cycle not checked yet):
        mypy defers the use and asks again.
        """
        with contained():
            symbol = self.lookup_fully_qualified(fullname)
            node = symbol.node if symbol is not None else None
            if not isinstance(node, Var):
                return False
            if node.type is None:
                return NOT_YET
            return self.hooks().is_task_decorator(node.type)
        return False

    def _task_method(self, fullname: str) -> str | None:
        """The method's name if ``fullname`` is a method of ``Task`` or of a subclass.

        A subclass that overrides a method (typed_tasks' ``ContextTask.using``, a backend's
        own ``task_class``) names it under its own class.
        """
        class_name, _, method = fullname.rpartition(".")
        if method not in fullnames.TASK_METHODS:
            return None
        if class_name in fullnames.TASK_CLASSES:
            return method
        symbol = self.lookup_fully_qualified(class_name)
        node = symbol.node if symbol is not None else None
        if isinstance(node, TypeInfo):
            for base in node.mro:
                if base.fullname in fullnames.TASK_CLASSES:
                    return method
        return None

    def config_data(self) -> dict[str, object]:
        """What the plugin's reports depend on beyond the code being checked."""
        settings = self.tasks_settings()
        return {
            "version": PLUGIN_VERSION,
            "strict_errors": STRICT_ERRORS,
            "django_settings_module": self._settings_module,
            "tasks": settings.raw if settings is not None else None,
        }

    def report_config_data(self, ctx: ReportConfigContext) -> Any:
        """A digest of ``config_data()``: mypy stores it in every module's cache entry (stubs
        included) and compares it on every run, so one short string, made once."""
        if self._config_digest is None:
            text = json.dumps(self.config_data(), sort_keys=True)
            self._config_digest = hashlib.sha256(text.encode()).hexdigest()
        return self._config_digest


def plugin(version: str) -> type[Plugin]:
    """mypy's entry point."""
    return TypedTasksPlugin
