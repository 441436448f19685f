"""Write a synthetic Django project of a given size for the mypy benchmark.

    python -m benchmarks.generate OUT_DIR --modules 500 --tasks 5000 --call-sites 25000

The project is a package ``benchproj`` with a settings module (``TASKS`` with a
``DummyBackend`` and a ``django_tasks_db`` backend), one app per ten modules
(each with models), task modules and caller modules in equal numbers. Tasks use
a weighted mix of parameter types and decorator forms; callers are typed and
untyped, sync and async, and call ``enqueue``, ``aenqueue`` and ``using(...)``
on tasks of their own app and of two others. Exactly ``--mistake-rate`` of the tasks
and of the call sites, picked by the seed, carry a deliberate mistake. Output depends only on the
arguments (the random generator is seeded).

Two mypy configurations are written next to the package: ``mypy_baseline.ini``
(django-stubs' plugin alone) and ``mypy_ours.ini`` (the same plus typed_tasks').
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TypeVar

PACKAGE = "benchproj"
MODULES_PER_APP = 10
QUEUES = ("default", "emails", "reports")
MUTABLE_MARKER = "# bench: signature-change target"
TYPED_TASKS_PLUGIN = "typed_tasks.mypy"
DJANGO_STUBS_PLUGIN = "mypy_django_plugin.main"


@dataclass(frozen=True)
class Size:
    modules: int
    tasks: int
    call_sites: int

    @classmethod
    def scaled(cls, modules: int) -> Size:
        """The issue's proportions: 10 tasks and 50 call sites per module."""
        return cls(modules=modules, tasks=10 * modules, call_sites=50 * modules)


@dataclass(frozen=True)
class ParamKind:
    annotation: str | None  # None: the parameter has no annotation
    arguments: tuple[str, ...]  # expressions valid in a caller that has `n: int, label: str`
    weight: int


# Callers have `customer` (a model instance), `n: int` and `label: str` in scope.
PARAM_KINDS = (
    ParamKind("int", ("n", "42", "n + 1"), 20),
    ParamKind("str", ("label", '"welcome"'), 15),
    ParamKind("float", ("1.5", "n / 2"), 4),
    ParamKind("bool", ("True", "n > 0"), 5),
    ParamKind("list[int]", ("[1, 2, n]", "[n]"), 8),
    ParamKind("list[str]", ('["a", label]',), 5),
    ParamKind("Sequence[int]", ("[n, 2]",), 2),
    ParamKind("dict[str, int]", ('{"a": n, "b": 2}',), 6),
    ParamKind("dict[str, Any]", ('{"k": [1, "v"], "n": n}',), 4),
    ParamKind("Address", ('{"street": label, "number": n}',), 5),
    ParamKind("list[LineItem]", ('[{"sku": label, "quantity": n}]',), 3),
    ParamKind('Literal["low", "normal", "high"]', ('"high"', '"low"'), 4),
    ParamKind("int | None", ("None", "n"), 5),
    ParamKind("Optional[str]", ("None", "label"), 3),
    ParamKind("Any", ("n", '{"k": label}'), 3),
    ParamKind(None, ("n", "label"), 3),
)

# Parameter types the worker cannot receive as declared; the plugin reports them.
BAD_PARAM_KINDS = (
    ParamKind("datetime", ("datetime.now()",), 1),
    ParamKind("tuple[int, int]", ("(n, 2)",), 1),
    ParamKind("set[str]", ("{label}",), 1),
)

RETURNS = (("None", 12), ("int", 3), ("str", 2), ("dict[str, int]", 2), ("list[str]", 1))

# (decorator template, is async, takes context, uses typed_tasks.task)
DECORATORS = (
    ("@{task}", False, False, 30),
    ("@{task}()", False, False, 8),
    ('@{task}(priority={priority}, queue_name="emails")', False, False, 14),
    ('@{task}(backend="db", queue_name="reports")', False, False, 5),
    ("@{task}(takes_context=True)", False, True, 9),
    ("@{task}", True, False, 7),
    ("@{task}(priority={priority})", True, False, 3),
)
BAD_OPTIONS = ("priority=500", 'queue_name="missing"')


