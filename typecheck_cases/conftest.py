"""Skip the typecheck cases whose task API the environment does not have; pass
``TYPED_TASKS_MYPY_STRICT_ERRORS`` on to the mypy each case runs.

The version matrix runs ``pytest typecheck_cases`` in every environment: cases under
``backport/`` check code written against the ``django_tasks`` backport, all the others code
written against ``django.tasks`` (Django 6.0+); the ``*_mixed`` backport cases need both,
and the cases of options forwarded to a backend's ``task_class`` need Django 6.1.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
from pathlib import Path

import pytest

HERE = Path(__file__).parent
BACKPORT_CASES = HERE / "backport"
DJANGO_6_1_CASES = frozenset({"test_task_class_options.yml"})


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ImportError:  # the parent package is missing
        return False


def _django_version() -> tuple[int, ...]:
    try:
        version = importlib.metadata.version("django")
    except importlib.metadata.PackageNotFoundError:
        return ()
    return tuple(int(part) for part in version.split(".")[:2] if part.isdigit())


def missing_api(case_file: Path) -> str | None:
    """Why the cases of ``case_file`` cannot run here, or None if they can."""
    needed = []
    if BACKPORT_CASES in case_file.parents:
        needed.append("django_tasks")
    if BACKPORT_CASES not in case_file.parents or case_file.stem.endswith("_mixed"):
        needed.append("django.tasks")
    absent = [module for module in needed if not _importable(module)]
    if absent:
        return f"needs {' and '.join(absent)}, which this environment does not have"
    if case_file.name in DJANGO_6_1_CASES and _django_version() < (6, 1):
        return "needs Django 6.1 (@task(...) options for the backend's task_class)"
    return None


_REASONS: dict[Path, str | None] = {}


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip a case of a file whose API is absent, before mypy runs.

    A skip raised here, not a ``skip`` mark: pytest reports a mark's skip at the item's line,
    which a YAML case does not give.
    """
    path = Path(item.path)
    if path.suffix != ".yml" or HERE not in path.parents:
        return
    if path not in _REASONS:
        _REASONS[path] = missing_api(path)
    reason = _REASONS[path]
    if reason is not None:
        pytest.skip(reason)
    _pass_strict_errors(item)


STRICT_ERRORS_VARIABLE = "TYPED_TASKS_MYPY_STRICT_ERRORS"


def _pass_strict_errors(item: pytest.Item) -> None:
    """A case's mypy runs with only the case's own environment: with the plugin's strict
    errors asked for here (the nox session ``compiled``), an exception the plugin would
    swallow fails the case with its traceback instead of a silently missing report."""
    strict = os.environ.get(STRICT_ERRORS_VARIABLE)
    variables = getattr(item, "environment_variables", None)
    if strict is not None and isinstance(variables, dict):
        variables.setdefault(STRICT_ERRORS_VARIABLE, strict)
