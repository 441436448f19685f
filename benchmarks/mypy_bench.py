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
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
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


class ProjectBench:
    """Every measurement of one generated project."""

    def __init__(self, project: Path, report: generate.Report, work: Path) -> None:
        self.project = project
        self.report = report
        self.work = work
        self.samples: list[Sample] = []
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("MYPY") and key != "DJANGO_SETTINGS_MODULE"
        }
        self.env["PYTHONPATH"] = os.pathsep.join([str(project), str(REPO)])

    def cache(self, mode: str, config: str) -> Path:
        return self.work / "cache" / mode.replace(" ", "") / config

    def mypy(self, config: str, mode: str, extra: list[str]) -> Process:
        command = [sys.executable, "-m", "mypy", *extra]
        command += ["--config-file", f"mypy_{config}.ini"]
        command += ["--cache-dir", str(self.cache(mode, config)), generate.PACKAGE]
        return run_process(command, cwd=self.project, env=self.env)

    def record(
        self,
        mode: str,
        phase: str,
        config: str,
        rep: int,
        index: int,
        process: Process,
        *,
        peak_rss_mb: float | None = None,
    ) -> None:
        peak = process.peak_rss_mb if peak_rss_mb is None else peak_rss_mb
        modules = self.report.size.modules
        errors = error_count(process)
        sample = Sample(modules, mode, phase, config, rep, index, process.wall_s, peak, errors)
        self.samples.append(sample)

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
            runs: list[tuple[str, int, Process]] = []
            with self.daemon(config) as (client, status_file):
                runs.append(("initial", 0, client("check", generate.PACKAGE)))
                edits = (generate.change_signature, generate.restore_signature)
                for index, edit in enumerate(edits):
                    edit(self.project, self.report)
                    runs.append(("recheck", index, client("check", generate.PACKAGE)))
                # the client's own RSS says nothing: the daemon's high-water mark does
                peak = daemon_peak_rss_mb(status_file)
            for phase, index, process in runs:
                self.record("dmypy", phase, config, rep, index, process, peak_rss_mb=peak)

    @contextmanager
    def daemon(self, config: str) -> Iterator[tuple[Callable[..., Process], Path]]:
        status_file = self.work / f"dmypy_{config}.json"
        base = [sys.executable, "-m", "mypy.dmypy", "--status-file", str(status_file)]

        def client(*args: str) -> Process:
            return run_process([*base, *args], cwd=self.project, env=self.env)

        options = ["--config-file", f"mypy_{config}.ini"]
        options += ["--cache-dir", str(self.cache("dmypy", config))]
        started = client("start", "--", *options)
        if started.exit_code != 0:
            raise MypyFailed(f"dmypy did not start:\n{started.output}")
        try:
            yield client, status_file
        finally:
            client("stop")

    def run(self, repeat: int, warm_runs: int, modes: list[str]) -> None:
        for rep in range(repeat):
            order = CONFIGS if rep % 2 == 0 else CONFIGS[::-1]
            for mode in modes:
                if mode == "dmypy":
                    self.dmypy(order, rep)
                else:
                    self.batch_mode(mode, order, rep, warm_runs)
            print(f"  {self.report.size.modules} modules: repetition {rep + 1}/{repeat} done")


def daemon_peak_rss_mb(status_file: Path) -> float:
    pid = json.loads(status_file.read_text())["pid"]
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@dataclass(frozen=True)
class Row:
    modules: int
    mode: str
    phase: str
    pairs: int
    baseline_wall_s: Spread
    ours_wall_s: Spread
    wall_ratio: Spread
    extra_wall_s: Spread  # ours - baseline, paired
    baseline_peak_mb: Spread
    ours_peak_mb: Spread
    memory_ratio: Spread
    baseline_errors: list[int]
    ours_errors: list[int]


def summarize(samples: list[Sample]) -> list[Row]:
    pairs: dict[tuple[int, str, str], list[tuple[Sample, Sample]]] = {}
    by_key = {(s.modules, s.mode, s.phase, s.rep, s.index, s.config): s for s in samples}
    for s in samples:
        if s.config == "baseline":
            partner = by_key[(s.modules, s.mode, s.phase, s.rep, s.index, "ours")]
            pairs.setdefault((s.modules, s.mode, s.phase), []).append((s, partner))
    rows = []
    for (modules, mode, phase), group in pairs.items():
        base, ours = [b for b, _ in group], [o for _, o in group]
        rows.append(
            Row(
                modules,
                mode,
                phase,
                len(group),
                Spread.of([b.wall_s for b in base]),
                Spread.of([o.wall_s for o in ours]),
                Spread.of([o.wall_s / b.wall_s for b, o in group]),
                Spread.of([o.wall_s - b.wall_s for b, o in group]),
                Spread.of([b.peak_rss_mb for b in base]),
                Spread.of([o.peak_rss_mb for o in ours]),
                Spread.of([o.peak_rss_mb / b.peak_rss_mb for b, o in group]),
                sorted({b.errors for b in base}),
                sorted({o.errors for o in ours}),
            )
        )
    return rows


