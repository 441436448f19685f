"""Settings for the runtime tests on the ``django_tasks`` backport (Django 5.2 LTS or 6.x).

django-tasks-db 0.12 is the backport's database backend; 0.13 and later are Django's own
(``django.tasks``), so the "database" backend is configured only next to 0.12.
"""

from importlib.metadata import PackageNotFoundError, version

SECRET_KEY = "typed-tasks-tests"
USE_TZ = True
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "typed_tasks"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "dummy": {
        "BACKEND": "django_tasks.backends.dummy.DummyBackend",
        "QUEUES": ["default", "emails"],
    },
    "options": {"BACKEND": "tests.option_backend.DedupBackend"},
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
TYPED_TASKS = {"STRICT_VALIDATION": True}


def backport_database_backend() -> bool:
    try:
        major, minor = (int(part) for part in version("django-tasks-db").split(".")[:2])
    except PackageNotFoundError:
        return False
    return (major, minor) < (0, 13)


if backport_database_backend():
    INSTALLED_APPS.insert(2, "django_tasks_db")
    TASKS["database"] = {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "emails"],
    }
