"""Mistakes pyright reports on a typed task."""

from typed_tasks import task


@task
def add(a: int, b: int = 0) -> int:
    return a + b


@task
async def fetch(url: str) -> bytes:
    return url.encode()


add.enqueue("one")  # error: reportArgumentType
add.enqueue(1, 2, 3)  # error: reportCallIssue
add.enqueue()  # error: reportCallIssue
add.enqueue(1, c=2)  # error: reportCallIssue
add.using(backend="dummy").enqueue("one")  # error: reportArgumentType
add.call("one")  # error: reportArgumentType
add(1)  # error: reportCallIssue
fetch("u")  # error: reportCallIssue
total: str = add.enqueue(1).return_value  # error: reportAssignmentType


@task(takes_context=True)  # error: reportCallIssue, reportArgumentType
def no_context(label: str) -> str:
    return label
