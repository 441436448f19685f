"""The plugin's answers to mypy's "which hook for this name?", asked for every call.

In a ``mypy`` run every answer is remembered: a name keeps its meaning for the run. Under
the daemon only answers for names whose meaning cannot change while it runs (the standard
library, Django) are; answers for the project's own names are decided afresh each time, or
a dmypy session would keep a stale answer after an edit.
"""

import importlib
import inspect
import subprocess
import sys
import typing
from typing import Any

import pytest
from mypy.nodes import GDEF, SymbolTableNode, Var
from mypy.options import Options
from mypy.plugin import ChainedPlugin
from mypy.types import AnyType, TypeOfAny

from mypy_plugin.main import TypedTasksPlugin


@pytest.fixture
def plugin() -> TypedTasksPlugin:
    return TypedTasksPlugin(Options())


@pytest.fixture
def daemon_plugin() -> TypedTasksPlugin:
    options = Options()
    options.fine_grained_incremental = True  # as dmypy sets it
    return TypedTasksPlugin(options)


def _count_decisions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    asked: list[str] = []
    decide = TypedTasksPlugin._task_method

    def counting(self: TypedTasksPlugin, fullname: str) -> str | None:
        asked.append(fullname)
        return decide(self, fullname)

    monkeypatch.setattr(TypedTasksPlugin, "_task_method", counting)
    return asked


@pytest.mark.parametrize(
    ("lookup", "fullname", "hooked"),
    [
        ("get_method_hook", "django.tasks.base.Task.enqueue", True),
        ("get_method_hook", "django.tasks.base.Task.aenqueue", True),
        ("get_method_hook", "django.tasks.base.Task.using", True),
        ("get_method_hook", "builtins.str.join", False),
        ("get_method_hook", "django.db.models.query.QuerySet.filter", False),
        ("get_function_hook", "django.tasks.base.task", True),
        ("get_function_hook", "typed_tasks.decorator.task", True),
        ("get_function_hook", "task(...)", True),
        ("get_function_hook", "builtins.len", False),
        ("get_function_hook", "<list>", False),
        ("get_function_signature_hook", "django.tasks.base.task", True),
        ("get_function_signature_hook", "django_tasks.base.task", True),
        # typed_tasks' decorators take **options in every overload: no signature to widen.
        ("get_function_signature_hook", "typed_tasks.decorator.task", False),
        ("get_function_signature_hook", "typed_tasks.backport.task", False),
        ("get_function_signature_hook", "builtins.len", False),
        ("get_method_signature_hook", "builtins.str.join", False),
    ],
)
def test_task_names_and_only_those_get_a_hook(
    plugin: TypedTasksPlugin, lookup: str, fullname: str, hooked: bool
) -> None:
    answers = [getattr(plugin, lookup)(fullname) for _ in range(2)]
    assert [answer is not None for answer in answers] == [hooked] * 2
    assert answers[0] is answers[1]


def test_a_stored_decorator_not_inferred_yet_is_asked_about_again(
    plugin: TypedTasksPlugin, monkeypatch: pytest.MonkeyPatch
) -> None:
    # ``email_task = task(queue_name=...)`` in a module of the same import cycle, checked
    # after the module that uses ``@email_task``: on mypy's first pass the variable has no
    # type yet; the use is deferred and looked up again once it has one.
    email_task = Var("email_task")
    symbols = {"shop.tasks.email_task": SymbolTableNode(GDEF, email_task)}
    monkeypatch.setattr(plugin, "lookup_fully_qualified", symbols.get)
    monkeypatch.setattr(plugin.hooks(), "is_task_decorator", lambda typ: True)

    assert plugin.get_function_hook("shop.tasks.email_task") is None
    email_task.type = AnyType(TypeOfAny.special_form)
    assert plugin.get_function_hook("shop.tasks.email_task") is plugin.hooks().apply


def test_project_names_are_decided_afresh_under_the_daemon(
    daemon_plugin: TypedTasksPlugin, monkeypatch: pytest.MonkeyPatch
) -> None:
    # ``email_task = task(...)`` may appear in a project module between two daemon checks.
    stored: list[bool] = [False]

    def is_stored(self: Any, fullname: str) -> bool:
        return stored[0]

    monkeypatch.setattr(TypedTasksPlugin, "_is_stored_task_decorator", is_stored)
    assert daemon_plugin.get_function_hook("shop.tasks.email_task") is None
    stored[0] = True
    assert daemon_plugin.get_function_hook("shop.tasks.email_task") is not None


