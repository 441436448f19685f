from django.tasks import TaskContext
from django.tasks import task as django_task

from typed_tasks import task


@task
def send_invoice(invoice_id: int, emails: list[str]) -> dict[str, int]:
    return {"sent": len(emails), "invoice": invoice_id}


@task(takes_context=True)
def retry_payment(context: TaskContext, payment_id: int) -> int:
    return context.attempt


@django_task
def restock(product_ids: list[int]) -> None:
    pass
