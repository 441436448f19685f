"""The example's real path on SQLite: manage.py notify, a db_worker process, an ntfy stand-in."""

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from examples.loopback_ntfy import LoopbackNtfy
from examples.worker_process import REPOSITORY, db_worker
from tests.e2e.project import (
    finished_results,
    manage,
    refusing_url,
    silent_server_url,
    sqlite_environment,
)

pytestmark = pytest.mark.e2e


def enqueue_one_of_each(environment: dict[str, str]) -> list[str]:
    notification = manage(
        environment,
        "notify",
        "backups",
        "Nightly backup finished",
        "--title=Sauvegarde terminée",
        "--priority=4",
        "--tag=floppy_disk",
        "--tag=white_check_mark",
    )
    attempt = manage(environment, "notify", "backups", "count me", "--report-attempt")
    digest = manage(environment, "notify", "backups", "db: ok", "media: ok", "--digest")
    return [output.strip() for output in (notification, attempt, digest)]


def run_until_finished(environment: dict[str, str], ids: list[str], log: Path) -> list[Any]:
    """Run one worker until every result is finished; return the results as JSON."""
    with db_worker(environment, worker_id="e2e-sqlite", log=log) as worker:
        results = finished_results(environment, ids, [worker])
    assert worker.returncode == 0, log.read_text()
    return results


def test_notifications_arrive_as_declared(tmp_path: Path, ntfy: LoopbackNtfy) -> None:
    environment = sqlite_environment(tmp_path, ntfy.environment())
    manage(environment, "migrate", "--verbosity=0")
    ids = enqueue_one_of_each(environment)

    results = run_until_finished(environment, ids, tmp_path / "worker.log")
    messages = ntfy.wait_for(3, timeout=0)

    by_title = {message.headers["Title"]: message for message in messages}
    assert sorted(by_title) == ["Sauvegarde terminée", "attempt 1", "digest"]
    backup = by_title["Sauvegarde terminée"]
    assert (backup.topic, backup.body) == ("backups", "Nightly backup finished")
    assert backup.headers["Priority"] == "4"
    assert backup.headers["Tags"] == "floppy_disk,white_check_mark"
    assert by_title["attempt 1"].body == "count me"
    assert by_title["digest"].body == "db: ok\nmedia: ok"

    notification, attempt, digest = results
    assert notification["status"] == "SUCCESSFUL"
    assert notification["kwargs"] == {
        "title": "Sauvegarde terminée",
        "priority": 4,
        "tags": ["floppy_disk", "white_check_mark"],
    }
    assert notification["return_value"] == {
        "topic": "backups",
        "message_id": backup.message_id,
        "status_code": 200,
    }
    assert (attempt["status"], attempt["return_value"]) == ("SUCCESSFUL", 1)
    assert digest["status"] == "SUCCESSFUL"
    assert digest["args"] == ["backups", ["db: ok", "media: ok"], "digest"]
    assert digest["return_value"]["message_id"] == by_title["digest"].message_id


def send_one_and_run(environment: dict[str, str], tmp_path: Path) -> dict[str, Any]:
    manage(environment, "migrate", "--verbosity=0")
    result_id = manage(environment, "notify", "backups", "lost", "--title=Lost").strip()
    [result] = run_until_finished(environment, [result_id], tmp_path / "worker.log")
    return dict(result)


def recorded_error(result: dict[str, Any]) -> str:
    assert result["status"] == "FAILED"
    [error] = result["errors"]
    assert error["exception_class_path"] == "examples.notifier.ntfy.NotificationError"
    return str(error["traceback"])


def test_missing_ntfy_url_fails_the_task_with_the_reason(tmp_path: Path) -> None:
    result = send_one_and_run(sqlite_environment(tmp_path, {"NTFY_URL": ""}), tmp_path)

    assert "NTFY_URL is not set" in recorded_error(result)


def test_unreachable_ntfy_fails_the_task_with_the_reason(tmp_path: Path) -> None:
    with refusing_url() as url:
        result = send_one_and_run(sqlite_environment(tmp_path, {"NTFY_URL": url}), tmp_path)

    assert f"could not reach ntfy at {url}/backups" in recorded_error(result)


def test_silent_ntfy_fails_the_task_after_the_timeout(tmp_path: Path) -> None:
    with silent_server_url() as url:
        environment = sqlite_environment(tmp_path, {"NTFY_URL": url, "NTFY_TIMEOUT_SECONDS": "1"})
        result = send_one_and_run(environment, tmp_path)

    assert f"ntfy at {url}/backups did not answer within 1 s" in recorded_error(result)


def run_demo(environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "examples.demo", "--steps", "run"]
    return subprocess.run(
        command, cwd=REPOSITORY, env=environment, capture_output=True, text=True, check=False
    )


def test_demo_run_receives_every_notification(tmp_path: Path) -> None:
    completed = run_demo(sqlite_environment(tmp_path, {}))

    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "the stand-in received 3 POSTs" in completed.stdout
    assert completed.stdout.count(": SUCCESSFUL, returned") == 3


def test_demo_reports_an_unreachable_ntfy_and_exits_non_zero(tmp_path: Path) -> None:
    with refusing_url() as url:
        completed = run_demo(sqlite_environment(tmp_path, {"NTFY_URL": url}))

    assert completed.returncode == 1
    assert completed.stdout.count("FAILED, examples.notifier.ntfy.NotificationError") == 3
    assert "demo FAILED at: run" in completed.stdout
