"""Fuzz the plugin with generated task code: mypy must never crash on it.

Hypothesis writes modules of many snippets, each a task made one way (every decorator
spelling, options of wrong types and values, odd parameters and annotations, forward
references, nested and method definitions, call forms of the decorator) and called
another (``enqueue``/``aenqueue``/``call``, ``*args``/``**kwargs``, ``.using(...)``
chains). One mypy run per module; a canary task at the end proves the plugin got there.

``TYPED_TASKS_FUZZ_EXAMPLES=500 pytest tests/test_plugin_fuzz.py`` fuzzes longer.
"""

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reliability.half_written import compiles
from reliability.mypy_runs import run_mypy

HEADER = """\
import asyncio
import datetime
import decimal
import enum
import functools
import typing
from typing import Any

import django.tasks
import django.tasks.base
from django.contrib.auth.models import User
from django.tasks import Task, TaskContext, task
from django.tasks import task as aliased_task

import typed_tasks
from typed_tasks import task as typed_task

T = typing.TypeVar("T")
OPTIONS: dict[str, Any] = {}


class Color(str, enum.Enum):
    RED = "red"
"""

FOOTER = """

class Later(typing.NamedTuple):
    x: int


@task
def canary(values: set[int]) -> None: ...
"""

DECORATORS = [
    "task",
    "django.tasks.task",
    "django.tasks.base.task",
    "aliased_task",
    "typed_task",
    "typed_tasks.task",
]
OPTION_NAMES = ["priority", "queue_name", "backend", "takes_context", "run_after", "bogus"]
USING_NAMES = ["priority", "queue_name", "backend", "run_after", "bogus"]
VALUES = [
    "0", "-100", "100", "101", "-101", "10**6", "-(5)", "1 + 1", "True", "False", "None", "1.5",
    "'default'", "'emails'", "'nowhere'", "''", "'database'", "'dummy'", "[]", "{}", "(1, 2)",
    "lambda: 0", "OPTIONS", "OPTIONS['k']", "undefined_name", "datetime.datetime.now()",
    "Color.RED", "1 if OPTIONS else 200", "typing.cast(int, 5)", "print", "b'x'", "{1, 2}",
    "decimal.Decimal(1)", "User()", "Later(1)", "task",
]  # fmt: skip
ANNOTATIONS = [
    "int", "str", "bytes", "float", "bool", "None", "Any", "object", "TaskContext",
    "TaskContext[Any, Any]", "TaskContext[[int], int]", "list[int]", "list[Any]",
    "tuple[int, int]", "tuple[int, ...]", "tuple[()]", "dict[int, str]", "dict[str, Any]",
    "set[int]", "frozenset[str]", "datetime.datetime", "decimal.Decimal", "User", "Color",
    "Later", "'Later'", "'int'", "'Missing'", "Missing", "T", "list[T]",
    "typing.Callable[..., int]", "typing.Callable[[int], str]", "type[int]",
    "typing.Literal['a', 1, None]", "typing.Literal[Color.RED]", "typing.Optional[bytes]",
    "int | None", "int | 'Later'", "typing.Annotated[int, 'meta']", "typing.Never",
    "typing.NoReturn", "typing.Self", "typing.Iterator[int]", "typing.Awaitable[int]",
    "typing.Coroutine[Any, Any, int]", "1", "[int]", "int()", "Task[[int], int]",
    "list[list[dict[str, tuple[int, ...]]]]", "typing.TypedDict", "typing.Required[int]",
    "typing.ClassVar[int]", "typing.Final", "dict[Later, int]", "typing.Mapping[bytes, Color]",
    "typing.Unpack[tuple[int, str]]", "typing.Any | None", "'list[Later]'",
]  # fmt: skip
EXTRA_DECORATORS = [
    "staticmethod", "classmethod", "functools.cache", "typing.no_type_check", "typing.final",
    "property", "functools.wraps(print)",
]  # fmt: skip
PARAMETER_NAMES = ["context", "ctx", "x", "y", "self", "cls", "items", "value"]
DEFAULTS = ["None", "1", "'s'", "()", "[]", "datetime.datetime.now()", "Later(1)"]
POSITIONAL_ARGUMENTS = [
    "1", "'s'", "b'x'", "(1, 2)", "[1, 2]", "{1: 'a'}", "{'a': 1}", "{1, 2}", "1.5", "True",
    "datetime.datetime.now()", "decimal.Decimal(1)", "User()", "Color.RED", "None",
    "lambda: 1", "Later(1)", "*[1]", "*OPTIONS", "undefined_name", "OPTIONS", "print",
]  # fmt: skip
KEYWORD_NAMES = ["x", "y", "context", "value", "items", "nope"]
METHODS = ["enqueue", "aenqueue", "call", "acall", "get_result", "aget_result", "using"]


