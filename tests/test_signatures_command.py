"""``manage.py task_signatures``: what it finds, what it writes, and how it fails."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from typed_tasks.discovery import discover_all_tasks, tasks_in_module
from typed_tasks.signatures import lockfile
from typed_tasks.signatures.contract import task_contract

REPOSITORY = Path(__file__).resolve().parent.parent
APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django_tasks_db",
    "typed_tasks",
    "tests.signatureapp",
]
BROKEN = "tests.signatureapp.broken_jobs"


@pytest.fixture
def signatureapp(tmp_path: Path) -> Iterator[Path]:
    """The test app installed, its broken module excluded; yields the lock's path."""
    lock = tmp_path / "task_signatures.json"
    setting = {"SIGNATURES_FILE": str(lock), "SIGNATURES_EXCLUDE": [BROKEN]}
    with override_settings(INSTALLED_APPS=APPS, TYPED_TASKS=setting):
        yield lock


def run(*arguments: str) -> tuple[int, str, str]:
    """Run the command in this process: (exit status, stdout, stderr)."""
    stdout, stderr = _Capture(), _Capture()
    try:
        call_command("task_signatures", *arguments, stdout=stdout, stderr=stderr)
    except SystemExit as exit:
        return int(str(exit.code)), stdout.text, stderr.text
    except CommandError as error:
        return error.returncode, stdout.text, str(error)
    return 0, stdout.text, stderr.text


class _Capture:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


def lock_tasks(lock: Path) -> dict[str, Any]:
    tasks: dict[str, Any] = json.loads(lock.read_text())["tasks"]
    return tasks


# -- discovery -------------------------------------------------------------------------


@pytest.mark.usefixtures("signatureapp")
def test_tasks_outside_the_tasks_module_are_found_without_importing_other_modules() -> None:
    found = discover_all_tasks(exclude=[BROKEN])

    assert sorted(task.module_path for task in found.tasks) == [
        "tests.signatureapp.jobs.archive",
        "tests.signatureapp.tasks.send",
    ]
    assert found.import_errors == []
    assert "tests.signatureapp.helpers" not in sys.modules  # it raises if imported


@pytest.mark.usefixtures("signatureapp")
def test_a_module_of_tasks_that_fails_to_import_is_reported() -> None:
    found = discover_all_tasks()

    [(module_name, error)] = found.import_errors
    assert module_name == BROKEN
    assert str(error) == "the broken_jobs module cannot be imported"


# -- writing and checking ------------------------------------------------------------------


def test_the_lock_records_every_task_in_a_stable_order(signatureapp: Path) -> None:
    assert run() == (0, f"wrote {signatureapp} (2 tasks, 0 changes)\n", "")
    text = signatureapp.read_text()

    assert lock_tasks(signatureapp) == {
        "tests.signatureapp.jobs.archive": {
            "backend": "default",
            "queue": "default",
            "takes_context": False,
            "parameters": [
                {
                    "name": "ids",
                    "kind": "positional_or_keyword",
                    "default": False,
                    "annotation": "list[int]",
                    "image": {"list": "int"},
                }
            ],
            "returns": {"annotation": "int", "image": "int"},
        },
        "tests.signatureapp.tasks.send": {
            "backend": "default",
            "queue": "default",
            "takes_context": False,
            "parameters": [
                {
                    "name": "to",
                    "kind": "positional_or_keyword",
                    "default": False,
                    "annotation": "str",
                    "image": "str",
                },
                {
                    "name": "count",
                    "kind": "positional_or_keyword",
                    "default": True,
                    "annotation": "int",
                    "image": "int",
                },
            ],
            "returns": {"annotation": "None", "image": "None"},
        },
    }
    assert json.loads(text)["format"] == lockfile.FORMAT
    assert run()[0] == 0
    assert signatureapp.read_text() == text


def test_check_passes_when_the_code_matches_the_lock(signatureapp: Path) -> None:
    run()

    assert run("--check") == (0, f"task signatures match {signatureapp} (2 tasks)\n", "")


