# Two commands on a fresh machine: `make demo` and `make test`.
# Each creates and fills .venv from nothing (Python 3.12+ is required).

PYTHON ?= $(shell for p in python3 python3.13 python3.12; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& echo $$p && break; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest matrix clean bench dist

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "typed_tasks needs Python 3.12 or newer on PATH (python3, python3.12 or python3.13)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# compat: a .pth path entry rather than an import hook, so mypy finds the packages too
	$(BIN)/python -m pip install --quiet -e '.[dev]' --config-settings editable_mode=compat
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m examples.demo

# The dev venv's suite, then the version matrix (noxfile.py: Django 5.2 LTS with the
# backport on Python 3.10 to 3.13, Django 6.0, 6.1, and a bare install).
test: lint typecheck pytest matrix

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy --strict

pytest: $(STAMP)
	$(BIN)/pytest -n 2
	# The runtime tests again on the django_tasks backport, which the dev venv also holds.
	$(BIN)/pytest -n 2 --ds=tests.settings_backport \
		$$($(BIN)/python -c 'import noxfile; print(*noxfile.RUNTIME_TESTS)')

matrix: $(STAMP)
	$(BIN)/nox

# The sdist and wheel in dist/, checked as PyPI would check them.
dist: $(STAMP)
	rm -rf dist
	$(BIN)/python -m build --outdir dist .
	$(BIN)/twine check dist/*

clean:
	rm -rf $(VENV) .nox .mypy_cache .pytest_cache .ruff_cache .demo dist

# The issue-5 benchmarks (about 40 minutes on 2 cores): mypy with and without the
# plugin, strict validation at enqueue. Results: benchmarks/results/, docs/benchmarks.md.
bench: $(STAMP)
	$(BIN)/python -m benchmarks.mypy_bench
	$(BIN)/python -m benchmarks.runtime_bench
