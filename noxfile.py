"""The version matrix: typed_tasks on every Django that runs tasks (``make test`` runs it).

Each session makes its own virtualenv from nothing, installs the project next to the
versions it names, and runs the tests that apply there:

* ``backport-5.2``: Django 5.2 LTS with the ``django_tasks`` backport (django-tasks 0.12,
  django-tasks-db 0.12), django-stubs 5.2.9 and mypy 1.19.1, on Python 3.10 to 3.13: the
  runtime tests on the backport, the backport's typecheck cases, and a real ``db_worker``
  end to end. Django 5.2 is installed first and must still be there after the project.
* ``django-6.0``: Django 6.0 with its django-stubs 6.0.x: the runtime tests and the
  ``django.tasks`` typecheck cases.
* ``django-6.1``: Django 6.1 with django-stubs 6.1.x, without the backport: the same.
  (Django 6.1 with the backport is the development virtualenv, which runs everything.)
* ``bare``: what ``pip install .`` brings (Django 6.1) and the test runner only: the
  runtime tests on Django's own backends, with no other task package installed.
* ``compiled``: the mypy plugin compiled by mypyc (``TYPED_TASKS_COMPILE=1``, setup.py)
  on Django 6.1 with the backport: every typecheck case against it, and the choice between
  its compiled and source modules (tests/test_compiled_build.py).
* ``compiled-5.2``: the same build against mypy 1.19.1 on Django 5.2 LTS with the backport:
  the backport's typecheck cases against it, and tests/test_compiled_build.py.

The interpreters are pyenv's: ``.python-version`` lists them, so its shims resolve
``python3.10`` and the others; the shims' directory is put on PATH when it is missing.
"""

from __future__ import annotations

import os
from pathlib import Path

import nox

from benchmarks.compiled import copy_sources

nox.options.sessions = [
    "backport-5.2",
    "django-6.0",
    "django-6.1",
    "bare",
    "compiled",
    "compiled-5.2",
]
nox.options.reuse_existing_virtualenvs = False
nox.options.error_on_missing_interpreters = True

PYENV_SHIMS = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "shims"
if PYENV_SHIMS.is_dir() and str(PYENV_SHIMS) not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = f"{PYENV_SHIMS}{os.pathsep}{os.environ.get('PATH', '')}"

TEST_RUNNER = ("pytest>=8", "pytest-django>=4.9")
TYPECHECK_RUNNER = ("pytest-mypy-plugins>=3.2", "pytest-xdist>=3.6")

# The runtime tests: each runs on the task API its settings name (tests/task_api.py).
# The backport's typecheck cases need django_tasks; the others need django.tasks.
BACKPORT_CASES = ("typecheck_cases/backport",)

RUNTIME_TESTS = (
    "tests/test_decorator.py",
    "tests/test_strict_enqueue.py",
    "tests/test_validation.py",
    "tests/test_system_check.py",
    "tests/test_own_backends.py",
    "tests/test_rule.py",
    "tests/test_rule_vectors_runtime.py",
)


def install_next_to(session: nox.Session, django: str, *packages: str) -> None:
    """Install ``django`` first, then the project and ``packages``; Django must stay."""
    session.install(django)
    session.install(".", *packages)
    session.run("python", "-m", "pip", "check")
    wanted = django.removeprefix("Django==").removesuffix(".*")
    session.run(
        "python",
        "-c",
        f"import django; v = django.get_version(); print('Django', v); "
        f"assert v == {wanted!r} or v.startswith({wanted + '.'!r}), v",
    )


def pytest_run(
    session: nox.Session, settings: str, *arguments: str, env: dict[str, str] | None = None
) -> None:
    session.run("pytest", f"--ds={settings}", "-p", "no:cacheprovider", *arguments, env=env)


@nox.session(name="backport-5.2", python=["3.10", "3.11", "3.12", "3.13"])
def backport_5_2(session: nox.Session) -> None:
    install_next_to(
        session,
        "Django==5.2.*",
        "django-tasks==0.12.*",
        "django-tasks-db==0.12.*",
        "django-stubs==5.2.9",
        "mypy==1.19.1",
        *TEST_RUNNER,
        *TYPECHECK_RUNNER,
    )
    pytest_run(session, "tests.settings_backport", *RUNTIME_TESTS, "tests/e2e/test_backport.py")
    if Path(BACKPORT_CASES[0]).is_dir():
        pytest_run(session, "tests.settings_backport", "-n", "2", *BACKPORT_CASES)
    else:
        session.warn(f"no {BACKPORT_CASES[0]}: no backport typecheck cases to run")


