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
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TypedDict

from benchmarks.measure import Spread, machine

REPO = Path(__file__).resolve().parent.parent
BATCH_TARGET_NS = 20_000_000  # each timed batch lasts about 20 ms
GOAL = 1.15


class Customer(TypedDict):
    name: str
    email: str


class Line(TypedDict):
    sku: str
    quantity: int
    price_cents: int


class Order(TypedDict):
    id: int
    customer: Customer
    lines: list[Line]
    note: str


def small_task(customer_id: int, email: str, amount: float, notify: bool) -> None:
    """A few scalars."""


def medium_task(order: Order) -> None:
    """A nested dict of about 1 KB of JSON."""


def large_task(matrix: list[list[int]]) -> None:
    """Nested lists of any size."""


def medium_payload() -> Order:
    lines: list[Line] = [
        {"sku": f"SKU-{i:05d}", "quantity": i % 7 + 1, "price_cents": 1999 + i} for i in range(15)
    ]
    customer: Customer = {"name": "Ada Lovelace", "email": "ada@example.com"}
    return {"id": 1234, "customer": customer, "lines": lines, "note": "leave at the door"}


def matrix_of(size_bytes: int) -> list[list[int]]:
    """Rows of 250 six-digit ints, as many as make ``size_bytes`` of JSON (within a row)."""
    row = list(range(100_000, 100_250))
    row_bytes = len(json.dumps(row)) + 2
    return [list(row) for _ in range(max(1, size_bytes // row_bytes))]


@dataclass(frozen=True)
class Result:
    name: str
    json_bytes: int
    rounds: int
    batch: int
    plain_us: Spread  # per call
    typed_us: Spread
    ratio: Spread  # typed / plain, per round


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


def tasks_for(function: Callable[..., None]) -> tuple[Any, Any]:
    from django.tasks import task as plain_task

    from typed_tasks import task as typed_task

    return plain_task(function), typed_task(function)


def check_validation_is_on(typed: Any) -> None:
    """Measure nothing unless the typed task really validates (a set cannot be stored)."""
    try:
        typed.enqueue({1}, "e", 1.0, True)
    except Exception as error:
        if type(error).__name__ != "TaskArgumentError":
            raise
        return
    raise RuntimeError("typed_tasks.task did not validate: strict validation is off")


def time_batch(call: Callable[[], object], batch: int, backend: Any) -> int:
    backend.clear()
    gc.collect()
    start = time.perf_counter_ns()
    for _ in range(batch):
        call()
    elapsed = time.perf_counter_ns() - start
    backend.clear()
    return elapsed


def compare(name: str, function: Callable[..., None], args: tuple[Any, ...], rounds: int) -> Result:
    from django.tasks import task_backends

    plain, typed = tasks_for(function)
    backend = task_backends["default"]

    def plain_call() -> object:
        return plain.enqueue(*args)

    def typed_call() -> object:
        return typed.enqueue(*args)

    once = max(1, time_batch(plain_call, 1, backend), time_batch(typed_call, 1, backend))
    batch = max(1, BATCH_TARGET_NS // once)
    plain_ns, typed_ns, ratios = [], [], []
    for round_number in range(rounds):
        order = (plain_call, typed_call) if round_number % 2 == 0 else (typed_call, plain_call)
        timed = {call: time_batch(call, batch, backend) for call in order}
        plain_ns.append(timed[plain_call] / batch)
        typed_ns.append(timed[typed_call] / batch)
        ratios.append(timed[typed_call] / timed[plain_call])
    size = len(json.dumps(args))
    return Result(
        name,
        size,
        rounds,
        batch,
        Spread.of([ns / 1000 for ns in plain_ns]),
        Spread.of([ns / 1000 for ns in typed_ns]),
        Spread.of(ratios),
    )


def markdown(payloads: list[Result], growth: list[Result]) -> str:
    out = [
        "| payload | JSON size | plain enqueue µs | typed enqueue µs | ratio typed / plain "
        "| goal |",
        "|---|---|---|---|---|---|",
    ]
    for r in payloads:
        goal = "n/a (only linear)" if r.name == "large" else _goal(r.ratio.median)
        out.append(
            f"| {r.name} | {_bytes(r.json_bytes)} | {r.plain_us.median:,.1f} "
            f"| {r.typed_us.median:,.1f} | {r.ratio.ratio_text()} | {goal} |"
        )
    out += [
        "",
        "| nested lists | plain µs | typed µs | plain µs per KB | typed µs per KB "
        "| validation µs per KB | ratio |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in growth:
        kb = r.json_bytes / 1024
        extra = r.typed_us.median - r.plain_us.median
        out.append(
            f"| {_bytes(r.json_bytes)} | {r.plain_us.median:,.0f} | {r.typed_us.median:,.0f} "
            f"| {r.plain_us.median / kb:.2f} | {r.typed_us.median / kb:.2f} "
            f"| {extra / kb:.2f} | {r.ratio.ratio_text()} |"
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

    check_validation_is_on(tasks_for(small_task)[1])
    small_args = (42, "ada@example.com", 19.99, True)
    payloads = [
        compare("small", small_task, small_args, rounds),
        compare("medium", medium_task, (medium_payload(),), rounds),
        compare("large", large_task, (matrix_of(large_size),), large_rounds),
    ]
    growth = [compare("growth", large_task, (matrix_of(s),), large_rounds) for s in growth_sizes]
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
