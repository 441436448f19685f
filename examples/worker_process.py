"""Start ``manage.py db_worker`` as a real process and always stop it again."""

import os
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
MANAGE_PY = REPOSITORY / "examples" / "manage.py"


def manage_command(*arguments: str) -> list[str]:
    return [sys.executable, str(MANAGE_PY), *arguments]


def example_environment(overrides: Mapping[str, str]) -> dict[str, str]:
    """The environment for a ``manage.py`` process of the example project."""
    environment = dict(os.environ) | {
        "DJANGO_SETTINGS_MODULE": "examples.project.settings",
        "PYTHONPATH": str(REPOSITORY),
        "PYTHONUNBUFFERED": "1",
    }
    return environment | dict(overrides)


@contextmanager
def db_worker(
    environment: Mapping[str, str], *, worker_id: str, log: Path, queues: str = "*"
) -> Iterator[subprocess.Popen[bytes]]:
    """Run one worker polling every 0.1 s; on exit, SIGTERM its process group, then SIGKILL.

    ``environment`` is the worker's whole environment (see ``example_environment``).

    The worker gets its own session, so stopping it also stops anything it
    started, and a Ctrl+C on the terminal reaches only the caller.
    """
    command = manage_command(
        "db_worker",
        f"--queue-name={queues}",
        "--interval=0.1",
        "--no-startup-delay",
        "--no-reload",
        f"--worker-id={worker_id}",
    )
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            cwd=REPOSITORY,
            env=dict(environment),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield process
        finally:
            stop_process_group(process)


def stop_process_group(process: subprocess.Popen[bytes], grace_seconds: float = 10.0) -> None:
    if process.poll() is None:
        # The worker finishes the task in hand on SIGTERM, then exits.
        os.killpg(process.pid, signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=grace_seconds)
    # Whatever is left of the group (a hung worker, anything it started) goes now.
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
