"""An async task is Task[P, R] with R the awaited type, never a Coroutine."""

from typing import reveal_type

from typed_tasks import task


@task
async def fetch(url: str) -> bytes:
    return url.encode()


@task(queue_name="default")
async def count(items: list[int]) -> int:
    return len(items)


reveal_type(fetch)  # revealed: Task[(url: str), bytes]
reveal_type(count)  # revealed: Task[(items: list[int]), int]
reveal_type(fetch.enqueue("u").return_value)  # revealed: bytes
reveal_type(count.using(priority=1).enqueue([1]).return_value)  # revealed: int
reveal_type(count.call([1]))  # revealed: int


async def from_async_code() -> None:
    reveal_type((await fetch.aenqueue("u")).return_value)  # revealed: bytes
    reveal_type(await count.acall([]))  # revealed: int
