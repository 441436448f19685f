"""typed_tasks: strict typing for Django's background tasks."""
