"""Which settings a call is checked against: ``TASKS`` overridden in tests, and the
capabilities the code tests at run time (``capability_tests``).

Tests set ``TASKS`` for their own scope, and the backend checks must read that instead of the
settings module. Followed, where written in the module being checked:

* ``@override_settings(TASKS=...)`` on a function or a class (``django.test`` or
  ``django.test.utils``): the function's or the class's body;
* ``with override_settings(TASKS=...)`` and ``with self.settings(TASKS=...)`` (in a
  ``SimpleTestCase``): the ``with`` block;
* pytest-django's ``settings.TASKS = ...`` (``settings`` a parameter of the function, the
  fixture): the rest of the function.

A literal dict becomes the settings of its scope (a backend class it shares with the settings
module has the capabilities it had there; another class's are unknown, and so are the queues
of a class that does not take them from its ``QUEUES`` setting). Anything else (a name,
``{**settings.TASKS, ...}``, ``settings.TASKS["x"] = ...``) makes its scope unknown: the checks
stay silent there. The innermost override wins.

A statement that reads a backend's capability (``if backend.supports_defer:``) makes that
capability unknown from there to the end of its function, whichever settings apply.

The scopes are found once per module, by a walk over its statements (not its expressions),
the first time a check in that module needs settings; a call then costs a dict lookup. They
depend only on the module's own syntax tree and the settings, so they hold under mypy's
cache, ``dmypy`` and ``-n``.
"""

from __future__ import annotations

from typing import Final

from mypy.nodes import (
    AssignmentStmt,
    Block,
    CallExpr,
    ClassDef,
    Context,
    Decorator,
    DictExpr,
    Expression,
    ExpressionStmt,
    ForStmt,
    FuncDef,
    IfStmt,
    Import,
    ImportAll,
    ImportFrom,
    IndexExpr,
    ListExpr,
    MatchStmt,
    MemberExpr,
    MypyFile,
    NameExpr,
    OperatorAssignmentStmt,
    OverloadedFuncDef,
    PassStmt,
    RefExpr,
    ReturnStmt,
    Statement,
    StrExpr,
    TryStmt,
    TupleExpr,
    TypeInfo,
    WhileStmt,
    WithStmt,
)
from mypy.plugin import CheckerPluginInterface

from mypy_plugin.capability_tests import CapabilityTest, tested_by, untested
from mypy_plugin.memo import BuildMemo
from mypy_plugin.settings import Backend, TasksSettings

OVERRIDE_SETTINGS: Final = frozenset(
    {"django.test.utils.override_settings", "django.test.override_settings"}
)
SIMPLE_TEST_CASE: Final = "django.test.testcases.SimpleTestCase"
_TASKS: Final = "TASKS"
_DEFAULT_QUEUES: Final = frozenset({"default"})  # Django's, when QUEUES is not given
# Backends whose queues are their QUEUES setting (Django's, the backport's, django-tasks-db's).
_OWN_BACKENDS: Final = ("django.tasks.backends.", "django_tasks.backends.", "django_tasks_db.")


class _Scope:
    """Lines ``start``..``end`` of a module run with ``tasks`` (None: not known)."""

    __slots__ = ("end", "start", "tasks")

    def __init__(self, start: int, end: int, tasks: TasksSettings | None) -> None:
        self.start: Final = start
        self.end: Final = end
        self.tasks: Final = tasks


def tasks_at(
    api: CheckerPluginInterface, context: Context, settings: TasksSettings
) -> TasksSettings | None:
    """The ``TASKS`` that apply where ``context`` is: an override's, or ``settings``.

    None where an override that is not a literal applies: nothing is known there.
    """
    tree = getattr(api, "tree", None)
    if not isinstance(tree, MypyFile):
        return settings
    statements = tree.defs
    remembered = _SCOPES.get(id(statements))
    if remembered is None or remembered[0] is not statements:
        walk = _Walk(settings)
        walk.module(tree)
        remembered = _SCOPES.remember(id(statements), (statements, walk.scopes, walk.tests))
    _, scopes, tests = remembered
    if not scopes and not tests:
        return settings  # the common module: no override, no capability tested
    line = context.line
    innermost: _Scope | None = None
    for scope in scopes:
        if scope.start <= line <= scope.end and (
            innermost is None or scope.start >= innermost.start
        ):
            innermost = scope
    applied = settings if innermost is None else innermost.tasks
    if applied is None or not tests:
        return applied
    tested: frozenset[str] = frozenset()
    for test in tests:
        if test.start <= line <= test.end:
            tested |= test.capabilities
    return untested(applied, tested) if tested else applied


