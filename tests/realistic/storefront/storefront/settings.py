from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = "realistic-audit-not-secret"
DEBUG = True
ALLOWED_HOSTS: list[str] = []
USE_TZ = True
TIME_ZONE = "Europe/Paris"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django_tasks_db",
    "typed_tasks",
    "accounts",
    "shop",
    "notifications",
    "analytics",
    "billing",
    "crm",
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "db.sqlite3",
    }
}

ROOT_URLCONF = "storefront.urls"

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "emails", "reports", "webhooks"],
    },
    "inline": {
        "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
    },
    "legacy": {
        "BACKEND": "storefront.backends.LegacyBackend",
        "QUEUES": ["default", "nightly"],
    },
}

EMAIL_QUEUE = "emails"
REPORTS_QUEUE = "reports"
BULK_QUEUE = "bulk"
HIGH_PRIORITY = 50
CART_REMINDER_DELAY = timedelta(hours=2)
DEFAULT_FROM_EMAIL = "shop@example.com"
