"""What typed_tasks costs, measured: ``make bench`` runs everything below.

* ``python -m benchmarks.generate OUT --modules 500 --tasks 5000 --call-sites 25000``
  writes a synthetic Django project (settings with ``TASKS``, apps with models,
  task modules, typed and untyped callers, a few deliberate mistakes) and two
  mypy configurations: django-stubs' plugin alone, and the same plus typed_tasks'.
* ``python -m benchmarks.mypy_bench`` type-checks generated projects of 50, 200
  and 500 modules with both configurations side by side: cold cache, warm cache,
  warm cache after one signature change, ``mypy -n 2`` and ``dmypy``; wall time
  and peak memory as ratios ours / baseline.
* ``python -m benchmarks.runtime_bench`` times ``typed_tasks.task(...).enqueue``
  with strict validation against plain ``django.tasks.task(...).enqueue`` on
  ``DummyBackend`` for small, medium and large payloads.

Each writes a JSON file (every sample) and a markdown table into
``benchmarks/results/``; ``--quick`` runs a tiny version that only proves the
harness works. Results and what they mean for CI: ``docs/benchmarks.md``.
"""
