"""A Django 5.2 LTS project on the django_tasks backport: django-tasks-db 0.12 on SQLite.

Its tasks are made with ``typed_tasks.backport.task``; ``client.py`` enqueues them and
reads their results from a process of its own, as the project's web processes would.
"""
