"""Run mypy over some code and find the crashes in what it prints."""

import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from mypy_plugin.safety import STRICT_ERRORS_VARIABLE

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# The configurations a corpus is checked under. Every one names the Django settings the
# way django-stubs reads them, so the plugin's settings-aware checks run too.
SETTINGS_SECTION = "[mypy.plugins.django-stubs]\ndjango_settings_module = tests.settings\n"
COMMON_OPTIONS = (
    "ignore_missing_imports = True\n"
    "follow_imports = silent\n"
    "check_untyped_defs = True\n"
    "show_traceback = True\n"
    "show_error_codes = True\n"
)
CONFIGS = {
    "plugin": f"[mypy]\nplugins = typed_tasks.mypy\n{COMMON_OPTIONS}{SETTINGS_SECTION}",
    "plugin+django-stubs": (
        "[mypy]\nplugins = typed_tasks.mypy, mypy_django_plugin.main\n"
        f"{COMMON_OPTIONS}{SETTINGS_SECTION}"
    ),
    # Without typed_tasks: tells a crash of mypy or django-stubs from one of ours.
    "baseline": f"[mypy]\nplugins = mypy_django_plugin.main\n{COMMON_OPTIONS}{SETTINGS_SECTION}",
}

CRASH_MARKERS = ("INTERNAL ERROR", "Traceback (most recent call last)", "Error constructing plugin")
OUR_FRAMES = re.compile(r'File "[^"]*[/\\](mypy_plugin|typed_tasks)[/\\][^"]*"')
SUMMARY_LINE = re.compile(r"^(Found \d+ errors? in \d+ files?|Success: no issues found).*$", re.M)


@dataclass(frozen=True)
class MypyRun:
    config: str
    exit_code: int
    output: str
    seconds: float

    @property
    def crashed(self) -> bool:
        return self.exit_code not in (0, 1, 2) or any(m in self.output for m in CRASH_MARKERS)

    @property
    def blocked(self) -> bool:
        """mypy stopped before checking: a syntax error, or a plugin that does not import."""
        return not self.crashed and self.exit_code == 2

    @property
    def crash_is_ours(self) -> bool:
        """The traceback passes through typed_tasks or mypy_plugin."""
        return self.crashed and OUR_FRAMES.search(self.output) is not None

    @property
    def summary(self) -> str:
        if self.crashed:  # the exception, as the traceback's last line gives it
            lines = [line for line in self.traceback().splitlines() if "note:" not in line]
            return "crash: " + (lines[-1].strip() if lines else "no traceback")
        if self.blocked:  # say why
            errors = [line for line in self.output.splitlines() if ": error:" in line]
            return errors[0] if errors else self.output.strip()[-300:]
        found = SUMMARY_LINE.search(self.output)
        if found:
            return found.group(0)
        lines = self.output.strip().splitlines()
        return lines[-1] if lines else f"exit code {self.exit_code}, no output"

    @property
    def error_count(self) -> int:
        return sum(1 for line in self.output.splitlines() if ": error:" in line)

    @property
    def task_error_count(self) -> int:
        """Errors of the plugin's own codes (task-param, task-arg...)."""
        return sum(1 for line in self.output.splitlines() if ": error:" in line and "[task" in line)

    def traceback(self) -> str:
        """From the first crash marker on."""
        starts = [self.output.find(m) for m in CRASH_MARKERS if m in self.output]
        return self.output[min(starts) :] if starts else ""


def as_text(output: str | bytes | None) -> str:
    if isinstance(output, bytes):
        return output.decode(errors="replace")
    return output or ""


def write_config(directory: Path, config: str) -> Path:
    path = directory / f"mypy-{config}.ini"
    path.write_text(CONFIGS[config])
    return path


def run_mypy(
    targets: list[Path],
    *,
    config: str,
    workdir: Path,
    cache_dir: Path,
    timeout: float = 3600,
    extra_args: tuple[str, ...] = (),
) -> MypyRun:
    """mypy over ``targets`` (files or package directories), as a user's CI would run it."""
    config_file = write_config(workdir, config)
    command = [
        sys.executable,
        "-m",
        "mypy",
        "--config-file",
        str(config_file),
        "--cache-dir",
        str(cache_dir),
        *extra_args,
        *map(str, targets),
    ]
    # The plugin swallows its own exceptions by default (a user's CI never sees them);
    # here they must surface as mypy's INTERNAL ERROR with a traceback.
    environment = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), STRICT_ERRORS_VARIABLE: "1"}
    environment.pop("MYPYPATH", None)
    started = time.monotonic()
    try:
        completed = subprocess.run(
            command,
            cwd=workdir,
            env=environment,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as expired:
        output = f"{as_text(expired.stdout)}{as_text(expired.stderr)}\nTIMEOUT after {timeout} s"
        return MypyRun(config, -1, output, time.monotonic() - started)
    output = completed.stdout + completed.stderr
    return MypyRun(config, completed.returncode, output, time.monotonic() - started)
