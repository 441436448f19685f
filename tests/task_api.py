"""The task API the test settings configure, for the runtime tests that run on either.

``tests.settings`` and ``tests.settings_bare`` configure Django's ``django.tasks``
backends (Django 6.0+), ``tests.settings_backport`` the ``django_tasks`` backport's
(Django 5.2 LTS and 6.x): the decorator, validation and system check tests run against
whichever the settings name, with the matching ``typed_tasks`` decorator.
"""

import pytest
from django.conf import settings

BACKPORT: bool = settings.TASKS["default"]["BACKEND"].startswith("django_tasks.")

if BACKPORT:
    from django_tasks import TaskContext, TaskResultStatus, task_backends
    from django_tasks import task as api_task
    from django_tasks.base import Task
    from django_tasks.exceptions import InvalidTaskError as InvalidTask

    from typed_tasks.backport import task
else:
    from django.tasks import Task, TaskContext, TaskResultStatus, task_backends
    from django.tasks import task as api_task
    from django.tasks.exceptions import InvalidTask

    from typed_tasks import task

__all__ = [
    "BACKPORT",
    "InvalidTask",
    "Task",
    "TaskContext",
    "TaskResultStatus",
    "api_task",
    "needs_database",
    "task",
    "task_backends",
]

# The "database" backend is django-tasks-db's, which the bare environment does not have.
needs_database = pytest.mark.skipif(
    "database" not in settings.TASKS,
    reason="no django-tasks-db backend for this task API in this environment",
)
