"""The plugin on realistic Django projects (tests/realistic/): every report expected, none missed.

Each project is checked with its own mypy.ini (typed_tasks' plugin, then django-stubs'),
and once more with the two plugins the other way round, which must change nothing. A line
that mypy must report carries ``# expect: CODE`` (several codes comma-separated); every
other line must stay silent. ``# known-miss: CODE`` marks a mistake the plugin cannot see
yet (docs/audit.md says why): it is not required now, and a strict xfail turns red the day
it is reported, so the marker moves to ``expect``.
"""

import os
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parent.parent
REALISTIC = REPOSITORY / "tests" / "realistic"
PROJECTS = sorted(path.parent.name for path in REALISTIC.glob("*/mypy.ini"))

REPORT = re.compile(r"^(?P<path>[^:\n]+\.py):(?P<line>\d+): error: .*\[(?P<code>[a-z0-9-]+)\]$")
CODES = r"(?P<codes>[a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)"
EXPECT = re.compile(r"#\s*expect:\s*" + CODES)
KNOWN_MISS = re.compile(r"#\s*known-miss:\s*" + CODES)

Report = tuple[str, int, str]


RECOMMENDED_ORDER = "plugins = typed_tasks.mypy, mypy_django_plugin.main"
OTHER_ORDER = "plugins = mypy_django_plugin.main, typed_tasks.mypy"


@cache
def mypy_reports(project: str, *, config: str = "mypy.ini") -> tuple[frozenset[Report], str]:
    """Every (file, line, code) mypy reports on ``project``, and its whole output.

    ``config``: the configuration file, relative to the project (paths in it are read
    from the project's directory either way).
    """
    root = REALISTIC / project
    completed = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", config, "--cache-dir", os.devnull],
        cwd=root,
        env=dict(os.environ) | {"PYTHONPATH": os.pathsep.join([str(root), str(REPOSITORY)])},
        capture_output=True,
        text=True,
        check=False,
    )
    output = completed.stdout + completed.stderr
    assert "INTERNAL ERROR" not in output, output
    matches = (REPORT.match(line) for line in output.splitlines())
    reports = frozenset((m["path"], int(m["line"]), m["code"]) for m in matches if m)
    return reports, output


def markers(project: str, pattern: re.Pattern[str]) -> frozenset[Report]:
    root = REALISTIC / project
    found: set[Report] = set()
    for source in root.rglob("*.py"):
        path = source.relative_to(root).as_posix()
        for number, text in enumerate(source.read_text().splitlines(), start=1):
            if match := pattern.search(text):
                found |= {(path, number, code.strip()) for code in match["codes"].split(",")}
    return frozenset(found)


def _listing(reports: frozenset[Report]) -> str:
    return "\n".join(f"  {path}:{line} [{code}]" for path, line, code in sorted(reports)) or "  -"


@pytest.mark.parametrize("project", PROJECTS)
def test_reports_are_exactly_the_expected_mistakes(project: str) -> None:
    reported, output = mypy_reports(project)
    expected = markers(project, EXPECT)
    false_positives = reported - expected
    missed = expected - reported
    assert not false_positives and not missed, (
        f"false positives:\n{_listing(false_positives)}\n"
        f"missed mistakes:\n{_listing(missed)}\n\nmypy output:\n{output}"
    )


@pytest.mark.parametrize("project", PROJECTS)
def test_projects_have_mistakes_to_find(project: str) -> None:
    assert len(markers(project, EXPECT)) >= 10


@pytest.mark.parametrize("project", PROJECTS)
def test_plugin_order_changes_nothing_reported(project: str, tmp_path: Path) -> None:
    # The docs recommend listing typed_tasks first (it is faster); users who list it after
    # django-stubs must get the very same output.
    config = (REALISTIC / project / "mypy.ini").read_text()
    assert RECOMMENDED_ORDER in config
    other = tmp_path / "mypy.ini"
    other.write_text(config.replace(RECOMMENDED_ORDER, OTHER_ORDER))
    _, recommended_output = mypy_reports(project)
    _, other_output = mypy_reports(project, config=str(other))
    assert other_output == recommended_output


KNOWN_MISSES = [
    pytest.param(project, report, id=f"{project}:{report[0]}:{report[1]}")
    for project in PROJECTS
    for report in sorted(markers(project, KNOWN_MISS))
]


@pytest.mark.xfail(strict=True, reason="a known miss, described in docs/audit.md")
@pytest.mark.parametrize(("project", "report"), KNOWN_MISSES)
def test_known_misses_are_still_missed(project: str, report: Report) -> None:
    reported, _ = mypy_reports(project)
    assert report in reported
