"""The compiled build of the mypy plugin (``setup.py``, ``TYPED_TASKS_COMPILE=1``).

The choice between compiled and source modules is tested everywhere; the build itself only
where it is installed (the nox session ``compiled``), in fresh processes, as mypy loads it.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from mypy_plugin import use_sources


def test_a_source_only_build_has_nothing_to_choose() -> None:
    assert not use_sources(None, "2.4.1", forced=False)
    assert not use_sources(None, "2.4.1", forced=True)


def test_the_compiled_modules_run_under_the_mypy_they_were_built_for() -> None:
    assert not use_sources("2.4.1", "2.4.1", forced=False)


def test_another_mypy_or_the_switch_loads_the_sources() -> None:
    assert use_sources("2.4.1", "1.19.1", forced=False)
    assert use_sources("2.4.1", "2.4.2", forced=False)
    assert use_sources("2.4.1", "2.4.1", forced=True)


# The installed build is looked at from fresh processes outside this checkout, whose own
# mypy_plugin (source only) comes first on this process's path.
compiled = pytest.mark.skipif(
    os.environ.get("TYPED_TASKS_EXPECT_COMPILED") != "1",
    reason="needs the compiled build installed (nox -s compiled)",
)


def _clean_env(*, pure: bool = False) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "TYPED_TASKS_PURE_PLUGIN")
    }
    if pure:
        env["TYPED_TASKS_PURE_PLUGIN"] = "1"
    return env


@compiled
def test_the_installed_build_is_compiled_for_this_mypy(tmp_path: Path) -> None:
    probe = (
        "import mypy.version, mypy_plugin as p; print(p.compiled_for(), mypy.version.__version__)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env=_clean_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    built_for, running = result.stdout.split()
    assert built_for == running


# What mypy does with ``plugins = typed_tasks.mypy``: import it, in a fresh process.
LOADED = textwrap.dedent(
    """
    import sys
    import mypy.version
    if len(sys.argv) > 1:
        mypy.version.__version__ = sys.argv[1]
    import typed_tasks.mypy
    import mypy_plugin.hooks, mypy_plugin.image
    print(mypy_plugin.hooks.__file__)
    print(mypy_plugin.image.__file__)
    """
)


def _loaded(tmp_path: Path, *argv: str, pure: bool = False) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", LOADED, *argv],
        cwd=tmp_path,
        env=_clean_env(pure=pure),
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.split()


@compiled
def test_mypy_loads_the_compiled_modules(tmp_path: Path) -> None:
    files = _loaded(tmp_path)
    assert all(file.endswith(".so") or file.endswith(".pyd") for file in files), files


@compiled
def test_another_mypy_version_loads_the_sources(tmp_path: Path) -> None:
    files = _loaded(tmp_path, "0.0.1")
    assert all(file.endswith(".py") for file in files), files


@compiled
def test_the_switch_loads_the_sources(tmp_path: Path) -> None:
    files = _loaded(tmp_path, pure=True)
    assert all(file.endswith(".py") for file in files), files


# Django's tasks where Django has them (6.0+), else the backport's (the LTS line).
TASKS_MODULE = "django.tasks" if importlib.util.find_spec("django.tasks") else "django_tasks"

PROJECT = textwrap.dedent(
    f"""
    import datetime
    from {TASKS_MODULE} import task

    @task(priority=500)
    def remind(when: datetime.datetime, ids: set[int]) -> None: ...

    remind.enqueue(datetime.datetime.now(), {1})
    """
)


def _mypy(tmp_path: Path, *, pure: bool) -> str:
    (tmp_path / "shop.py").write_text(PROJECT)
    (tmp_path / "mypy.ini").write_text("[mypy]\nplugins = typed_tasks.mypy\n")
    command = [sys.executable, "-m", "mypy", "--no-incremental", "--config-file", "mypy.ini"]
    result = subprocess.run(
        [*command, "shop.py"],
        cwd=tmp_path,
        env=_clean_env(pure=pure),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    return result.stdout


@compiled
def test_compiled_and_source_report_the_same(tmp_path: Path) -> None:
    compiled_output = _mypy(tmp_path, pure=False)
    assert compiled_output == _mypy(tmp_path, pure=True)
    assert 'priority "500" is outside the range -100..100  [task-option]' in compiled_output
    assert "[task-param]" in compiled_output
