"""mypy plugin for Django tasks; enable it as ``typed_tasks.mypy``.

Every mypy run imports this package, so it stays cheap to import: its records are plain
classes with ``__slots__``, not dataclasses or ``NamedTuple``s, whose generated methods are
compiled from source text at import (about 0.6 M instructions each, more than most of the
plugin's modules cost to import).

A compiled build (``setup.py``: mypyc, ``TYPED_TASKS_COMPILE=1``) holds each module twice,
compiled and as source. The compiled modules are typed against the mypy they were built
with and check, as they run, that mypy's objects still have those types; under another
mypy version they could fail where the source works. So this package loads its modules
from source unless the mypy that runs is the one the build recorded, or when
``TYPED_TASKS_PURE_PLUGIN`` is set (tracebacks through source, a profiler that sees the
plugin). Never compiled itself: it decides before any other module is imported.
"""

import os
import sys
from importlib.machinery import SOURCE_SUFFIXES, FileFinder, SourceFileLoader

_MARKER = os.path.join(os.path.dirname(__file__), "compiled_for_mypy")


def compiled_for() -> str | None:
    """The mypy version this build was compiled against; None for a source-only build."""
    try:
        with open(_MARKER, encoding="utf-8") as marker:
            return marker.read().strip()
    except OSError:
        return None


def use_sources(built_for: str | None, running: str, forced: bool) -> bool:
    """Whether to load the modules from source although a compiled build is installed."""
    return built_for is not None and (forced or built_for != running)


def _load_from_sources() -> None:
    # Submodules are found through this package's __path__: a finder registered for that
    # directory that knows only source files makes every one load from its .py file.
    for directory in __path__:
        sys.path_importer_cache[directory] = FileFinder(
            directory, (SourceFileLoader, SOURCE_SUFFIXES)
        )


def _choose() -> None:
    built_for = compiled_for()
    if built_for is None:
        return
    from mypy.version import __version__

    if use_sources(built_for, __version__, bool(os.environ.get("TYPED_TASKS_PURE_PLUGIN"))):
        _load_from_sources()


_choose()