# Per module: its override scopes and capability tests, by the id of the list of its
# top-level statements (kept alive with them). Not by the module's node: a daemon merges an
# edited module's new syntax tree into the old node, whose statements are then a new list.
_SCOPES: Final[BuildMemo[int, tuple[list[Statement], list[_Scope], list[CapabilityTest]]]] = (
    BuildMemo(10_000)
)


class _Walk:
    """The override scopes of one module, found by a walk over its statements."""

    def __init__(self, settings: TasksSettings) -> None:
        self._settings = settings
        self.scopes: list[_Scope] = []
        self.tests: list[CapabilityTest] = []

    def module(self, tree: MypyFile) -> None:
        self._statements(tree.defs, None, None)

    def _statements(
        self, body: list[Statement], function: FuncDef | None, info: TypeInfo | None
    ) -> None:
        for statement in body:
            self._statement(statement, function, info)

    def _statement(
        self, statement: Statement, function: FuncDef | None, info: TypeInfo | None
    ) -> None:
        if type(statement) in _SIMPLE_STATEMENTS:  # most statements: nothing nested, one test
            return
        tested = tested_by(statement)
        if tested:
            end = function.end_line if function is not None else statement.end_line
            self.tests.append(CapabilityTest(statement.line, end or statement.line, tested))
        if isinstance(statement, Decorator):
            self._decorated(statement.decorators, statement.func)
            self._statements(statement.func.body.body, statement.func, info)
        elif isinstance(statement, FuncDef):
            self._statements(statement.body.body, statement, info)
        elif isinstance(statement, OverloadedFuncDef):
            for item in statement.items:
                self._statement(item, function, info)
        elif isinstance(statement, ClassDef):
            self._decorated(statement.decorators, statement)
            self._statements(statement.defs.body, None, statement.info)
        elif isinstance(statement, WithStmt):
            for manager in statement.expr:
                self._with(manager, statement.body, info)
            self._statements(statement.body.body, function, info)
        elif isinstance(statement, AssignmentStmt):
            if function is not None and _assigns_tasks(statement, function):
                value = statement.rvalue
                literal = value if isinstance(value, DictExpr) and _is_whole(statement) else None
                origin = f"the settings.TASKS set on line {statement.line}"
                end = function.end_line or statement.line
                self._add(statement.line, end, literal, origin)
        else:
            for block in _blocks(statement):
                self._statements(block.body, function, info)

    def _decorated(self, decorators: list[Expression], target: FuncDef | ClassDef) -> None:
        for decorator in decorators:
            if _is_override_settings(decorator):
                assert isinstance(decorator, CallExpr)
                self._override(decorator, target.line, target.end_line, "override_settings(...)")

    def _with(self, manager: Expression, body: Block, info: TypeInfo | None) -> None:
        if _is_override_settings(manager):
            name = "override_settings(...)"
        elif _is_test_case_settings(manager, info):
            name = "self.settings(...)"
        else:
            return
        assert isinstance(manager, CallExpr)
        self._override(manager, body.line, body.end_line, name)

    def _override(self, call: CallExpr, start: int, end: int | None, name: str) -> None:
        for index, keyword in enumerate(call.arg_names):
            if keyword == _TASKS:
                value = call.args[index]
                literal = value if isinstance(value, DictExpr) else None
                origin = f"the TASKS of {name} on line {call.line}"
                self._add(start, end or start, literal, origin)

    def _add(self, start: int, end: int, literal: DictExpr | None, origin: str) -> None:
        tasks = _literal_tasks(literal, self._settings, origin) if literal is not None else None
        self.scopes.append(_Scope(start, end, tasks))


def _is_override_settings(expr: Expression) -> bool:
    return (
        isinstance(expr, CallExpr)
        and isinstance(expr.callee, RefExpr)
        and expr.callee.fullname in OVERRIDE_SETTINGS
    )


