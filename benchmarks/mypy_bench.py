"""mypy with django-stubs' plugin alone (baseline) against the same plus typed_tasks' (ours).

    python -m benchmarks.mypy_bench            # sizes 50, 200, 500 modules, 5 repetitions
    python -m benchmarks.mypy_bench --quick    # one tiny project, once: proves the harness works
    python -m benchmarks.mypy_bench --sizes 500 --repeat 9 --modes mypy

For each size a project is generated (``benchmarks.generate``: 10 tasks and 50 call
sites per module), then, in every repetition, the two configurations run side by
side, interleaved run by run and alternating which goes first:

* ``mypy`` and ``mypy -n 2``: cold cache, warm cache with no change (``--warm-runs``
  times), warm cache after one task signature changed (twice: the change and its
  revert);
* ``dmypy``: the first check, then the recheck after the same edit (twice).

Each run is a fresh process; its wall time and peak RSS come from ``os.wait4`` (for
``-n 2``: the largest single process). Ratios are ours / baseline, paired within a
repetition, as median (min..max). Writes ``mypy.json`` (every sample) and ``mypy.md``.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from benchmarks import generate
from benchmarks.measure import Process, Spread, machine, run_process

REPO = Path(__file__).resolve().parent.parent
CONFIGS = ("baseline", "ours")
MODES = {"mypy": [], "mypy -n 2": ["-n", "2"], "dmypy": []}
GOALS = {"cold": 1.05, "warm": 1.02, "memory": 1.05}


@dataclass(frozen=True)
class Sample:
    modules: int
    mode: str
    phase: str  # cold, warm, changed; for dmypy: initial, recheck
    config: str
    rep: int
    index: int  # which run of this phase within the repetition (pairs baseline with ours)
    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    errors: int


class MypyFailed(RuntimeError):
    pass


def error_count(process: Process) -> int:
    if process.exit_code not in (0, 1) or "INTERNAL ERROR" in process.output:
        raise MypyFailed(f"mypy exited {process.exit_code}:\n{process.output[-3000:]}")
    found = re.search(r"Found (\d+) errors? in", process.output)
    if found:
        return int(found.group(1))
    if process.exit_code == 0:
        return 0
    raise MypyFailed(f"mypy failed without a summary:\n{process.output[-3000:]}")


def mypy_environment(project: Path, plugin_root: Path = REPO) -> dict[str, str]:
    """This process's environment for a mypy run of ``project``: none of the caller's MYPY*
    or DJANGO_SETTINGS_MODULE, and the project and typed_tasks importable: this checkout's
    sources, or the build in ``plugin_root`` (``benchmarks.compiled``)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("MYPY") and key != "DJANGO_SETTINGS_MODULE"
    }
    env["PYTHONPATH"] = os.pathsep.join([str(project), str(plugin_root)])
    return env