def edit_recorded_parameter(lock: Path, task: str, index: int, **fields: Any) -> None:
    document = json.loads(lock.read_text())
    document["tasks"][task]["parameters"][index].update(fields)
    lock.write_text(json.dumps(document))


def test_check_lists_a_breaking_change_and_exits_1(signatureapp: Path) -> None:
    run()
    # As if the code had taken a str before: the current int narrows it.
    edit_recorded_parameter(
        signatureapp, "tests.signatureapp.jobs.archive", 0, image={"list": "str"}
    )
    before = signatureapp.read_text()

    status, output, _ = run("--check")

    assert status == 1
    assert output.splitlines()[0] == (
        'breaking: task "tests.signatureapp.jobs.archive": parameter "ids" narrowed from '
        '"list[str]" to "list[int]"'
    )
    assert output.splitlines()[-1] == (
        f"1 change (1 breaking) from {signatureapp}; record them with "
        "`manage.py task_signatures --accept-breaking` after review"
    )
    assert signatureapp.read_text() == before


def test_a_breaking_change_is_recorded_only_with_accept_breaking(signatureapp: Path) -> None:
    run()
    edit_recorded_parameter(signatureapp, "tests.signatureapp.tasks.send", 1, default=False)
    edit_recorded_parameter(signatureapp, "tests.signatureapp.tasks.send", 0, name="recipient")
    edited = signatureapp.read_text()

    status, output, errors = run()
    assert status == 1
    assert 'breaking: task "tests.signatureapp.tasks.send": parameter "recipient" renamed' in output
    assert errors.startswith(f"{signatureapp} not written: 1 breaking change for")
    assert signatureapp.read_text() == edited

    status, output, _ = run("--accept-breaking")
    assert status == 0
    assert output.splitlines()[-1] == f"wrote {signatureapp} (2 tasks, 2 changes)"
    assert run("--check")[0] == 0


def test_a_compatible_change_is_recorded_by_the_plain_command(signatureapp: Path) -> None:
    run()
    document = json.loads(signatureapp.read_text())
    del document["tasks"]["tests.signatureapp.jobs.archive"]
    document["tasks"]["tests.signatureapp.tasks.send"]["parameters"].pop()
    signatureapp.write_text(json.dumps(document))

    status, output, _ = run()

    assert status == 0
    assert output.splitlines() == [
        'compatible: task "tests.signatureapp.jobs.archive": new task',
        "    note: no job can be queued for it yet",
        'compatible: task "tests.signatureapp.tasks.send": parameter "count" added with a default',
        "    note: old calls still bind",
        f"wrote {signatureapp} (2 tasks, 2 changes)",
    ]
    assert run("--check")[0] == 0


def test_file_overrides_the_setting(signatureapp: Path, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere.json"

    assert run("--file", str(other))[0] == 0
    assert other.exists()
    assert not signatureapp.exists()


def test_without_the_setting_the_lock_is_in_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with override_settings(INSTALLED_APPS=APPS, TYPED_TASKS={"SIGNATURES_EXCLUDE": [BROKEN]}):
        assert run()[0] == 0
    assert sorted(lock_tasks(tmp_path / "task_signatures.json")) == [
        "tests.signatureapp.jobs.archive",
        "tests.signatureapp.tasks.send",
    ]


# -- bad input: one line, exit status 2 -------------------------------------------------------


def test_a_missing_lock_says_how_to_create_it(signatureapp: Path) -> None:
    assert run("--check") == (
        2,
        "",
        f"no task signatures at {signatureapp}: create it with `python manage.py task_signatures`",
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('{"format": 1, "tasks": {', "is not valid JSON (Expecting property name enclosed in"),
        ("[]", "the top level must be an object"),
        ('{"format": 1, "tasks": {"a.b": {"queue": 1}}}', 'task "a.b": "parameters" must'),
        (
            '{"format": 1, "tasks": {"a.b": {"backend": "default", "queue": "default", '
            '"takes_context": false, "parameters": [{"name": "x", "kind": "keyword", '
            '"default": false}], "returns": {}}}}',
            'task "a.b": parameter 1: unknown "kind" "keyword"',
        ),
        (
            '{"format": 1, "tasks": {"a.b": {"backend": "default", "queue": "default", '
            '"takes_context": false, "parameters": [], '
            '"returns": {"annotation": "int", "image": "integer"}}}}',
            'task "a.b": returns: "image": unknown scalar image \'integer\'',
        ),
    ],
)
def test_a_corrupt_or_hand_edited_lock_is_refused(
    signatureapp: Path, text: str, problem: str
) -> None:
    signatureapp.write_text(text)

    status, output, error = run("--check")

    assert (status, output) == (2, "")
    assert problem in error
    assert "\n" not in error
    assert error.endswith("create it with `python manage.py task_signatures`")


