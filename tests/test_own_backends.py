"""A project on Django's own task backends with "typed_tasks" installed starts and is checked.

The project (``tests/ownbackends``) installs no other task package: its processes must
import none (``django_tasks_db``, the ``django_tasks`` backport and ``django_stubs_ext``
would each change what Django's classes accept).
"""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
MANAGE_PY = ROOT / "tests" / "ownbackends" / "manage.py"
OTHER_TASK_PACKAGES = ("django_tasks", "django_tasks_db", "django_stubs_ext")

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("django.tasks") is None,
    reason="this Django has no django.tasks (before 6.0)",
)


def run(*command: str) -> subprocess.CompletedProcess[str]:
    environment = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "tests.ownbackends.settings",
    }
    return subprocess.run(
        command,
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_manage_py_check_passes() -> None:
    completed = run(sys.executable, str(MANAGE_PY), "check")

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "System check identified no issues (0 silenced)."


def test_manage_py_check_reports_a_task_mistake() -> None:
    settings_option = "--settings=tests.ownbackends.settings_with_mistakes"
    completed = run(sys.executable, str(MANAGE_PY), "check", settings_option)

    assert completed.returncode == 1
    assert (
        'tests.ownbackends.mistakes.tasks.remind_at: (typed_tasks.E003) parameter "when" of task '
        '"tests.ownbackends.mistakes.tasks.remind_at" has type "datetime", '
        "which is not JSON-serializable"
    ) in completed.stderr


def test_manage_py_task_signatures_locks_and_checks(tmp_path: Path) -> None:
    lock = tmp_path / "task_signatures.json"
    written = run(sys.executable, str(MANAGE_PY), "task_signatures", f"--file={lock}")
    checked = run(sys.executable, str(MANAGE_PY), "task_signatures", "--check", f"--file={lock}")

    assert written.returncode == 0, written.stderr
    recorded = json.loads(lock.read_text())
    assert "tests.ownbackends.shop.tasks.send_invoice" in json.dumps(recorded)
    assert checked.returncode == 0, checked.stdout + checked.stderr


SCRIPT = """
import json, sys
import django
django.setup()
from django.core.management import call_command
call_command("check")
from tests.ownbackends.shop.tasks import retry_payment, send_invoice
from typed_tasks import TaskArgumentError
outcome = {"returned": send_invoice.enqueue(7, ["a@example.com"]).return_value}
outcome["attempt"] = retry_payment.enqueue(3).return_value
try:
    send_invoice.enqueue("7", ["a@example.com"])
except TaskArgumentError as error:
    outcome["refused"] = error.parameter
outcome["imported"] = sorted(set(sys.modules) & NAMES)
print(json.dumps(outcome))
"""


def test_the_project_runs_tasks_without_importing_another_task_package() -> None:
    script = SCRIPT.replace("NAMES", repr(set(OTHER_TASK_PACKAGES)))
    completed = run(sys.executable, "-c", script)

    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout.splitlines()[-1]) == {
        "returned": {"sent": 1, "invoice": 7},
        "attempt": 1,
        "refused": "invoice_id",
        "imported": [],
    }


@pytest.mark.skipif(
    settings.SETTINGS_MODULE != "tests.settings_bare",
    reason="only the bare environment (nox session 'bare') lacks the other task packages",
)
def test_the_bare_environment_has_no_other_task_package() -> None:
    assert [name for name in OTHER_TASK_PACKAGES if importlib.util.find_spec(name)] == []
    assert [name for name in OTHER_TASK_PACKAGES if name in sys.modules] == []
