"""An app for the task_signatures tests: tasks in and out of its ``tasks`` module."""
