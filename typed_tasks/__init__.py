"""typed_tasks: strict typing for Django's background tasks.

The public names are imported lazily (PEP 562), so ``import typed_tasks`` stays
cheap and touches no Django settings: mypy imports this package when it loads
the plugin ``typed_tasks.mypy``.
"""

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typed_tasks.decorator import ContextTask as ContextTask
    from typed_tasks.decorator import task
    from typed_tasks.rule import (
        Lossy,
        NotSerializable,
        Serializable,
        Unknown,
        Verdict,
        classify,
        describe,
    )
    from typed_tasks.validation import TaskArgumentError

__all__ = [
    "Lossy",
    "NotSerializable",
    "Serializable",
    "TaskArgumentError",
    "Unknown",
    "Verdict",
    "classify",
    "describe",
    "task",
]

# Where each public name lives. ``ContextTask`` exists for type checkers only.
_HOMES = {
    "task": "typed_tasks.decorator",
    "TaskArgumentError": "typed_tasks.validation",
    "classify": "typed_tasks.rule",
    "describe": "typed_tasks.rule",
    "Lossy": "typed_tasks.rule",
    "NotSerializable": "typed_tasks.rule",
    "Serializable": "typed_tasks.rule",
    "Unknown": "typed_tasks.rule",
    "Verdict": "typed_tasks.rule",
}


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'typed_tasks' has no attribute {name!r}")
    try:
        module = import_module(home)
    except ModuleNotFoundError as error:
        if error.name != "django.tasks":
            raise
        raise ImportError(
            f"typed_tasks.{name} needs django.tasks (Django 6.0 or newer); "
            f"on the django_tasks backport, use typed_tasks.backport.{name}"
        ) from error
    return getattr(module, name)
