"""``manage.py check`` with "typed_tasks" installed reports every task mistake it can see."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.apps import apps
from django.core.checks import CheckMessage, run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from tests.task_api import InvalidTask
from typed_tasks.apps import CHECK_TAG
from typed_tasks.checks import check_tasks

APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "typed_tasks",
    "tests.checkapp",
]
TASKS = "tests.checkapp.tasks"


@pytest.fixture
def checkapp() -> Iterator[None]:
    with override_settings(INSTALLED_APPS=APPS):
        yield


def reported(messages: list[CheckMessage]) -> set[tuple[str, str]]:
    return {(str(message.obj), message.id or "") for message in messages}


def typed_tasks_messages() -> list[CheckMessage]:
    return [m for m in run_checks(tags=[CHECK_TAG]) if (m.id or "").startswith("typed_tasks.")]


@pytest.mark.usefixtures("checkapp")
def test_every_bad_task_is_reported_once_with_its_id() -> None:
    assert reported(typed_tasks_messages()) == {
        (f"{TASKS}.send_report", "typed_tasks.E003"),
        (f"{TASKS}.send_report", "typed_tasks.W001"),
        (f"{TASKS}.stamps", "typed_tasks.E003"),
        (f"{TASKS}.total", "typed_tasks.E004"),
        (f"{TASKS}.corners", "typed_tasks.W002"),
        (f"{TASKS}.names", "typed_tasks.E004"),
        (f"{TASKS}.fetch_time", "typed_tasks.E004"),
        (f"{TASKS}.variadic", "typed_tasks.E003"),
        (f"{TASKS}.variadic", "typed_tasks.W001"),
        (f"{TASKS}.wrong_context", "typed_tasks.E005"),
        (f"{TASKS}.forgot_context", "typed_tasks.E006"),
        (f"{TASKS}.Reports.send", "typed_tasks.E007"),
        (f"{TASKS}.Reports.archive", "typed_tasks.E007"),
        (f"{TASKS}.deferred.deferred_when", "typed_tasks.E003"),
        (f"{TASKS}.deferred.deferred_context", "typed_tasks.E006"),
    }
    assert len(typed_tasks_messages()) == 15


@pytest.mark.usefixtures("checkapp")
def test_parameter_messages_read_like_the_mypy_plugin() -> None:
    by_id = {
        (m.id, str(m.obj)): m for m in typed_tasks_messages() if str(m.obj).endswith("send_report")
    }
    error = by_id[("typed_tasks.E003", f"{TASKS}.send_report")]
    assert error.msg == (
        f'parameter "when" of task "{TASKS}.send_report" has type "datetime", '
        "which is not JSON-serializable"
    )
    assert error.hint == "pass when.isoformat() and parse it in the task"
    warning = by_id[("typed_tasks.W001", f"{TASKS}.send_report")]
    assert warning.msg == (
        f'parameter "corner" of task "{TASKS}.send_report" has type "tuple[int, int]", '
        'which arrives in the worker as "list[int]"'
    )
    assert warning.hint == 'annotate it as "list[int]"'


@pytest.mark.usefixtures("checkapp")
def test_hints_say_what_to_do() -> None:
    hints = {(m.id, str(m.obj).rsplit(".", 1)[-1]): m.hint for m in typed_tasks_messages()}
    assert hints[("typed_tasks.E003", "stamps")] == (
        '"datetime" in it is not JSON-serializable; use an ISO 8601 string (.isoformat()) instead'
    )
    assert hints[("typed_tasks.E004", "total")] == "return a str instead"
    assert hints[("typed_tasks.W002", "corners")] == 'annotate the return type as "list[int]"'
    assert hints[("typed_tasks.E006", "forgot_context")] == (
        'pass takes_context=True to @task and name the parameter "context"'
    )


@pytest.mark.usefixtures("checkapp")
def test_return_context_and_method_messages() -> None:
    messages = {(m.id, str(m.obj).rsplit(".", 1)[-1]): m.msg for m in typed_tasks_messages()}
    assert messages[("typed_tasks.E004", "total")] == (
        f'return type "Decimal" of task "{TASKS}.total" is not JSON-serializable'
    )
    assert messages[("typed_tasks.E004", "names")] == (
        f'return type "Iterable[str]" of task "{TASKS}.names" is not JSON-serializable'
    )
    assert messages[("typed_tasks.W002", "corners")] == (
        f'return type "tuple[int, int]" of task "{TASKS}.corners" is stored as "list[int]"'
    )
    assert messages[("typed_tasks.E005", "wrong_context")] == (
        f'task "{TASKS}.wrong_context" takes context, but its first parameter is not '
        '"context: TaskContext"'
    )
    assert messages[("typed_tasks.E006", "forgot_context")] == (
        f'first parameter "ctx" of task "{TASKS}.forgot_context" is annotated "TaskContext", '
        "but the task does not take context"
    )
    assert messages[("typed_tasks.E007", "send")] == (
        f'task "{TASKS}.Reports.send" is a method: the worker imports tasks by module path '
        "and cannot import a method"
    )


@pytest.mark.usefixtures("checkapp")
def test_manage_py_check_fails_and_prints_hints() -> None:
    with pytest.raises(SystemCheckError) as raised:
        call_command("check")
    output = str(raised.value)
    assert "typed_tasks.E003" in output
    assert "HINT: define the task as a module-level function" in output


def test_check_is_limited_to_the_apps_given() -> None:
    with override_settings(INSTALLED_APPS=APPS):
        assert check_tasks(app_configs=[apps.get_app_config("auth")]) == []
        assert check_tasks(app_configs=[apps.get_app_config("checkapp")])


def test_a_tasks_module_that_raises_is_reported_not_raised() -> None:
    with override_settings(INSTALLED_APPS=[*APPS, "tests.checkapp.broken"]):
        broken = [m for m in typed_tasks_messages() if m.id == "typed_tasks.E002"]
    assert [(m.obj, m.msg) for m in broken] == [
        (
            "tests.checkapp.broken.tasks",
            'could not import "tests.checkapp.broken.tasks" to check its tasks: '
            f"{InvalidTask.__name__}: Task takes context but does not have a first argument "
            "of 'context'.",
        )
    ]


@pytest.mark.parametrize(
    ("setting", "problem"),
    [
        ("strict", "TYPED_TASKS must be a dict, not str"),
        (
            {"STRICT_VALIDATON": True},
            'TYPED_TASKS has an unknown key "STRICT_VALIDATON" (known keys: '
            '"STRICT_VALIDATION", "SIGNATURES_FILE", "SIGNATURES_EXCLUDE")',
        ),
        ({"STRICT_VALIDATION": 1}, 'TYPED_TASKS["STRICT_VALIDATION"] must be a bool, not int'),
        ({"SIGNATURES_FILE": 1}, 'TYPED_TASKS["SIGNATURES_FILE"] must be a str or a path, not int'),
        (
            {"SIGNATURES_EXCLUDE": "app.scratch"},
            'TYPED_TASKS["SIGNATURES_EXCLUDE"] must be a list of module names, not str',
        ),
    ],
)
def test_a_malformed_setting_is_a_check_error(setting: object, problem: str) -> None:
    with override_settings(TYPED_TASKS=setting):
        errors = [m for m in run_checks(tags=[CHECK_TAG]) if m.id == "typed_tasks.E001"]
    assert [error.msg for error in errors] == [problem]
    assert errors[0].hint == (
        'TYPED_TASKS is a dict with the optional keys "STRICT_VALIDATION" (a bool), '
        '"SIGNATURES_FILE" (a str or a path), "SIGNATURES_EXCLUDE" (a list of module names)'
    )


@pytest.mark.parametrize(
    "setting",
    [
        {},
        {"STRICT_VALIDATION": False},
        {"SIGNATURES_FILE": Path("locks/tasks.json"), "SIGNATURES_EXCLUDE": ["app.scratch"]},
    ],
)
def test_a_good_setting_is_silent(setting: object) -> None:
    with override_settings(TYPED_TASKS=setting):
        assert [m for m in run_checks(tags=[CHECK_TAG]) if m.id == "typed_tasks.E001"] == []
