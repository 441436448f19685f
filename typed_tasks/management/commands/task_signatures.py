"""``manage.py task_signatures``: the lock of every task's signature, and its check.

* ``task_signatures``: record every task's contract in the lock (``--file``, else
  ``TYPED_TASKS["SIGNATURES_FILE"]``, else ``task_signatures.json`` in the current
  directory). Compatible changes are recorded; a breaking one only with
  ``--accept-breaking``, so that it shows up in review.
* ``task_signatures --check``: exit 0 when the code matches the lock, 1 with every
  change listed (breaking ones with what to do instead), 2 when the lock or a task
  module cannot be read.

docs/deploys.md says what breaks queued jobs and why.
"""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from typed_tasks import conf
from typed_tasks.discovery import discover_all_tasks
from typed_tasks.signatures import lockfile
from typed_tasks.signatures.compare import Change, compare
from typed_tasks.signatures.contract import TaskContract, task_contract

if TYPE_CHECKING:
    from django.tasks import Task

# Exit status for input the command cannot read (the lock, a task module, the setting).
BAD_INPUT = 2


class Command(BaseCommand):
    help = (
        "Record every task's signature in a lock file; with --check, list the changes since "
        "and whether each breaks jobs already queued."
    )
    # A task module that fails to import is reported here, as one line with exit status 2,
    # rather than by the system check first.
    requires_system_checks = ()

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="write nothing; exit 1 if the code differs from the lock, listing each change",
        )
        parser.add_argument(
            "--accept-breaking",
            action="store_true",
            help="record the signatures even if a change breaks jobs already queued",
        )
        parser.add_argument(
            "--file",
            metavar="PATH",
            help='the lock (default: TYPED_TASKS["SIGNATURES_FILE"], else task_signatures.json)',
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            path = Path(options["file"]) if options["file"] else conf.signatures_file()
            exclude = conf.signatures_exclude()
        except ImproperlyConfigured as error:
            raise bad_input(str(error)) from None
        code = self.code_contracts(exclude)
        if options["check"]:
            self.check_lock(path, code)
        else:
            self.record_lock(path, code, accept_breaking=options["accept_breaking"])

    def code_contracts(self, exclude: tuple[str, ...]) -> dict[str, TaskContract]:
        discovered = discover_all_tasks(exclude=exclude)
        if discovered.import_errors:
            module_name, error = discovered.import_errors[0]
            more = len(discovered.import_errors) - 1
            also = f" ({counted(more, 'more module')} failed to import)" if more else ""
            raise bad_input(
                f'could not import "{module_name}" to read its tasks: '
                f"{type(error).__name__}: {error}{also}; fix it, or list it in "
                'TYPED_TASKS["SIGNATURES_EXCLUDE"] if it holds no task a worker runs'
            )
        return {
            path: task_contract(task) for path, task in by_module_path(discovered.tasks).items()
        }

    def check_lock(self, path: Path, code: dict[str, TaskContract]) -> None:
        changes = compare(read(path), code)
        if not changes:
            self.stdout.write(f"task signatures match {path} ({counted(len(code), 'task')})")
            return
        self.report(changes)
        breaking = sum(change.breaking for change in changes)
        command = "manage.py task_signatures" + (" --accept-breaking" if breaking else "")
        self.stdout.write(
            f"{counted(len(changes), 'change')} ({breaking} breaking) from {path}; "
            f"record them with `{command}`" + (" after review" if breaking else "")
        )
        sys.exit(1)

    def record_lock(
        self, path: Path, code: dict[str, TaskContract], *, accept_breaking: bool
    ) -> None:
        old = read(path) if path.exists() else {}
        changes = compare(old, code) if old else []
        breaking = sum(change.breaking for change in changes)
        self.report(changes)
        if breaking and not accept_breaking:
            self.stderr.write(
                f"{path} not written: {counted(breaking, 'breaking change')} for jobs already "
                "queued. Follow each note, or record them with --accept-breaking"
            )
            sys.exit(1)
        try:
            lockfile.write(path, code)
        except OSError as error:
            raise bad_input(f"cannot write {path}: {error.strerror or error}") from None
        self.stdout.write(
            f"wrote {path} ({counted(len(code), 'task')}, {counted(len(changes), 'change')})"
        )

    def report(self, changes: list[Change]) -> None:
        for change in changes:
            self.stdout.write(change.render())


def by_module_path(tasks: list[Task[..., Any]]) -> dict[str, Task[..., Any]]:
    """One task per module path: the one a worker imports by that path, if found."""
    found: dict[str, Task[..., Any]] = {}
    for task in tasks:
        path = task.module_path
        if path in found:
            try:
                imported = import_string(path)
            except ImportError:
                continue
            if imported is task:
                found[path] = task
        else:
            found[path] = task
    return found


def read(path: Path) -> dict[str, TaskContract]:
    try:
        return lockfile.read(path)
    except lockfile.LockError as error:
        raise bad_input(str(error)) from None


def counted(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def bad_input(message: str) -> CommandError:
    return CommandError(" ".join(message.split()), returncode=BAD_INPUT)
