"""mypy plugin for Django tasks; enable it as ``typed_tasks.mypy``.

Every mypy run imports this package, so it stays cheap to import: its records are plain
classes with ``__slots__``, not dataclasses or ``NamedTuple``s, whose generated methods are
compiled from source text at import (about 0.6 M instructions each, more than most of the
plugin's modules cost to import).
"""
