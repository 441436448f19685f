"""Root pytest configuration shared by tests/ and typecheck_cases/."""

import os
import shutil
import sys
import tempfile

import pytest

# pytest-mypy-plugins and the subprocess-based tests look up `mypy`, `dmypy` and `pyright` on
# PATH: make that the interpreter's own environment, so `.venv/bin/pytest` works without
# activating the venv.
os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")

# The property tests generate annotations from PEP 695 aliases, a syntax of Python 3.12+.
# The rule is the same code on every Python; what differs by version (typing's own objects)
# is covered by tests/test_rule.py and the shared vectors, which run everywhere.
collect_ignore = [] if sys.version_info >= (3, 12) else ["tests/test_rule_properties.py"]


def pytest_configure(config: pytest.Config) -> None:
    # pytest-mypy-plugins keeps mypy's cache under --mypy-testing-base, by default the system's
    # temporary directory: shared by every run and checkout on the machine, so a run stopped
    # while mypy wrote it left entries that crashed the next run's mypy (INTERNAL ERROR,
    # "Cannot find module for django_stubs_ext..."). Each run (each xdist worker) gets its own.
    if config.getoption("mypy_testing_base", None) == tempfile.gettempdir():
        base = tempfile.mkdtemp(prefix="typed-tasks-typecheck-")
        config.option.mypy_testing_base = base
        config.add_cleanup(lambda: shutil.rmtree(base, ignore_errors=True))
