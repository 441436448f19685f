"""The dense profile: every line a task definition or an enqueue call.

    python -m benchmarks.dense --modules 500 --repeat 3    # about 25 minutes on 2 cores
    python -m benchmarks.dense --quick                     # 4 modules once: the harness works

The realistic project of ``benchmarks.generate`` dilutes what typed_tasks costs per task
definition and per call with code the plugin never sees. This one does not: each module
holds ``--tasks-per-module`` task definitions (every decorator form, both decorators,
parameters of the types a project sends) and ``--calls-per-module`` module-level calls
with literal arguments (scalars, lists, dicts, tuples, TypedDict literals, ``.using(...)``
chains), to its own tasks and to those of the module before it. ``check_untyped_defs`` is
on. The code is correct: both configurations report nothing.

Two projects are checked, each cold (cache deleted), in one interleaved run: the full one,
and the same definitions without the calls. Four configurations each, plugins listed
first: **baseline** (django-stubs' plugin alone), **floor** (plus
``benchmarks/floor_plugin.py``, hooks where typed_tasks has them that change nothing),
**ours** (plus typed_tasks' plugin from this checkout's sources) and **compiled** (the same
plugin from its compiled build, ``benchmarks.compiled``, built at the start of the run).
From CPU time (user + system, ``os.wait4``):

* the cold ratio of each configuration to the baseline, per project;
* typed_tasks' cost per definition beyond the floor, source and compiled: (ours - floor)
  on the definitions-only project, per task;
* its cost per call: what the calls add to (ours - floor), per call.

Each figure is the median (min..max) over repetitions; a pair's configurations run next to
each other, in an order that rotates with the repetition. Next to it, the ratio of each
configuration's fastest run to the baseline's fastest: noise on a shared machine only adds
time, so the fastest run is the least disturbed. The JSON keeps every sample.

``--instructions`` counts instead (valgrind's callgrind, as ``benchmarks.instructions``):
one cold run of each configuration on the full project, which noise cannot move.

    python -m benchmarks.dense --modules 200 --instructions   # about 12 minutes on 2 cores
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from benchmarks.compiled import install_compiled
from benchmarks.generate import DJANGO_STUBS_PLUGIN, SHARED_TYPES, TYPED_TASKS_PLUGIN
from benchmarks.measure import Process, Spread, machine, run_process
from benchmarks.mypy_bench import REPO, byte_compile_plugin, error_count, mypy_environment

PACKAGE = "denseproj"
FLOOR_PLUGIN = str(Path(__file__).resolve().parent / "floor_plugin.py")
CONFIGS = ("baseline", "floor", "ours", "compiled")
PLUGIN_CONFIGS = ("ours", "compiled")  # typed_tasks' plugin: from source, compiled
PROJECTS = ("definitions", "full")

# (annotation, literal arguments for it)
PARAMETERS = (
    ("int", ("1", "42", "-7")),
    ("str", ('"a"', '"welcome"')),
    ("float", ("1.5", "2")),
    ("bool", ("True", "False")),
    ("list[int]", ("[1, 2, 3]", "[]")),
    ("list[str]", ('["a", "b"]',)),
    ("Sequence[int]", ("(1, 2)", "[3]")),
    ("dict[str, int]", ('{"a": 1, "b": 2}',)),
    ("dict[str, Any]", ('{"k": [1, "v"], "n": None}',)),
    ("Address", ('{"street": "Main", "number": 1}',)),
    ("list[LineItem]", ('[{"sku": "a", "quantity": 2}]',)),
    ('Literal["low", "high"]', ('"low"', '"high"')),
    ("int | None", ("None", "3")),
)

# (decorator, async, takes context)
DECORATORS = (
    ("@task", False, False),
    ("@task()", False, False),
    ('@task(priority=5, queue_name="emails")', False, False),
    ("@task(takes_context=True)", False, True),
    ("@task", True, False),
    ("@typed_task", False, False),
    ("@typed_task(priority=-5)", False, False),
)

CALL_FORMS = (
    "{task}.enqueue({args})",
    "{task}.enqueue({args})",
    "{task}.using(priority=10).enqueue({args})",
    '{task}.using(queue_name="reports").enqueue({args})',
)


@dataclass(frozen=True)
class Project:
    modules: int
    tasks: int
    calls: int
    lines: int


def generate(root: Path, modules: int, tasks: int, calls: int, *, seed: int = 0) -> Project:
    """Write the dense project into ``root`` (emptied first), with its three configurations."""
    shutil.rmtree(root, ignore_errors=True)
    package = root / PACKAGE
    package.mkdir(parents=True)
    rng = random.Random(seed)
    lines = 0
    texts = {
        "__init__.py": '"""The dense benchmark project."""\n',
        "settings.py": SETTINGS,
        "shared_types.py": SHARED_TYPES,
    }
    signatures: list[list[list[int]]] = []  # per module, per task: parameter indexes
    for index in range(modules):
        module_tasks = [
            [rng.randrange(len(PARAMETERS)) for _ in range(rng.randint(1, 4))] for _ in range(tasks)
        ]
        signatures.append(module_tasks)
        texts[f"m_{index:04d}.py"] = _module(index, module_tasks, signatures, calls, rng)
    for name, text in texts.items():
        (package / name).write_text(text)
        lines += text.count("\n")
    for config in CONFIGS:
        (root / f"mypy_{config}.ini").write_text(_config(config))
    return Project(modules, modules * tasks, modules * calls, lines)


def _module(
    index: int,
    tasks: list[list[int]],
    signatures: list[list[list[int]]],
    calls: int,
    rng: random.Random,
) -> str:
    lines = [
        '"""Generated: task definitions, then enqueue calls."""',
        "",
        "from collections.abc import Sequence",
        "from typing import Any, Literal",
        "",
        "from django.tasks import TaskContext, task",
        "",
        "from typed_tasks import task as typed_task",
        f"from {PACKAGE}.shared_types import Address, LineItem",
    ]
    if index > 0:
        lines.append(f"from {PACKAGE} import m_{index - 1:04d} as previous")
    lines.append("")
    for number, parameters in enumerate(tasks):
        decorator, is_async, takes_context = DECORATORS[number % len(DECORATORS)]
        params = [f"p{i}: {PARAMETERS[kind][0]}" for i, kind in enumerate(parameters)]
        if takes_context:
            params.insert(0, "context: TaskContext[Any, Any]")
        prefix = "async def" if is_async else "def"
        lines += ["", decorator, f"{prefix} t{number}({', '.join(params)}) -> None: ...", ""]
    lines.append("")
    for _ in range(calls):
        own = index == 0 or rng.random() < 0.8
        target = rng.randrange(len(tasks))
        parameters = (tasks if own else signatures[index - 1])[target]
        name = f"t{target}" if own else f"previous.t{target}"
        args = ", ".join(rng.choice(PARAMETERS[kind][1]) for kind in parameters)
        lines.append(rng.choice(CALL_FORMS).format(task=name, args=args))
    return "\n".join(lines) + "\n"


def _config(config: str) -> str:
    plugins = {
        "baseline": [DJANGO_STUBS_PLUGIN],
        "floor": [FLOOR_PLUGIN, DJANGO_STUBS_PLUGIN],
        "ours": [TYPED_TASKS_PLUGIN, DJANGO_STUBS_PLUGIN],
        "compiled": [TYPED_TASKS_PLUGIN, DJANGO_STUBS_PLUGIN],  # run with the compiled build
    }[config]
    return (
        "[mypy]\n"
        f"plugins = {', '.join(plugins)}\n"
        "check_untyped_defs = true\n"
        "\n"
        "[mypy.plugins.django-stubs]\n"
        f"django_settings_module = {PACKAGE}.settings\n"
    )


SETTINGS = '''"""Settings of the dense benchmark project."""

SECRET_KEY = "benchmark"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]
TASKS = {
    "default": {
        "BACKEND": "django.tasks.backends.dummy.DummyBackend",
        "QUEUES": ["default", "emails", "reports"],
    }
}
'''


def cold_run(root: Path, config: str, work: Path, plugin_root: Path) -> Process:
    cache = work / f"cache_{config}"
    shutil.rmtree(cache, ignore_errors=True)
    command = [sys.executable, "-m", "mypy", "--config-file", f"mypy_{config}.ini"]
    command += ["--cache-dir", str(cache), PACKAGE]
    process = run_process(command, cwd=root, env=mypy_environment(root, plugin_root))
    if process.exit_code not in (0, 1) or "INTERNAL ERROR" in process.output:
        raise SystemExit(f"{config}: mypy failed:\n{process.output[-2000:]}")
    return process


def measure(work: Path, modules: int, tasks: int, calls: int, repeat: int) -> dict[str, object]:
    byte_compile_plugin()
    plugin_roots = {config: REPO for config in CONFIGS} | {"compiled": install_compiled(work)}
    roots = {name: work / name for name in PROJECTS}
    projects = {
        "definitions": generate(roots["definitions"], modules, tasks, 0),
        "full": generate(roots["full"], modules, tasks, calls),
    }
    for name in PROJECTS:  # unrecorded: the file system cache, compiled stubs
        for config in CONFIGS:
            cold_run(roots[name], config, work / name, plugin_roots[config])
    samples: dict[str, dict[str, list[Process]]] = {n: {c: [] for c in CONFIGS} for n in PROJECTS}
    for rep in range(repeat):
        turn = rep % len(CONFIGS)
        order = CONFIGS[turn:] + CONFIGS[:turn]
        for name in PROJECTS:
            for config in order:
                run = cold_run(roots[name], config, work / name, plugin_roots[config])
                samples[name][config].append(run)
    return summarize(projects, samples)


def summarize(
    projects: dict[str, Project], samples: dict[str, dict[str, list[Process]]]
) -> dict[str, object]:
    def cpu(name: str, config: str) -> list[float]:
        return [p.cpu_s for p in samples[name][config]]

    def ratio(name: str, config: str, key: str = "cpu_s") -> Spread:
        pairs = zip(samples[name][config], samples[name]["baseline"], strict=True)
        return Spread.of([getattr(a, key) / getattr(b, key) for a, b in pairs])

    def beyond_floor(name: str, config: str) -> list[float]:
        return [o - f for o, f in zip(cpu(name, config), cpu(name, "floor"), strict=True)]

    full, definitions = projects["full"], projects["definitions"]

    def per_definition(config: str) -> dict[str, float]:
        own = beyond_floor("definitions", config)
        return asdict(Spread.of([s / definitions.tasks * 1e6 for s in own]))

    def per_call(config: str) -> dict[str, float]:
        pairs = zip(beyond_floor("full", config), beyond_floor("definitions", config), strict=True)
        return asdict(Spread.of([(f - d) / full.calls * 1e6 for f, d in pairs]))

    ratios = ("floor", *PLUGIN_CONFIGS)
    result: dict[str, object] = {
        "projects": {n: asdict(p) for n, p in projects.items()},
        "cpu_s": {n: {c: statistics.median(cpu(n, c)) for c in CONFIGS} for n in PROJECTS},
        "errors": {n: {c: error_count(samples[n][c][0]) for c in CONFIGS} for n in PROJECTS},
        "ratio": {n: {c: asdict(ratio(n, c)) for c in ratios} for n in PROJECTS},
        "memory_ratio": {
            n: {c: asdict(ratio(n, c, "peak_rss_mb")) for c in PLUGIN_CONFIGS} for n in PROJECTS
        },
        # Noise on a shared machine only adds time: the fastest run of each configuration is
        # the least disturbed one. Reported next to the medians, and every sample kept.
        "fastest_ratio": {
            n: {c: min(cpu(n, c)) / min(cpu(n, "baseline")) for c in ratios} for n in PROJECTS
        },
        "cpu_samples_s": {n: {c: cpu(n, c) for c in CONFIGS} for n in PROJECTS},
        "own_us_per_definition": {c: per_definition(c) for c in PLUGIN_CONFIGS},
        "own_us_per_call": {c: per_call(c) for c in PLUGIN_CONFIGS},
        "repeat": len(samples["full"]["ours"]),
        "machine": machine(),
    }
    return result


def markdown(result: dict[str, object]) -> str:
    projects: dict[str, dict[str, int]] = result["projects"]  # type: ignore[assignment]
    cpu: dict[str, dict[str, float]] = result["cpu_s"]  # type: ignore[assignment]
    ratios: dict[str, dict[str, dict[str, float]]] = result["ratio"]  # type: ignore[assignment]
    memory: dict[str, dict[str, dict[str, float]]] = result["memory_ratio"]  # type: ignore[assignment]
    errors: dict[str, dict[str, int]] = result["errors"]  # type: ignore[assignment]
    definition: dict[str, dict[str, float]] = result["own_us_per_definition"]  # type: ignore[assignment]
    call: dict[str, dict[str, float]] = result["own_us_per_call"]  # type: ignore[assignment]

    def spread(values: dict[str, float], digits: int = 3) -> str:
        low, high = f"{values['min']:.{digits}f}", f"{values['max']:.{digits}f}"
        return f"{values['median']:.{digits}f} ({low}..{high})"

    rows = [
        "| project | tasks | calls | CPU s: baseline / floor / ours / compiled | floor ratio "
        "| ours ratio | compiled ratio | memory ratio: ours / compiled | errors: baseline / ours "
        "/ compiled |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name in PROJECTS:
        p, c, r, e = projects[name], cpu[name], ratios[name], errors[name]
        seconds = " / ".join(f"{c[config]:.2f}" for config in CONFIGS)
        rows.append(
            f"| {name} | {p['tasks']} | {p['calls']} | {seconds} | {spread(r['floor'])} "
            f"| {spread(r['ours'])} | {spread(r['compiled'])} "
            f"| {memory[name]['ours']['median']:.3f} / {memory[name]['compiled']['median']:.3f} "
            f"| {e['baseline']} / {e['ours']} / {e['compiled']} |"
        )
    fastest: dict[str, dict[str, float]] = result["fastest_ratio"]  # type: ignore[assignment]
    rows += ["", "Fastest run of each configuration over the baseline's fastest:", ""]
    for name in PROJECTS:
        each = ", ".join(f"{config} {fastest[name][config]:.3f}" for config in fastest[name])
        rows.append(f"* {name}: {each}")
    rows += ["", "typed_tasks' own cost beyond the floor, median (min..max):", ""]
    for config in PLUGIN_CONFIGS:
        rows.append(
            f"* {config}: {spread(definition[config], 0)} µs per definition, "
            f"{spread(call[config], 0)} µs per call"
        )
    rows += ["", f"{result['repeat']} repetitions."]
    return "\n".join(rows) + "\n"


def count_instructions(work: Path, modules: int, tasks: int, calls: int) -> str:
    """One cold run of each configuration on the full project, counted; a markdown table."""
    from concurrent.futures import ThreadPoolExecutor

    from benchmarks.instructions import count

    byte_compile_plugin()
    install_compiled(work)  # where ``instructions.count`` looks for it
    root = work / "full"
    project = generate(root, modules, tasks, calls)
    shutil.copy(root / "mypy_ours.ini", root / "mypy_compiled.ini")
    with ThreadPoolExecutor(max_workers=len(CONFIGS)) as pool:
        futures = [pool.submit(count, root, c, "cold", work, PACKAGE) for c in CONFIGS]
        counts = {future.result().config: future.result() for future in futures}
    base = counts["baseline"].instructions
    rows = [
        f"Instructions of a cold `mypy` run of the dense project: {modules} modules, "
        f"{project.tasks} tasks, {project.calls} calls.",
        "",
        "| configuration | instructions | ratio to baseline | beyond the floor | errors |",
        "|---|---|---|---|---|",
    ]
    for config in CONFIGS:
        c = counts[config]
        beyond = c.instructions - counts["floor"].instructions
        rows.append(
            f"| {config} | {c.instructions:,} | {c.instructions / base:.4f} "
            f"| {beyond:+,} ({beyond / base:.2%}) | {c.errors} |"
        )
    return "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--modules", type=int, default=500)
    parser.add_argument("--tasks-per-module", type=int, default=10)
    parser.add_argument("--calls-per-module", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="4 modules once")
    parser.add_argument("--out", type=Path, help="default: benchmarks/results (quick: none)")
    parser.add_argument("--instructions", action="store_true", help="count (callgrind) instead")
    args = parser.parse_args(argv)
    modules, repeat = (4, 1) if args.quick else (args.modules, args.repeat)
    if args.instructions:
        if shutil.which("valgrind") is None:
            raise SystemExit("valgrind not found: install it (Debian: apt-get install valgrind)")
        with tempfile.TemporaryDirectory(prefix="typed-tasks-dense-") as temporary:
            table = count_instructions(
                Path(temporary), modules, args.tasks_per_module, args.calls_per_module
            )
        print(table)
        out = args.out or REPO / "benchmarks" / "results"
        out.mkdir(parents=True, exist_ok=True)
        (out / f"dense_instructions_{modules}.md").write_text(table)
        return
    with tempfile.TemporaryDirectory(prefix="typed-tasks-dense-") as temporary:
        result = measure(
            Path(temporary), modules, args.tasks_per_module, args.calls_per_module, repeat
        )
    table = markdown(result)
    print(table)
    out = args.out or (None if args.quick else REPO / "benchmarks" / "results")
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        (out / "dense.json").write_text(json.dumps(result, indent=1) + "\n")
        (out / "dense.md").write_text(table)


if __name__ == "__main__":
    main()
