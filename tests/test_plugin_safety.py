"""The plugin never crashes mypy, unless TYPED_TASKS_MYPY_STRICT_ERRORS=1 asks it to.

Each test plants a bug in one of the plugin's checks and runs mypy in a fresh process
(the switch is read once, when the plugin is loaded): by default the check is skipped and
mypy finishes; with the switch the bug surfaces as mypy's INTERNAL ERROR, as the crash and
fuzz tests need.
"""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from mypy_plugin.safety import STRICT_ERRORS_VARIABLE

ROOT = Path(__file__).resolve().parent.parent
MYPY_INI = ROOT / "typecheck_cases" / "mypy.ini"

TASKS = """\
from datetime import datetime
from typing import Any
from django.tasks import task

@task
def log(event: Any, when: datetime) -> None: ...

log.enqueue(1, datetime.now())
"""

# Replaces one check with a function that raises, then runs mypy in this process.
RUNNER = """\
import sys
import mypy.api
import mypy.build  # the plugin imports mypy modules in the order mypy itself has loaded them
import {module} as target

def planted(*args, **kwargs):
    raise RuntimeError("planted bug")

target.{name} = planted
out, err, status = mypy.api.run(sys.argv[1:])
print(out + err)
"""

# (module, function, what mypy still says): the judgement of a declared type (which the
# call-site check uses too), and the call-site check alone (the datetime parameter is
# still reported at its definition).
CHECKS = [
    ("mypy_plugin.image", "judge_declared", "Success: no issues found in 1 source file"),
    ("mypy_plugin.calls", "_check_call", "Found 1 error in 1 file"),
]


def run_with_planted_bug(tmp_path: Path, module: str, name: str, *, strict: bool) -> str:
    source = tmp_path / "tasks_module.py"
    source.write_text(TASKS)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop(STRICT_ERRORS_VARIABLE, None)
    if strict:
        env[STRICT_ERRORS_VARIABLE] = "1"
    runner = textwrap.dedent(RUNNER).format(module=module, name=name)
    command = [sys.executable, "-c", runner, "--config-file", str(MYPY_INI)]
    command += ["--cache-dir", str(tmp_path / "cache"), "--show-traceback", str(source)]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    return result.stdout + result.stderr


@pytest.mark.parametrize(("module", "name", "summary"), CHECKS)
def test_a_failing_check_is_skipped_and_mypy_finishes(
    tmp_path: Path, module: str, name: str, summary: str
) -> None:
    output = run_with_planted_bug(tmp_path, module, name, strict=False)
    assert "INTERNAL ERROR" not in output and "planted bug" not in output, output
    assert summary in output, output


@pytest.mark.parametrize(("module", "name"), [check[:2] for check in CHECKS])
def test_strict_errors_let_the_failure_through(tmp_path: Path, module: str, name: str) -> None:
    output = run_with_planted_bug(tmp_path, module, name, strict=True)
    assert "RuntimeError: planted bug" in output, output
