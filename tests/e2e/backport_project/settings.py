"""The backport project's settings: the SQLite file is ``BACKPORT_SQLITE_PATH``."""

import os

SECRET_KEY = "typed-tasks-backport-e2e"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django_tasks_db",
    "typed_tasks",
    "tests.e2e.backport_project.shop",
]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ["BACKPORT_SQLITE_PATH"],
        # The worker and the enqueuing process share the file.
        "OPTIONS": {"timeout": 20},
    }
}
TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "reports"]},
}
TYPED_TASKS = {"STRICT_VALIDATION": True}
