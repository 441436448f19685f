"""Two db_worker processes at once on PostgreSQL: every task runs exactly once.

The server is a private cluster started for this module (``postgres_cluster``).
When PostgreSQL is not installed the module is skipped with the reason; ``.ci/run``
installs it first, so CI always runs it.
"""

from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from examples.loopback_ntfy import LoopbackNtfy
from examples.worker_process import db_worker
from tests.e2e.postgres_cluster import PostgresServer, temporary_postgres, why_unavailable
from tests.e2e.project import client, finished_results, isolated_environment, manage

pytestmark = pytest.mark.e2e

TASKS = 40
WORKERS = ("worker-a", "worker-b")


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresServer]:
    if reason := why_unavailable():
        pytest.skip(reason)
    with temporary_postgres() as server:
        yield server


def test_two_workers_run_each_task_exactly_once(postgres: PostgresServer, tmp_path: Path) -> None:
    # The first two POSTs wait for each other: both workers must be sending at once.
    with LoopbackNtfy(rendezvous=2, rendezvous_timeout=45) as ntfy:
        environment = isolated_environment(
            {"DATABASE_URL": postgres.url(), "NTFY_TIMEOUT_SECONDS": "60"} | ntfy.environment()
        )
        manage(environment, "migrate", "--verbosity=0")
        ids = client(environment, "enqueue-many", str(TASKS))
        with ExitStack() as stack:
            workers = [
                stack.enter_context(
                    db_worker(environment, worker_id=worker_id, log=tmp_path / f"{worker_id}.log")
                )
                for worker_id in WORKERS
            ]
            results = finished_results(environment, ids, workers)
            messages = ntfy.wait_for(TASKS, timeout=0)
        assert ntfy.rendezvous_met, "the two workers never sent at the same time"

    assert Counter(message.body for message in messages) == Counter(
        f"message {number}" for number in range(TASKS)
    )
    assert all(result["status"] == "SUCCESSFUL" for result in results)
    assert all(len(result["worker_ids"]) == 1 for result in results)
    assert {result["worker_ids"][0] for result in results} == set(WORKERS)

    by_body = {message.body: message for message in messages}
    for number, result in enumerate(results):
        message = by_body[f"message {number}"]
        assert result["args"] == ["load", f"message {number}"]
        assert result["kwargs"]["tags"] == [f"n{number}", "load"]
        assert message.headers["Tags"] == f"n{number},load"
        assert message.headers["Priority"] == str(result["kwargs"]["priority"])
        assert message.headers["Title"] == f"#{number}"
        assert result["return_value"]["message_id"] == message.message_id
