"""The Django app: add ``"typed_tasks"`` to ``INSTALLED_APPS`` to get the system check."""

from django.apps import AppConfig
from django.core import checks

# ``manage.py check --tag typed_tasks`` runs only these checks.
CHECK_TAG = "typed_tasks"


class TypedTasksConfig(AppConfig):
    name = "typed_tasks"
    verbose_name = "Typed tasks"

    def ready(self) -> None:
        from typed_tasks.checks import check_tasks, check_typed_tasks_setting

        checks.register(check_typed_tasks_setting, CHECK_TAG)
        checks.register(check_tasks, CHECK_TAG)
