"""Settings for the pytest suite: every backend the runtime tests exercise."""

SECRET_KEY = "typed-tasks-tests"
USE_TZ = True
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django_tasks_db",
    "typed_tasks",
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
TASKS = {
    "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
    "dummy": {
        "BACKEND": "django.tasks.backends.dummy.DummyBackend",
        "QUEUES": ["default", "emails"],
    },
    "options": {"BACKEND": "tests.option_backend.DedupBackend"},
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "emails"]},
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# On by default; spelled out here as a project would in its test settings, so what a
# real backend would reject fails under ImmediateBackend too.
TYPED_TASKS = {"STRICT_VALIDATION": True}
