"""Drive the example project from tests: its environment, manage.py and the example client."""

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from examples.worker_process import REPOSITORY, example_environment, manage_command

WAIT_SECONDS = 120

# Variables of the developer's shell that would change where the example sends or stores.
UNSET = ("NTFY_URL", "DATABASE_URL", "EXAMPLE_SQLITE_PATH", "NTFY_TIMEOUT_SECONDS")
PROXIES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")


def isolated_environment(overrides: Mapping[str, str]) -> dict[str, str]:
    environment = example_environment({})
    for name in [*UNSET, *PROXIES, *(proxy.lower() for proxy in PROXIES)]:
        environment.pop(name, None)
    return environment | dict(overrides)


def sqlite_environment(directory: Path, overrides: Mapping[str, str]) -> dict[str, str]:
    return isolated_environment(
        {"EXAMPLE_SQLITE_PATH": str(directory / "db.sqlite3")} | dict(overrides)
    )


def manage(environment: Mapping[str, str], *arguments: str) -> str:
    """Run ``manage.py`` with ``arguments``; return its stdout, fail the test on an error."""
    return checked_run(manage_command(*arguments), environment)


def client(environment: Mapping[str, str], *arguments: str) -> Any:
    """Run ``tests.e2e.example_client`` with ``arguments``; return its JSON output."""
    command = [sys.executable, "-m", "tests.e2e.example_client", *arguments]
    return json.loads(checked_run(command, environment))


def finished_results(
    environment: Mapping[str, str], ids: list[str], workers: list[subprocess.Popen[bytes]]
) -> list[Any]:
    """Poll the results until all are finished; give up when a worker dies or time runs out."""
    deadline = time.monotonic() + WAIT_SECONDS
    results: list[Any] = client(environment, "results", *ids)
    while any(result["status"] in ("READY", "RUNNING") for result in results):
        exited = [worker.args for worker in workers if worker.poll() is not None]
        assert not exited, f"a worker exited early: {exited}"
        assert time.monotonic() < deadline, f"unfinished after {WAIT_SECONDS} s: {results}"
        time.sleep(0.2)
        results = client(environment, "results", *ids)
    return results


def checked_run(command: list[str], environment: Mapping[str, str]) -> str:
    completed = subprocess.run(
        command, cwd=REPOSITORY, env=dict(environment), capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, f"{command} failed:\n{completed.stdout}{completed.stderr}"
    return completed.stdout


@contextmanager
def silent_server_url() -> Iterator[str]:
    """A loopback URL that accepts connections and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


@contextmanager
def refusing_url() -> Iterator[str]:
    """A loopback URL that refuses connections: the port is held, bound but not listening."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{holder.getsockname()[1]}"
