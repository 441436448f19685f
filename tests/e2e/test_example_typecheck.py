"""The example under mypy with the plugin and under ``manage.py check``, as ``make demo`` shows."""

import subprocess
from pathlib import Path

import pytest

from examples.demo import MISTAKES
from examples.typecheck import expected_errors, run_mypy
from examples.worker_process import REPOSITORY, manage_command
from tests.e2e.project import isolated_environment

pytestmark = pytest.mark.e2e

PLUGIN_CODES = {
    "task-param",
    "task-return",
    "task-arg",
    "task-context",
    "task-location",
    "task-option",
    "task-backend",
}


def test_the_clean_example_type_checks_without_errors(tmp_path: Path) -> None:
    run = run_mypy(cache_dir=tmp_path)

    assert run.exit_status == 0, run.output
    assert run.output.startswith("Success: no issues found")


def test_each_mistake_is_reported_on_its_marked_line_with_its_code(tmp_path: Path) -> None:
    run = run_mypy(*MISTAKES, cache_dir=tmp_path)

    assert run.exit_status == 1, run.output
    assert run.errors == expected_errors(*MISTAKES), run.output
    assert {error.code for error in run.errors} == PLUGIN_CODES


def manage_py_check(*options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        manage_command("check", *options),
        cwd=REPOSITORY,
        env=isolated_environment({}),
        capture_output=True,
        text=True,
        check=False,
    )


def test_manage_py_check_passes_on_the_clean_example() -> None:
    completed = manage_py_check()

    assert completed.returncode == 0, completed.stderr
    assert "System check identified no issues" in completed.stdout


def test_manage_py_check_reports_the_reminders_mistakes() -> None:
    completed = manage_py_check("--settings=examples.project.settings_with_reminders")

    assert completed.returncode == 1
    reported = {
        line.split(":")[0]: line for line in completed.stderr.splitlines() if "typed_tasks." in line
    }
    assert "examples.reminders.tasks.remind_at" in completed.stderr
    assert reported, completed.stderr
