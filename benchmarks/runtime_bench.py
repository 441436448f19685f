"""Strict validation at enqueue: ``typed_tasks.task`` against plain ``django.tasks.task``.

    python -m benchmarks.runtime_bench            # small, medium, large; growth 100 KB to 4 MB
    python -m benchmarks.runtime_bench --quick    # a few rounds on small payloads: a smoke test

Django is configured in this process with ``DummyBackend`` and
``TYPED_TASKS = {"STRICT_VALIDATION": True}``. The same module-level function is
made a task twice, once by each decorator, and both are enqueued with the same
arguments. Each round times a batch of calls of each (``time.perf_counter_ns``),
alternating which goes first; the ratio typed / plain is taken per round and
reported as median (min..max). ``DummyBackend`` keeps every result, so it is
cleared (and garbage collected) between batches, outside the timing.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from benchmarks.measure import Spread, machine

REPO = Path(__file__).resolve().parent.parent
BATCH_TARGET_NS = 20_000_000  # each timed batch lasts about 20 ms
GOAL = 1.15


def medium_payload() -> dict[str, Any]:
    lines = [
        {"sku": f"SKU-{i:05d}", "quantity": i % 7 + 1, "price_cents": 1999 + i} for i in range(15)
    ]
    customer = {"name": "Ada Lovelace", "email": "ada@example.com"}
    return {"id": 1234, "customer": customer, "lines": lines, "note": "leave at the door"}


def matrix_of(size_bytes: int) -> list[list[int]]:
    """Rows of 250 six-digit ints, as many as make ``size_bytes`` of JSON (within a row)."""
    row = list(range(100_000, 100_250))
    row_bytes = len(json.dumps(row)) + 2
    return [list(row) for _ in range(max(1, size_bytes // row_bytes))]


@dataclass(frozen=True)
class Timing:
    """Per-call microseconds of each side, and typed / plain per round."""

    plain_us: Spread
    typed_us: Spread
    ratio: Spread

    @classmethod
    def of(cls, rounds: Sequence[tuple[float, float]], batch: int) -> Timing:
        return cls(
            Spread.of([plain / batch / 1000 for plain, _ in rounds]),
            Spread.of([typed / batch / 1000 for _, typed in rounds]),
            Spread.of([typed / plain for plain, typed in rounds]),
        )


@dataclass(frozen=True)
class Result:
    name: str
    json_bytes: int
    rounds: int
    batch: int
    wall: Timing  # time.perf_counter_ns
    cpu: Timing  # time.process_time_ns: what other processes on the machine cannot inflate


def configure_django() -> None:
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(
            USE_TZ=True,
            INSTALLED_APPS=[],
            TASKS={"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}},
            TYPED_TASKS={"STRICT_VALIDATION": True},
        )
    django.setup()


def tasks_for(payload: str) -> tuple[Any, Any]:
    """The plain and the typed task for a payload kind (small, medium, large)."""
    from benchmarks import runtime_tasks

    return getattr(runtime_tasks, f"plain_{payload}"), getattr(runtime_tasks, f"typed_{payload}")


def check_validation_is_on(typed: Any) -> None:
    """Measure nothing unless the typed task really validates (a set cannot be stored)."""
    try:
        typed.enqueue({1}, "e", 1.0, True)
    except Exception as error:
        if type(error).__name__ != "TaskArgumentError":
            raise
        return
    raise RuntimeError("typed_tasks.task did not validate: strict validation is off")


def time_batch(call: Callable[[], object], batch: int, backend: Any) -> tuple[int, int]:
    """Wall and CPU nanoseconds of ``batch`` calls."""
    backend.clear()
    gc.collect()
    wall, cpu = time.perf_counter_ns(), time.process_time_ns()
    for _ in range(batch):
        call()
    wall, cpu = time.perf_counter_ns() - wall, time.process_time_ns() - cpu
    backend.clear()
    return wall, cpu


def compare(name: str, payload: str, args: tuple[Any, ...], rounds: int) -> Result:
    from django.tasks import task_backends

    plain, typed = tasks_for(payload)
    backend = task_backends["default"]

    def plain_call() -> object:
        return plain.enqueue(*args)

    def typed_call() -> object:
        return typed.enqueue(*args)

    for call in (plain_call, typed_call):
        time_batch(call, 3, backend)  # warm-up: first-call imports and caches
    once = max(time_batch(call, 5, backend)[0] // 5 for call in (plain_call, typed_call))
    batch = max(1, BATCH_TARGET_NS // max(1, once))
    walls, cpus = [], []
    for round_number in range(rounds):
        order = (plain_call, typed_call) if round_number % 2 == 0 else (typed_call, plain_call)
        timed = {call: time_batch(call, batch, backend) for call in order}
        walls.append((timed[plain_call][0], timed[typed_call][0]))
        cpus.append((timed[plain_call][1], timed[typed_call][1]))
    size = len(json.dumps(args))
    return Result(name, size, rounds, batch, Timing.of(walls, batch), Timing.of(cpus, batch))


def markdown(payloads: list[Result], growth: list[Result]) -> str:
    out = [
        "| payload | JSON size | CPU µs (plain / typed) | CPU ratio | wall µs (plain / typed) "
        "| wall ratio | goal (on CPU) |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in payloads:
        goal = "none (linear only)" if r.name == "large" else _goal(r.cpu.ratio.median)
        out.append(
            f"| {r.name} | {_bytes(r.json_bytes)} "
            f"| {r.cpu.plain_us.median:,.1f} / {r.cpu.typed_us.median:,.1f} "
            f"| {r.cpu.ratio.ratio_text()} "
            f"| {r.wall.plain_us.median:,.1f} / {r.wall.typed_us.median:,.1f} "
            f"| {r.wall.ratio.ratio_text()} | {goal} |"
        )
    out += [
        "",
        "| nested lists | CPU µs (plain / typed) | plain µs per KB | typed µs per KB "
        "| validation µs per KB | CPU ratio | wall ratio |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in growth:
        kb = r.json_bytes / 1024
        plain, typed = r.cpu.plain_us.median, r.cpu.typed_us.median
        out.append(
            f"| {_bytes(r.json_bytes)} | {plain:,.0f} / {typed:,.0f} | {plain / kb:.2f} "
            f"| {typed / kb:.2f} | {(typed - plain) / kb:.2f} | {r.cpu.ratio.ratio_text()} "
            f"| {r.wall.ratio.ratio_text()} |"
        )
    return "\n".join(out) + "\n"


def _goal(ratio: float) -> str:
    return f"{'met' if ratio <= GOAL else 'MISSED'} (≤{GOAL})"


def _bytes(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size} B"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="typed_tasks.task vs django.tasks.task enqueue")
    parser.add_argument("--rounds", type=int, default=30, help="rounds for small and medium")
    parser.add_argument("--large-rounds", type=int, default=10, help="rounds for large payloads")
    parser.add_argument("--quick", action="store_true", help="3 rounds, payloads up to 100 KB")
    parser.add_argument("--out", type=Path, help="default: benchmarks/results (quick: none)")
    args = parser.parse_args(argv)
    configure_django()
    rounds, large_rounds = (3, 3) if args.quick else (args.rounds, args.large_rounds)
    growth_sizes = [10_000, 50_000, 100_000] if args.quick else [100_000, 1_000_000, 4_000_000]
    large_size = 100_000 if args.quick else 1_000_000

    check_validation_is_on(tasks_for("small")[1])
    small_args = (42, "ada@example.com", 19.99, True)
    payloads = [
        compare("small", "small", small_args, rounds),
        compare("medium", "medium", (medium_payload(),), rounds),
        compare("large", "large", (matrix_of(large_size),), large_rounds),
    ]
    growth = [compare("growth", "large", (matrix_of(s),), large_rounds) for s in growth_sizes]
    table = markdown(payloads, growth)
    print(table)
    out = args.out or (None if args.quick else REPO / "benchmarks" / "results")
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        result = {
            "machine": machine(),
            "command": ["python", "-m", "benchmarks.runtime_bench", *(argv or sys.argv[1:])],
            "payloads": [asdict(r) for r in payloads],
            "growth": [asdict(r) for r in growth],
        }
        (out / "runtime.json").write_text(json.dumps(result, indent=1) + "\n")
        (out / "runtime.md").write_text(table)
        print(f"wrote {out / 'runtime.json'} and {out / 'runtime.md'}")


if __name__ == "__main__":
    main()
