"""The plugin gives the same answers in every way mypy can run, and follows edits.

Each test builds a small project in a temporary directory and runs mypy on it as a
subprocess: cold, warm (from mypy's incremental cache), with ``-n 2`` worker processes,
and under the ``dmypy`` daemon. The project has a settings module, so the settings
checks (task-backend) take part too.
"""

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from mypy_plugin.config import read_settings_module
from mypy_plugin.main import PLUGIN_VERSION, source_digest
from mypy_plugin.safety import STRICT_ERRORS

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

MYPY_INI = """\
[mypy]
plugins = typed_tasks.mypy
show_error_codes = true

[mypy.plugins.django-stubs]
django_settings_module = proj_settings
"""

IMMEDIATE_SETTINGS = """\
TASKS = {
    "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
    "later": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"},
}
"""

TASKS = """\
from django.tasks import task

@task
def notify(user_id: int) -> None: ...

@task(priority=500)
def rank(n: int) -> None: ...

later_task = task(backend="later")
"""

VIEWS = """\
from datetime import datetime, timezone
from tasks import later_task, notify

notify.enqueue(1)
notify.using(run_after=datetime(2030, 1, 1, tzinfo=timezone.utc)).enqueue(1)

@later_task
def remind(when: datetime) -> None: ...
"""

FILES = ["tasks.py", "views.py"]
DMYPY_ARGS = ["--no-error-summary", "--cache-dir", "dcache", *FILES]

