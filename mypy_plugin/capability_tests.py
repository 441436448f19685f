"""Where the code tests a backend's capability at run time, and what it then knows.

``if task.get_backend().supports_defer: task = task.using(run_after=...)`` is right on a
backend without ``supports_defer``: the code asks first. The plugin cannot know which way
such a test goes, so from the statement that reads ``supports_defer`` (or
``supports_priority``, ``supports_async_task``) to the end of its function (or of the
``if``, outside a function) the checks treat that capability as unknown and stay silent
about it. Read as an attribute (``backend.supports_defer``) or with
``getattr(backend, "supports_defer", ...)``, in an ``if`` or ``elif`` condition, an
``assert``, or the value of an assignment (``can_defer = ...``, a conditional expression).

What the other checks know (queues, backend aliases, the other capabilities) still holds
there.
"""

from __future__ import annotations

from typing import Final

from mypy.nodes import (
    AssertStmt,
    AssignmentExpr,
    AssignmentStmt,
    CallExpr,
    ComparisonExpr,
    ConditionalExpr,
    Expression,
    IfStmt,
    IndexExpr,
    ListExpr,
    MemberExpr,
    NameExpr,
    OpExpr,
    Statement,
    StrExpr,
    TupleExpr,
    UnaryExpr,
)

from mypy_plugin.memo import BuildMemo
from mypy_plugin.settings import CAPABILITIES, TasksSettings

_CAPABILITIES: Final = frozenset(CAPABILITIES)
_MAX_DEPTH: Final = 12  # deeper expressions are not followed: the test is near the top


class CapabilityTest:
    """Lines ``start``..``end`` of a module, where the code has read ``capabilities``."""

    __slots__ = ("capabilities", "end", "start")

    def __init__(self, start: int, end: int, capabilities: frozenset[str]) -> None:
        self.start: Final = start
        self.end: Final = end
        self.capabilities: Final = capabilities


def tested_by(statement: Statement) -> frozenset[str]:
    """The capabilities a statement reads where it decides what runs (none for most)."""
    if isinstance(statement, IfStmt):
        return frozenset().union(*[_reads(condition) for condition in statement.expr])
    if isinstance(statement, AssertStmt):
        return _reads(statement.expr)
    if isinstance(statement, AssignmentStmt):
        return _reads(statement.rvalue)
    return frozenset()


def untested(settings: TasksSettings, capabilities: frozenset[str]) -> TasksSettings:
    """``settings`` with ``capabilities`` unknown on every backend; made once per pair."""
    key = (id(settings), capabilities)
    remembered = _UNTESTED.get(key)
    if remembered is not None and remembered[0] is settings:
        return remembered[1]
    backends = {
        alias: backend.with_unknown(capabilities) for alias, backend in settings.backends.items()
    }
    made = TasksSettings(backends, settings.raw, settings.origin)
    _UNTESTED.remember(key, (settings, made))
    return made


# By the id of the settings (kept alive in the entry, so the id is not reused) and the
# capabilities: the settings a guarded call is checked against. Few: one per pair.
_UNTESTED: Final[BuildMemo[tuple[int, frozenset[str]], tuple[TasksSettings, TasksSettings]]] = (
    BuildMemo(1_000)
)


def _reads(expr: Expression | None) -> frozenset[str]:
    if expr is None:
        return frozenset()
    found: set[str] = set()
    _read(expr, found, 0)
    return frozenset(found)


def _read(expr: Expression, found: set[str], depth: int) -> None:
    """Add to ``found`` the capabilities ``expr`` reads."""
    if depth > _MAX_DEPTH:
        return
    depth += 1
    if isinstance(expr, MemberExpr):
        if expr.name in _CAPABILITIES:
            found.add(expr.name)
        _read(expr.expr, found, depth)
    elif isinstance(expr, CallExpr):
        if (
            isinstance(expr.callee, NameExpr)
            and expr.callee.name == "getattr"
            and len(expr.args) >= 2
            and isinstance(expr.args[1], StrExpr)
            and expr.args[1].value in _CAPABILITIES
        ):
            found.add(expr.args[1].value)
        _read(expr.callee, found, depth)
        for argument in expr.args:
            _read(argument, found, depth)
    elif isinstance(expr, OpExpr):
        _read(expr.left, found, depth)
        _read(expr.right, found, depth)
    elif isinstance(expr, UnaryExpr):
        _read(expr.expr, found, depth)
    elif isinstance(expr, ComparisonExpr):
        for operand in expr.operands:
            _read(operand, found, depth)
    elif isinstance(expr, ConditionalExpr):
        _read(expr.cond, found, depth)
        _read(expr.if_expr, found, depth)
        _read(expr.else_expr, found, depth)
    elif isinstance(expr, AssignmentExpr):
        _read(expr.value, found, depth)
    elif isinstance(expr, IndexExpr):
        _read(expr.base, found, depth)
    elif isinstance(expr, TupleExpr | ListExpr):
        for item in expr.items:
            _read(item, found, depth)
