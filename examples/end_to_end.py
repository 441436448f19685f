"""The example's real path: enqueue notifications, run a db_worker, see them arrive.

Django must be set up (``DJANGO_SETTINGS_MODULE`` and the database) before
this module is imported: it imports the example's tasks.
"""

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.db import connection
from django.tasks import TaskResult, TaskResultStatus
from django_tasks_db.models import DBTaskResult

from examples.notifier.tasks import send_attempt_report, send_digest, send_notification
from examples.worker_process import db_worker

Say = Callable[[str], None]
WAIT_SECONDS = 60.0


@dataclass(frozen=True)
class Outcome:
    results: list[TaskResult[Any, Any]]
    worker_exit_status: int | None

    @property
    def succeeded(self) -> bool:
        return all(result.status == TaskResultStatus.SUCCESSFUL for result in self.results)


def migrate(say: Say) -> None:
    call_command("migrate", verbosity=0)
    database = connection.settings_dict
    say(f"migrated the {connection.vendor} database {database['NAME']}")


def refuse_bad_enqueue(say: Say) -> bool:
    """Strict validation: arguments mypy could not see are refused before anything is stored."""
    # Options built at runtime (from a form, a config file...) are ``Any`` to
    # mypy; here "tags" is a set, which the worker could never receive.
    options: dict[str, Any] = {"title": "Backup done", "tags": {"floppy_disk", "white_check_mark"}}
    say('  send_notification.enqueue("backups", "done", **options), options["tags"] a set:')
    stored_before = DBTaskResult.objects.count()
    try:
        send_notification.enqueue("backups", "done", **options)
    except TypeError as error:
        say(f"  refused: {type(error).__name__}: {error}")
    else:
        say("  NOT refused: the bad arguments were stored")
        return False
    stored = DBTaskResult.objects.count() - stored_before
    say(f"  tasks stored by that call: {stored}")
    return stored == 0


def enqueue_notifications(say: Say) -> list[TaskResult[Any, Any]]:
    results: list[TaskResult[Any, Any]] = [
        send_notification.enqueue(
            "backups",
            "Nightly backup finished: 42 GB in 3 min",
            title="Backup done",
            priority=4,
            tags=["floppy_disk", "white_check_mark"],
        ),
        send_attempt_report.enqueue("backups", "Checking the attempt counter"),
        send_digest.enqueue("backups", ["db: ok", "media: ok", "logs: rotated"], title="Digest"),
    ]
    for result in results:
        say(f"enqueued {result.task.name} -> result {result.id} ({result.status})")
    return results


def run_worker_until_done(
    results: list[TaskResult[Any, Any]], environment: Mapping[str, str], log: Path, say: Say
) -> Outcome:
    with db_worker(environment, worker_id="demo-worker", log=log) as worker:
        say(f"started `manage.py db_worker` as process {worker.pid}; waiting for the results")
        deadline = time.monotonic() + WAIT_SECONDS
        while not all_finished(results) and worker.poll() is None:
            if time.monotonic() > deadline:
                say(f"gave up after {WAIT_SECONDS:.0f} s: the tasks did not finish")
                break
            time.sleep(0.2)
    say(f"stopped the worker (exit status {worker.returncode})")
    return Outcome(results, worker.returncode)


def all_finished(results: list[TaskResult[Any, Any]]) -> bool:
    for result in results:
        result.refresh()
    return all(result.is_finished for result in results)


def describe_result(result: TaskResult[Any, Any]) -> str:
    if result.status == TaskResultStatus.SUCCESSFUL:
        return f"{result.task.name}: SUCCESSFUL, returned {result.return_value!r}"
    if result.status == TaskResultStatus.FAILED and result.errors:
        error = result.errors[-1]
        reason = error.traceback.strip().splitlines()[-1]
        return f"{result.task.name}: FAILED, {reason}"
    return f"{result.task.name}: {result.status}"
