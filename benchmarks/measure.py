"""Measuring helpers shared by the benchmarks: a timed subprocess, spreads, the machine."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path


@dataclass(frozen=True)
class Process:
    wall_s: float
    cpu_s: float  # user + system, of the process and the workers it reaped
    peak_rss_mb: float  # the largest single process of the tree (ru_maxrss of wait4)
    exit_code: int
    output: str


def run_process(command: list[str], *, cwd: Path, env: dict[str, str]) -> Process:
    """Run ``command`` to completion; its own wall time and peak RSS, not the harness's."""
    with tempfile.TemporaryFile() as output:
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT)
        # wait4 reports the rusage of this child alone (with the workers it reaped),
        # where RUSAGE_CHILDREN would keep the maximum of every earlier run.
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read().decode(errors="replace")
    cpu = usage.ru_utime + usage.ru_stime
    return Process(wall, cpu, usage.ru_maxrss / 1024, child.returncode, text)


@dataclass(frozen=True)
class Spread:
    min: float
    median: float
    max: float

    @classmethod
    def of(cls, values: list[float]) -> Spread:
        return cls(min(values), statistics.median(values), max(values))

    def ratio_text(self) -> str:
        return f"{self.median:.3f} ({self.min:.3f}..{self.max:.3f})"


def machine() -> dict[str, object]:
    """What a reader needs to compare these numbers with their own CI."""
    meminfo = Path("/proc/meminfo")
    ram_gb = None
    if meminfo.exists():
        kb = int(meminfo.read_text().split("MemTotal:")[1].split()[0])
        ram_gb = round(kb / 1024 / 1024, 1)
    cpu = platform.processor()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        models = [ln for ln in cpuinfo.read_text().splitlines() if ln.startswith("model name")]
        cpu = models[0].split(":", 1)[1].strip() if models else cpu
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": ram_gb,
        "os": platform.platform(),
        "python": platform.python_version(),
        "load_average": os.getloadavg(),
        "versions": {name: _version(name) for name in ("mypy", "django-stubs", "Django")},
        "typed_tasks_commit": _commit(),
    }


def _commit() -> str:
    """The checked-out commit, marked when the measured packages differ from it."""
    repo = Path(__file__).resolve().parent.parent

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "HEAD") or "unknown"
    changed = git("status", "--porcelain", "--", "typed_tasks", "mypy_plugin")
    return commit + (" (with uncommitted changes)" if changed else "")


def _version(distribution: str) -> str:
    try:
        return version(distribution)
    except PackageNotFoundError:
        return "not installed"
