"""Settings for the runtime tests with only Django's own task backends.

The environment holds what ``pip install typed-tasks`` installs and the test runner,
no other task package (the "bare" nox session).
"""

SECRET_KEY = "typed-tasks-tests"
USE_TZ = True
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "typed_tasks"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
TASKS = {
    "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
    "dummy": {
        "BACKEND": "django.tasks.backends.dummy.DummyBackend",
        "QUEUES": ["default", "emails"],
    },
    "options": {"BACKEND": "tests.option_backend.DedupBackend"},
}
TYPED_TASKS = {"STRICT_VALIDATION": True}
