"""The example under mypy with the plugin and under ``manage.py check``, as ``make demo`` shows."""

import re
import subprocess
from pathlib import Path

import pytest

from examples.demo import MISTAKES
from examples.typecheck import expected_errors, run_mypy
from examples.worker_process import REPOSITORY, manage_command
from tests.e2e.project import isolated_environment

pytestmark = pytest.mark.e2e

CHECK_MESSAGE = re.compile(r"^(\S+): \((typed_tasks\.[EW]\d{3})\)", re.MULTILINE)
PLUGIN_CODES = {
    "task-param",
    "task-return",
    "task-arg",
    "task-context",
    "task-location",
    "task-option",
    "task-backend",
}


@pytest.fixture(scope="module")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache for this module's runs: the stubs are analysed once."""
    return tmp_path_factory.mktemp("mypy_cache")


def test_the_clean_example_type_checks_without_errors(mypy_cache: Path) -> None:
    run = run_mypy(cache_dir=mypy_cache)

    assert run.exit_status == 0, run.output
    assert run.output.startswith("Success: no issues found")


def test_each_mistake_is_reported_on_its_marked_line_with_its_code(mypy_cache: Path) -> None:
    run = run_mypy(*MISTAKES, cache_dir=mypy_cache)

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


def test_manage_py_check_reports_each_reminders_mistake_with_its_id() -> None:
    completed = manage_py_check("--settings=examples.project.settings_with_reminders")

    assert completed.returncode == 1, completed.stdout + completed.stderr
    reported = set(CHECK_MESSAGE.findall(completed.stderr))
    assert reported == {
        ("examples.reminders.tasks.remind_at", "typed_tasks.E003"),
        ("examples.reminders.tasks.remind_near", "typed_tasks.W001"),
        ("examples.reminders.tasks.pending_topics", "typed_tasks.E004"),
        ("examples.reminders.tasks.remind_again", "typed_tasks.E006"),
        ("examples.reminders.tasks.Digest.send", "typed_tasks.E007"),
    }
