"""Ad-hoc jobs the support team triggers from the shell and from async views."""

import asyncio
import functools
from decimal import Decimal
from typing import Any

from asgiref.sync import sync_to_async
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.http import HttpRequest, JsonResponse

from analytics.tasks import record_event
from shop.models import Customer, Order, Product
from shop.tasks import notify_customer, recalculate_totals, send_receipt, sync_inventory


def weekly_summary(customer: Customer) -> None:
    orders = Order.objects.filter(customer=customer)
    rows = list(orders.values("id", "reference"))
    notify_customer.enqueue(customer.pk, rows)
    priced = list(orders.values("id", "total"))
    notify_customer.enqueue(customer.pk, priced)  # expect: task-arg
    stats = orders.aggregate(n=Count("id"), spent=Sum("total"))
    notify_customer.enqueue(customer.pk, {"orders": stats["n"]})
    notify_customer.enqueue(customer.pk, customer.user.email)
    notify_customer.enqueue(customer.pk, customer.user.date_joined)  # expect: task-arg
    notify_customer.enqueue(customer.pk, customer.created_at.date().isoformat())
    notify_customer.enqueue(customer.pk, Q(customer=customer))  # expect: task-arg
    notify_customer.enqueue(customer.pk, F("total"))  # expect: task-arg


def low_stock() -> None:
    products = Product.objects.filter(stock__lt=5, active=True)
    sync_inventory.enqueue([p.id for p in products])
    sync_inventory.enqueue(list(products.values_list("pk", flat=True)))
    for product in products:
        record_event.enqueue("low-stock", {"sku": product.sku, "stock": product.stock})
        record_event.enqueue("low-stock", {"sku": product.sku, "price": product.price})  # expect: task-arg
        record_event.enqueue("low-stock", {"sku": product.sku, "price": str(product.price)})


def shipped_late(order: Order) -> None:
    shipped = order.shipped_at
    if shipped is not None:
        notify_customer.enqueue(order.customer_id, shipped.isoformat())
    notify_customer.enqueue(order.customer_id, order.shipped_at)  # expect: task-arg
    notify_customer.enqueue(order.customer_id, order.total if order.is_paid else None)  # expect: task-arg
    transaction.on_commit(functools.partial(notify_customer.enqueue, order.customer_id, "late"))
    transaction.on_commit(functools.partial(notify_customer.enqueue, order.customer, "late"))  # known-miss: task-arg


async def resend_receipts_api(request: HttpRequest) -> JsonResponse:
    ids: list[int] = [int(i) for i in request.GET.getlist("id")]
    results = await asyncio.gather(*(send_receipt.aenqueue(pk) for pk in ids))
    await sync_to_async(recalculate_totals.enqueue)(ids)
    order = await Order.objects.select_related("customer").aget(pk=ids[0])
    await sync_to_async(notify_customer.enqueue)(order.customer, "hi")  # known-miss: task-arg
    await notify_customer.aenqueue(order.customer_id, [r.id for r in results])
    return JsonResponse({"queued": [r.id for r in results]})


def payload_for(order: Order) -> dict[str, Any]:
    return {"id": order.pk, "total": order.total}


def push_payload(order: Order) -> None:
    notify_customer.enqueue(order.customer_id, payload_for(order))  # known-miss: task-arg


def line_items(order: Order) -> None:
    lines = order.lines.select_related("product")
    record_event.enqueue(
        "order-lines", {"lines": [{"sku": line.product.sku, "qty": line.quantity} for line in lines]}
    )
    notify_customer.enqueue(
        order.customer_id,
        [{"sku": line.product.sku, "price": str(line.unit_price)} for line in lines],
    )
    notify_customer.enqueue(
        order.customer_id,
        [{"sku": line.product.sku, "price": line.unit_price} for line in lines],  # expect: task-arg
    )
    notify_customer.enqueue(
        order.customer_id,
        {line.product.sku: line.unit_price for line in lines},  # expect: task-arg
    )


def shipped_dates(orders: list[Order]) -> None:
    notify_customer.enqueue(
        orders[0].customer_id,
        [{"ref": o.reference, "at": o.shipped_at.isoformat()} for o in orders if o.shipped_at],
    )
    totals: list[str | Decimal] = [o.reference for o in orders] + [o.total for o in orders]
    notify_customer.enqueue(orders[0].customer_id, [{"ref": t} for t in totals if isinstance(t, str)])
    notify_customer.enqueue(orders[0].customer_id, [{"ref": t} for t in totals])  # expect: task-arg


def order_event(order: Order) -> None:
    lines = list(order.lines.select_related("product"))
    record_event.enqueue(
        "order",
        {"id": order.pk, "lines": [{"sku": li.product.sku, "qty": li.quantity} for li in lines]},
    )
    record_event.enqueue(
        "order",
        {"id": order.pk, "lines": [{"sku": li.product.sku, "price": li.unit_price} for li in lines]},  # expect: task-arg
    )
    record_event.enqueue("order", {"id": order.pk, "paid": order.is_paid, "note": None})
    record_event.enqueue("order", {"id": order.pk, "placed": order.placed_at.timestamp()})


def paid_event(order: Order) -> None:
    notify_customer.enqueue(
        order.customer_id,
        {"ref": order.reference, "total": str(order.total)} if order.is_paid else None,
    )
    notify_customer.enqueue(
        order.customer_id,
        {"ref": order.reference, "total": order.total} if order.is_paid else None,  # expect: task-arg
    )
