"""The example's own Django tests (ImmediateBackend with strict validation) pass."""

import subprocess

import pytest

from examples.worker_process import REPOSITORY, manage_command
from tests.e2e.project import isolated_environment

pytestmark = pytest.mark.e2e


def test_the_example_test_suite_passes() -> None:
    completed = subprocess.run(
        manage_command("test", "examples.notifier", "--verbosity=2"),
        cwd=REPOSITORY,
        env=isolated_environment({}),
        capture_output=True,
        text=True,
        check=False,
    )

    assert completed.returncode == 0, completed.stderr
    assert "Ran 4 tests" in completed.stderr
    assert "test_a_priority_from_a_form_is_refused_before_the_task_runs" in completed.stderr
