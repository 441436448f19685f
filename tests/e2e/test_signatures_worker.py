"""A deploy with jobs in the queue: ``task_signatures --check`` says which ones the new code fails.

Each case is a small project in a temporary directory, on django-tasks-db and SQLite:
the old code records its lock and enqueues two jobs; the task module is then replaced by
the new code; ``--check`` runs against the lock; then a real ``db_worker`` process runs
the old jobs with the new code. What ``--check`` called breaking fails in the worker,
what it called compatible runs.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from examples.demo import SIGNATURES_CAUGHT
from examples.worker_process import REPOSITORY, db_worker
from tests.e2e.project import finished_results, isolated_environment, manage

pytestmark = pytest.mark.e2e

EXAMPLE_LOCK = REPOSITORY / "examples" / "task_signatures.json"

SETTINGS = """\
INSTALLED_APPS = ["django_tasks_db", "typed_tasks", "deployapp"]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATABASE,
        "OPTIONS": {"timeout": 20},
    }
}
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
TYPED_TASKS = {"SIGNATURES_FILE": LOCK}
USE_TZ = True
SECRET_KEY = "deploy-test"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
"""

OLD = """\
from typed_tasks import task


@task
def greet(name: str, times: float = 1) -> str:
    return " ".join([f"hello {name}"] * round(times))
"""

# Enqueued by the old code: one job passes "times" by keyword, one leaves it out.
ENQUEUE = """\
from deployapp.tasks import greet

print(greet.enqueue("ada", times=2.0).id)
print(greet.enqueue(name="bob").id)
"""


@dataclass(frozen=True)
class Deploy:
    new: str  # the new deployapp/tasks.py
    reported: list[str]  # what --check lists, without the notes
    ada: str  # how the job with times=2.0 ends: "SUCCESSFUL" or the error it fails with


BREAKING = {
    "renamed": Deploy(
        new=OLD.replace("times", "count"),
        reported=['breaking: task "deployapp.tasks.greet": parameter "times" renamed to "count"'],
        ada="TypeError: greet() got an unexpected keyword argument 'times'",
    ),
    "narrowed": Deploy(
        new=OLD.replace("times: float", "times: int").replace("round(times)", "times"),
        reported=[
            'breaking: task "deployapp.tasks.greet": parameter "times" narrowed from "float" '
            'to "int"'
        ],
        ada="TypeError: can't multiply sequence by non-int of type 'float'",
    ),
}
COMPATIBLE = {
    "added with a default": Deploy(
        new=OLD.replace("times: float = 1)", 'times: float = 1, end: str = "!")').replace(
            "round(times))", "round(times)) + end"
        ),
        reported=['compatible: task "deployapp.tasks.greet": parameter "end" added with a default'],
        ada="SUCCESSFUL",
    ),
    "widened": Deploy(
        new=OLD.replace("times: float", "times: float | str").replace(
            "round(times)", "round(float(times))"
        ),
        reported=[
            'compatible: task "deployapp.tasks.greet": parameter "times" widened from "float" '
            'to "float | str"'
        ],
        ada="SUCCESSFUL",
    ),
}


class Project:
    """The temporary project: settings, the ``deployapp`` app, its database and lock."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.lock = root / "task_signatures.json"
        (root / "deployproject").mkdir()
        (root / "deployproject" / "__init__.py").write_text("")
        database, lock = str(root / "db.sqlite3"), str(self.lock)
        (root / "deployproject" / "settings.py").write_text(
            f"DATABASE = {database!r}\nLOCK = {lock!r}\n{SETTINGS}"
        )
        (root / "deployapp").mkdir()
        (root / "deployapp" / "__init__.py").write_text("")
        self.environment = isolated_environment(
            {
                "DJANGO_SETTINGS_MODULE": "deployproject.settings",
                "PYTHONPATH": f"{root}:{REPOSITORY}",
                "PYTHONDONTWRITEBYTECODE": "1",  # the new module is read from source
            }
        )

    def write_tasks(self, source: str) -> None:
        (self.root / "deployapp" / "tasks.py").write_text(source)

    def run(self, *arguments: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "django", *arguments],
            cwd=self.root,
            env=self.environment,
            capture_output=True,
            text=True,
            check=False,
        )


