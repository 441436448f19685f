"""Django's own task backends only; no other task package is installed or imported."""

SECRET_KEY = "typed-tasks-own-backends"
USE_TZ = True
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "typed_tasks",
    "tests.ownbackends.shop",
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
