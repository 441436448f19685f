"""mypy runs counted in instructions (valgrind's callgrind), which noise cannot move.

    python -m benchmarks.instructions                  # 30 modules, about 8 minutes on 2 cores
    python -m benchmarks.instructions --modules 200    # about 16 minutes

CPU time on a shared machine moves by 5% or more between identical runs; the number of
instructions a run executes does not (``PYTHONHASHSEED`` is fixed): a change of 0.5% is
real. Four configurations check the same generated project, each with its own cache, in
three runs counted one after the other: **cold** (no cache), **warm** (the same again, no
change) and **edit** (after the signature edit of ``benchmarks.mypy_bench``, then reverted):

* ``baseline``: django-stubs' plugin alone;
* ``floor``: the same plus ``benchmarks/floor_plugin.py``, hooks where typed_tasks has
  them that change nothing: what any plugin checking tasks pays mypy to be called;
* ``ours``: the same plus typed_tasks' plugin, from this checkout's sources;
* ``compiled``: the same plugin from its compiled build (``benchmarks.compiled``, built at
  the start).

Instructions are not seconds (memory stalls and valgrind's own model differ), so this
explains the time benchmark (``benchmarks.mypy_bench``), it does not replace it. Each run
leaves its callgrind profile in the work directory for ``callgrind_annotate``.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from benchmarks import generate
from benchmarks.compiled import install_compiled
from benchmarks.mypy_bench import REPO, byte_compile_plugin, mypy_environment

FLOOR_PLUGIN = Path(__file__).resolve().parent / "floor_plugin.py"
CONFIGS = ("baseline", "floor", "ours", "compiled")


@dataclass(frozen=True)
class Count:
    config: str
    instructions: int
    errors: int


RUNS = ("cold", "warm", "edit")


def count(
    project: Path, config: str, run: str, work: Path, package: str = generate.PACKAGE
) -> Count:
    """Instructions of one ``mypy`` run of ``package`` in ``project`` with
    ``mypy_{config}.ini``; ``cold`` empties the configuration's cache first. ``compiled``
    runs the build in ``work``."""
    cache = work / f"cache_{config}"
    if run == "cold":
        shutil.rmtree(cache, ignore_errors=True)
    plugin_root = work / "compiled" if config == "compiled" else REPO
    env = mypy_environment(project, plugin_root) | {"PYTHONHASHSEED": "0"}
    command = [
        "valgrind",
        "--tool=callgrind",
        f"--callgrind-out-file={work / f'callgrind.{run}.{config}.out'}",
        sys.executable,
        "-m",
        "mypy",
        "--config-file",
        f"mypy_{config}.ini",
        "--cache-dir",
        str(cache),
        package,
    ]
    done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    collected = re.search(r"Collected : (\d+)", done.stderr)
    found = re.search(r"Found (\d+) errors? in", done.stdout)
    if collected is None or done.returncode not in (0, 1) or "INTERNAL ERROR" in done.stdout:
        raise SystemExit(f"{config}, {run}: mypy under valgrind failed:\n{done.stdout[-2000:]}")
    return Count(config, int(collected.group(1)), int(found.group(1)) if found else 0)


_TITLES = {"cold": "a cold", "warm": "a warm (no change)", "edit": "a warm (after the edit)"}


def markdown(modules: int, run: str, counts: list[Count]) -> str:
    by_config = {c.config: c for c in counts}
    base = by_config["baseline"].instructions
    lines = [
        f"### Instructions of {_TITLES[run]} `mypy` run, {modules} modules",
        "",
        "| configuration | instructions | ratio to baseline | extra | errors |",
        "|---|---|---|---|---|",
    ]
    for config in CONFIGS:
        c = by_config[config]
        extra = c.instructions - base
        lines.append(
            f"| {config} | {c.instructions:,} | {c.instructions / base:.4f} | "
            f"{extra:+,} | {c.errors} |"
        )
    floor = by_config["floor"].instructions
    lines.append("")
    for config in ("ours", "compiled"):
        own = by_config[config].instructions - floor
        lines.append(
            f"typed_tasks' own work beyond the floor, {config}: {own:,} ({own / base:.2%} of "
            "baseline)."
        )
    return "\n".join(lines) + "\n"


def _runs(text: str) -> tuple[str, ...]:
    """The runs asked for, in RUNS order; warm and edit need the cache the cold run fills."""
    asked = {run.strip() for run in text.split(",") if run.strip()}
    unknown = asked - set(RUNS)
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown run(s): {', '.join(sorted(unknown))}")
    if "cold" not in asked:
        raise argparse.ArgumentTypeError("cold is needed: the other runs use the cache it fills")
    return tuple(run for run in RUNS if run in asked)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--modules", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, help="default: a temporary directory")
    parser.add_argument("--out", type=Path, help="also write the tables to this file")
    parser.add_argument(
        "--runs",
        type=_runs,
        default=RUNS,
        help="comma-separated, in this order: cold (always first), warm, edit (default: all)",
    )
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind not found: install it (Debian: apt-get install valgrind)")
    byte_compile_plugin()
    with tempfile.TemporaryDirectory(prefix="typed-tasks-instructions-") as temporary:
        work = (args.workdir or Path(temporary)).resolve()
        project = work / "project"
        report = generate.generate(project, generate.Size.scaled(args.modules), seed=args.seed)
        floor_config = generate.mypy_config([str(FLOOR_PLUGIN), generate.DJANGO_STUBS_PLUGIN])
        (project / "mypy_floor.ini").write_text(floor_config)
        shutil.copy(project / "mypy_ours.ini", project / "mypy_compiled.ini")
        install_compiled(work)
        tables = []
        for run in args.runs:
            if run == "edit":
                generate.change_signature(project, report)
            try:
                # Counts do not depend on what else runs, so the three run side by side.
                with ThreadPoolExecutor(max_workers=len(CONFIGS)) as pool:
                    futures = [pool.submit(count, project, c, run, work) for c in CONFIGS]
                    counts = [future.result() for future in futures]
            finally:
                if run == "edit":
                    generate.restore_signature(project, report)
            tables.append(markdown(args.modules, run, counts))
            print(tables[-1])
        if args.out is not None:
            args.out.write_text("\n".join(tables))


if __name__ == "__main__":
    main()
