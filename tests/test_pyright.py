"""The static claims of typed_tasks.task, under pyright (with django-stubs).

Each snippet in ``pyright_cases/`` marks what pyright must say about a line:
``# revealed: T`` after a ``reveal_type`` call, and ``# error: rule[, rule]``
for the errors the line must have. Any other error fails the test.
"""

import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "pyright_cases"
PYRIGHT = Path(sys.executable).parent / "pyright"
REVEALED = re.compile(r"# revealed: (?P<type>.+)$")
ERRORS = re.compile(r"# error: (?P<rules>[\w, ]+)$")
TYPE_OF = re.compile(r'^Type of ".*" is "(?P<type>.*)"$', re.DOTALL)

Location = tuple[str, int]


def expectations() -> tuple[dict[Location, str], dict[Location, list[str]]]:
    revealed: dict[Location, str] = {}
    errors: dict[Location, list[str]] = {}
    for path in sorted(CASES.glob("*.py")):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if match := REVEALED.search(line):
                revealed[(path.name, number)] = match["type"].strip()
            elif match := ERRORS.search(line):
                errors[(path.name, number)] = sorted(r.strip() for r in match["rules"].split(","))
    return revealed, errors


@pytest.fixture(scope="module")
def diagnostics() -> list[dict[str, Any]]:
    run = subprocess.run(
        [
            str(PYRIGHT),
            "--outputjson",
            "--pythonpath",
            sys.executable,
            "-p",
            str(CASES),
            str(CASES),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    report: dict[str, Any] = json.loads(run.stdout)
    found: list[dict[str, Any]] = report["generalDiagnostics"]
    return found


def location(diagnostic: dict[str, Any]) -> Location:
    return Path(diagnostic["file"]).name, diagnostic["range"]["start"]["line"] + 1


def test_revealed_types(diagnostics: list[dict[str, Any]]) -> None:
    expected, _ = expectations()
    actual = {}
    for diagnostic in diagnostics:
        if diagnostic["severity"] == "information" and (
            match := TYPE_OF.match(diagnostic["message"])
        ):
            actual[location(diagnostic)] = match["type"]
    assert actual == expected


def test_errors_are_exactly_the_expected_ones(diagnostics: list[dict[str, Any]]) -> None:
    _, expected = expectations()
    actual: dict[Location, list[str]] = defaultdict(list)
    for diagnostic in diagnostics:
        if diagnostic["severity"] == "error":
            actual[location(diagnostic)].append(diagnostic.get("rule", diagnostic["message"]))
    assert {where: sorted(rules) for where, rules in actual.items()} == expected


def test_every_claim_is_covered(diagnostics: list[dict[str, Any]]) -> None:
    # Guard against a run that resolved nothing: the snippets must reveal tasks.
    revealed, errors = expectations()
    assert len(revealed) >= 20
    assert len(errors) >= 10
    assert any("ContextTask[" in text for text in revealed.values())
