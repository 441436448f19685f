"""The mypy entry point users name in their configuration: ``plugins = ["typed_tasks.mypy"]``.

The implementation lives in the ``mypy_plugin`` package.
"""

from mypy_plugin.main import plugin

__all__ = ["plugin"]