OPTION_ERROR = 'tasks.py:6: error: priority "500" is outside the range -100..100  [task-option]'
DEFER_ERROR = 'views.py:5: error: backend "default" does not support run_after'
STORED_DECORATOR_ERROR = (
    'views.py:8: error: parameter "when" of task "remind" has type "datetime", '
    "which is not JSON-serializable  [task-param]"
)
ARG_ERROR = 'views.py:4: error: Argument 1 to "enqueue" of "Task" has incompatible type "int"'


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "mypy.ini").write_text(MYPY_INI)
    (tmp_path / "proj_settings.py").write_text(IMMEDIATE_SETTINGS)
    (tmp_path / "tasks.py").write_text(TASKS)
    (tmp_path / "views.py").write_text(VIEWS)
    return tmp_path


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def mypy(project: Path, *args: str, cache: str = "cache") -> str:
    completed = subprocess.run(
        [str(BIN / "mypy"), "--no-error-summary", "--cache-dir", cache, *args, *FILES],
        cwd=project,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "INTERNAL ERROR" not in completed.stdout + completed.stderr, completed.stderr
    return completed.stdout


@pytest.fixture
def dmypy(project: Path) -> Iterator[Callable[[], str]]:
    status = str(project / "dmypy.json")

    def run() -> str:
        completed = subprocess.run(
            [str(BIN / "dmypy"), "--status-file", status, "run", "--", *DMYPY_ARGS],
            cwd=project,
            env=_env(),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert "INTERNAL ERROR" not in completed.stdout + completed.stderr, completed.stderr
        return completed.stdout.replace("Daemon started\n", "")

    yield run
    subprocess.run(
        [str(BIN / "dmypy"), "--status-file", status, "kill"],
        cwd=project,
        env=_env(),
        capture_output=True,
        timeout=60,
    )


def test_cold_warm_parallel_and_daemon_agree(project: Path, dmypy: Callable[[], str]) -> None:
    cold = mypy(project)
    assert OPTION_ERROR in cold
    assert DEFER_ERROR in cold
    assert STORED_DECORATOR_ERROR in cold
    assert mypy(project) == cold  # warm: everything from the cache
    assert mypy(project, "-n", "2", cache="parallel-cache") == cold
    assert dmypy() == cold
    assert dmypy() == cold


NEWTYPE_TASK = """
from datetime import date
from typing import NewType

UserId = NewType("UserId", {base})

@task
def greet(user: UserId) -> None: ...
"""
NEWTYPE_ERROR = 'tasks.py:17: error: parameter "user" of task "greet" has type "UserId"'


def test_the_daemon_judges_an_edited_type_afresh(project: Path, dmypy: Callable[[], str]) -> None:
    # A mypy run remembers the types that have nothing to report; the daemon re-analyses an
    # edited NewType in place (same class object, new base), so it must not.
    (project / "tasks.py").write_text(TASKS + NEWTYPE_TASK.format(base="int"))
    assert NEWTYPE_ERROR not in dmypy()
    (project / "tasks.py").write_text(TASKS + NEWTYPE_TASK.format(base="date"))

    edited = dmypy()
    assert NEWTYPE_ERROR in edited
    assert edited == mypy(project, cache="fresh-cache")


def test_editing_a_task_signature_rechecks_its_callers(
    project: Path, dmypy: Callable[[], str]
) -> None:
    mypy(project)
    dmypy()
    (project / "tasks.py").write_text(TASKS.replace("user_id: int", "user_id: str"))

    warm = mypy(project)
    assert ARG_ERROR in warm
    assert warm == mypy(project, cache="fresh-cache")
    assert dmypy() == warm


def test_editing_a_task_backend_rechecks_its_callers(
    project: Path, dmypy: Callable[[], str]
) -> None:
    # The backend a task runs on travels with its type into the modules that use it.
    mypy(project)
    dmypy()
    (project / "tasks.py").write_text(TASKS.replace("@task\n", '@task(backend="later")\n', 1))

    warm = mypy(project)
    assert DEFER_ERROR not in warm
    assert warm == mypy(project, cache="fresh-cache")
    assert dmypy() == warm


def test_a_stored_decorator_from_a_cached_module_still_checks_definitions(
    project: Path,
) -> None:
    # Only views.py is checked again: later_task's type comes from tasks.py's cache entry.
    mypy(project)
    (project / "views.py").write_text(VIEWS + "\n# edited\n")
    assert STORED_DECORATOR_ERROR in mypy(project)


def test_editing_the_settings_invalidates_the_cache(project: Path) -> None:
    assert DEFER_ERROR in mypy(project)
    (project / "proj_settings.py").write_text(
        IMMEDIATE_SETTINGS.replace("immediate.ImmediateBackend", "dummy.DummyBackend", 1)
    )

    warm = mypy(project)
    assert DEFER_ERROR not in warm
    assert OPTION_ERROR in warm
    assert warm == mypy(project, cache="fresh-cache")


def test_config_data_covers_the_settings_module_and_tasks(project: Path) -> None:
    from mypy.options import Options
    from mypy.plugin import ReportConfigContext

    from mypy_plugin.main import TypedTasksPlugin

    options = Options()
    options.config_file = str(project / "mypy.ini")
    cwd = os.getcwd()
    os.chdir(project)
    try:
        plugin = TypedTasksPlugin(options)
        data = plugin.config_data()
        reported = plugin.report_config_data(
            ReportConfigContext("views", "views.py", is_check=False)
        )
    finally:
        os.chdir(cwd)
    # mypy stores the report in every module's cache entry: a short digest, not the data.
    assert isinstance(reported, str) and len(reported) == 64
    assert data["version"] == PLUGIN_VERSION
    assert data["strict_errors"] is STRICT_ERRORS
    assert data["django_settings_module"] == "proj_settings"
    assert data["tasks"]["default"] == {
        "backend": "django.tasks.backends.immediate.ImmediateBackend",
        "queues": ["default"],
        "queues_as_set": True,
        "capabilities": {
            "supports_async_task": True,
            "supports_defer": False,
            "supports_priority": True,
        },
        "task_class": "django.tasks.base.Task",
        "task_options": ["backend", "priority", "queue_name", "takes_context"],
    }
    assert set(data["tasks"]) == {"default", "later"}


def test_the_reported_config_changes_with_what_it_covers(monkeypatch: pytest.MonkeyPatch) -> None:
    from mypy.options import Options
    from mypy.plugin import ReportConfigContext

    from mypy_plugin import main

    context = ReportConfigContext("views", "views.py", is_check=True)
    before = main.TypedTasksPlugin(Options()).report_config_data(context)
    assert main.TypedTasksPlugin(Options()).report_config_data(context) == before
    monkeypatch.setattr(main, "STRICT_ERRORS", not STRICT_ERRORS)
    assert main.TypedTasksPlugin(Options()).report_config_data(context) != before
    monkeypatch.setattr(main, "STRICT_ERRORS", STRICT_ERRORS)
    monkeypatch.setattr(main, "PLUGIN_VERSION", "another version")
    assert main.TypedTasksPlugin(Options()).report_config_data(context) != before


def test_any_change_to_the_plugin_source_changes_its_cache_version(tmp_path: Path) -> None:
    # mypy hashes only typed_tasks/mypy.py; the rest of the plugin reaches the cache this way.
    package = REPO / "mypy_plugin"
    for source in package.glob("*.py"):
        (tmp_path / source.name).write_bytes(source.read_bytes())
    unchanged = source_digest(tmp_path)
    assert unchanged == source_digest(package)
    fit = tmp_path / "fit.py"
    fit.write_text(fit.read_text() + "\n# a rule change\n")
    assert source_digest(tmp_path) != unchanged


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "mypy.ini",
            "[mypy.plugins.django-stubs]\ndjango_settings_module = a.settings\n",
            "a.settings",
        ),
        (
            "setup.cfg",
            "[mypy.plugins.django-stubs]\ndjango_settings_module = 'b.settings'\n",
            "b.settings",
        ),
        (
            "pyproject.toml",
            '[tool.django-stubs]\ndjango_settings_module = "c.settings"\n',
            "c.settings",
        ),
        ("mypy.ini", "[mypy]\nstrict = true\n", None),
        ("pyproject.toml", "[tool.mypy]\nstrict = true\n", None),
        ("pyproject.toml", "not toml at all [", None),
    ],
)
def test_config_reads_django_stubs_settings_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, text: str, expected: str | None
) -> None:
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "from.environment")
    (tmp_path / name).write_text(text)
    assert read_settings_module(str(tmp_path / name)) == expected


