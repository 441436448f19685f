"""Settings of the example project.

The database is SQLite unless ``DATABASE_URL`` points at PostgreSQL; the SQLite
file is ``EXAMPLE_SQLITE_PATH`` (default: ``examples/db.sqlite3``). Notifications
go to ``NTFY_URL`` (for example ``https://ntfy.sh``), read when a task runs.
"""

import os
from pathlib import Path

from examples.project.database_url import postgres_database

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "example-only-not-secret")
DEBUG = False
ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django_tasks_db",
    "typed_tasks",
    "examples.notifier",
]

if database_url := os.environ.get("DATABASE_URL"):
    DATABASES = {"default": postgres_database(database_url)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("EXAMPLE_SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            # The worker and the enqueuing process share the file: wait for the
            # lock instead of failing with "database is locked".
            "OPTIONS": {"timeout": 20},
        }
    }

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "digests"],
    },
}

TYPED_TASKS = {
    # Arguments are checked against each task's parameters at enqueue, before
    # anything is stored: what the worker could not receive as declared is refused.
    "STRICT_VALIDATION": True,
    # The lock of every task's signature (manage.py task_signatures), next to the code.
    "SIGNATURES_FILE": BASE_DIR / "task_signatures.json",
    # Mistakes for mypy to read; importing the module raises, as it says.
    "SIGNATURES_EXCLUDE": ["examples.notifier.mistakes"],
}

NTFY_URL = os.environ.get("NTFY_URL")
NTFY_TIMEOUT_SECONDS = float(os.environ.get("NTFY_TIMEOUT_SECONDS", "10"))
