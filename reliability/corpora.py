"""The bodies of code the plugin is run over, laid out in a work directory.

Each corpus is copied under a package name of its own, so that its absolute imports of
``django`` resolve to django-stubs (as in a user's project) while its relative imports
stay inside the copy.
"""

import shutil
import subprocess
import sys
import sysconfig
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import django
import mypy

from reliability.half_written import split_by_syntax

SITE_PACKAGES = Path(sysconfig.get_paths()["purelib"])
PROJECT_ROOT = Path(__file__).resolve().parent.parent
CRASH_CORPUS = PROJECT_ROOT / "tests" / "crash_corpus"

# Task queues and Django task backends on PyPI, downloaded with ``pip download --no-deps``.
TASK_BACKENDS = (
    "django-tasks",
    "django-tasks-rq",
    "django-rq",
    "rq",
    "celery",
    "huey",
    "dramatiq",
    "django-q2",
)


@dataclass
class Corpus:
    name: str
    description: str
    targets: list[Path] = field(default_factory=list)
    files: int = 0
    # Syntax errors are blocking in mypy: each such file needs a run of its own.
    one_run_per_target: bool = False
    # The configurations to check it under; empty means every one the run asks for.
    configs: tuple[str, ...] = ()


def copy_sources(source: Path, destination: Path, suffix: str) -> int:
    """Copy the ``*{suffix}`` files of a package tree; the number copied."""
    count = 0
    for path in source.rglob(f"*{suffix}"):
        if "__pycache__" in path.parts:
            continue
        target = destination / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        count += 1
    return count


def django_source(workdir: Path, subpackage: str = "") -> Corpus:
    """Django's own source, or one ``subpackage`` of it (``"tasks"``)."""
    package = workdir / "django-source" / "django_source_copy"
    files = copy_sources(Path(django.__file__).parent / subpackage, package / subpackage, ".py")
    (package / "__init__.py").touch()
    name = f"django-source/{subpackage}" if subpackage else "django-source"
    return Corpus(name, f"Django {django.__version__} source", [package], files=files)


def django_stubs(workdir: Path) -> Corpus:
    """django-stubs' own stubs and its mypy plugin.

    django-stubs' test cases are not published on PyPI (neither in the wheel nor in the
    sdist), so the stubs themselves stand in for them.
    """
    root = workdir / "django-stubs"
    stubs = root / "django_stubs_copy"
    plugin = root / "mypy_django_plugin_copy"
    files = copy_sources(SITE_PACKAGES / "django-stubs", stubs, ".pyi")
    files += copy_sources(SITE_PACKAGES / "mypy_django_plugin", plugin, ".py")
    return Corpus("django-stubs", "django-stubs' stubs and plugin", [stubs, plugin], files=files)


def django_tasks_db(workdir: Path) -> Corpus:
    root = workdir / "django-tasks-db"
    package = root / "django_tasks_db"
    files = copy_sources(SITE_PACKAGES / "django_tasks_db", package, ".py")
    return Corpus("django-tasks-db", "django-tasks-db (installed)", [package], files=files)


def task_backends(workdir: Path) -> list[Corpus]:
    """One corpus per task library, each unpacked from its PyPI wheel."""
    downloads = workdir / "downloads"
    if not any(downloads.glob("*.whl")):
        downloads.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--only-binary",
                ":all:",
                "--dest",
                str(downloads),
                *TASK_BACKENDS,
            ],
            check=True,
        )
    corpora = []
    for wheel in sorted(downloads.glob("*.whl")):
        distribution = wheel.name.split("-")[0] + "-" + wheel.name.split("-")[1]
        root = workdir / "task-backends" / distribution
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(root)
        packages = [path for path in root.iterdir() if (path / "__init__.py").is_file()]
        files = sum(1 for package in packages for _ in package.rglob("*.py"))
        corpora.append(Corpus(distribution, f"{distribution} from PyPI", packages, files=files))
    return corpora


