"""``manage.py task_signatures``."""
