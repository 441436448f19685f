"""task-location: the worker imports a task by ``module.function``, so it must live there.

Django rejects a nested function when the task is made; a method passes that check but
the worker cannot import ``module.Class.method`` back.
"""

from __future__ import annotations

from typing import Final

from mypy.nodes import AssignmentStmt, CallExpr, Context, FuncDef, MypyFile, NameExpr, Statement
from mypy.plugin import CheckerPluginInterface

from mypy_plugin.errorcodes import TASK_LOCATION
from mypy_plugin.memo import BuildMemo
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


def check_binding(api: CheckerPluginInterface, func: FuncDef, call: CallExpr) -> None:
    """``send = task(...)(send_invoice_email)`` at module level: the task's module path names
    the function (``module.send_invoice_email``), which the module still binds to the plain
    function, so the worker imports that and fails. Right only when the variable has the
    function's name, in the function's own module.
    """
    tree = getattr(api, "tree", None)
    if func.info or "." not in func.fullname or not isinstance(tree, MypyFile):
        return  # a method or a nested function: check_location reports it
    variable = _module_level_targets(tree).get(id(call))
    if variable is None:
        return  # not bound at module level: a task made on the fly (in a test) runs here
    module = func.fullname.rpartition(".")[0]
    if variable == func.name and module == tree.fullname:
        return
    note = (
        f'decorate "{func.name}" with @task instead, or name the variable "{func.name}"'
        if module == tree.fullname
        else f'decorate "{func.name}" with @task where it is defined, in "{module}"'
    )
    emit(
        api,
        call,
        TASK_LOCATION,
        f'task "{variable}" is bound under another name: the worker imports '
        f'"{func.fullname}", which is not a task but the plain function',
        note,
    )


def _module_level_targets(tree: MypyFile) -> dict[int, str]:
    """id of the call on the right of each ``name = call(...)`` at module level -> name."""
    statements = tree.defs
    remembered = _TARGETS.get(id(statements))
    if remembered is None or remembered[0] is not statements:
        targets = {
            id(statement.rvalue): statement.lvalues[0].name
            for statement in statements
            if isinstance(statement, AssignmentStmt)
            and isinstance(statement.rvalue, CallExpr)
            and len(statement.lvalues) == 1
            and isinstance(statement.lvalues[0], NameExpr)
        }
        remembered = _TARGETS.remember(id(statements), (statements, targets))
    return remembered[1]


# By the id of a module's list of statements (see ``overrides._SCOPES``), kept alive with it.
_TARGETS: Final[BuildMemo[int, tuple[list[Statement], dict[int, str]]]] = BuildMemo(10_000)
