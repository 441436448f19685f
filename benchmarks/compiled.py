"""The plugin's compiled build (``setup.py`` with ``TYPED_TASKS_COMPILE=1``), installed for a run.

Built from a copy of the checkout, against the mypy of this interpreter, into a directory
that goes on PYTHONPATH in place of the checkout: the benchmarks measure what a compiled
install runs. The copy keeps the checkout's ``build/`` free of compiled modules that a
later source-only build could pick up (the nox session ``compiled`` builds the same way).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NOT_SOURCES = (".git", ".nox", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*cache")


def copy_sources(destination: Path) -> Path:
    """A copy of the checkout's sources in ``destination`` (emptied first)."""
    shutil.rmtree(destination, ignore_errors=True)
    shutil.copytree(REPO, destination, ignore=shutil.ignore_patterns(*NOT_SOURCES))
    return destination


def install_compiled(work: Path) -> Path:
    """The compiled build installed (without dependencies) into ``work/compiled``."""
    target = work / "compiled"
    shutil.rmtree(target, ignore_errors=True)
    sources = copy_sources(work / "compiled-sources")
    command = [sys.executable, "-m", "pip", "install", "--quiet", "--no-build-isolation"]
    command += ["--no-deps", "--target", str(target), str(sources)]
    env = os.environ | {"TYPED_TASKS_COMPILE": "1"}
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"the compiled build failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    if not (target / "mypy_plugin" / "compiled_for_mypy").is_file():
        raise SystemExit(f"{target}: the build has no compiled modules")
    shutil.rmtree(sources)
    return target