class ProjectBench:
    """Every measurement of one generated project."""

    def __init__(self, project: Path, report: generate.Report, work: Path) -> None:
        self.project = project
        self.report = report
        self.work = work
        self.samples: list[Sample] = []
        self.failures: list[dict[str, object]] = []
        self.env = mypy_environment(project)

    def cache(self, mode: str, config: str) -> Path:
        return self.work / "cache" / mode.replace(" ", "") / config

    def mypy(self, config: str, mode: str, extra: list[str]) -> Process:
        command = [sys.executable, "-m", "mypy", *extra]
        command += ["--config-file", f"mypy_{config}.ini"]
        command += ["--cache-dir", str(self.cache(mode, config)), generate.PACKAGE]
        return run_process(command, cwd=self.project, env=self.env)

    def record(
        self, mode: str, phase: str, config: str, rep: int, index: int, process: Process
    ) -> None:
        modules = self.report.size.modules
        try:
            errors = error_count(process)
        except MypyFailed as failure:
            # a crash is a finding, not the end of the benchmark: keep it, pair nothing with it
            where = {"modules": modules, "mode": mode, "phase": phase, "config": config}
            self.failures.append({**where, "rep": rep, "index": index, "output": str(failure)})
            print(f"  FAILED: {where}", file=sys.stderr)
            return
        self.samples.append(
            Sample(
                modules,
                mode,
                phase,
                config,
                rep,
                index,
                process.wall_s,
                process.cpu_s,
                process.peak_rss_mb,
                errors,
            )
        )

    def batch_mode(self, mode: str, order: tuple[str, ...], rep: int, warm_runs: int) -> None:
        extra = MODES[mode]
        for config in order:
            shutil.rmtree(self.cache(mode, config), ignore_errors=True)
        for config in order:
            self.record(mode, "cold", config, rep, 0, self.mypy(config, mode, extra))
        for index in range(warm_runs):
            for config in order:
                self.record(mode, "warm", config, rep, index, self.mypy(config, mode, extra))
        for index, edit in enumerate((generate.change_signature, generate.restore_signature)):
            edit(self.project, self.report)
            for config in order:
                self.record(mode, "changed", config, rep, index, self.mypy(config, mode, extra))

    def dmypy(self, order: tuple[str, ...], rep: int) -> None:
        for config in order:
            shutil.rmtree(self.cache("dmypy", config), ignore_errors=True)
            with self.daemon(config) as check:
                self.record("dmypy", "initial", config, rep, 0, check())
                edits = (generate.change_signature, generate.restore_signature)
                for index, edit in enumerate(edits):
                    edit(self.project, self.report)
                    self.record("dmypy", "recheck", config, rep, index, check())

    @contextmanager
    def daemon(self, config: str) -> Iterator[Callable[[], Process]]:
        """A running dmypy; each ``check()`` reports the daemon's CPU time and peak RSS."""
        status_file = self.work / f"dmypy_{config}.json"
        base = [sys.executable, "-m", "mypy.dmypy", "--status-file", str(status_file)]
        options = ["--config-file", f"mypy_{config}.ini"]
        options += ["--cache-dir", str(self.cache("dmypy", config))]
        started = run_process([*base, "start", "--", *options], cwd=self.project, env=self.env)
        if started.exit_code != 0:
            raise MypyFailed(f"dmypy did not start:\n{started.output}")
        pid = json.loads(status_file.read_text())["pid"]

        def check() -> Process:
            cpu_before, _ = daemon_usage(pid)
            client = run_process([*base, "check", generate.PACKAGE], cwd=self.project, env=self.env)
            cpu_after, peak_mb = daemon_usage(pid)
            return replace(client, cpu_s=cpu_after - cpu_before, peak_rss_mb=peak_mb)

        try:
            yield check
        finally:
            run_process([*base, "stop"], cwd=self.project, env=self.env)

    def run(self, repeat: int, warm_runs: int, modes: list[str], *, warm_up: bool) -> None:
        # one unrecorded run each first: the OS file cache and .pyc files are warm for all
        for config in CONFIGS if warm_up else ():
            shutil.rmtree(self.cache("warm-up", config), ignore_errors=True)
            error_count(self.mypy(config, "warm-up", []))
        for rep in range(repeat):
            order = CONFIGS if rep % 2 == 0 else CONFIGS[::-1]
            for mode in modes:
                if mode == "dmypy":
                    self.dmypy(order, rep)
                else:
                    self.batch_mode(mode, order, rep, warm_runs)
            print(f"  {self.report.size.modules} modules: repetition {rep + 1}/{repeat} done")


