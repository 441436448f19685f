"""Management commands of typed_tasks."""
