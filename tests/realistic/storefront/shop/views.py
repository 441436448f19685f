from __future__ import annotations

import json
from typing import Any
from uuid import uuid4

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from analytics.tasks import record_event
from notifications.tasks import deliver_webhook
from shop import services
from shop.models import Order
from shop.tasks import (
    notify_customer,
    send_receipt,
    set_order_status,
    update_order_status,
)
from shop.types import WebhookEvent


@login_required
def checkout(request: HttpRequest, order_id: int) -> HttpResponse:
    order = get_object_or_404(Order, pk=order_id, customer__user=request.user)
    services.mark_paid(order)
    record_event.enqueue("checkout", {"order": order.pk, "total": str(order.total)})
    record_event.enqueue("checkout", {"order": order.pk, "total": order.total})  # expect: task-arg
    return redirect("order-detail", pk=order.pk)


class CancelOrderView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        order = get_object_or_404(Order, pk=pk)
        reason = request.POST.get("reason", "")
        set_order_status.enqueue(order.pk, Order.Status.CANCELLED)
        update_order_status.enqueue(order.pk, Order.Status.CANCELLED)
        notify_customer.enqueue(order.customer_id, reason)
        return redirect("order-detail", pk=order.pk)


@login_required
def export_orders(request: HttpRequest) -> HttpResponse:
    from analytics.tasks import export_orders_csv

    user_id = request.user.pk
    if user_id is None:
        raise PermissionDenied
    request_id = uuid4()
    export_orders_csv.enqueue(user_id, request_id.hex)
    export_orders_csv.enqueue(user_id, request_id)  # expect: arg-type
    export_orders_csv.enqueue(user_id, str(uuid4()))
    notify_customer.enqueue(user_id, f"Export {request_id} started")
    notify_customer.enqueue(user_id, request_id)  # expect: task-arg
    return HttpResponse(status=202)


@csrf_exempt
@require_POST
def payment_webhook(request: HttpRequest) -> HttpResponse:
    payload: dict[str, Any] = json.loads(request.body)
    event: WebhookEvent = {"type": payload["type"], "data": payload.get("data", {})}
    deliver_webhook.enqueue("payments", event)
    deliver_webhook.enqueue("payments", json.loads(request.body))
    if payload["type"] == "charge.succeeded":
        order_id = int(payload["data"]["order_id"])
        send_receipt.enqueue(order_id)
    return JsonResponse({"ok": True})


async def order_status_api(request: HttpRequest, pk: int) -> JsonResponse:
    order = await Order.objects.aget(pk=pk)
    await send_receipt.aenqueue(order.pk, resend=True)
    await record_event.aenqueue("status-api", {"order": order.pk, "at": order.placed_at.isoformat()})
    await record_event.aenqueue("status-api", {"order": order.pk, "at": order.placed_at})  # expect: task-arg
    return JsonResponse({"status": order.status})
