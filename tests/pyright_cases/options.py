"""A backend's own task options (Django 6.1's ``@task(**kwargs)``) keep the exact task type."""

from typing import reveal_type

from django.tasks import TaskContext

from typed_tasks import task


@task(dedup=True)
def send(address: str) -> str:
    return address


@task(backend="deduplicating", takes_context=True, dedup=True, window_seconds=60)
def remind(context: TaskContext, user_id: int) -> None:
    pass


async def count(items: list[int]) -> int:
    return len(items)


counted = task(count, dedup=False)

reveal_type(send)  # revealed: Task[(address: str), str]
reveal_type(remind)  # revealed: ContextTask[(user_id: int), None]
reveal_type(counted)  # revealed: Task[(items: list[int]), int]
reveal_type(send.enqueue("a@example.com").return_value)  # revealed: str
send.enqueue(1)  # error: reportArgumentType
remind.enqueue("7")  # error: reportArgumentType
counted.enqueue(["1"])  # error: reportArgumentType
