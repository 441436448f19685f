"""Enqueue tasks and read results in the example project, from a separate process.

The pytest process runs on the suite's own settings, so the end-to-end tests
talk to the example project through this module, run as
``python -m tests.e2e.example_client`` with ``DJANGO_SETTINGS_MODULE`` set to
the example's settings. It prints JSON on stdout.

* ``enqueue-many COUNT``: enqueue ``COUNT`` distinct notifications; print their ids.
* ``results ID...``: print each result's status, return value, errors and arguments.
"""

import json
import sys
from typing import Any

import django


def enqueue_many(count: int) -> list[str]:
    from examples.notifier.ntfy import NtfyPriority
    from examples.notifier.tasks import send_notification

    priorities: tuple[NtfyPriority, ...] = (1, 2, 3, 4, 5)
    return [
        send_notification.enqueue(
            "load",
            f"message {number}",
            title=f"#{number}",
            priority=priorities[number % 5],
            tags=[f"n{number}", "load"],
        ).id
        for number in range(count)
    ]


def result_as_json(result_id: str) -> dict[str, Any]:
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    result = DBTaskResult.objects.get(id=result_id).task_result
    succeeded = result.status == TaskResultStatus.SUCCESSFUL
    return {
        "id": result.id,
        "task": result.task.name,
        "status": str(result.status),
        "return_value": result.return_value if succeeded else None,
        "errors": [
            {"exception_class_path": error.exception_class_path, "traceback": error.traceback}
            for error in result.errors
        ],
        "args": result.args,
        "kwargs": result.kwargs,
        "worker_ids": result.worker_ids,
    }


def main(arguments: list[str]) -> None:
    django.setup()
    command, *rest = arguments
    if command == "enqueue-many":
        output: object = enqueue_many(int(rest[0]))
    elif command == "results":
        output = [result_as_json(result_id) for result_id in rest]
    else:
        raise SystemExit(f"unknown command {command!r}: use enqueue-many or results")
    json.dump(output, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
