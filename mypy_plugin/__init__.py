"""mypy plugin for Django tasks; enable it as ``typed_tasks.mypy``."""
