"""Crash resistance of the mypy plugin over large bodies of real and generated code.

``python -m reliability.run_corpus`` runs mypy with the plugin over every corpus and
prints a summary; ``tests/test_plugin_no_crash.py`` runs a small slice of the same in
``make test``.
"""
