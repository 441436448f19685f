from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.tasks import TaskContext, task

from billing.models import Invoice

if TYPE_CHECKING:
    from decimal import Decimal

    from shop.models import Order


@task(queue_name="default")
def render_invoice_pdf(invoice_id: int, *, locale: str = "en") -> str:
    invoice = Invoice.objects.get(pk=invoice_id)
    return f"invoices/{invoice.number}-{locale}.pdf"


@task()
def void_invoice(invoice_id: int) -> None:
    Invoice.objects.filter(pk=invoice_id).delete()


@task()
def issue_invoices(order_ids: Sequence[int], kind: int = Invoice.Kind.STANDARD) -> list[int]:
    created = []
    for order_id in order_ids:
        invoice = Invoice.objects.create(order_id=order_id, customer_id=1, kind=kind, amount=0)
        created.append(invoice.pk)
    return created


@task()
def credit(invoice_id: int, amount: Decimal) -> None:  # expect: task-param
    Invoice.objects.filter(pk=invoice_id).update(amount=amount)


@task()
def refund_order(order: Order | None) -> None:  # expect: task-param
    print(order)


@task()
def reconcile(totals_by_currency: Mapping[str, str], counts: dict[str, int]) -> dict[str, int]:
    return dict(counts)


@task()
def tally(kinds: Iterable[str]) -> dict[str, int]:
    return dict(Counter(kinds))


@task()
def store_statement(customer_id: int, raw: bytes) -> None:  # expect: task-param
    print(customer_id, raw)


@task()
def search_invoices(filters: Mapping[str, Any]) -> list[int]:
    return list(Invoice.objects.filter(**filters).values_list("pk", flat=True))


@task(takes_context=True)
def chase_payment(context: TaskContext, invoice_id: int, reminder: int = 1) -> None:
    if reminder < 3:
        chase_payment.enqueue(invoice_id, reminder=reminder + 1)
    print(context.task_result.id, context.attempt)


@task()
async def fetch_exchange_rates(base: str = "EUR") -> dict[str, float]:
    return {"USD": 1.08, base: 1.0}


@task()
def group_invoices(by_customer: dict[str, list[int]]) -> None:
    print(by_customer)


@task()
def mirror(value):
    return value


@task()
def regroup() -> dict[str, list[int]]:
    groups: defaultdict[str, list[int]] = defaultdict(list)
    for invoice in Invoice.objects.all():
        groups[str(invoice.customer_id)].append(invoice.pk)
    return groups


@task()
def open_invoice_numbers(customer_id: int) -> Iterable[str]:  # expect: task-return
    return Invoice.objects.filter(customer_id=customer_id).values_list("number", flat=True)


@task()
def filter_invoices(filters: dict[str, list[str]]) -> int:
    return len(filters)