def test_a_lock_from_a_newer_format_asks_for_an_upgrade(signatureapp: Path) -> None:
    signatureapp.write_text('{"format": 2, "tasks": {}}')

    assert run("--check") == (
        2,
        "",
        f"{signatureapp} was written by a newer typed_tasks (format 2; this one reads "
        "format 1): upgrade typed_tasks",
    )


def test_a_malformed_setting_is_refused(signatureapp: Path) -> None:
    with override_settings(TYPED_TASKS={"SIGNATURES_FILE": 3}):
        status, _, error = run("--check")
    assert (status, error) == (2, 'TYPED_TASKS["SIGNATURES_FILE"] must be a str or a path, not int')


def test_a_task_module_that_fails_to_import_is_one_line_and_exit_2(tmp_path: Path) -> None:
    """A real ``manage.py``-style process: no traceback, one line on stderr."""
    environment = dict(os.environ) | {"DJANGO_SETTINGS_MODULE": "tests.signature_settings"}
    environment["PYTHONPATH"] = str(REPOSITORY)
    completed = subprocess.run(
        [sys.executable, "-m", "django", "task_signatures", "--check"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )

    assert completed.returncode == 2
    assert completed.stdout == ""
    assert completed.stderr == (
        f'CommandError: could not import "{BROKEN}" to read its tasks: RuntimeError: the '
        "broken_jobs module cannot be imported; fix it, or list it in "
        'TYPED_TASKS["SIGNATURES_EXCLUDE"] if it holds no task a worker runs\n'
    )


@pytest.mark.skipif(
    find_spec("django_tasks") is None,
    reason="the django_tasks backport (django-tasks) is not installed in this environment",
)
def test_a_task_made_by_the_backport_is_recorded(tmp_path: Path) -> None:
    module = tmp_path / "backport_jobs.py"
    module.write_text(
        "from django_tasks import task\n\n\n"
        "@task(queue_name='pings')\ndef ping(host: str, *, tries: int = 3) -> bool:\n"
        "    return True\n"
    )
    backport_backend = {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["pings"],
    }
    sys.path.insert(0, str(tmp_path))
    try:
        with override_settings(TASKS={"default": backport_backend}):
            import backport_jobs  # type: ignore[import-not-found]

            [found] = tasks_in_module(backport_jobs)
            contract = task_contract(found)
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("backport_jobs", None)
    assert (contract.module_path, contract.queue) == ("backport_jobs.ping", "pings")
    assert [(p.name, p.kind, p.annotation.image) for p in contract.parameters] == [
        ("host", "positional_or_keyword", "str"),
        ("tries", "keyword_only", "int"),
    ]


@pytest.mark.usefixtures("signatureapp")
def test_a_lock_that_cannot_be_written_is_one_line(tmp_path: Path) -> None:
    target = tmp_path / "no such directory" / "task_signatures.json"

    assert run("--file", str(target)) == (
        2,
        "",
        f"cannot write {target}: No such file or directory",
    )
