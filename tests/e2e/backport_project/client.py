"""Enqueue the shop's tasks and read their results, in a process apart from the worker.

Run as ``python -m tests.e2e.backport_project.client COMMAND``; prints JSON.

* ``enqueue``: enqueue one call of each task, then a call with a bad argument; print
  the ids, the parameter the bad call was refused for and how many results are stored.
* ``results ID...``: print each result's status, return value and arguments.
"""

import asyncio
import json
import sys
from typing import Any

import django


def enqueue() -> dict[str, Any]:
    from django_tasks_db.models import DBTaskResult

    from tests.e2e.backport_project.shop.tasks import count_lines, invoice_total, monthly_report
    from typed_tasks.backport import TaskArgumentError

    ids = [
        invoice_total.enqueue([120, 80], discount=15).id,
        monthly_report.enqueue("2026-11", {"lyon": [1, 2], "nantes": [3]}).id,
        asyncio.run(count_lines.aenqueue(["a", "b", "c"])).id,
    ]
    try:
        invoice_total.enqueue([120, "80"])  # type: ignore[list-item]
    except TaskArgumentError as error:
        refused = {"parameter": error.parameter, "message": str(error)}
    return {"ids": ids, "refused": refused, "stored": DBTaskResult.objects.count()}


def results(result_ids: list[str]) -> list[dict[str, Any]]:
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    found = []
    for result_id in result_ids:
        result = DBTaskResult.objects.get(id=result_id).task_result
        succeeded = result.status == TaskResultStatus.SUCCESSFUL
        found.append(
            {
                "task": result.task.module_path,
                "status": str(result.status),
                "return_value": result.return_value if succeeded else None,
                "errors": [error.traceback for error in result.errors],
                "args": result.args,
                "kwargs": result.kwargs,
            }
        )
    return found


def main(arguments: list[str]) -> None:
    django.setup()
    command, *rest = arguments
    output: object = enqueue() if command == "enqueue" else results(rest)
    json.dump(output, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
