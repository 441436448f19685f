"""Run mypy with the plugin over every corpus and summarize; exit 1 on any crash of ours.

    .venv/bin/python -m reliability.run_corpus [--workdir DIR] [--only NAME ...]

A crash counts as ours when the traceback passes through ``typed_tasks`` or
``mypy_plugin``, or when the same corpus checks without a crash once typed_tasks is
left out of the plugins (the ``baseline`` configuration).
"""

import argparse
import json
import shutil
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from reliability.corpora import BUILDERS, Corpus
from reliability.mypy_runs import MypyRun, run_mypy

DEFAULT_WORKDIR = Path("/tmp/typed_tasks_reliability")
DEFAULT_CONFIGS = ("plugin", "plugin+django-stubs")


@dataclass
class Outcome:
    corpus: str
    config: str
    files: int
    runs: int
    seconds: float
    errors_reported: int
    task_errors: int
    crashes: int
    crashes_ours: int
    blocked: int
    summary: str


def check_corpus(
    corpus: Corpus, config: str, workdir: Path, cache: Path
) -> tuple[Outcome, list[MypyRun]]:
    groups = (
        [[target] for target in corpus.targets] if corpus.one_run_per_target else [corpus.targets]
    )
    runs = [run_mypy(group, config=config, workdir=workdir, cache_dir=cache) for group in groups]
    ours: list[MypyRun] = []
    for group, run in zip(groups, runs, strict=True):
        if run.crash_is_ours:
            ours.append(run)
        elif run.crashed:
            baseline = run_mypy(group, config="baseline", workdir=workdir, cache_dir=cache)
            if not baseline.crashed:
                ours.append(run)
    outcome = Outcome(
        corpus=corpus.name,
        config=config,
        files=corpus.files,
        runs=len(runs),
        seconds=round(sum(run.seconds for run in runs), 1),
        errors_reported=sum(run.error_count for run in runs),
        task_errors=sum(run.task_error_count for run in runs),
        crashes=sum(run.crashed for run in runs),
        crashes_ours=len(ours),
        blocked=sum(run.blocked for run in runs),
        summary=runs[-1].summary if len(runs) == 1 else f"{len(runs)} runs",
    )
    return outcome, [run for run in runs if run.crashed]


def table(outcomes: list[Outcome]) -> str:
    header = (
        "| corpus | config | files | runs | seconds | errors | task-* errors | blocked "
        "| crashes | ours |"
    )
    rule = "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|"
    rows = [
        f"| {o.corpus} | {o.config} | {o.files} | {o.runs} | {o.seconds} | "
        f"{o.errors_reported} | {o.task_errors} | {o.blocked} | {o.crashes} | {o.crashes_ours} |"
        for o in outcomes
    ]
    return "\n".join([header, rule, *rows])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    parser.add_argument("--only", nargs="*", choices=list(BUILDERS), help="default: all")
    parser.add_argument("--configs", nargs="*", default=list(DEFAULT_CONFIGS))
    parser.add_argument("--json", type=Path, help="also write the outcomes here")
    arguments = parser.parse_args(argv)

    workdir: Path = arguments.workdir
    for stale in workdir.glob("*"):
        if stale.is_dir() and stale.name != "downloads":
            shutil.rmtree(stale)
    workdir.mkdir(parents=True, exist_ok=True)
    cache = workdir / "cache"  # fresh each run: a cached module would skip the plugin's hooks

    started = time.monotonic()
    groups = arguments.only or list(BUILDERS)
    corpora = [corpus for group in groups for corpus in BUILDERS[group](workdir)]
    outcomes: list[Outcome] = []
    crashed_runs: list[MypyRun] = []
    for corpus in corpora:
        for config in [c for c in arguments.configs if not corpus.configs or c in corpus.configs]:
            outcome, crashes = check_corpus(corpus, config, workdir, cache)
            print(
                f"{corpus.name} [{config}]: {corpus.files} files, {outcome.seconds} s, "
                f"{outcome.crashes} crashes ({outcome.crashes_ours} ours), "
                f"{outcome.blocked} blocked; {outcome.summary}",
                flush=True,
            )
            outcomes.append(outcome)
            crashed_runs.extend(crashes)

    print()
    print(table(outcomes))
    print(
        f"\nTotal: {sum(c.files for c in corpora)} files in {len(corpora)} corpora, "
        f"{round(time.monotonic() - started)} s"
    )
    for run in crashed_runs:
        print(f"\n--- crash under {run.config} ---\n{run.traceback()}")
    if arguments.json:
        arguments.json.write_text(json.dumps([asdict(o) for o in outcomes], indent=2))
    # Only syntax errors may stop mypy before it checks; anything else left a corpus unchecked.
    unchecked = [o for o in outcomes if o.blocked and o.corpus != "syntax-errors"]
    for outcome in unchecked:
        print(f"\nNOT CHECKED: {outcome.corpus} [{outcome.config}]: {outcome.summary}")
    return 1 if unchecked or any(o.crashes_ours for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
