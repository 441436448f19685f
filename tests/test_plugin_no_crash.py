"""mypy with the plugin never crashes: a representative slice of reliability/run_corpus.py.

Every input that ever crashed the plugin lives in tests/crash_corpus/ and is checked here,
with half-written variants of each, a few syntax errors, and slices of real code (Django's
own tasks package, django-tasks-db, typeshed's asyncio stubs). The full run over every
corpus is ``python -m reliability.run_corpus`` (docs/reliability.md).
"""

from collections.abc import Callable
from pathlib import Path

import pytest

from reliability.corpora import (
    Corpus,
    crash_corpus,
    django_source,
    django_tasks_db,
    half_written,
    typeshed_stdlib,
)
from reliability.mypy_runs import MypyRun, run_mypy

CONFIGS = ["plugin", "plugin+django-stubs"]

REAL_CODE: dict[str, Callable[[Path], Corpus]] = {
    "django-tasks-package": lambda workdir: django_source(workdir, "tasks"),
    "django-tasks-db": django_tasks_db,
    "typeshed-asyncio": lambda workdir: typeshed_stdlib(workdir, "asyncio"),
}


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Shared by this module's runs: stubs are analysed once, the corpora are always new."""
    return tmp_path_factory.mktemp("mypy-cache")


def check(corpus_targets: list[Path], config: str, workdir: Path, cache_dir: Path) -> MypyRun:
    run = run_mypy(corpus_targets, config=config, workdir=workdir, cache_dir=cache_dir)
    assert not run.crashed, f"mypy crashed under {config}:\n{run.traceback()}"
    return run


@pytest.mark.parametrize("config", CONFIGS)
def test_crash_corpus_is_checked_without_crash(
    config: str, tmp_path: Path, cache_dir: Path
) -> None:
    corpus = crash_corpus(tmp_path)
    run = check(corpus.targets, config, tmp_path, cache_dir)
    # The plugin ran over the corpus: each family of its errors shows up.
    codes = ["param", "return", "arg", "context", "location", "option", "backend"]
    for code in (f"task-{name}" for name in codes):
        assert f"[{code}]" in run.output, code


# mypy options that change the types a plugin is handed (None, Any, unreachable code...).
OPTION_SETS = [
    ("--strict",),
    ("--no-strict-optional",),
    ("--disallow-any-expr", "--disallow-any-explicit", "--warn-unreachable"),
    ("--python-version", "3.13", "--always-true", "OPTIONS"),
    ("--disable-error-code", "task", "--enable-error-code", "explicit-override"),
]


@pytest.mark.parametrize("options", OPTION_SETS, ids=" ".join)
def test_crash_corpus_under_other_mypy_options(
    options: tuple[str, ...], tmp_path: Path, cache_dir: Path
) -> None:
    corpus = crash_corpus(tmp_path)
    run = run_mypy(
        corpus.targets,
        config="plugin",
        workdir=tmp_path,
        cache_dir=tmp_path / "cache",  # options change what is cached
        extra_args=options,
    )
    assert not run.crashed, f"mypy crashed with {options}:\n{run.traceback()}"
    assert run.exit_code == 1, run.output


def test_half_written_variants_are_checked_without_crash(tmp_path: Path, cache_dir: Path) -> None:
    compiling, _ = half_written(tmp_path, every=40, syntax_error_sample=0)
    assert compiling.files > 50
    check(compiling.targets, "plugin", tmp_path, cache_dir)


def test_syntax_errors_are_reported_not_crashed(tmp_path: Path, cache_dir: Path) -> None:
    _, broken = half_written(tmp_path, every=10_000, syntax_error_sample=1)
    assert broken.targets
    for target in broken.targets:
        run = check([target], "plugin", tmp_path, cache_dir)
        assert run.exit_code == 2 and ": error:" in run.output, run.output


@pytest.mark.parametrize("name", REAL_CODE)
def test_real_code_is_checked_without_crash(name: str, tmp_path: Path, cache_dir: Path) -> None:
    corpus = REAL_CODE[name](tmp_path)
    assert corpus.files > 5
    check(corpus.targets, "plugin+django-stubs", tmp_path, cache_dir)


def test_incremental_rerun_reads_the_plugins_cache_without_crash(tmp_path: Path) -> None:
    """A second run loads from mypy's cache what the plugin produced in the first one."""
    corpus = crash_corpus(tmp_path)
    cache = tmp_path / "cache"  # its own: the first run must be cold, the others warm
    caller = corpus.targets[0] / "caller.py"
    caller.write_text("from .task_forms import bare\n\nbare.enqueue(1)\n")
    first = check(corpus.targets, "plugin", tmp_path, cache)
    # Only the caller changes; what it calls comes from the cache.
    caller.write_text("from .task_forms import bare\n\nbare.enqueue((1, 2))\n")
    second = check(corpus.targets, "plugin", tmp_path, cache)
    assert "caller.py:3: error:" in second.output, second.output
    assert first.error_count + 1 == second.error_count, (first.output, second.output)


PLUGIN_CRASH = """\
tasks.py:8: error: INTERNAL ERROR -- Please try using mypy master on GitHub:
Traceback (most recent call last):
  File "mypy/checkexpr.py", line 1571, in check_call_expr_with_callee_type
  File "/work/main/mypy_plugin/calls.py", line 40, in check_enqueue
    raise RuntimeError("planted bug")
RuntimeError: planted bug
"""


def test_the_harness_tells_crashes_blocks_and_findings_apart() -> None:
    crash = MypyRun("plugin", 2, PLUGIN_CRASH, 1.0)
    assert crash.crashed and crash.crash_is_ours and not crash.blocked
    assert crash.traceback().startswith("INTERNAL ERROR")
    elsewhere = MypyRun("plugin", 2, PLUGIN_CRASH.replace("/work/main/mypy_plugin", "/x"), 1.0)
    assert elsewhere.crashed and not elsewhere.crash_is_ours
    blocked = MypyRun("plugin", 2, "m.ini:2: error: Error importing plugin\nFound 1 error", 1.0)
    assert blocked.blocked and not blocked.crashed
    assert blocked.summary == "m.ini:2: error: Error importing plugin"
    findings = MypyRun("plugin", 1, "t.py:1: error: bad  [task-arg]\nFound 1 error in 1 file", 1.0)
    assert not findings.crashed and findings.task_error_count == 1
