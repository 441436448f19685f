"""The example Django project: notifications sent by background tasks, typed with typed_tasks."""