@nox.session(name="django-6.0", python="3.12")
def django_6_0(session: nox.Session) -> None:
    install_next_to(
        session,
        "Django==6.0.*",
        "django-stubs==6.0.*",
        "mypy",
        "django-tasks-db==0.13.*",
        *TEST_RUNNER,
        *TYPECHECK_RUNNER,
    )
    pytest_run(session, "tests.settings", *RUNTIME_TESTS)
    typecheck_cases(session)


@nox.session(name="django-6.1", python="3.13")
def django_6_1(session: nox.Session) -> None:
    install_next_to(
        session,
        "Django==6.1.*",
        "django-stubs==6.1.*",
        "mypy",
        "django-tasks-db==0.13.*",
        *TEST_RUNNER,
        *TYPECHECK_RUNNER,
    )
    without_backport = "import importlib.util as u; assert not u.find_spec('django_tasks')"
    session.run("python", "-c", without_backport)
    pytest_run(session, "tests.settings", *RUNTIME_TESTS)
    typecheck_cases(session)


@nox.session(python="3.12")
def bare(session: nox.Session) -> None:
    session.install(".", "Django==6.1.*")
    session.install(*TEST_RUNNER)
    # The project's pytest options name pytest-mypy-plugins, which is not installed here.
    pytest_run(session, "tests.settings_bare", "-o", "addopts=-ra", *RUNTIME_TESTS)


def typecheck_cases(session: nox.Session) -> None:
    """The ``django.tasks`` typecheck cases (those under ``backport/`` need the backport)."""
    cases = ("typecheck_cases", "--ignore=typecheck_cases/backport")
    pytest_run(session, "tests.settings", "-n", "2", *cases)


@nox.session(python="3.12")
def compiled(session: nox.Session) -> None:
    install_compiled(session, ("Django==6.1.*", "django-stubs==6.1.*", "mypy"))
    session.install("django-tasks-db==0.13.*", "django-tasks", *TEST_RUNNER, *TYPECHECK_RUNNER)
    session.run("python", "-m", "pip", "check")
    test_compiled(session, "tests.settings", "typecheck_cases")


@nox.session(name="compiled-5.2", python="3.12")
def compiled_5_2(session: nox.Session) -> None:
    # The LTS line: built against the mypy django-stubs 5.2.9 allows, on the backport.
    install_compiled(session, ("Django==5.2.*", "django-stubs==5.2.9", "mypy==1.19.1"))
    session.install(
        "django-tasks==0.12.*", "django-tasks-db==0.12.*", *TEST_RUNNER, *TYPECHECK_RUNNER
    )
    session.run("python", "-m", "pip", "check")
    session.run("python", "-c", "import django; assert django.VERSION[:2] == (5, 2)")
    test_compiled(session, "tests.settings_backport", *BACKPORT_CASES)


def install_compiled(session: nox.Session, pins: tuple[str, ...]) -> None:
    """The project with its plugin compiled against the mypy of ``pins``, installed first."""
    # Built against the mypy the session runs (no build isolation), from a copy of the
    # sources: the checkout's build/ never holds compiled modules a later build could pick up.
    session.install(*pins, "setuptools>=77")
    sources = copy_sources(Path(session.create_tmp()) / "sources")
    session.install("--no-build-isolation", str(sources), env={"TYPED_TASKS_COMPILE": "1"})


def test_compiled(session: nox.Session, settings: str, *cases: str) -> None:
    expect = {"TYPED_TASKS_EXPECT_COMPILED": "1"}
    pytest_run(session, settings, "tests/test_compiled_build.py", env=expect)
    # Compiled code checks types as it runs: an exception the plugin would swallow (a
    # silently missing report) fails the case instead.
    strict = {"TYPED_TASKS_MYPY_STRICT_ERRORS": "1"}
    pytest_run(session, settings, "-n", "2", *cases, env=strict)
