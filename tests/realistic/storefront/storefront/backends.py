"""A backend that hands tasks to the old cron-driven job table."""

from typing import Any

from django.tasks import Task, TaskResult
from django.tasks.backends.base import BaseTaskBackend


class LegacyBackend(BaseTaskBackend):
    supports_defer = False
    supports_async_task = False
    supports_get_result = False
    supports_priority = False

    def enqueue(self, task: Task[Any, Any], args: Any, kwargs: Any) -> TaskResult[Any, Any]:
        raise NotImplementedError("the cron job table is written by legacy code")