def daemon_usage(pid: int) -> tuple[float, float]:
    """CPU seconds so far and peak RSS (MB) of the dmypy daemon, which is not our child."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    status = Path(f"/proc/{pid}/status").read_text()
    peak_kb = int(status.split("VmHWM:")[1].split()[0])
    return cpu, peak_kb / 1024


@dataclass(frozen=True)
class Compared:
    """One metric of paired runs: each side, and ours / baseline and ours - baseline per pair."""

    baseline: Spread
    ours: Spread
    ratio: Spread
    extra: Spread

    @classmethod
    def of(cls, pairs: list[tuple[float, float]]) -> Compared:
        return cls(
            Spread.of([b for b, _ in pairs]),
            Spread.of([o for _, o in pairs]),
            Spread.of([o / b for b, o in pairs]),
            Spread.of([o - b for b, o in pairs]),
        )


@dataclass(frozen=True)
class Row:
    modules: int
    mode: str
    phase: str
    pairs: int
    wall_s: Compared
    cpu_s: Compared
    peak_rss_mb: Compared
    baseline_errors: list[int]
    ours_errors: list[int]


def summarize(samples: list[Sample]) -> list[Row]:
    pairs: dict[tuple[int, str, str], list[tuple[Sample, Sample]]] = {}
    by_key = {(s.modules, s.mode, s.phase, s.rep, s.index, s.config): s for s in samples}
    for s in samples:
        partner = by_key.get((s.modules, s.mode, s.phase, s.rep, s.index, "ours"))
        if s.config == "baseline" and partner is not None:
            pairs.setdefault((s.modules, s.mode, s.phase), []).append((s, partner))
    return [
        Row(
            modules,
            mode,
            phase,
            len(group),
            Compared.of([(b.wall_s, o.wall_s) for b, o in group]),
            Compared.of([(b.cpu_s, o.cpu_s) for b, o in group]),
            Compared.of([(b.peak_rss_mb, o.peak_rss_mb) for b, o in group]),
            sorted({b.errors for b, _ in group}),
            sorted({o.errors for _, o in group}),
        )
        for (modules, mode, phase), group in pairs.items()
    ]


def goal_text(row: Row) -> str:
    """The goals judged on the CPU-time ratio (robust on a shared machine) and on memory."""
    if row.mode == "dmypy":
        return "no goal"
    time_goal = GOALS["cold"] if row.phase == "cold" else GOALS["warm"]
    verdicts = []
    for name, ratio, goal in (
        ("time", row.cpu_s.ratio.median, time_goal),
        ("memory", row.peak_rss_mb.ratio.median, GOALS["memory"]),
    ):
        verdicts.append(f"{name} {'met' if ratio <= goal else 'MISSED'} (≤{goal:.2f})")
    return ", ".join(verdicts)


def markdown(rows: list[Row], reports: list[generate.Report]) -> str:
    out = []
    for report in reports:
        size = report.size
        out += [
            f"### {size.modules} modules, {size.tasks} tasks, {size.call_sites} call sites",
            "",
            f"{report.files} files, {report.lines} lines; "
            f"{report.definition_mistakes} definition and {report.call_site_mistakes} "
            f"call-site mistakes; typed_tasks.task share {report.typed_tasks_share:.0%}.",
            "",
            "| run | wall s (baseline / ours) | wall ratio | CPU s (baseline / ours) "
            "| CPU ratio | peak MB (baseline / ours) | memory ratio | errors (baseline / ours) "
            "| goal |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for row in rows:
            if row.modules != size.modules:
                continue
            errors = f"{_errors(row.baseline_errors)} / {_errors(row.ours_errors)}"
            wall, cpu, memory = row.wall_s, row.cpu_s, row.peak_rss_mb
            out.append(
                f"| {row.mode}, {row.phase} (x{row.pairs}) "
                f"| {wall.baseline.median:.2f} / {wall.ours.median:.2f} "
                f"| {wall.ratio.ratio_text()} "
                f"| {cpu.baseline.median:.2f} / {cpu.ours.median:.2f} "
                f"| {cpu.ratio.ratio_text()} "
                f"| {memory.baseline.median:.0f} / {memory.ours.median:.0f} "
                f"| {memory.ratio.ratio_text()} | {errors} | {goal_text(row)} |"
            )
        out.append("")
    out += [
        "### Growth with project size (`mypy`, cold cache)",
        "",
        "The fixed cost is what the plugin adds to a warm run with nothing to check (its",
        "start-up); the rest grows with what it checks.",
        "",
        "| modules | tasks | call sites | CPU s (baseline / ours) | extra CPU s "
        "| fixed (warm) extra s | checking extra s | checking ms per 1,000 call sites "
        "| CPU ratio | wall ratio | memory ratio |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    by_key = {(row.modules, row.mode, row.phase): row for row in rows}
    for report in reports:
        size = report.size
        cold = by_key.get((size.modules, "mypy", "cold"))
        warm = by_key.get((size.modules, "mypy", "warm"))
        if cold is None or warm is None:
            continue
        cpu, fixed = cold.cpu_s, warm.cpu_s.extra.median
        checking = cpu.extra.median - fixed
        out.append(
            f"| {size.modules} | {size.tasks} | {size.call_sites} "
            f"| {cpu.baseline.median:.2f} / {cpu.ours.median:.2f} | {cpu.extra.median:+.2f} "
            f"| {fixed:+.2f} | {checking:+.2f} | {checking * 1e6 / size.call_sites:+.0f} "
            f"| {cpu.ratio.ratio_text()} | {cold.wall_s.ratio.ratio_text()} "
            f"| {cold.peak_rss_mb.ratio.ratio_text()} |"
        )
    return "\n".join(out) + "\n"


def _errors(counts: list[int]) -> str:
    # more than one count means a run disagreed with the others (a cache or daemon bug)
    return "/".join(str(c) for c in counts) if len(counts) == 1 else f"DIFFER {counts}"


def typed_tasks_available() -> bool:
    """Whether ``typed_tasks.task`` imports (it may be mid-development): decides its share."""
    probe = [sys.executable, "-c", "from typed_tasks import task"]
    return subprocess.run(probe, cwd=REPO, capture_output=True, check=False).returncode == 0


def byte_compile_plugin() -> None:
    """Compile typed_tasks' bytecode now, as pip does when it installs a package.

    django-stubs' plugin runs from the bytecode pip compiled; with PYTHONDONTWRITEBYTECODE
    set (as on some CI machines) a checkout's plugin would be compiled again by every mypy
    run, a cost no installed copy pays.
    """
    for package in ("typed_tasks", "mypy_plugin"):
        compileall.compile_dir(REPO / package, quiet=1)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="mypy: django-stubs' plugin alone vs the same plus typed_tasks'."
    )
    parser.add_argument("--sizes", default="50,200,500", help="modules per project, comma list")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--warm-runs", type=int, default=3)
    parser.add_argument("--modes", default=",".join(MODES), help=f"of: {', '.join(MODES)}")
    parser.add_argument("--quick", action="store_true", help="4 modules, once (a smoke test)")
    parser.add_argument("--out", type=Path, help="default: benchmarks/results (quick: workdir)")
    parser.add_argument("--workdir", type=Path, help="default: a temporary directory")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--mistake-rate", type=float, default=0.01)
    parser.add_argument("--ours-plugin", default=generate.TYPED_TASKS_PLUGIN, help="module path")
    args = parser.parse_args(argv)
    if args.quick:
        # more mistakes, so even 4 modules have some only typed_tasks' plugin reports
        args.sizes, args.repeat, args.warm_runs, args.mistake_rate = "4", 1, 1, 0.05
    modes = [m.strip() for m in args.modes.split(",")]
    unknown = set(modes) - set(MODES)
    if unknown:
        parser.error(f"unknown modes {sorted(unknown)}")
    share = 0.2 if typed_tasks_available() else 0.0
    byte_compile_plugin()
    with _workdir(args.workdir) as work:
        out = args.out or (None if args.quick else REPO / "benchmarks" / "results")
        reports, samples, failures = [], [], []
        for modules in [int(s) for s in args.sizes.split(",")]:
            project = work / f"project_{modules}"
            report = generate.generate(
                project,
                generate.Size.scaled(modules),
                seed=args.seed,
                mistake_rate=args.mistake_rate,
                typed_tasks_share=share,
                ours_plugin=args.ours_plugin,
            )
            bench = ProjectBench(project, report, work / f"run_{modules}")
            bench.work.mkdir(parents=True, exist_ok=True)
            bench.run(args.repeat, args.warm_runs, modes, warm_up=not args.quick)
            reports.append(report)
            samples += bench.samples
            failures += bench.failures
        rows = summarize(samples)
        table = markdown(rows, reports)
        if failures:
            table += f"\n**{len(failures)} mypy runs failed** (see `failures` in the JSON).\n"
        result = {
            "machine": machine(),
            "command": ["python", "-m", "benchmarks.mypy_bench", *(argv or sys.argv[1:])],
            "repeat": args.repeat,
            "warm_runs": args.warm_runs,
            "projects": [asdict(r) for r in reports],
            "summary": [asdict(r) for r in rows],
            "samples": [asdict(s) for s in samples],
            "failures": failures,
        }
        print(table)
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            (out / "mypy.json").write_text(json.dumps(result, indent=1) + "\n")
            (out / "mypy.md").write_text(table)
            print(f"wrote {out / 'mypy.json'} and {out / 'mypy.md'}")


@contextmanager
def _workdir(given: Path | None) -> Iterator[Path]:
    if given is not None:
        given.mkdir(parents=True, exist_ok=True)
        yield given.resolve()
        return
    with tempfile.TemporaryDirectory(prefix="typed-tasks-bench-") as temporary:
        yield Path(temporary)


if __name__ == "__main__":
    main()
