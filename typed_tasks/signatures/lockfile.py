"""The lock file: every task's contract as JSON, in a stable order, one entry per task.

::

    {
      "format": 1,
      "about": "...",
      "tasks": {
        "app.tasks.send": {
          "backend": "default",
          "queue": "default",
          "takes_context": false,
          "parameters": [
            {"name": "to", "kind": "positional_or_keyword", "default": false,
             "annotation": "str", "image": "str"}
          ],
          "returns": {"annotation": "None", "image": "None"}
        }
      }
    }

``image`` is the structure of ``typed_tasks.signatures.images``. A file this module
cannot read raises ``LockError`` with one line that says what is wrong and what to do.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, get_args

from typed_tasks.signatures.contract import Annotation, Kind, Parameter, TaskContract
from typed_tasks.signatures.images import decode

FORMAT = 1
ABOUT = (
    "The contract of every task with its queued jobs, written by "
    "`python manage.py task_signatures` (typed_tasks); check it in CI with --check."
)
CREATE = "create it with `python manage.py task_signatures`"


class LockError(Exception):
    """The lock is missing or cannot be read; the message is one line for the user."""


def write(path: Path, contracts: Mapping[str, TaskContract]) -> None:
    path.write_text(dumps(contracts), encoding="utf-8")


def dumps(contracts: Mapping[str, TaskContract]) -> str:
    """The lock's text: indented, tasks sorted, each parameter on one line for short diffs."""
    lines = ["{", f'  "format": {FORMAT},', f'  "about": {one_line(ABOUT)},', '  "tasks": {']
    names = sorted(contracts)
    for number, name in enumerate(names, 1):
        entry = task_json(contracts[name])
        parameters = entry.pop("parameters")
        returns = entry.pop("returns")
        lines.append(f"    {one_line(name)}: {{")
        lines.extend(f"      {one_line(key)}: {one_line(value)}," for key, value in entry.items())
        lines.append('      "parameters": [')
        lines.extend(
            f"        {one_line(parameter)}{',' if index < len(parameters) else ''}"
            for index, parameter in enumerate(parameters, 1)
        )
        lines.append("      ],")
        lines.append(f'      "returns": {one_line(returns)}')
        lines.append("    }" + ("," if number < len(names) else ""))
    lines.extend(["  }", "}"])
    return "\n".join(lines) + "\n"


def one_line(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def task_json(contract: TaskContract) -> dict[str, Any]:
    return {
        "backend": contract.backend,
        "queue": contract.queue,
        "takes_context": contract.takes_context,
        "parameters": [
            {
                "name": parameter.name,
                "kind": parameter.kind,
                "default": parameter.has_default,
                "annotation": parameter.annotation.spelled,
                "image": parameter.annotation.image,
            }
            for parameter in contract.parameters
        ],
        "returns": {"annotation": contract.returns.spelled, "image": contract.returns.image},
    }


def read(path: Path) -> dict[str, TaskContract]:
    if not path.exists():
        raise LockError(f"no task signatures at {path}: {CREATE}")
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise LockError(f"cannot read {path}: {error}") from None
    except json.JSONDecodeError as error:
        raise LockError(
            f"{path} is not valid JSON ({error.msg} at line {error.lineno} column "
            f"{error.colno}): resolve the edit, or {CREATE}"
        ) from None
    return Reader(path).document(document)


class Reader:
    """Reads a parsed lock; every error names the place in the file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, where: str, problem: str) -> LockError:
        return LockError(
            f"{self.path} is not a task signatures file that typed_tasks can read: {where}"
            f"{problem}; undo the hand edit, or {CREATE}"
        )

    def document(self, document: object) -> dict[str, TaskContract]:
        if not isinstance(document, dict):
            raise self.fail("", "the top level must be an object")
        version = document.get("format")
        if not isinstance(version, int) or isinstance(version, bool):
            raise self.fail("", '"format" must be a whole number')
        if version > FORMAT:
            raise LockError(
                f"{self.path} was written by a newer typed_tasks (format {version}; this one "
                f"reads format {FORMAT}): upgrade typed_tasks"
            )
        if version < 1:
            raise self.fail("", f'unknown "format" {version}')
        tasks = document.get("tasks")
        if not isinstance(tasks, dict):
            raise self.fail("", '"tasks" must be an object')
        return {name: self.task(name, entry) for name, entry in tasks.items()}

    def task(self, name: str, entry: object) -> TaskContract:
        where = f'task "{name}": '
        if not isinstance(entry, dict):
            raise self.fail(where, "must be an object")
        parameters = self.field(where, entry, "parameters", list)
        return TaskContract(
            module_path=name,
            backend=self.field(where, entry, "backend", str),
            queue=self.field(where, entry, "queue", str),
            takes_context=self.field(where, entry, "takes_context", bool),
            parameters=tuple(
                self.parameter(f"{where}parameter {index + 1}: ", parameter)
                for index, parameter in enumerate(parameters)
            ),
            returns=self.annotation(f"{where}returns: ", entry.get("returns")),
        )

    def parameter(self, where: str, entry: object) -> Parameter:
        if not isinstance(entry, dict):
            raise self.fail(where, "must be an object")
        kind = self.field(where, entry, "kind", str)
        if kind not in get_args(Kind):
            raise self.fail(where, f'unknown "kind" "{kind}"')
        return Parameter(
            name=self.field(where, entry, "name", str),
            kind=kind,
            has_default=self.field(where, entry, "default", bool),
            annotation=self.annotation(where, entry),
        )

    def annotation(self, where: str, entry: object) -> Annotation:
        if not isinstance(entry, dict):
            raise self.fail(where, "must be an object")
        image = entry.get("image")
        try:
            decode(image, "old")
        except (ValueError, KeyError, TypeError) as error:  # ImageFormatError is a ValueError
            raise self.fail(where, f'"image": {error}') from None
        return Annotation(self.field(where, entry, "annotation", str), image)

    def field(self, where: str, entry: dict[str, Any], key: str, kind: type[Any]) -> Any:
        value = entry.get(key)
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            raise self.fail(where, f'"{key}" must be a {kind.__name__}')
        return value
