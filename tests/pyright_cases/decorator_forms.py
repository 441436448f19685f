"""Each form of typed_tasks.task keeps the function's exact signature."""

from typing import reveal_type

from typed_tasks import task


@task
def add(a: int, b: int = 0) -> int:
    return a + b


@task()
def shout(text: str) -> str:
    return text.upper()


@task(priority=5, queue_name="emails", backend="database")
def send(address: str, *, cc: list[str] | None = None) -> None:
    pass


reveal_type(add)  # revealed: Task[(a: int, b: int = 0), int]
reveal_type(shout)  # revealed: Task[(text: str), str]
reveal_type(send)  # revealed: Task[(address: str, *, cc: list[str] | None = None), None]
reveal_type(add.enqueue(1))  # revealed: TaskResult[(a: int, b: int = 0), int]
reveal_type(add.enqueue(1, b=2).return_value)  # revealed: int
reveal_type(add.using(priority=3).enqueue(1))  # revealed: TaskResult[(a: int, b: int = 0), int]
reveal_type(add.call(1, 2))  # revealed: int
reveal_type(add.get_result("id").return_value)  # revealed: int
sent = send.enqueue("a@example.com", cc=["b@example.com"])
reveal_type(sent)  # revealed: TaskResult[(address: str, *, cc: list[str] | None = None), None]


async def from_async_code() -> None:
    reveal_type(await add.aenqueue(1))  # revealed: TaskResult[(a: int, b: int = 0), int]
    reveal_type(await shout.acall("hi"))  # revealed: str
