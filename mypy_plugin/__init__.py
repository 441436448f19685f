"""mypy plugin for Django tasks; enable it as ``typed_tasks.mypy``.

Every mypy run imports this package, so it stays cheap to import: its records are
``NamedTuple``s, not dataclasses, whose generated methods are compiled from source at
import (about 1 ms each, most of what a warm run with nothing to check pays for the plugin).
"""