def pick(choices: list[str]) -> st.SearchStrategy[str]:
    return st.sampled_from(choices)


annotation = st.one_of(st.just(""), pick(ANNOTATIONS).map(": {}".format))


@st.composite
def parameters(draw: st.DrawFn) -> str:
    """A parameter list that compiles: defaults trail, ``/`` and ``*`` in their places."""
    positional = draw(st.lists(pick(PARAMETER_NAMES), unique=True, max_size=4))
    with_default = draw(st.integers(0, len(positional)))
    parts = []
    for index, name in enumerate(positional):
        default = f" = {draw(pick(DEFAULTS))}" if index >= len(positional) - with_default else ""
        parts.append(f"{name}{draw(annotation)}{default}")
    add_slash = draw(st.booleans())
    if positional and add_slash:
        parts.insert(draw(st.integers(1, len(positional))), "/")
    keyword_only = draw(st.lists(pick(["k1", "k2"]), unique=True, max_size=2))
    star = draw(st.sampled_from(["", "*args", "*args: int", "*args: typing.Unpack[T]"]))
    if star or keyword_only:
        parts.append(star or "*")
    parts += [
        f"{name}{draw(annotation)}" + draw(st.sampled_from(["", " = 0"])) for name in keyword_only
    ]
    if draw(st.booleans()):
        parts.append("**kwargs" + draw(st.sampled_from(["", ": Any", ": int", ": 'Later'"])))
    return ", ".join(parts)


@st.composite
def options(draw: st.DrawFn, option_names: list[str]) -> str:
    chosen = draw(st.lists(pick(option_names), unique=True, max_size=3))
    arguments = [f"{name}={draw(pick(VALUES))}" for name in chosen]
    if draw(st.integers(0, 9)) == 0:
        arguments.insert(0, draw(pick(VALUES)))
    if draw(st.integers(0, 9)) == 0:
        arguments.append("**OPTIONS")
    return ", ".join(arguments)


@st.composite
def calls(draw: st.DrawFn, target: str, indent: str, in_async: bool) -> list[str]:
    lines = []
    for _ in range(draw(st.integers(0, 3))):
        receiver = draw(
            st.sampled_from(
                [
                    target,
                    f"{target}.using({draw(options(USING_NAMES))})",
                    f"({target} if OPTIONS else {target})",
                    f"typing.cast(Task[Any, Any], {target})",
                ]
            )
        )
        method = draw(pick(METHODS))
        positional = draw(st.lists(pick(POSITIONAL_ARGUMENTS), max_size=3))
        keywords = draw(st.lists(pick(KEYWORD_NAMES), unique=True, max_size=2))
        arguments = positional + [f"{k}={draw(pick(POSITIONAL_ARGUMENTS[:16]))}" for k in keywords]
        if draw(st.integers(0, 7)) == 0:
            arguments.append("**OPTIONS")
        call = f"{receiver}.{method}({', '.join(arguments)})"
        awaited = in_async and method.startswith("a") and draw(st.booleans())
        lines.append(f"{indent}{'await ' if awaited else ''}{call}")
    return lines


