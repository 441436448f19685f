"""Helpers the team wrote around tasks: retries, routing tables, generic fan-out."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from typing import Any, ParamSpec, TypeVar

from django.tasks import Task, TaskResult, task

from crm.tasks import ContactPayload, sync_contact, upsert_contact
from shop.models import Customer, Order
from shop.tasks import notify_customer, send_order_confirmation, send_receipt

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")

type Json = dict[str, Json] | list[Json] | str | int | float | bool | None

urgent_receipt = send_receipt.using(queue_name="emails", priority=90)

ORDER_HANDLERS: dict[str, Task[[int], None]] = {
    "confirmation": send_order_confirmation,
    "sync": sync_contact,
}


def enqueue_logged(t: Task[P, R], *args: P.args, **kwargs: P.kwargs) -> TaskResult[P, R]:
    result = t.enqueue(*args, **kwargs)
    print("queued", t.name, result.id)
    return result


def for_each(t: Task[[T], Any], items: Iterable[T]) -> None:
    for item in items:
        t.enqueue(item)


def jittered(factory: Callable[[], int]) -> int:
    return factory() + random.randint(0, 5)


@task()
def store_document(doc: Json, path: list[str] | None = None) -> Json:
    return doc


@task()
def audit(event: str, **fields: Any) -> None:
    print(event, fields)


@task()
def record_payload(payload: dict[str, object]) -> None:
    print(payload)


def route(kind: str, order: Order) -> None:
    ORDER_HANDLERS[kind].enqueue(order.pk)
    urgent_receipt.enqueue(order.pk)
    urgent_receipt.enqueue(order.pk, resend=True)
    later = send_receipt.using(priority=-10)
    later.enqueue(order.pk)
    handler = send_order_confirmation if order.is_paid else sync_contact
    handler.enqueue(order.pk)


def fan_out(orders: list[Order], customers: list[Customer]) -> None:
    enqueue_logged(send_receipt, orders[0].pk, resend=True)
    enqueue_logged(sync_contact, customers[0].pk)
    enqueue_logged(notify_customer, customers[0], "hello")  # known-miss: task-arg
    for_each(sync_contact, [c.pk for c in customers])
    for_each(send_order_confirmation, (o.pk for o in orders))
    audit.enqueue("fan-out", count=len(orders), first=orders[0].reference)
    audit.enqueue("fan-out", order=orders[0])  # expect: task-arg
    audit.enqueue("fan-out", **{"ids": [o.pk for o in orders]})


def documents(payload: ContactPayload, extra: dict[str, Json]) -> None:
    store_document.enqueue({"contact": payload["email"], "tags": ["a", "b"], "score": 1.5})
    store_document.enqueue(extra)
    store_document.enqueue([1, "two", None, {"three": 3.0}])
    upsert_contact.enqueue(payload)
    record_payload.enqueue({"contact_id": payload["contact_id"], "email": payload["email"]})
    record_payload.enqueue({"ids": (1, 2)})
    record_payload.enqueue({"customer": Customer.objects.first()})  # expect: task-arg


ANY_HANDLERS: dict[str, Task[..., Any]] = {"receipt": send_receipt, "contact": sync_contact}


class OrderNotifier:
    confirmation_task = send_order_confirmation

    def __init__(self, order: Order) -> None:
        self.order = order

    def notify(self) -> None:
        self.confirmation_task.enqueue(self.order.pk)
        ANY_HANDLERS["receipt"].enqueue(self.order.pk)
        ANY_HANDLERS["receipt"].enqueue(self.order)  # expect: task-arg
        ANY_HANDLERS["contact"].enqueue(contact_id=self.order.customer)  # expect: task-arg