def test_config_falls_back_to_the_environment_inside_the_section(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "from.environment")
    (tmp_path / "mypy.ini").write_text("[mypy.plugins.django-stubs]\nstrict_settings = false\n")
    assert read_settings_module(str(tmp_path / "mypy.ini")) == "from.environment"
    assert read_settings_module(None) is None


OVERRIDDEN = """
from django.test import override_settings

@override_settings(
    TASKS={{
        "default": {{"BACKEND": "django.tasks.backends.dummy.DummyBackend", "QUEUES": [{queues}]}}
    }}
)
def test_override() -> None:
    notify.using(queue_name="q2").enqueue(1)
"""
OVERRIDE_ERROR = (
    'views.py:18: error: queue "q2" is not in the QUEUES of backend "default" '
    "of the TASKS of override_settings(...) on line 12  [task-backend]"
)


def test_a_test_override_is_followed_and_its_edits_too(
    project: Path, dmypy: Callable[[], str]
) -> None:
    # The override is read from the module's own syntax tree, in every mode alike.
    (project / "views.py").write_text(VIEWS + OVERRIDDEN.format(queues='"q1"'))
    cold = mypy(project)
    assert OVERRIDE_ERROR in cold
    assert mypy(project) == cold
    assert mypy(project, "-n", "2", cache="parallel-cache") == cold
    assert dmypy() == cold

    (project / "views.py").write_text(VIEWS + OVERRIDDEN.format(queues='"q1", "q2"'))
    warm = mypy(project)
    assert OVERRIDE_ERROR not in warm
    assert "q2" not in warm
    assert dmypy() == warm
    assert mypy(project, "-n", "2", cache="parallel-cache") == warm


PAYLOAD_TASK = """
from typing import Any

@task
def payload(data: dict[str, Any]) -> None: ...
"""
PAYLOAD_CALLS = """
payload.enqueue({"at": datetime.now()})
payload.using(priority=1).enqueue({"at": datetime.now()})
payload.enqueue({"at": datetime.now().isoformat()})
"""
PAYLOAD_ERRORS = [
    'views.py:10: error: argument "data" to task "payload" has type "dict[str, datetime]"',
    'views.py:11: error: argument "data" to task "payload" has type "dict[str, datetime]"',
]


def test_a_task_from_a_cached_module_still_checks_its_calls(project: Path) -> None:
    # Which parameters a call must look at travels with the task's type: views.py is
    # checked again, payload's type comes from tasks.py's cache entry.
    (project / "tasks.py").write_text(TASKS + PAYLOAD_TASK)
    views = VIEWS.replace("import later_task, notify", "import later_task, notify, payload")
    (project / "views.py").write_text(views + PAYLOAD_CALLS)
    cold = mypy(project)
    (project / "views.py").write_text(views + PAYLOAD_CALLS + "\n# edited\n")
    warm = mypy(project)
    for report in PAYLOAD_ERRORS:
        assert report in cold
        assert report in warm
    assert "views.py:12" not in warm
