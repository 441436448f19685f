"""Root pytest configuration shared by tests/ and typecheck_cases/."""

import os
import sys

# pytest-mypy-plugins and the subprocess-based tests look up `mypy`, `dmypy` and `pyright` on
# PATH: make that the interpreter's own environment, so `.venv/bin/pytest` works without
# activating the venv.
os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
