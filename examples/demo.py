"""``make demo``: the example project, type-checked with the plugin, then run on a real worker.

1. mypy with the plugin over the clean example: no errors.
2. mypy over the modules of mistakes: the errors a user would see in CI.
3. ``manage.py check``, the runtime twin: clean, then with the ``reminders`` app.
4. ``manage.py task_signatures --check`` against the committed lock
   (``examples/task_signatures.json``): clean, then on a modified copy of the
   example that renames a parameter (breaking) and adds one with a default
   (compatible). The copy is in a temporary directory; the tree is not touched.
5. End to end: migrate a temporary SQLite database (or ``DATABASE_URL``),
   refuse a bad enqueue, enqueue three notifications, run ``manage.py
   db_worker`` and receive the POSTs on a loopback stand-in for ntfy.sh.

Set ``NTFY_URL`` to send the notifications to a real ntfy server instead (for
example ``NTFY_URL=https://ntfy.sh``); the demo then cannot show the POSTs, only
the task results. Exit status 0 when every step did what it says.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

from examples.loopback_ntfy import LoopbackNtfy
from examples.typecheck import expected_errors, run_mypy
from examples.worker_process import REPOSITORY, example_environment, manage_command

MISTAKES = ("examples/notifier/mistakes.py", "examples/reminders/tasks.py")
STEPS = ("typecheck", "mistakes", "check", "signatures", "run")
EXAMPLES = REPOSITORY / "examples"
# The deploy the signatures step shows: in send_digest, "lines" renamed (breaking for the
# jobs already queued, which pass "lines") and "tags" added with a default (compatible).
DIGEST_BEFORE = "async def send_digest(topic: str, lines: list[str], title: str) -> Delivery:"
DIGEST_AFTER = (
    "async def send_digest(\n"
    "    topic: str, entries: list[str], title: str, tags: Sequence[str] = ()\n"
    ") -> Delivery:"
)
SIGNATURES_CAUGHT = (
    'breaking: task "examples.notifier.tasks.send_digest": parameter "lines" renamed to "entries"',
    'compatible: task "examples.notifier.tasks.send_digest": parameter "tags" added with a default',
)


def say(text: str) -> None:
    print(text, flush=True)


def show(output: str) -> None:
    say(textwrap.indent(output.rstrip() or "(no output)", "    | ", lambda line: True))


def typecheck_clean() -> bool:
    say("The example's tasks take and return only JSON values, so the plugin has nothing to say.")
    say("$ mypy --config-file examples/mypy.ini   (strict; plugins: typed_tasks, django-stubs)")
    run = run_mypy()
    show(run.output)
    if run.exit_status != 0:
        say("mypy should have found nothing here: the plugin or the example is broken")
    return run.exit_status == 0


def typecheck_mistakes() -> bool:
    say("Two modules of realistic mistakes, one per error family. This is what CI shows;")
    say("each reported line is marked `# expected: CODE` in the source, and must be.")
    say(f"$ mypy --config-file examples/mypy.ini {' '.join(MISTAKES)}")
    run = run_mypy(*MISTAKES)
    show(run.output)
    expected = expected_errors(*MISTAKES)
    missed = sorted(expected - run.errors)
    unexpected = sorted(run.errors - expected)
    codes = sorted({error.code for error in run.errors})
    say(f"mypy reported {len(run.errors)} errors ({', '.join(codes)});")
    say(f"the files mark {len(expected)}; missed: {len(missed)}, unexpected: {len(unexpected)}")
    for error in missed:
        say(f"  MISSED: {error} is marked `# expected` but mypy did not report it")
    for error in unexpected:
        say(f"  UNEXPECTED: {error} is reported but not marked `# expected`")
    return run.exit_status == 1 and not missed and not unexpected


def manage_py_check(*options: str) -> subprocess.CompletedProcess[str]:
    say(f"$ python examples/manage.py check {' '.join(options)}".rstrip())
    completed = subprocess.run(
        manage_command("check", *options),
        cwd=REPOSITORY,
        env=example_environment({}),
        capture_output=True,
        text=True,
        check=False,
    )
    show(completed.stdout + completed.stderr)
    return completed


def runtime_check() -> bool:
    say('With "typed_tasks" in INSTALLED_APPS, the system check applies the same rules to')
    say("every installed app's tasks module. The example passes:")
    clean = manage_py_check()
    say("Add the reminders app, whose tasks Django imports without a word (they fail later,")
    say("at enqueue or in the worker), and the check reports each of them:")
    with_mistakes = manage_py_check("--settings=examples.project.settings_with_reminders")
    caught = with_mistakes.returncode != 0 and "typed_tasks.E" in with_mistakes.stderr
    if not caught:
        say("the reminders app's mistakes should have been reported")
    return clean.returncode == 0 and caught


def task_signatures_check(
    root: Path, environment: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    say("$ python examples/manage.py task_signatures --check")
    completed = subprocess.run(
        [sys.executable, str(root / "examples" / "manage.py"), "task_signatures", "--check"],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    show(completed.stdout + completed.stderr)
    say(f"(exit status {completed.returncode})")
    return completed


def signatures(workdir: Path) -> bool:
    say("examples/task_signatures.json is the committed lock of every task's signature: the")
    say("contract with the jobs already queued. CI checks the code against it:")
    clean = task_signatures_check(REPOSITORY, example_environment({}))
    copy = workdir / "modified"
    shutil.copytree(
        EXAMPLES, copy / "examples", ignore=shutil.ignore_patterns("__pycache__", "*.sqlite3")
    )
    tasks = copy / "examples" / "notifier" / "tasks.py"
    source = tasks.read_text()
    if DIGEST_BEFORE not in source:
        say("examples/notifier/tasks.py no longer has the send_digest this step modifies")
        return False
    tasks.write_text(source.replace(DIGEST_BEFORE, DIGEST_AFTER))
    say('Now a deploy that renames send_digest\'s parameter "lines" and adds "tags" with a')
    say("default (made on a copy of the example, in a temporary directory):")
    show(f"-{DIGEST_BEFORE}\n" + "".join(f"+{line}\n" for line in DIGEST_AFTER.splitlines()))
    environment = example_environment({"PYTHONPATH": str(copy), "PYTHONDONTWRITEBYTECODE": "1"})
    caught = task_signatures_check(copy, environment)
    listed = caught.returncode == 1 and all(line in caught.stdout for line in SIGNATURES_CAUGHT)
    if clean.returncode != 0:
        say("the example should match its lock: run `python examples/manage.py task_signatures`")
    if not listed:
        say("the check should have listed the rename (breaking) and the new parameter (compatible)")
    return clean.returncode == 0 and listed


def end_to_end(workdir: Path) -> bool:
    import django

    django.setup()
    # Django must be set up before the example's tasks are imported.
    from examples import end_to_end as e2e

    e2e.migrate(say)
    say("Strict validation, the runtime twin at enqueue, checks what mypy could not see:")
    refused = e2e.refuse_bad_enqueue(say)
    say("Now three good tasks: a notification, a takes_context task, an async def task.")
    results = e2e.enqueue_notifications(say)
    log = workdir / "db_worker.log"
    if "NTFY_URL" in os.environ:
        say(f"NTFY_URL is set in the environment: the worker sends to {os.environ['NTFY_URL']!r}")
        outcome = e2e.run_worker_until_done(results, example_environment({}), log, say)
        arrived_ok = True
    else:
        with LoopbackNtfy() as ntfy:
            say(f"started a loopback stand-in for ntfy.sh at {ntfy.url} (NTFY_URL for the worker)")
            environment = example_environment(ntfy.environment())
            outcome = e2e.run_worker_until_done(results, environment, log, say)
            messages = ntfy.wait_for(len(results), timeout=0)
        say(f"the stand-in received {len(messages)} POSTs:")
        for message in messages:
            headers = ", ".join(
                f"{name}: {message.headers[name]}"
                for name in ("Title", "Priority", "Tags")
                if name in message.headers
            )
            say(f"    POST /{message.topic}  [{headers}]")
            say(textwrap.indent(message.body, "        "))
        arrived_ok = len(messages) == len(results)
    say("task results, as stored by the worker:")
    for result in outcome.results:
        say("    " + e2e.describe_result(result))
    if not outcome.succeeded:
        say("NOT delivered: each failed task's error is recorded in its result (above).")
        say("worker log:")
        show(log.read_text())
    return refused and arrived_ok and outcome.succeeded and outcome.worker_exit_status == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m examples.demo", description=__doc__)
    parser.add_argument("--steps", nargs="+", choices=STEPS, default=list(STEPS))
    chosen = parser.parse_args(argv).steps
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="typed-tasks-demo-") as directory:
        workdir = Path(directory)
        # Read by the example's settings, in this process and in the worker.
        os.environ["EXAMPLE_SQLITE_PATH"] = str(workdir / "db.sqlite3")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "examples.project.settings")
        steps: dict[str, tuple[str, Callable[[], bool]]] = {
            "typecheck": (
                "mypy with the typed_tasks plugin over the clean example",
                typecheck_clean,
            ),
            "mistakes": ("mypy over the modules of deliberate mistakes", typecheck_mistakes),
            "check": ("manage.py check: the same rules at runtime", runtime_check),
            "signatures": (
                "manage.py task_signatures --check: changes that break queued jobs",
                lambda: signatures(workdir),
            ),
            "run": ("end to end: enqueue, a real db_worker, ntfy", lambda: end_to_end(workdir)),
        }
        failed = [name for name in STEPS if name in chosen and not run_step(name, *steps[name])]
    say("")
    elapsed = time.monotonic() - started
    if failed:
        say(f"demo FAILED at: {', '.join(failed)} ({elapsed:.1f} s)")
        return 1
    say(f"demo finished: every step did what it says ({elapsed:.1f} s)")
    return 0


def run_step(name: str, title: str, step: Callable[[], bool]) -> bool:
    say(f"\n=== {STEPS.index(name) + 1}. {title} ===")
    started = time.monotonic()
    ok = step()
    say(f"--> {'OK' if ok else 'FAILED'} ({time.monotonic() - started:.1f} s)")
    return ok


if __name__ == "__main__":
    sys.exit(main())
