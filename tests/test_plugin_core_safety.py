"""Every hook of the plugin core is contained: a bug in one never crashes mypy, unless
TYPED_TASKS_MYPY_STRICT_ERRORS=1 asks for the traceback.

Each test replaces one hook (or a reader the plugin calls when it loads) with a function
that raises, then runs mypy in a fresh process (the switch is read once, at load) on code
that reaches every hook: a decorator with options, a stored decorator, typed_tasks' context
decorator, ``using(...)``, ``run_after`` in ``@task(...)``, and a settings module.
"""

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from mypy.errors import Errors, ErrorWatcher
from mypy.options import Options

from mypy_plugin.reporting import in_failed_overload_item, past_overload_filters
from mypy_plugin.safety import STRICT_ERRORS_VARIABLE

ROOT = Path(__file__).resolve().parent.parent

MYPY_INI = """\
[mypy]
plugins = typed_tasks.mypy
show_error_codes = true

[mypy.plugins.django-stubs]
django_settings_module = proj_settings
"""

SETTINGS = """\
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
"""

TASKS = """\
from django.tasks import TaskContext, task
import typed_tasks

stored = task(priority=1)

@task(priority=2, run_after=None)
def ranked(n: int) -> None: ...

@stored
def stored_task(n: int) -> None: ...

@typed_tasks.task(takes_context=True)
def with_context(context: TaskContext, n: int) -> None: ...

ranked.using(priority=3).enqueue(1)
control: int = "mypy still checks the module"
"""

CONTROL_ERROR = "tasks_module.py:16: error: Incompatible types in assignment"

RUNNER = """\
import sys
import mypy.api
import mypy.build  # the plugin imports mypy modules in the order mypy itself has loaded them
import {module} as target

def planted(*args, **kwargs):
    raise RuntimeError("planted bug")

target.{name} = planted
out, err, status = mypy.api.run(sys.argv[1:])
print(out + err)
"""

# (module, attribute): each hook main.py routes to, looked up on its module when mypy asks
# for it, and the readers called when the plugin loads or meets a variable.
HOOKS = [
    ("mypy_plugin.decorator_forms", "on_task_call"),
    ("mypy_plugin.decorator_forms", "on_apply"),
    ("mypy_plugin.decorator_forms", "on_typed_apply"),
    ("mypy_plugin.task_class_options", "accept_task_class_options"),
    ("mypy_plugin.decorator_forms", "accept_any_context_function"),
    ("mypy_plugin.decorator_forms", "is_task_decorator"),
    ("mypy_plugin.using", "on_using"),
    ("mypy_plugin.main", "read_tasks_settings"),
    ("mypy_plugin.main", "read_settings_module"),
]


def run_with_planted_bug(tmp_path: Path, module: str, name: str, *, strict: bool) -> str:
    (tmp_path / "mypy.ini").write_text(MYPY_INI)
    (tmp_path / "proj_settings.py").write_text(SETTINGS)
    (tmp_path / "tasks_module.py").write_text(TASKS)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(tmp_path)])}
    env.pop(STRICT_ERRORS_VARIABLE, None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if strict:
        env[STRICT_ERRORS_VARIABLE] = "1"
    runner = textwrap.dedent(RUNNER).format(module=module, name=name)
    command = [sys.executable, "-c", runner, "--config-file", "mypy.ini", "--show-traceback"]
    command += ["--cache-dir", "cache", "tasks_module.py"]
    result = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    return result.stdout + result.stderr


@pytest.mark.parametrize(("module", "name"), HOOKS)
def test_a_failing_hook_leaves_mypy_checking(tmp_path: Path, module: str, name: str) -> None:
    output = run_with_planted_bug(tmp_path, module, name, strict=False)
    assert "INTERNAL ERROR" not in output and "planted bug" not in output, output
    assert CONTROL_ERROR in output, output


@pytest.mark.parametrize(("module", "name"), HOOKS)
def test_strict_errors_surface_a_failing_hook(tmp_path: Path, module: str, name: str) -> None:
    output = run_with_planted_bug(tmp_path, module, name, strict=True)
    assert "RuntimeError: planted bug" in output, output


def test_mypy_still_has_the_error_filter_stack_the_plugin_steps_past() -> None:
    # reporting.py reads mypy's private ``Errors._watchers``: if a mypy release renames it,
    # the plugin degrades (reports inside overload matching are lost) and this test says so.
    errors = Errors(Options())
    assert isinstance(errors._watchers, list)


@pytest.mark.parametrize("errors", [object(), SimpleNamespace(_watchers=None)])
def test_stepping_past_the_filters_is_a_no_op_without_them(errors: Any) -> None:
    api: Any = SimpleNamespace(msg=SimpleNamespace(errors=errors))
    with past_overload_filters(api):
        pass
    assert getattr(errors, "_watchers", "absent") in (None, "absent")


def test_stepping_past_the_filters_restores_them() -> None:
    errors = Errors(Options())
    sentinel: Any = object()
    errors._watchers.append(sentinel)
    api: Any = SimpleNamespace(msg=SimpleNamespace(errors=errors))
    with pytest.raises(ValueError), past_overload_filters(api):
        assert errors._watchers == []
        raise ValueError
    assert errors._watchers == [sentinel]


def _api_over(errors: Errors) -> Any:
    return SimpleNamespace(msg=SimpleNamespace(errors=errors))


def test_a_failed_overload_item_is_one_whose_filter_caught_an_error() -> None:
    # The definition hooks return at once inside such an item (mypy throws the result away);
    # outside any filter, or in an item without errors so far, they must do their work.
    errors = Errors(Options())
    errors.set_file("m.py", "m", Options())
    api = _api_over(errors)
    assert not in_failed_overload_item(api)
    with ErrorWatcher(errors, filter_errors=True) as item:
        assert not in_failed_overload_item(api)
        errors.report(1, 0, "Argument 1 has incompatible type")
        assert item.has_new_errors()
        assert in_failed_overload_item(api)
        with ErrorWatcher(errors, filter_errors=True):
            assert not in_failed_overload_item(api)  # the next item, tried afresh
    assert not in_failed_overload_item(api)


def test_a_report_made_inside_a_failed_item_is_kept() -> None:
    # What past_overload_filters is for: a report is recorded whatever the filters.
    errors = Errors(Options())
    errors.set_file("m.py", "m", Options())
    with ErrorWatcher(errors, filter_errors=True), past_overload_filters(_api_over(errors)):
        errors.report(2, 0, "a task report")
    assert [info.message for info in errors.error_info_map["m.py"]] == ["a task report"]