def test_under_the_daemon_standard_library_and_django_answers_are_remembered(
    daemon_plugin: TypedTasksPlugin, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = _count_decisions(monkeypatch)
    for _ in range(3):
        daemon_plugin.get_method_hook("builtins.str.join")
        daemon_plugin.get_method_hook("django.tasks.base.Task.enqueue")
        daemon_plugin.get_method_hook("shop.models.Order.save")
    assert asked.count("builtins.str.join") == 1
    assert asked.count("django.tasks.base.Task.enqueue") == 1
    assert asked.count("shop.models.Order.save") == 3


def test_in_a_mypy_run_every_answer_is_remembered(
    plugin: TypedTasksPlugin, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = _count_decisions(monkeypatch)
    looked_up: list[str] = []

    def is_stored(self: Any, fullname: str) -> bool:
        looked_up.append(fullname)
        return fullname == "shop.tasks.email_task"

    monkeypatch.setattr(TypedTasksPlugin, "_is_stored_task_decorator", is_stored)
    for _ in range(3):
        plugin.get_method_hook("builtins.str.join")
        plugin.get_method_hook("shop.models.Order.save")
        assert plugin.get_method_hook("django.tasks.base.Task.enqueue") is not None
        assert plugin.get_function_hook("shop.tasks.email_task") is not None
        assert plugin.get_function_hook("shop.models.make_order") is None
    assert sorted(asked) == [
        "builtins.str.join",
        "django.tasks.base.Task.enqueue",
        "shop.models.Order.save",
    ]
    assert sorted(looked_up) == ["shop.models.make_order", "shop.tasks.email_task"]


def test_the_checks_are_imported_only_when_a_hook_is_first_needed() -> None:
    # A warm mypy run with nothing to check asks for no hook: it should not pay for
    # importing the checks (about half of what the plugin adds to such a run).
    script = """
import sys
from mypy.options import Options
from mypy.plugin import ChainedPlugin
import typed_tasks.mypy
checks = {"mypy_plugin.hooks", "mypy_plugin.calls", "mypy_plugin.definitions"}
imported = lambda: sorted(checks & set(sys.modules))
print(imported())
plugin = typed_tasks.mypy.plugin("2")(Options())
print(plugin.get_method_hook("builtins.str.join") is None, imported())
print(plugin.get_function_hook("django.tasks.base.task") is not None, imported())
"""
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert run.stdout.splitlines() == [
        "[]",
        "True []",
        "True ['mypy_plugin.calls', 'mypy_plugin.definitions', 'mypy_plugin.hooks']",
    ]


def test_a_new_build_forgets_what_the_previous_one_remembered() -> None:
    # mypy.api.run in a long-lived process makes a new plugin per build; the checks' memos
    # hold the previous build's types (and through them its classes), so they are dropped.
    from mypy.types import AnyType, TypeOfAny

    from mypy_plugin import calls, image, memo, options

    TypedTasksPlugin(Options()).hooks()
    remembered = AnyType(TypeOfAny.special_form)
    calls._open_parameters._by_types.remember((remembered,), (0,))
    image._SOUND_TYPES.remember((remembered, False), None)
    options._CARRIED_ATTRS.remember((), None)

    TypedTasksPlugin(Options()).hooks()
    assert not any(memo._MEMOS)


def test_a_memo_starts_afresh_past_its_bound() -> None:
    from mypy_plugin.memo import BuildMemo

    bounded: BuildMemo[int, str] = BuildMemo(2)
    bounded.remember(1, "a")
    bounded.remember(2, "b")
    assert bounded.remember(3, "c") == "c"
    assert bounded.entries() == {3: "c"}


@pytest.mark.parametrize(
    "lookup",
    [
        "get_function_hook",
        "get_method_hook",
        "get_function_signature_hook",
        "get_method_signature_hook",
    ],
)
def test_mypy_asks_through_the_tables_and_the_class_methods_agree(
    plugin: TypedTasksPlugin, lookup: str
) -> None:
    # mypy reaches each plugin through a ChainedPlugin; the answers it gets must be those
    # of the plugin's own methods, whichever way they are read.
    chained = ChainedPlugin(Options(), [plugin])
    names = [
        "django.tasks.base.task",
        "django.tasks.base.Task.enqueue",
        "django.tasks.base.Task.using",
        "django.tasks.base.Task.call",
        "typed_tasks.decorator.task",
        "builtins.len",
        "builtins.str.join",
    ]
    for name in names:
        from_class = getattr(TypedTasksPlugin, lookup)(plugin, name)
        assert getattr(chained, lookup)(name) is from_class
        assert getattr(plugin, lookup)(name) is from_class


def test_the_hooks_the_plugin_has_none_of_answer_none(plugin: TypedTasksPlugin) -> None:
    # Each is set on the instance over mypy's own method: a method of that name defined on
    # the plugin's class would never be called, so none may be.
    from mypy.plugin import Plugin

    from mypy_plugin.main import _HOOKS_NOT_USED

    chained = ChainedPlugin(Options(), [plugin])
    for method in _HOOKS_NOT_USED:
        assert callable(getattr(Plugin, method))
        assert method not in vars(TypedTasksPlugin)
        for name in ("django.tasks.base.Task", "builtins.int", "shop.models.Order.save"):
            assert getattr(chained, method)(name) is None


@pytest.mark.skipif(sys.version_info < (3, 11), reason="typing.get_overloads: Python 3.11+")
@pytest.mark.parametrize("module", ["typed_tasks.decorator", "typed_tasks.backport"])
def test_typed_decorators_take_any_option_in_every_overload(module: str) -> None:
    # Why typed_tasks' decorators need no signature hook: mypy never rejects an option
    # they are given, so the options check (task-option) is the one report.
    if module == "typed_tasks.backport":
        pytest.importorskip("django_tasks")
    decorator = importlib.import_module(module).task
    overloads = typing.get_overloads(decorator)
    assert len(overloads) >= 4
    for item in overloads:
        kinds = [p.kind for p in inspect.signature(item).parameters.values()]
        assert inspect.Parameter.VAR_KEYWORD in kinds