@dataclass
class TaskSpec:
    module: str  # dotted module path
    name: str
    params: list[tuple[str, ParamKind]]
    is_async: bool
    decorator: str
    takes_context: bool
    returns: str | None
    mutable: bool = False


@dataclass
class Report:
    """What was generated, for the benchmark's JSON output."""

    size: Size
    seed: int
    files: int = 0
    lines: int = 0
    typed_tasks_share: float = 0.0
    definition_mistakes: int = 0
    call_site_mistakes: int = 0
    typed_call_sites: int = 0
    untyped_call_sites: int = 0
    mutable_file: str = ""
    decorator_forms: dict[str, int] = field(default_factory=dict)


T = TypeVar("T")


def _weighted(rng: random.Random, items: list[tuple[T, int]]) -> T:
    return rng.choices([item for item, _ in items], weights=[w for _, w in items])[0]


class Generator:
    def __init__(
        self, root: Path, size: Size, seed: int, mistake_rate: float, typed_tasks_share: float
    ) -> None:
        self.root = root
        self.size = size
        self.rng = random.Random(seed)
        # exactly round(rate * count) mistakes, at places the seed picks (never task 0)
        self.mistaken_tasks = self.pick(size.tasks, mistake_rate)
        self.mistaken_calls = self.pick(size.call_sites, mistake_rate)
        self.call_sites_written = 0
        self.typed_tasks_share = typed_tasks_share
        self.report = Report(size=size, seed=seed, typed_tasks_share=typed_tasks_share)
        self.task_module_count = max(1, size.modules // 2)
        self.caller_module_count = max(1, size.modules - self.task_module_count)
        self.app_count = max(1, -(-size.modules // MODULES_PER_APP))

    # -- layout ---------------------------------------------------------------

    def app_of(self, index: int, count: int) -> int:
        return index * self.app_count // count

    def task_module(self, index: int) -> str:
        app = self.app_of(index, self.task_module_count)
        return f"{PACKAGE}.app_{app:03d}.tasks_{index:04d}"

    def write(self, dotted: str, text: str, *, package: bool = False) -> None:
        path = self.root.joinpath(*dotted.split("."))
        path = path / "__init__.py" if package else path.with_suffix(".py")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        self.report.files += 1
        self.report.lines += text.count("\n")

    def run(self) -> Report:
        tasks = self.plan_tasks()
        self.write(
            PACKAGE, '"""Synthetic project for the typed_tasks benchmark."""\n', package=True
        )
        self.write(f"{PACKAGE}.settings", settings_text(self.app_count))
        self.write(f"{PACKAGE}.shared_types", SHARED_TYPES)
        for app in range(self.app_count):
            self.write(f"{PACKAGE}.app_{app:03d}", "", package=True)
            self.write(f"{PACKAGE}.app_{app:03d}.models", MODELS)
        by_module: dict[str, list[TaskSpec]] = {}
        for spec in tasks:
            by_module.setdefault(spec.module, []).append(spec)
            if spec.mutable:
                self.report.mutable_file = spec.module.replace(".", "/") + ".py"
        for module, specs in by_module.items():
            self.write(module, self.task_module_text(specs))
        for index, text in enumerate(self.caller_modules(by_module)):
            app = self.app_of(index, self.caller_module_count)
            self.write(f"{PACKAGE}.app_{app:03d}.flows_{index:04d}", text)
        return self.report

    # -- tasks ----------------------------------------------------------------

    def plan_tasks(self) -> list[TaskSpec]:
        specs = []
        for index in range(self.size.tasks):
            module = self.task_module(index % self.task_module_count)
            specs.append(self.plan_task(module, index))
        return specs

    def pick(self, count: int, rate: float) -> frozenset[int]:
        return frozenset(self.rng.sample(range(1, count), min(count - 1, round(count * rate))))

    def plan_task(self, module: str, index: int) -> TaskSpec:
        rng = self.rng
        name = f"task_{index:05d}"
        if index == 0:  # a plain typed task the benchmark edits: always the same shape
            params = [("customer_id", PARAM_KINDS[0]), ("note", PARAM_KINDS[1])]
            return TaskSpec(module, name, params, False, "@task", False, "None", mutable=True)
        template, is_async, takes_context, _ = rng.choices(
            DECORATORS, weights=[d[3] for d in DECORATORS]
        )[0]
        untyped = not takes_context and rng.random() < 0.05
        kinds = [(k, k.weight) for k in PARAM_KINDS if k.annotation is not None or not untyped]
        params = [(f"p{i}", _weighted(rng, kinds)) for i in range(rng.randint(1, 4))]
        if untyped:
            params = [(n, ParamKind(None, k.arguments, 0)) for n, k in params]
        if index in self.mistaken_tasks:
            kind = self.report.definition_mistakes % (len(BAD_PARAM_KINDS) + len(BAD_OPTIONS))
            self.report.definition_mistakes += 1
            if kind < len(BAD_PARAM_KINDS):
                params[-1] = (params[-1][0], BAD_PARAM_KINDS[kind])
            else:
                options = ["takes_context=True"] if takes_context else []
                options.append(BAD_OPTIONS[kind - len(BAD_PARAM_KINDS)])
                template = "@{task}(" + ", ".join(options) + ")"
        use_typed = rng.random() < self.typed_tasks_share
        decorator = template.format(
            task="typed_task" if use_typed else "task", priority=rng.choice((-10, 5, 20, 50))
        )
        returns = None if untyped else _weighted(rng, list(RETURNS))
        form = ("async " if is_async else "") + decorator.split("(")[0]
        form += "(takes_context=True)" if takes_context else "(...)" if "(" in decorator else ""
        self.report.decorator_forms[form] = self.report.decorator_forms.get(form, 0) + 1
        return TaskSpec(module, name, params, is_async, decorator, takes_context, returns)

    def task_module_text(self, specs: list[TaskSpec]) -> str:
        lines = [
            '"""Generated task module."""',
            "",
            "from collections.abc import Sequence",
            "from datetime import datetime",
            "from typing import Any, Literal, Optional",
            "",
            "from django.tasks import task",
            "from django.tasks.base import TaskContext",
        ]
        if any("typed_task" in s.decorator for s in specs):
            lines.append("from typed_tasks import task as typed_task")
        lines += ["", f"from {PACKAGE}.shared_types import Address, LineItem", ""]
        for spec in specs:
            lines += ["", *task_definition(spec), ""]
        return "\n".join(lines).rstrip() + "\n"

    # -- callers --------------------------------------------------------------

    def caller_modules(self, by_module: dict[str, list[TaskSpec]]) -> list[str]:
        modules = sorted(by_module)
        per_app: dict[str, list[str]] = {}
        for module in modules:
            per_app.setdefault(module.rsplit(".", 1)[0], []).append(module)
        texts = []
        base, extra = divmod(self.size.call_sites, self.caller_module_count)
        for index in range(self.caller_module_count):
            app = f"{PACKAGE}.app_{self.app_of(index, self.caller_module_count):03d}"
            imported = list(per_app.get(app, [])) or [modules[index % len(modules)]]
            if index == 0 and modules[0] not in imported:
                imported.append(modules[0])  # the signature-change target always has a caller
            imported += self.rng.sample(modules, min(2, len(modules)))
            imported = sorted(set(imported))
            count = base + (1 if index < extra else 0)
            texts.append(self.caller_module_text(app, imported, by_module, count))
        return texts

    def caller_module_text(
        self, app: str, imported: list[str], by_module: dict[str, list[TaskSpec]], count: int
    ) -> str:
        rng = self.rng
        alias = {m: "t_" + m.rsplit("_", 1)[-1] for m in imported}
        candidates = [s for m in imported for s in by_module[m]]
        lines = [
            '"""Generated caller module."""',
            "",
            "from datetime import datetime",
            "",
            f"from {app}.models import Customer",
        ]
        lines += [
            f"from {m.rsplit('.', 1)[0]} import {m.rsplit('.', 1)[1]} as {alias[m]}"
            for m in imported
        ]
        lines.append("")
        function = 0
        while count > 0:
            batch = min(count, rng.randint(3, 7))
            count -= batch
            typed = rng.random() < 0.85
            is_async = rng.random() < 0.25
            picks = [rng.choice(candidates) for _ in range(batch)]
            if function == 0:  # a popular task: every module that imports it calls it
                picks[0] = next((s for s in candidates if s.mutable), picks[0])
            lines += ["", *self.caller_function(function, picks, alias, typed, is_async)]
            function += 1
        return "\n".join(lines).rstrip() + "\n"

    def caller_function(
        self,
        number: int,
        picks: list[TaskSpec],
        alias: dict[str, str],
        typed: bool,
        is_async: bool,
    ) -> list[str]:
        rng = self.rng
        prefix = "async def" if is_async else "def"
        if typed:
            head = f"{prefix} flow_{number}(customer: Customer, n: int, label: str) -> list[str]:"
        else:
            head = f"{prefix} legacy_flow_{number}(customer, n, label):"
        lines = [head, "    ids = []" if not typed else "    ids: list[str] = []"]
        for position, spec in enumerate(picks):
            target = f"{alias[spec.module]}.{spec.name}"
            args = self.call_arguments(spec)
            if is_async:
                call = f"await {target}.aenqueue({args})"
            else:
                form = rng.random()
                if form < 0.2:
                    call = f"{target}.using(priority={rng.choice((1, 10, -5))}).enqueue({args})"
                elif form < 0.27:
                    call = f'{target}.using(queue_name="emails").enqueue({args})'
                else:
                    call = f"{target}.enqueue({args})"
            if typed:
                self.report.typed_call_sites += 1
            else:
                self.report.untyped_call_sites += 1
            if rng.random() < 0.4:
                lines += [
                    f"    result_{position} = {call}",
                    f"    ids.append(result_{position}.id)",
                ]
            else:
                lines.append(f"    {call}")
        lines.append("    return ids")
        return lines

    def call_arguments(self, spec: TaskSpec) -> str:
        rng = self.rng
        values = [(name, rng.choice(kind.arguments)) for name, kind in spec.params]
        self.call_sites_written += 1
        if self.call_sites_written in self.mistaken_calls:
            self.report.call_site_mistakes += 1
            # a model instance where anything is accepted (only the plugin knows it cannot
            # be stored), else where a declared type rejects it (both configurations report)
            loose = [i for i, (_, k) in enumerate(spec.params) if k.annotation in (None, "Any")]
            position = loose[0] if loose else rng.randrange(len(values))
            values[position] = (values[position][0], "customer")
        if rng.random() < 0.3:
            return ", ".join(f"{name}={value}" for name, value in values)
        return ", ".join(value for _, value in values)


def task_definition(spec: TaskSpec) -> list[str]:
    params = [f"{n}: {k.annotation}" if k.annotation else n for n, k in spec.params]
    if spec.takes_context:
        params.insert(0, "context: TaskContext[Any, Any]")
    prefix = "async def" if spec.is_async else "def"
    returns = f" -> {spec.returns}" if spec.returns else ""
    marker = f"  {MUTABLE_MARKER}" if spec.mutable else ""
    lines = [spec.decorator, f"{prefix} {spec.name}({', '.join(params)}){returns}:{marker}"]
    first = spec.params[0][0]
    lines.append(f"    seen = str({first})")
    value = {
        "None": "None",
        "int": "len(seen)",
        "str": "seen",
        "dict[str, int]": '{"length": len(seen)}',
        "list[str]": "[seen]",
        None: "seen",
    }[spec.returns]
    lines.append(f"    return {value}")
    return lines


def mypy_config(plugins: list[str]) -> str:
    return (
        "[mypy]\n"
        f"plugins = {', '.join(plugins)}\n"
        "show_error_codes = true\n"
        "ignore_missing_imports = false\n"
        "\n"
        "[mypy.plugins.django-stubs]\n"
        f"django_settings_module = {PACKAGE}.settings\n"
    )


SHARED_TYPES = '''"""Types shared by the generated task modules."""

from typing import TypedDict


class Address(TypedDict):
    street: str
    number: int


class LineItem(TypedDict):
    sku: str
    quantity: int
'''

MODELS = '''"""Generated models."""

from django.db import models


class Customer(models.Model):
    name = models.CharField(max_length=100)
    email = models.EmailField()


class Order(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE)
    total = models.IntegerField(default=0)
'''


def settings_text(app_count: int) -> str:
    apps = "".join(f'    "{PACKAGE}.app_{i:03d}",\n' for i in range(app_count))
    return (
        '"""Settings of the generated project."""\n\n'
        'SECRET_KEY = "benchmark"\n'
        "USE_TZ = True\n"
        "INSTALLED_APPS = [\n"
        '    "django.contrib.contenttypes",\n'
        '    "django.contrib.auth",\n'
        '    "django_tasks_db",\n'
        f"{apps}]\n"
        'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}\n'
        'DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"\n'
        "TASKS = {\n"
        '    "default": {\n'
        '        "BACKEND": "django.tasks.backends.dummy.DummyBackend",\n'
        f'        "QUEUES": {list(QUEUES)!r},\n'
        "    },\n"
        f'    "db": {{"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": {list(QUEUES)!r}}},\n'
        "}\n"
    )


def generate(
    root: Path,
    size: Size,
    *,
    seed: int = 0,
    mistake_rate: float = 0.01,
    typed_tasks_share: float = 0.2,
    ours_plugin: str = TYPED_TASKS_PLUGIN,
) -> Report:
    """Write the project into ``root`` (emptied first) and describe what was written."""
    shutil.rmtree(root / PACKAGE, ignore_errors=True)
    root.mkdir(parents=True, exist_ok=True)
    report = Generator(root, size, seed, mistake_rate, typed_tasks_share).run()
    for name, plugins in (("baseline", []), ("ours", [ours_plugin])):
        (root / f"mypy_{name}.ini").write_text(mypy_config([*plugins, DJANGO_STUBS_PLUGIN]))
    return report


def change_signature(root: Path, report: Report) -> None:
    """Give the marked task one more parameter (with a default: callers stay valid)."""
    path = root / report.mutable_file
    text = path.read_text()
    changed = text.replace("note: str) -> None:", "note: str, attempt: int = 0) -> None:", 1)
    assert changed != text, f"no signature-change target in {path}"
    path.write_text(changed)


def restore_signature(root: Path, report: Report) -> None:
    path = root / report.mutable_file
    path.write_text(path.read_text().replace(", attempt: int = 0) -> None:", ") -> None:", 1))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("out", type=Path)
    parser.add_argument("--modules", type=int, default=50)
    parser.add_argument("--tasks", type=int, help="default: 10 per module")
    parser.add_argument("--call-sites", type=int, help="default: 50 per module")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--mistake-rate", type=float, default=0.01)
    parser.add_argument("--typed-tasks-share", type=float, default=0.2)
    args = parser.parse_args(argv)
    size = Size(
        modules=args.modules,
        tasks=args.tasks or 10 * args.modules,
        call_sites=args.call_sites or 50 * args.modules,
    )
    report = generate(
        args.out,
        size,
        seed=args.seed,
        mistake_rate=args.mistake_rate,
        typed_tasks_share=args.typed_tasks_share,
    )
    print(json.dumps(asdict(report), indent=2))


if __name__ == "__main__":
    main()