def goal_text(row: Row) -> str:
    if row.mode == "dmypy":
        return "no goal"
    wall_goal = GOALS["cold"] if row.phase == "cold" else GOALS["warm"]
    verdicts = []
    for name, ratio, goal in (
        ("wall", row.wall_ratio.median, wall_goal),
        ("memory", row.memory_ratio.median, GOALS["memory"]),
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
            "| run | baseline s | ours s | wall ratio | baseline MB | ours MB "
            "| memory ratio | errors (baseline / ours) | goal |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for row in rows:
            if row.modules != size.modules:
                continue
            errors = f"{_errors(row.baseline_errors)} / {_errors(row.ours_errors)}"
            out.append(
                f"| {row.mode}, {row.phase} (x{row.pairs}) | {row.baseline_wall_s.median:.2f} "
                f"| {row.ours_wall_s.median:.2f} | {row.wall_ratio.ratio_text()} "
                f"| {row.baseline_peak_mb.median:.0f} | {row.ours_peak_mb.median:.0f} "
                f"| {row.memory_ratio.ratio_text()} | {errors} | {goal_text(row)} |"
            )
        out.append("")
    out += [
        "### Growth with project size (`mypy`, cold cache)",
        "",
        "| modules | tasks | call sites | baseline s | ours s | extra s (paired median) "
        "| extra ms per 1,000 call sites | wall ratio | memory ratio |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for report in reports:
        size = report.size
        for row in rows:
            if (row.modules, row.mode, row.phase) != (size.modules, "mypy", "cold"):
                continue
            per_k = row.extra_wall_s.median * 1000 / (size.call_sites / 1000)
            out.append(
                f"| {size.modules} | {size.tasks} | {size.call_sites} "
                f"| {row.baseline_wall_s.median:.2f} | {row.ours_wall_s.median:.2f} "
                f"| {row.extra_wall_s.median:+.2f} | {per_k:+.1f} "
                f"| {row.wall_ratio.ratio_text()} | {row.memory_ratio.ratio_text()} |"
            )
    return "\n".join(out) + "\n"


def _errors(counts: list[int]) -> str:
    # more than one count means a run disagreed with the others (a cache or daemon bug)
    return "/".join(str(c) for c in counts) if len(counts) == 1 else f"DIFFER {counts}"


def typed_tasks_available() -> bool:
    """Whether ``typed_tasks.task`` imports (it may be mid-development): decides its share."""
    probe = [sys.executable, "-c", "from typed_tasks import task"]
    return subprocess.run(probe, cwd=REPO, capture_output=True, check=False).returncode == 0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="mypy: django-stubs' plugin alone vs the same plus typed_tasks'."
    )
    parser.add_argument("--sizes", default="50,200,500", help="modules per project, comma list")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--warm-runs", type=int, default=3)
    parser.add_argument("--modes", default=",".join(MODES), help=f"of: {', '.join(MODES)}")
    parser.add_argument("--quick", action="store_true", help="10 modules, once (a smoke test)")
    parser.add_argument("--out", type=Path, help="default: benchmarks/results (quick: workdir)")
    parser.add_argument("--workdir", type=Path, help="default: a temporary directory")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--ours-plugin", default=generate.TYPED_TASKS_PLUGIN, help="module path")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.repeat, args.warm_runs = "10", 1, 1
    modes = [m.strip() for m in args.modes.split(",")]
    unknown = set(modes) - set(MODES)
    if unknown:
        parser.error(f"unknown modes {sorted(unknown)}")
    share = 0.2 if typed_tasks_available() else 0.0
    with _workdir(args.workdir) as work:
        out = args.out or (None if args.quick else REPO / "benchmarks" / "results")
        reports, samples = [], []
        for modules in [int(s) for s in args.sizes.split(",")]:
            project = work / f"project_{modules}"
            report = generate.generate(
                project,
                generate.Size.scaled(modules),
                seed=args.seed,
                typed_tasks_share=share,
                ours_plugin=args.ours_plugin,
            )
            bench = ProjectBench(project, report, work / f"run_{modules}")
            bench.work.mkdir(parents=True, exist_ok=True)
            bench.run(args.repeat, args.warm_runs, modes)
            reports.append(report)
            samples += bench.samples
        rows = summarize(samples)
        table = markdown(rows, reports)
        result = {
            "machine": machine(),
            "command": ["python", "-m", "benchmarks.mypy_bench", *(argv or sys.argv[1:])],
            "repeat": args.repeat,
            "warm_runs": args.warm_runs,
            "projects": [asdict(r) for r in reports],
            "summary": [asdict(r) for r in rows],
            "samples": [asdict(s) for s in samples],
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
