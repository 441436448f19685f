"""takes_context=True: callers of enqueue do not pass the context; call/acall do, as in Django."""

from typing import reveal_type

from django.tasks import TaskContext

from typed_tasks import task


@task(takes_context=True)
def retry_aware(context: TaskContext, label: str) -> str:
    return f"{label} #{context.attempt}"


@task(takes_context=True, priority=2, queue_name="default")
async def async_retry_aware(context: TaskContext, count: int) -> list[int]:
    return [count]


reveal_type(retry_aware)  # revealed: ContextTask[(label: str), str]
reveal_type(async_retry_aware)  # revealed: ContextTask[(count: int), list[int]]
reveal_type(retry_aware.enqueue("x"))  # revealed: TaskResult[(label: str), str]
reveal_type(async_retry_aware.enqueue(1).return_value)  # revealed: list[int]
reveal_type(retry_aware.using(priority=1).enqueue("x"))  # revealed: TaskResult[(label: str), str]


reveal_type(retry_aware.using(priority=1))  # revealed: ContextTask[(label: str), str]


def run_in_process(context: TaskContext) -> None:
    reveal_type(retry_aware.call(context, "x"))  # revealed: str
    reveal_type(retry_aware.using(queue_name="default").call(context, "x"))  # revealed: str
    retry_aware.call("x")  # error: reportCallIssue
    retry_aware.using(priority=1).call("x")  # error: reportCallIssue


retry_aware.enqueue(None, "x")  # error: reportCallIssue
