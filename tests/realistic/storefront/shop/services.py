from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone

from shop import tasks
from shop.models import Order, OrderLine, Product
from shop.tasks import (
    notify_customer,
    recalculate_totals,
    send_order_confirmation,
    send_receipt,
    set_order_status,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.tasks import TaskResult

    from shop.models import Customer

T = TypeVar("T")


def chunked(items: Sequence[T], size: int) -> list[list[T]]:
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def place_order(customer: Customer, lines: Iterable[tuple[Product, int]]) -> Order:
    with transaction.atomic():
        order = Order.objects.create(customer=customer, reference=_next_reference())
        total = Decimal("0.00")
        for product, quantity in lines:
            OrderLine.objects.create(
                order=order, product=product, quantity=quantity, unit_price=product.price
            )
            total += product.price * quantity
        order.total = total
        order.save(update_fields=["total"])
        transaction.on_commit(lambda: send_order_confirmation.enqueue(order.pk))
        transaction.on_commit(functools.partial(send_receipt.enqueue, order.id))
    return order


def _next_reference() -> str:
    from uuid import uuid4

    return uuid4().hex[:12].upper()


def mark_paid(order: Order) -> TaskResult[..., str]:
    order.status = Order.Status.PAID
    order.save(update_fields=["status"])
    set_order_status.enqueue(order.pk, Order.Status.PAID)
    return send_receipt.using(queue_name=settings.EMAIL_QUEUE, priority=settings.HIGH_PRIORITY).enqueue(
        order.pk, resend=False
    )


def mark_paid_in_bulk(orders: QuerySet[Order]) -> None:
    ids = list(orders.values_list("pk", flat=True))
    for batch in chunked(ids, 100):
        recalculate_totals.enqueue(batch)
    recalculate_totals.enqueue(order_ids=orders.values_list("pk", flat=True))  # expect: arg-type
    tasks.reindex_orders.enqueue(orders.values_list("pk", flat=True))  # expect: task-arg
    tasks.reindex_orders.enqueue(orders.filter(status=Order.Status.PAID))  # expect: arg-type


def refresh_all_totals(orders: QuerySet[Order]) -> None:
    tasks.resend_confirmations.enqueue([o.pk for o in orders], reason="bulk")
    tasks.sync_inventory.enqueue(list(Product.objects.values_list("id", flat=True)))


def welcome_back(user: User) -> None:
    notify_customer.enqueue(user.customer.pk, "Welcome back!")
    notify_customer.enqueue(user, "Welcome back!")  # expect: task-arg


def refund(order: Order, amount: Decimal) -> None:
    notify_customer.enqueue(order.customer_id, f"Refunded {amount}")
    notify_customer.enqueue(order.customer_id, amount)  # expect: task-arg
    tasks.order_snapshot.enqueue(order.pk)


def remind_later(order: Order) -> None:
    send_receipt.using(run_after=timezone.now() + timedelta(minutes=5)).enqueue(order.pk)
    send_receipt.using(run_after=timezone.now() + settings.CART_REMINDER_DELAY).enqueue(order.pk)


def top_customers() -> list[dict[str, Any]]:
    rows = Order.objects.values("customer_id").annotate(n=Count("id")).order_by("-n")[:10]
    return [dict(row) for row in rows]


def notify_top_customers() -> None:
    for row in top_customers():
        notify_customer.enqueue(row["customer_id"], "Thanks for being a top customer")


def enqueue_for_each(task_ids: Iterable[int], **options: Any) -> None:
    for order_id in task_ids:
        tasks.resend_confirmations.enqueue([order_id], **options)


def ship(order: Order, tracking: str) -> None:
    now = timezone.now()
    order.status = Order.Status.SHIPPED
    order.shipped_at = now
    order.save()
    tasks.send_shipping_notice.enqueue(order.pk, tracking, carrier="ups")
    tasks.import_order.enqueue(
        {
            "order_id": order.pk,
            "reference": order.reference,
            "lines": [
                {"sku": line.product.sku, "quantity": line.quantity, "unit_price": str(line.unit_price)}
                for line in order.lines.select_related("product")
            ],
        }
    )
    notify_customer.enqueue(order.customer_id, {"shipped_at": now.isoformat(), "tracking": tracking})
    notify_customer.enqueue(order.customer_id, {"shipped_at": now, "tracking": tracking})  # expect: task-arg
