"""The hooks mypy calls, each wrapped so that it never crashes mypy, routed to the module
that handles it.

Definitions (every decorator form) go to ``decorator_forms``, ``Task.using`` to ``using``,
``Task.enqueue``/``aenqueue`` call sites to ``calls``. The plugin makes one ``Hooks`` when
mypy first asks for a hook of ours (see ``main``), so a run with nothing to check never
imports the checks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from mypy.nodes import SymbolTableNode
from mypy.plugin import (
    CheckerPluginInterface,
    FunctionContext,
    FunctionSigContext,
    MethodContext,
    MethodSigContext,
)
from mypy.types import FunctionLike, Type

from mypy_plugin import calls, context_call, decorator_forms, task_class_options, using
from mypy_plugin.definitions import Environment
from mypy_plugin.memo import forget_build
from mypy_plugin.reporting import in_failed_overload_item
from mypy_plugin.safety import STRICT_ERRORS
from mypy_plugin.settings import TasksSettings


class _TypeHookContext(Protocol):
    @property
    def api(self) -> CheckerPluginInterface: ...
    @property
    def default_return_type(self) -> Type: ...


Ctx = TypeVar("Ctx", bound=_TypeHookContext)
SigCtx = TypeVar("SigCtx", FunctionSigContext, MethodSigContext)


def _entry(hook: Callable[[Ctx], Type], *, definition: bool = False) -> Callable[[Ctx], Type]:
    """``hook`` as mypy calls it: never crashing.

    If the hook raises, mypy's own inference stands (see ``safety``). A ``try`` rather than
    ``with contained()``: it runs around every hooked call, and costs nothing unless raised.
    ``definition``: a hook that makes a task, skipped in an overload item mypy has already
    rejected (typed_tasks' ``task`` tries the ``async def`` form first); the item that
    matches calls it again.
    """

    def run(ctx: Ctx) -> Type:
        if definition and in_failed_overload_item(ctx.api):
            return ctx.default_return_type
        try:
            return hook(ctx)
        except Exception:
            if STRICT_ERRORS:
                raise
            return ctx.default_return_type

    return run


def _signature_entry(
    hook: Callable[[SigCtx], FunctionLike],
) -> Callable[[SigCtx], FunctionLike]:
    def run(ctx: SigCtx) -> FunctionLike:
        try:
            return hook(ctx)
        except Exception:
            if STRICT_ERRORS:
                raise
            return ctx.default_signature

    return run


class Hooks:
    """Every hook of the plugin, made once: mypy asks for the hook of every call it checks."""

    def __init__(
        self,
        settings: Callable[[], TasksSettings | None],
        lookup: Callable[[str], SymbolTableNode | None],
    ) -> None:
        self._settings = settings
        self._lookup = lookup
        forget_build()  # a new plugin means a new build: see ``memo``
        self._environment: Environment | None = None
        self.task_call = _entry(self._on_task_call, definition=True)
        self.apply = _entry(self._on_apply, definition=True)
        self.typed_apply = _entry(self._on_typed_apply, definition=True)
        self.enqueue = _entry(calls.enqueue_hook)
        self.using = _entry(self._on_using)
        self.accept_options = _signature_entry(self._accept_options)
        self.accept_any_context_function = _signature_entry(
            decorator_forms.accept_any_context_function
        )
        self.context_first = _signature_entry(self._on_direct_call)

    @staticmethod
    def is_task_decorator(typ: Type) -> bool:
        """Whether a variable of type ``typ`` holds what ``django.tasks.task(...)`` returned."""
        return decorator_forms.is_task_decorator(typ)

    def environment(self) -> Environment:
        if self._environment is None:
            self._environment = Environment(self._settings(), self._lookup)
        return self._environment

    def _on_task_call(self, ctx: FunctionContext) -> Type:
        return decorator_forms.on_task_call(ctx, self.environment())

    def _on_apply(self, ctx: FunctionContext) -> Type:
        return decorator_forms.on_apply(ctx, self.environment())

    def _on_typed_apply(self, ctx: MethodContext) -> Type:
        return decorator_forms.on_typed_apply(ctx, self.environment())

    def _accept_options(self, ctx: FunctionSigContext) -> FunctionLike:
        return task_class_options.accept_task_class_options(ctx, self.environment())

    def _on_direct_call(self, ctx: MethodSigContext) -> FunctionLike:
        return context_call.context_first(ctx, self.environment())

    def _on_using(self, ctx: MethodContext) -> Type:
        return using.on_using(ctx, self._settings())
