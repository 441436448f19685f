"""The ``TYPED_TASKS`` setting.

``TYPED_TASKS`` is an optional dict in the Django settings::

    TYPED_TASKS = {
        # Check enqueue/aenqueue arguments against the task's parameters before
        # the backend sees them (default: True).
        "STRICT_VALIDATION": True,
    }

The setting is read on every enqueue, so ``override_settings`` works in tests.
A malformed setting is reported by the system check ``typed_tasks.E001``; an
enqueue under a malformed setting raises ``ImproperlyConfigured`` with the same
message rather than guessing what was meant.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SETTING_NAME = "TYPED_TASKS"

# Each key with its expected type and the value used when it is absent.
DEFAULTS: dict[str, bool] = {"STRICT_VALIDATION": True}


def setting_problems() -> list[str]:
    """Say what is wrong with ``settings.TYPED_TASKS``; an empty list when it is usable."""
    value: Any = getattr(settings, SETTING_NAME, {})
    if not isinstance(value, dict):
        return [f"{SETTING_NAME} must be a dict, not {type(value).__name__}"]
    problems = []
    for key, option in value.items():
        if key not in DEFAULTS:
            known = ", ".join(f'"{name}"' for name in DEFAULTS)
            problems.append(f'{SETTING_NAME} has an unknown key "{key}" (known keys: {known})')
        elif not isinstance(option, type(DEFAULTS[key])):
            expected = type(DEFAULTS[key]).__name__
            problems.append(
                f'{SETTING_NAME}["{key}"] must be a {expected}, not {type(option).__name__}'
            )
    return problems


def strict_validation() -> bool:
    """Whether ``typed_tasks.task`` validates arguments at enqueue."""
    problems = setting_problems()
    if problems:
        raise ImproperlyConfigured("; ".join(problems))
    configured: dict[str, bool] = getattr(settings, SETTING_NAME, {})
    return configured.get("STRICT_VALIDATION", DEFAULTS["STRICT_VALIDATION"])
