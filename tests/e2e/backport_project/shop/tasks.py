from django_tasks import TaskContext

from typed_tasks.backport import task


@task
def invoice_total(amounts: list[int], discount: int = 0) -> int:
    return sum(amounts) - discount


@task(queue_name="reports", priority=10, takes_context=True)
def monthly_report(context: TaskContext, month: str, shops: dict[str, list[int]]) -> str:
    return f"{month}: {len(shops)} shops, attempt {context.attempt}"


@task
async def count_lines(lines: list[str]) -> int:
    return len(lines)
