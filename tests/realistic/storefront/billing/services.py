from __future__ import annotations

import json
from collections import Counter, OrderedDict
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Generic, TypeVar

from django.db.models import Sum
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.tasks import Task
from django.utils.translation import gettext, gettext_lazy as _

from billing import tasks
from billing.models import Invoice
from billing.tasks import (
    group_invoices,
    issue_invoices,
    mirror,
    reconcile,
    render_invoice_pdf,
    search_invoices,
    tally,
)
from shop.models import Order
from shop.tasks import notify_customer, reindex_orders

P = TypeVar("P")


@dataclass
class InvoiceSummary:
    number: str
    amount: str


class Outbox:
    """Not a task: a plain class with its own enqueue."""

    def __init__(self) -> None:
        self.items: list[object] = []

    def enqueue(self, item: object) -> None:
        self.items.append(item)


class Batch(Generic[P]):
    def __init__(self, task: Task[[P], Any]) -> None:
        self.task = task
        self.pending: list[P] = []

    def add(self, item: P) -> None:
        self.pending.append(item)

    def flush(self) -> None:
        for item in self.pending:
            self.task.enqueue(item)


def close_month(orders: list[Order]) -> None:
    issue_invoices.enqueue([o.pk for o in orders])
    issue_invoices.enqueue(tuple(o.pk for o in orders), kind=Invoice.Kind.CREDIT_NOTE)
    issue_invoices.enqueue(range(10))
    reindex_orders.enqueue(o.pk for o in orders)  # expect: task-arg
    reindex_orders.enqueue(map(int, ["1", "2"]))  # expect: task-arg
    reindex_orders.enqueue({o.pk for o in orders})  # expect: task-arg
    reindex_orders.enqueue(sorted({o.pk for o in orders}))
    batch: Batch[int] = Batch(tasks.void_invoice)
    for order in orders:
        batch.add(order.pk)
    batch.flush()
    outbox = Outbox()
    outbox.enqueue(orders[0])


def reconcile_all() -> None:
    counts = Counter(Invoice.objects.values_list("number", flat=True))
    reconcile.enqueue({"EUR": "10.00"}, counts)
    reconcile.enqueue({"EUR": str(Decimal("10.00"))}, dict(counts))
    totals = Invoice.objects.aggregate(total=Sum("amount"))
    mirror.enqueue(totals)  # known-miss: task-arg
    tally.enqueue(["standard", "credit"])
    tally.enqueue(k for k in ("a", "b"))  # expect: task-arg
    tally.enqueue(counts.keys())  # expect: task-arg
    tally.enqueue(list(counts.keys()))


def search(request: HttpRequest) -> HttpResponse:
    search_invoices.enqueue(request.GET.dict())
    search_invoices.enqueue({"number__startswith": request.GET.get("q", "")})
    group_invoices.enqueue({k: [int(v) for v in vs] for k, vs in request.POST.lists()})
    mirror.enqueue(json.loads(request.body))
    mirror.enqueue(request.FILES["statement"])  # expect: task-arg
    return HttpResponse(status=202)


def summarize(invoice: Invoice) -> None:
    summary = InvoiceSummary(invoice.number, str(invoice.amount))
    mirror.enqueue(asdict(summary))
    mirror.enqueue(summary)  # expect: task-arg
    mirror.enqueue(model_to_dict(invoice, fields=["number"]))
    mirror.enqueue(OrderedDict(number=invoice.number))
    mirror.enqueue(invoice.issued_on.isoformat())
    mirror.enqueue(invoice.issued_on)  # expect: task-arg
    mirror.enqueue(date.today().toordinal())
    mirror.enqueue(invoice.pdf.name)
    mirror.enqueue(invoice.pdf)  # expect: task-arg
    mirror.enqueue(invoice.amount)  # expect: task-arg
    mirror.enqueue(float(invoice.amount))
    mirror.enqueue(invoice.Kind.CREDIT_NOTE)
    mirror.enqueue(Invoice.Kind.CREDIT_NOTE.label)
    mirror.enqueue(invoice.get_kind_display())
    mirror.enqueue(json.dumps({"n": invoice.number}))


def notify_invoiced(invoice: Invoice) -> None:
    notify_customer.enqueue(invoice.customer_id, gettext("Your invoice is ready"))
    notify_customer.enqueue(invoice.customer_id, _("Your invoice is ready"))  # expect: task-arg
    render_invoice_pdf.using(priority=5).enqueue(invoice.pk, locale="fr")
    tasks.chase_payment.enqueue(invoice.pk)
    tasks.chase_payment.using(backend="inline", queue_name="default").enqueue(invoice.pk)
    notify_customer.call(invoice.customer, "direct call, no queue")


async def refresh_rates() -> dict[str, float]:
    result = await tasks.fetch_exchange_rates.aenqueue()
    await tasks.fetch_exchange_rates.aenqueue("USD")
    if result.is_finished:
        return result.return_value
    return {}


def filter_from_request(request: HttpRequest) -> None:
    tasks.filter_invoices.enqueue(dict(request.GET.lists()))
    tasks.filter_invoices.enqueue(request.GET)  # expect: arg-type
