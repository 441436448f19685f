"""The least a plugin that checks tasks can cost: a mypy plugin whose hooks sit where
typed_tasks' do (the task decorators, ``Task.enqueue``/``aenqueue``/``using``) and return
mypy's own inference untouched. Measured by ``benchmarks.instructions`` as a second baseline:
what is left between it and typed_tasks is typed_tasks' own work.
"""

from collections.abc import Callable

from mypy.plugin import FunctionContext, MethodContext, Plugin
from mypy.types import Type

_METHODS = frozenset(f"django.tasks.base.Task.{name}" for name in ("enqueue", "aenqueue", "using"))
_FUNCTIONS = frozenset({"django.tasks.base.task", "typed_tasks.decorator.task"})


def _function_unchanged(ctx: FunctionContext) -> Type:
    return ctx.default_return_type


def _method_unchanged(ctx: MethodContext) -> Type:
    return ctx.default_return_type


class FloorPlugin(Plugin):
    def get_function_hook(self, fullname: str) -> Callable[[FunctionContext], Type] | None:
        return _function_unchanged if fullname in _FUNCTIONS else None

    def get_method_hook(self, fullname: str) -> Callable[[MethodContext], Type] | None:
        return _method_unchanged if fullname in _METHODS else None


def plugin(version: str) -> type[Plugin]:
    return FloorPlugin