@st.composite
def snippet(draw: st.DrawFn, index: int) -> str:
    """One task, made one way, defined somewhere, and called a few ways."""
    name = f"task_{index}"
    is_async = draw(st.booleans())
    bodies = ["...", "pass", "return None", "raise NotImplementedError", "yield 1", "return 1"]
    if is_async:
        bodies = [*bodies[:5], "await asyncio.sleep(0)"]
    returns = draw(st.one_of(st.just(""), pick(ANNOTATIONS).map(" -> {}".format)))
    keyword = "async def" if is_async else "def"
    signature = f"({draw(parameters())}){returns}:"
    body = draw(pick(bodies))
    decorator = draw(pick(DECORATORS))
    form = draw(st.sampled_from(["bare", "called", "call-form", "call-form-options"]))
    extra = draw(st.one_of(st.just([]), pick(EXTRA_DECORATORS).map(lambda d: [f"@{d}"])))

    def definition(indent: str) -> list[str]:
        if form.startswith("call-form"):
            lines = [*(indent + e for e in extra), f"{indent}{keyword} _{name}{signature}"]
            lines.append(f"{indent}    {body}")
            applied = (
                f"{decorator}({draw(options(OPTION_NAMES))})(_{name})"
                if form == "call-form-options"
                else f"{decorator}(_{name})"
            )
            return [*lines, f"{indent}{name} = {applied}"]
        used = decorator if form == "bare" else f"{decorator}({draw(options(OPTION_NAMES))})"
        stack = [f"@{used}", *extra] if draw(st.booleans()) else [*extra, f"@{used}"]
        lines = [*(indent + d for d in stack), f"{indent}{keyword} {name}{signature}"]
        return [*lines, f"{indent}    {body}"]

    place = draw(st.sampled_from(["module", "nested", "method", "conditional", "type-checking"]))
    call_site_async = draw(st.booleans())
    call_site = f"{'async def' if call_site_async else 'def'} calls_{index}() -> None:"
    if place == "module":
        lines = definition("")
        lines += ["", call_site, "    ...", *draw(calls(name, "    ", call_site_async))]
    elif place == "nested":
        lines = [call_site.replace("calls", "outer"), *definition("    ")]
        lines += draw(calls(name, "    ", call_site_async))
    elif place == "method":
        lines = [f"class Holder_{index}:", *definition("    "), "", call_site, "    ..."]
        lines += draw(calls(f"Holder_{index}().{name}", "    ", call_site_async))
    else:
        condition = "OPTIONS" if place == "conditional" else "typing.TYPE_CHECKING"
        lines = [f"if {condition}:", *definition("    "), "else:", *definition("    ")]
        lines += ["", call_site, "    ...", *draw(calls(name, "    ", call_site_async))]
    return "\n".join(lines)


@st.composite
def modules(draw: st.DrawFn) -> str:
    count = draw(st.integers(1, 20))
    future = "from __future__ import annotations\n\n" if draw(st.booleans()) else ""
    snippets = [draw(snippet(index)) for index in range(count)]
    return future + HEADER + "\n\n" + "\n\n\n".join(snippets) + "\n" + FOOTER


@settings(max_examples=100, deadline=None)
@given(source=modules())
def test_generated_modules_compile(source: str) -> None:
    """The generator writes valid Python, so mypy checks past the parser."""
    assert compiles(source), source


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mypy-cache")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzzed")


FUZZ_EXAMPLES = int(os.environ.get("TYPED_TASKS_FUZZ_EXAMPLES", "25"))
# Options that change the types the plugin is handed; each gets a cache of its own.
MYPY_OPTIONS = [(), ("--strict",), ("--no-strict-optional",)]


@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(source=modules(), options=st.sampled_from(MYPY_OPTIONS))
def test_mypy_never_crashes_on_generated_task_code(
    source: str, options: tuple[str, ...], workdir: Path, cache_dir: Path
) -> None:
    module = workdir / "fuzzed_tasks.py"
    module.write_text(source)
    cache = cache_dir / str(MYPY_OPTIONS.index(options))
    run = run_mypy([module], config="plugin", workdir=workdir, cache_dir=cache, extra_args=options)
    assert not run.crashed, f"{options}\n{run.traceback()}\n--- source ---\n{source}"
    assert run.exit_code in (0, 1), run.output  # 2 would be a blocking error: nothing checked
    assert '"canary"' in run.output and "[task-param]" in run.output, run.output
