"""task-location: the worker imports a task by ``module.function``, so it must live there.

Django rejects a nested function when the task is made; a method passes that check but
the worker cannot import ``module.Class.method`` back.
"""

from __future__ import annotations

from mypy.nodes import Context, FuncDef
from mypy.plugin import CheckerPluginInterface

from mypy_plugin.errorcodes import TASK_LOCATION
from mypy_plugin.messages import emit


def check_location(api: CheckerPluginInterface, func: FuncDef, context: Context) -> None:
    if func.info:
        emit(
            api,
            context,
            TASK_LOCATION,
            f'task "{func.name}" is a method of "{func.info.name}"; the worker cannot import it',
            f'define "{func.name}" as a module-level function',
        )
    elif "." not in func.fullname:
        # mypy gives a function defined inside another function its bare name.
        emit(
            api,
            context,
            TASK_LOCATION,
            f'task "{func.name}" is defined inside a function; the worker cannot import it',
            f'move "{func.name}" to module level',
        )


def report_class(api: CheckerPluginInterface, name: str, context: Context) -> None:
    """A class made a task: Django's ``validate_task`` rejects it (not a function)."""
    emit(
        api,
        context,
        TASK_LOCATION,
        f'"{name}" is a class; Django accepts only a module-level function as a task',
        f'decorate a module-level function that uses "{name}"',
    )