def typeshed_stdlib(workdir: Path, subpackage: str = "") -> Corpus:
    """mypy's bundled typeshed stdlib stubs, or one ``subpackage`` of them (``"asyncio"``)."""
    package = workdir / "typeshed" / "typeshed_stdlib_copy"
    stdlib = Path(mypy.__file__).parent / "typeshed" / "stdlib"
    files = copy_sources(stdlib / subpackage, package / subpackage, ".pyi")
    (package / "__init__.pyi").touch()
    name = f"typeshed-stdlib/{subpackage}" if subpackage else "typeshed-stdlib"
    return Corpus(name, "mypy's bundled typeshed stdlib stubs", [package], files)


def crash_corpus(workdir: Path) -> Corpus:
    """The hand-written regression inputs: every task form, with and without type errors."""
    package = workdir / "crash-corpus" / "crash_corpus_copy"
    files = copy_sources(CRASH_CORPUS, package, ".py")
    package.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").touch()
    return Corpus("crash-corpus", "tests/crash_corpus (task forms, type errors)", [package], files)


def half_written(workdir: Path, *, every: int = 2, syntax_error_sample: int = 4) -> list[Corpus]:
    """Half-written variants of every crash-corpus module: those that compile, in one run,
    and an evenly spaced sample of those that do not, each in a run of its own."""
    package = workdir / "half-written" / "half_written"
    broken = workdir / "syntax-errors"
    package.mkdir(parents=True, exist_ok=True)
    broken.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").touch()
    valid_count = 0
    invalid_paths: list[Path] = []
    for source_path in sorted(CRASH_CORPUS.glob("*.py")):
        valid, invalid = split_by_syntax(source_path.read_text())
        for index, variant in enumerate(valid[::every]):
            (package / f"{source_path.stem}_{index:04d}.py").write_text(variant)
            valid_count += 1
        step = max(1, len(invalid) // max(1, syntax_error_sample))
        for index, variant in enumerate(invalid[::step][:syntax_error_sample]):
            path = broken / f"{source_path.stem}_broken_{index:02d}.py"
            path.write_text(variant)
            invalid_paths.append(path)
    # Thousands of small modules: one configuration is enough to find a crash of ours.
    return [
        Corpus(
            "half-written",
            "prefixes and deletions that compile",
            [package],
            valid_count,
            configs=("plugin",),
        ),
        Corpus(
            "syntax-errors",
            "prefixes that do not compile",
            invalid_paths,
            len(invalid_paths),
            one_run_per_target=True,
            configs=("plugin",),
        ),
    ]


def synthetic_project(workdir: Path, modules: int = 200) -> Corpus:
    """The benchmark's generated Django project: thousands of tasks and call sites in every
    decorator and call form, with a share of deliberate mistakes (benchmarks/generate.py)."""
    root = workdir / "synthetic-project"
    subprocess.run(
        [sys.executable, "-m", "benchmarks.generate", str(root), "--modules", str(modules)],
        check=True,
        cwd=PROJECT_ROOT,
        capture_output=True,
    )
    packages = [path for path in root.iterdir() if (path / "__init__.py").is_file()]
    files = sum(1 for package in packages for _ in package.rglob("*.py"))
    return Corpus("synthetic-project", f"benchmarks.generate, {modules} modules", packages, files)


def examples(workdir: Path) -> Corpus:
    """The repository's example project, deliberate mistakes included."""
    package = workdir / "examples" / "examples_copy"
    files = copy_sources(PROJECT_ROOT / "examples", package, ".py")
    return Corpus("examples", "examples/ (the demo project)", [package], files)


# Each group of corpora by the name ``--only`` selects it with, cheapest first.
BUILDERS: dict[str, Callable[[Path], list[Corpus]]] = {
    "crash-corpus": lambda workdir: [crash_corpus(workdir)],
    "examples": lambda workdir: [examples(workdir)],
    "synthetic-project": lambda workdir: [synthetic_project(workdir)],
    "half-written": half_written,
    "django-tasks-db": lambda workdir: [django_tasks_db(workdir)],
    "task-backends": task_backends,
    "django-source": lambda workdir: [django_source(workdir)],
    "django-stubs": lambda workdir: [django_stubs(workdir)],
    "typeshed-stdlib": lambda workdir: [typeshed_stdlib(workdir)],
}