def _is_test_case_settings(expr: Expression, info: TypeInfo | None) -> bool:
    """``self.settings(...)`` in a method of a ``SimpleTestCase`` (Django's test cases)."""
    if not (isinstance(expr, CallExpr) and isinstance(expr.callee, MemberExpr)):
        return False
    owner = expr.callee.expr
    return (
        expr.callee.name == "settings"
        and isinstance(owner, NameExpr)
        and owner.name == "self"
        and info is not None
        and info.has_base(SIMPLE_TEST_CASE)
    )


def _assigns_tasks(statement: AssignmentStmt, function: FuncDef) -> bool:
    """``settings.TASKS = ...`` or ``settings.TASKS[...] = ...``, ``settings`` a parameter."""
    for target in statement.lvalues:
        while isinstance(target, IndexExpr):
            target = target.base
        if (
            isinstance(target, MemberExpr)
            and target.name == _TASKS
            and isinstance(target.expr, NameExpr)
            and target.expr.name == "settings"
            and "settings" in function.arg_names
        ):
            return True
    return False


def _is_whole(statement: AssignmentStmt) -> bool:
    """Whether the assignment replaces ``settings.TASKS`` (not one of its entries)."""
    return all(isinstance(target, MemberExpr) for target in statement.lvalues)


# Statements with no statements nested in them (an expression, an import...).
_SIMPLE_STATEMENTS: Final = frozenset(
    {ExpressionStmt, Import, ImportFrom, ImportAll, PassStmt, ReturnStmt, OperatorAssignmentStmt}
)
_LOOPS: Final = (ForStmt, WhileStmt)


def _blocks(statement: Statement) -> list[Block]:
    """The blocks of statements nested in a compound statement."""
    if isinstance(statement, IfStmt):
        return [*statement.body, *([statement.else_body] if statement.else_body else [])]
    if isinstance(statement, _LOOPS):
        return [statement.body, *([statement.else_body] if statement.else_body else [])]
    if isinstance(statement, TryStmt):
        optional = [statement.else_body, statement.finally_body]
        return [statement.body, *statement.handlers, *[b for b in optional if b]]
    if isinstance(statement, MatchStmt):
        return list(statement.bodies)
    return []


def _literal_tasks(literal: DictExpr, settings: TasksSettings, origin: str) -> TasksSettings | None:
    """The settings a literal ``TASKS`` dict describes; None if any part of it is not a literal.

    A backend class also configured in the settings module has its capabilities there;
    another's are unknown (its class is not imported during type checking).
    """
    capabilities = {backend.path: backend.capabilities for backend in settings.backends.values()}
    # Whose QUEUES setting is what it accepts: Django's own backends, and a class of the
    # settings module that was seen to. Another class may compute its queues when built.
    queues_as_set = {
        backend.path for backend in settings.backends.values() if backend.queues_as_set
    }
    backends: dict[str, Backend] = {}
    for key, value in literal.items:
        if not (isinstance(key, StrExpr) and isinstance(value, DictExpr)):
            return None
        path: str | None = None
        queues: frozenset[str] | None = _DEFAULT_QUEUES
        for option, option_value in value.items:
            if not isinstance(option, StrExpr):
                return None
            if option.value == "BACKEND":
                if not isinstance(option_value, StrExpr):
                    return None
                path = option_value.value
            elif option.value == "QUEUES":
                names = _literal_strings(option_value)
                if names is None:
                    return None
                queues = frozenset(names) or None  # empty: any queue
        if path is None:
            return None
        if path not in queues_as_set and not path.startswith(_OWN_BACKENDS):
            queues = None
        backends[key.value] = Backend(
            key.value,
            path,
            queues,
            capabilities.get(path),
            origin,
            queues_as_set=queues is not None,
        )
    return TasksSettings(backends, {}, origin)


def _literal_strings(expr: Expression) -> list[str] | None:
    if not isinstance(expr, ListExpr | TupleExpr):
        return None
    names = [item.value for item in expr.items if isinstance(item, StrExpr)]
    return names if len(names) == len(expr.items) else None
