"""Tasks on django-tasks-db's "database" backend, run by its real worker.

A module of their own: a task on a backend the settings lack fails to be made, and
the bare environment has no "database" backend.
"""

import inspect
from typing import Any

from tests.task_api import TaskContext, task


@task(priority=5, queue_name="emails", backend="database")
def send(address: str) -> str:
    return f"sent to {address}"


@task(takes_context=True, backend="database")
async def async_attempt(context: TaskContext, label: str) -> str:
    return f"{label} #{context.attempt}"


@task(backend="database")
def multiply(a: int, b: int) -> int:
    return a * b


@task(backend="database")
def store(name: str) -> str:
    return name


def run_database_worker() -> None:
    """Run django-tasks-db's worker in this process until no task is left."""
    from django_tasks_db.management.commands.db_worker import Worker

    options: dict[str, Any] = {
        "queue_names": ["*"],
        "interval": 0,
        "batch": True,
        "backend_name": "database",
        "startup_delay": False,
        "max_tasks": None,
        "worker_id": "test-worker",
    }
    if "excluded_queue_names" in inspect.signature(Worker).parameters:  # 0.13 and later
        options["excluded_queue_names"] = []
    Worker(**options).run()


def stored_count() -> int:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.count()
