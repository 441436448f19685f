"""The build. Metadata is in pyproject.toml; this file only adds the compiled plugin.

With ``TYPED_TASKS_COMPILE=1`` the mypy plugin's modules are compiled by mypyc, against the
mypy installed where the build runs (``pip install --no-build-isolation``: see
docs/compiled.md). Some stay source: ``mypy_plugin/__init__.py``, which chooses between
the compiled modules and their sources (the sources stay in the package, and are loaded
when the mypy that runs is not the one the build was made for); ``main.py``, whose plugin
class derives from mypy's ``Plugin``: a class compiled in mypy's own build, which a class
compiled in another cannot extend (mypy crashes calling it); and the modules ``main.py``
imports, all that a run with nothing to check loads: compiled, they would load the whole
compiled library on every such run.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_py import build_py

COMPILE = os.environ.get("TYPED_TASKS_COMPILE") == "1"
# Read by mypy_plugin/__init__.py: the mypy version the compiled modules were built against.
MARKER = "compiled_for_mypy"
SOURCE_ONLY = frozenset(
    {
        "__init__.py",
        "main.py",
        "config.py",
        "errorcodes.py",
        "fullnames.py",
        "safety.py",
        "settings.py",
    }
)


def compiled_plugin() -> list[Extension]:
    if not COMPILE:
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        raise SystemExit(
            "TYPED_TASKS_COMPILE=1 builds against the installed mypy: install mypy first and "
            "build with pip install --no-build-isolation (docs/compiled.md)"
        ) from None

    modules = sorted(
        str(path) for path in Path("mypy_plugin").glob("*.py") if path.name not in SOURCE_ONLY
    )
    # The project's [tool.mypy] names another Python and other files: these flags win.
    version = f"--python-version={sys.version_info.major}.{sys.version_info.minor}"
    # The plugin reads typed_tasks' rule table, and the package's __init__ brings in the
    # runtime decorator, typed against whichever Django and stubs are installed (on Django
    # 5.2 there is no django.tasks to type it against). Only the plugin's own modules must
    # type-check for mypyc; what they import is read for its types, its errors not reported.
    return mypycify([version, "--follow-imports=silent", *modules], opt_level="3")


class BuildPy(build_py):
    """Writes the marker next to the compiled modules."""

    def run(self) -> None:
        super().run()
        if COMPILE:
            from mypy.version import __version__

            Path(self.build_lib, "mypy_plugin", MARKER).write_text(__version__ + "\n")


setup(ext_modules=compiled_plugin(), cmdclass={"build_py": BuildPy})
