"""The shared rule vectors (tests/rule_vectors.py) run through the mypy plugin.

One generated module holds a task per vector, ``def v{i}(p: <annotation>) -> None``, and a
probe call ``v{i}.enqueue(parcel)`` with a dataclass instance. mypy runs once over it, and
each vector's verdict is read back from what the plugin reports:

* ``lossy`` / ``unserializable``: a task-param error on ``v{i}`` (with the image, if lossy;
  with the vector's advice as its note, if unserializable), and nothing at the probe (the
  definition already carries the mistake);
* ``ok``: no task-param error, and no task-arg at the probe (mypy itself rejects the parcel);
* ``unknown``: no task-param error, but the probe is judged by the parcel's own type: task-arg.

The return vectors get a task each too, ``def r{i}() -> <annotation>``, judged by their
task-return error and its note.
"""

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.rule_vectors import PRELUDE, RETURN_VECTORS, VECTORS, Vector

ROOT = Path(__file__).resolve().parent.parent
MYPY_INI = ROOT / "typecheck_cases" / "mypy.ini"

_LINE = re.compile(
    r"^[^:]+:\d+: error: (?P<message>.*?)  \[(?P<code>[a-z-]+)\]$"
    r"(?:\n[^:]+:\d+: note: (?P<note>.*?)(?:  \[[a-z-]+\])?$)?",
    re.MULTILINE,
)
_TASK = re.compile(r'task "(?P<task>[vr]\d+)"')
_UNSERIALIZABLE = "which is not JSON-serializable"
_LOSSY = re.compile(r'which arrives in the worker as "(?P<image>.*)"$')


@dataclass
class Reports:
    """What mypy said about the generated module, per task name."""

    param: dict[str, list[str]] = field(default_factory=dict)
    arg: dict[str, list[str]] = field(default_factory=dict)
    returned: dict[str, list[str]] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)
    other: list[str] = field(default_factory=list)


def _module() -> str:
    tasks = [
        f"@task\ndef v{index}(p: {vector.annotation}) -> None: ...\n\n\nv{index}.enqueue(parcel)\n"
        for index, vector in enumerate(VECTORS)
    ]
    returns = [
        f"@task\ndef r{index}() -> {vector.annotation}:\n    raise NotImplementedError\n"
        for index, vector in enumerate(RETURN_VECTORS)
    ]
    header = "from django.tasks import task\n\nparcel = Parcel(weight=1)\n"
    return "\n\n".join([PRELUDE, header, *tasks, *returns])


def _parse(output: str) -> Reports:
    reports = Reports()
    for match in _LINE.finditer(output):
        message, code = match["message"], match["code"]
        task = _TASK.search(message)
        if task and match["note"]:
            reports.notes.setdefault(task["task"], []).append(match["note"])
        if code == "task-param" and task:
            reports.param.setdefault(task["task"], []).append(message)
        elif code == "task-return" and task:
            reports.returned.setdefault(task["task"], []).append(message)
        elif code == "task-arg" and task:
            reports.arg.setdefault(task["task"], []).append(message)
        elif code != "arg-type":  # the probe into a concrete parameter: mypy's own error
            reports.other.append(match[0])
    return reports


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reports]:
    workdir = tmp_path_factory.mktemp("rule_vectors")
    module = workdir / "vectors_module.py"
    module.write_text(_module())
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "mypy", "--config-file", str(MYPY_INI)]
    command += ["--cache-dir", str(workdir / "cache"), "--show-traceback", str(module)]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert "INTERNAL ERROR" not in result.stdout + result.stderr, result.stdout + result.stderr
    yield _parse(result.stdout)


def test_generated_module_has_no_other_errors(reports: Reports) -> None:
    assert reports.other == []


@pytest.mark.parametrize(
    ("index", "vector"), list(enumerate(VECTORS)), ids=[v.annotation for v in VECTORS]
)
def test_vector(reports: Reports, index: int, vector: Vector) -> None:
    name = f"v{index}"
    params = reports.param.get(name, [])
    args = reports.arg.get(name, [])
    if vector.verdict == "unserializable":
        assert len(params) == 1 and params[0].endswith(_UNSERIALIZABLE)
        assert reports.notes.get(name) == [vector.advice]
        assert args == []
    elif vector.verdict == "lossy":
        assert len(params) == 1, params
        lossy = _LOSSY.search(params[0])
        assert lossy is not None, params[0]
        assert lossy["image"] == vector.image
        assert args == []
    elif vector.verdict == "ok":
        assert params == []
        assert args == []
    else:
        assert params == []
        assert args == [f'argument "p" to task "{name}" has type "Parcel", {_UNSERIALIZABLE}']


@pytest.mark.parametrize(
    ("index", "vector"), list(enumerate(RETURN_VECTORS)), ids=[v.annotation for v in RETURN_VECTORS]
)
def test_return_vector(reports: Reports, index: int, vector: Vector) -> None:
    name = f"r{index}"
    returned = reports.returned.get(name, [])
    if vector.verdict == "unserializable":
        assert len(returned) == 1 and returned[0].endswith("is not JSON-serializable")
        assert reports.notes.get(name) == [vector.advice]
    else:
        assert returned == []
