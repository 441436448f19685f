"""The backport end to end: Django 5.2 LTS, django-tasks-db 0.12's db_worker on SQLite.

The project (``tests/e2e/backport_project``) makes its tasks with
``typed_tasks.backport.task``; a real worker process runs what a separate process
enqueued, and a bad argument is refused before anything is stored.
"""

import importlib.util
import json
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from examples.worker_process import stop_process_group
from tests.settings_backport import backport_database_backend

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        importlib.util.find_spec("django_tasks") is None or not backport_database_backend(),
        reason="needs the backport with its database backend (django-tasks-db 0.12): "
        "nox session backport-5.2",
    ),
]

ROOT = Path(__file__).resolve().parent.parent.parent
MANAGE_PY = ROOT / "tests" / "e2e" / "backport_project" / "manage.py"
WAIT_SECONDS = 120


def environment_for(database: Path) -> dict[str, str]:
    return {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",
        "DJANGO_SETTINGS_MODULE": "tests.e2e.backport_project.settings",
        "BACKPORT_SQLITE_PATH": str(database),
    }


def checked_run(environment: Mapping[str, str], *command: str) -> str:
    completed = subprocess.run(
        command, cwd=ROOT, env=dict(environment), capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, f"{command} failed:\n{completed.stdout}{completed.stderr}"
    return completed.stdout


def client(environment: Mapping[str, str], *arguments: str) -> Any:
    module = "tests.e2e.backport_project.client"
    return json.loads(checked_run(environment, sys.executable, "-m", module, *arguments))


@contextmanager
def db_worker(environment: Mapping[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    command = [sys.executable, str(MANAGE_PY), "db_worker", "--queue-name=*"]
    command += ["--interval=0.1", "--no-startup-delay", "--worker-id=e2e-backport"]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=dict(environment),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield process
        finally:
            stop_process_group(process)


def finished_results(
    environment: Mapping[str, str], ids: list[str], worker: subprocess.Popen[bytes], log: Path
) -> list[Any]:
    deadline = time.monotonic() + WAIT_SECONDS
    results: list[Any] = client(environment, "results", *ids)
    while any(result["status"] in ("READY", "RUNNING") for result in results):
        assert worker.poll() is None, f"the worker exited early:\n{log.read_text()}"
        assert time.monotonic() < deadline, f"unfinished after {WAIT_SECONDS} s: {results}"
        time.sleep(0.2)
        results = client(environment, "results", *ids)
    return results


def test_a_real_worker_runs_the_backport_tasks_and_a_bad_argument_is_never_stored(
    tmp_path: Path,
) -> None:
    environment = environment_for(tmp_path / "db.sqlite3")
    manage = (sys.executable, str(MANAGE_PY))
    checked_run(environment, *manage, "migrate", "--verbosity=0")
    assert "no issues" in checked_run(environment, *manage, "check")

    enqueued = client(environment, "enqueue")
    assert enqueued["refused"]["parameter"] == "amounts"
    assert "amounts[1]" in enqueued["refused"]["message"]
    assert enqueued["stored"] == 3  # the three good calls, not the refused one

    log = tmp_path / "worker.log"
    with db_worker(environment, log) as worker:
        results = finished_results(environment, enqueued["ids"], worker, log)

    tasks = "tests.e2e.backport_project.shop.tasks"
    assert [(r["task"], r["status"], r["return_value"]) for r in results] == [
        (f"{tasks}.invoice_total", "SUCCESSFUL", 185),
        (f"{tasks}.monthly_report", "SUCCESSFUL", "2026-11: 2 shops, attempt 1"),
        (f"{tasks}.count_lines", "SUCCESSFUL", 3),
    ], results
    assert (results[0]["args"], results[0]["kwargs"]) == ([[120, 80]], {"discount": 15})