def deploy_with_queued_jobs(tmp_path: Path, deploy: Deploy) -> tuple[str, list[dict[str, str]]]:
    """Old code: lock and enqueue; new code: --check, then a worker. (check output, results)"""
    project = Project(tmp_path)
    project.write_tasks(OLD)
    manage(project.environment, "migrate", "--verbosity=0")
    assert project.run("task_signatures").returncode == 0
    ids = manage(project.environment, "shell", "--no-imports", "-c", ENQUEUE).split()

    project.write_tasks(deploy.new)
    check = project.run("task_signatures", "--check")
    assert (check.returncode, check.stderr) == (1, "")
    with db_worker(project.environment, worker_id="deploy", log=tmp_path / "worker.log") as worker:
        results = finished_results(project.environment, ids, [worker])
    return check.stdout, results


def headlines(check_output: str) -> list[str]:
    """The changes --check listed: one line each, without notes and the summary."""
    return [line for line in check_output.splitlines()[:-1] if not line.startswith(" ")]


def outcome(result: dict[str, object]) -> str:
    if result["status"] == "SUCCESSFUL":
        return "SUCCESSFUL"
    [error] = result["errors"]  # type: ignore[misc]
    return str(error["traceback"]).strip().splitlines()[-1]


@pytest.mark.parametrize("deploy", BREAKING.values(), ids=BREAKING.keys())
def test_a_breaking_change_fails_the_queued_jobs_as_check_said(
    tmp_path: Path, deploy: Deploy
) -> None:
    check_output, (ada, bob) = deploy_with_queued_jobs(tmp_path, deploy)

    assert headlines(check_output) == deploy.reported
    assert (ada["status"], outcome(ada)) == ("FAILED", deploy.ada)
    assert bob["status"] == "SUCCESSFUL"  # it did not pass "times": the change does not touch it


@pytest.mark.parametrize("deploy", COMPATIBLE.values(), ids=COMPATIBLE.keys())
def test_a_compatible_change_runs_the_queued_jobs(tmp_path: Path, deploy: Deploy) -> None:
    check_output, results = deploy_with_queued_jobs(tmp_path, deploy)

    assert headlines(check_output) == deploy.reported
    assert [result["status"] for result in results] == ["SUCCESSFUL", "SUCCESSFUL"]
    assert results[0]["return_value"].startswith("hello ada hello ada")  # type: ignore[union-attr]


def test_the_lock_is_unchanged_by_check(tmp_path: Path) -> None:
    project = Project(tmp_path)
    project.write_tasks(OLD)
    assert project.run("task_signatures").returncode == 0
    recorded = project.lock.read_text()
    project.write_tasks(BREAKING["renamed"].new)

    assert project.run("task_signatures", "--check").returncode == 1
    refused = project.run("task_signatures")
    assert refused.returncode == 1
    assert project.lock.read_text() == recorded
    assert textwrap.dedent(refused.stderr).startswith(
        f"{project.lock} not written: 1 breaking change"
    )


def test_the_demo_checks_the_example_and_catches_a_breaking_change_on_a_copy() -> None:
    watched = [REPOSITORY / "examples" / "notifier" / "tasks.py", EXAMPLE_LOCK]
    before = [path.read_text() for path in watched]
    completed = subprocess.run(
        [sys.executable, "-m", "examples.demo", "--steps", "signatures"],
        cwd=REPOSITORY,
        env=isolated_environment({}),
        capture_output=True,
        text=True,
        check=False,
    )

    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert f"task signatures match {EXAMPLE_LOCK} (3 tasks)" in completed.stdout
    for line in SIGNATURES_CAUGHT:
        assert line in completed.stdout
    assert [path.read_text() for path in watched] == before
