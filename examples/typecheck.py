"""Run mypy over the example and compare what it reports with what the code expects.

A line that should be reported carries a marker comment, ``# expected: CODE``
(several codes separated by commas), so the source says what mypy must find.
"""

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
CONFIG = REPOSITORY / "examples" / "mypy.ini"

ERROR_LINE = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+): error: .*\[(?P<code>[a-z0-9-]+)\]$")
MARKER = re.compile(r"#\s*expected:\s*(?P<codes>[a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)")


@dataclass(frozen=True, order=True)
class Reported:
    path: str
    line: int
    code: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line} [{self.code}]"


@dataclass(frozen=True)
class MypyRun:
    exit_status: int
    output: str

    @property
    def errors(self) -> set[Reported]:
        found = (ERROR_LINE.match(line) for line in self.output.splitlines())
        return {
            Reported(match["path"], int(match["line"]), match["code"]) for match in found if match
        }


def run_mypy(*paths: str, cache_dir: Path | None = None) -> MypyRun:
    """Run mypy with the example's configuration; ``paths`` relative to the repository.

    With no ``paths``, mypy checks the files the configuration names.
    """
    command = [sys.executable, "-m", "mypy", "--config-file", str(CONFIG)]
    if cache_dir is not None:
        command.append(f"--cache-dir={cache_dir}")
    command += ["--show-error-codes", "--no-color-output", *paths]
    completed = subprocess.run(
        command,
        cwd=REPOSITORY,
        env=dict(os.environ) | {"PYTHONPATH": str(REPOSITORY)},
        capture_output=True,
        text=True,
        check=False,
    )
    return MypyRun(completed.returncode, completed.stdout + completed.stderr)


def expected_errors(*paths: str) -> set[Reported]:
    expected = set()
    for path in paths:
        source = (REPOSITORY / path).read_text().splitlines()
        for number, line in enumerate(source, start=1):
            if marker := MARKER.search(line):
                for code in marker["codes"].split(","):
                    expected.add(Reported(path, number, code.strip()))
    return expected
