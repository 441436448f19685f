import logging
from datetime import datetime
from decimal import Decimal
from collections.abc import Iterable
from typing import Any, Optional

from django.core.mail import send_mail
from django.db import transaction
from django.tasks import TaskContext, task
from django.template.loader import render_to_string

from shop.models import Customer, Order, Product
from shop.types import Carrier, Dimensions, OrderPayload, Urgency

logger = logging.getLogger(__name__)


@task(queue_name="emails")
def send_order_confirmation(order_id: int) -> None:
    order = Order.objects.select_related("customer__user").get(pk=order_id)
    body = render_to_string("shop/emails/confirmation.txt", {"order": order})
    send_mail(
        f"Order {order.reference}", body, None, [order.customer.user.email], fail_silently=False
    )


@task(queue_name="emails", priority=10)
def send_receipt(order_id: int, resend: bool = False) -> str:
    order = Order.objects.get(pk=order_id)
    logger.info("receipt for %s (resend=%s)", order.reference, resend)
    return order.reference


@task(queue_name="emails")
def send_shipping_notice(order_id: int, tracking_number: str, carrier: str) -> None:
    logger.info("order %s shipped via %s: %s", order_id, carrier, tracking_number)


@task()
def recalculate_totals(order_ids: Optional[list[int]] = None) -> int:
    orders = Order.objects.all()
    if order_ids is not None:
        orders = orders.filter(pk__in=order_ids)
    updated = 0
    for order in orders:
        total = sum((line.unit_price * line.quantity for line in order.lines.all()), Decimal(0))
        if total != order.total:
            order.total = total
            order.save(update_fields=["total"])
            updated += 1
    return updated


@task(takes_context=True)
def sync_inventory(context: TaskContext, product_ids: list[int]) -> dict[str, int]:
    logger.info(
        "sync attempt %s for result %s", context.attempt, context.task_result.id
    )
    counts: dict[str, int] = {}
    for product in Product.objects.filter(pk__in=product_ids):
        counts[product.sku] = product.stock
    if not counts and context.attempt < 3:
        sync_inventory.enqueue(product_ids)
    return counts


@task()
def import_order(payload: OrderPayload) -> int:
    with transaction.atomic():
        order = Order.objects.create(
            customer_id=1, reference=payload["reference"], total=Decimal("0.00")
        )
    return order.pk


@task()
def apply_discount(order_id: int, amount: Decimal) -> None:  # expect: task-param
    Order.objects.filter(pk=order_id).update(total=amount)


@task()
def schedule_delivery(order_id: int, deliver_on: datetime) -> None:  # expect: task-param
    logger.info("deliver %s on %s", order_id, deliver_on)


@task()
def update_order_status(order_id: int, status: Order.Status) -> None:  # expect: task-param
    Order.objects.filter(pk=order_id).update(status=status)


@task()
def set_order_status(order_id: int, status: str) -> None:
    Order.objects.filter(pk=order_id).update(status=status)


@task()
def book_pickup(order_id: int, carrier: Carrier, size: Dimensions) -> None:  # expect: task-param
    logger.info("pickup %s %s %s", order_id, carrier, size)


@task()
def restock(skus: list[str], urgency: int = Urgency.LOW) -> None:
    Product.objects.filter(sku__in=skus).update(stock=100)


@task()
def order_total(order_id: int) -> Decimal:  # expect: task-return
    return Order.objects.get(pk=order_id).total


@task()
def order_snapshot(order_id: int) -> dict[str, Any]:
    order = Order.objects.get(pk=order_id)
    return {"reference": order.reference, "total": str(order.total), "lines": order.lines.count()}


@task()
def archive_customers(customers: list[Customer]) -> None:  # expect: task-param
    for customer in customers:
        customer.delete()


@task()
def recent_order_ids(customer_id: int) -> tuple[int, ...]:  # expect: task-return
    return tuple(Order.objects.filter(customer_id=customer_id).values_list("pk", flat=True))


@task()
def tag_orders(order_ids: list[int], tags: set[str]) -> None:  # expect: task-param
    logger.info("tagging %s with %s", order_ids, tags)


@task()
def resend_confirmations(order_ids: list[int], *, reason: str = "manual") -> int:
    for order_id in order_ids:
        send_order_confirmation.enqueue(order_id)
    logger.info("resent %d (%s)", len(order_ids), reason)
    return len(order_ids)


@task()
def reindex_orders(order_ids: Iterable[int]) -> None:
    for order_id in order_ids:
        logger.debug("reindex %s", order_id)


@task()
def notify_customer(customer_id, message):
    customer = Customer.objects.get(pk=customer_id)
    logger.info("notify %s: %s", customer, message)
