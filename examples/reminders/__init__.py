"""An app written before its team adopted typed_tasks.

Django imports it without a word: every mistake here only shows in the worker
or at enqueue. With ``"typed_tasks"`` in ``INSTALLED_APPS``, ``manage.py check``
reports each of them (``make demo`` runs it with ``settings_with_reminders``);
mypy with the plugin reports the same lines, marked ``# expected: CODE``.
"""
