"""The ``TYPED_TASKS`` setting.

``TYPED_TASKS`` is an optional dict in the Django settings::

    TYPED_TASKS = {
        # Check enqueue/aenqueue arguments against the task's parameters before
        # the backend sees them (default: True).
        "STRICT_VALIDATION": True,
        # The lock of ``manage.py task_signatures`` (default: "task_signatures.json",
        # relative to the current directory); a str or a pathlib.Path.
        "SIGNATURES_FILE": BASE_DIR / "task_signatures.json",
        # Modules ``manage.py task_signatures`` never imports, with their submodules
        # (default: none); a list of dotted module names.
        "SIGNATURES_EXCLUDE": ["myapp.scratch"],
    }

The setting is read on every enqueue, so ``override_settings`` works in tests.
A malformed setting is reported by the system check ``typed_tasks.E001``; an
enqueue under a malformed setting raises ``ImproperlyConfigured`` with the same
message rather than guessing what was meant.
"""

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SETTING_NAME = "TYPED_TASKS"

# Each key with the value used when it is absent.
DEFAULTS: dict[str, object] = {
    "STRICT_VALIDATION": True,
    "SIGNATURES_FILE": "task_signatures.json",
    "SIGNATURES_EXCLUDE": [],
}
# Each key with what its value must be, as the check says it.
EXPECTED: dict[str, str] = {
    "STRICT_VALIDATION": "a bool",
    "SIGNATURES_FILE": "a str or a path",
    "SIGNATURES_EXCLUDE": "a list of module names",
}
HINT = f"{SETTING_NAME} is a dict with the optional keys " + ", ".join(
    f'"{key}" ({expected})' for key, expected in EXPECTED.items()
)


def is_valid(key: str, value: object) -> bool:
    if key == "STRICT_VALIDATION":
        return isinstance(value, bool)
    if key == "SIGNATURES_FILE":
        return isinstance(value, (str, os.PathLike))
    return isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value)


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
        elif not is_valid(key, option):
            problems.append(
                f'{SETTING_NAME}["{key}"] must be {EXPECTED[key]}, not {type(option).__name__}'
            )
    return problems


def option(key: str) -> Any:
    """One key of the setting, or its default; raises ImproperlyConfigured if it is malformed."""
    problems = setting_problems()
    if problems:
        raise ImproperlyConfigured("; ".join(problems))
    configured: dict[str, object] = getattr(settings, SETTING_NAME, {})
    return configured.get(key, DEFAULTS[key])


def strict_validation() -> bool:
    """Whether ``typed_tasks.task`` validates arguments at enqueue."""
    return bool(option("STRICT_VALIDATION"))


def signatures_file() -> Path:
    """Where ``manage.py task_signatures`` keeps its lock."""
    return Path(option("SIGNATURES_FILE"))


def signatures_exclude() -> tuple[str, ...]:
    """The modules ``manage.py task_signatures`` does not import, with their submodules."""
    return tuple(option("SIGNATURES_EXCLUDE"))
