"""Reporting jobs. Run on the "reports" queue so they never delay customer emails."""

import csv
import io
from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Sum
from django.tasks import task
from django.utils import timezone

from shop.models import Order

REPORTS = "reports"


@task(queue_name=REPORTS)
def record_event(name: str, properties: dict[str, Any]) -> None:
    print(name, properties)


@task(queue_name=REPORTS)
def export_orders_csv(user_id: int, request_id: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for order in Order.objects.filter(customer__user_id=user_id).order_by("placed_at"):
        writer.writerow([order.reference, order.status, str(order.total), order.placed_at.isoformat()])
    return buffer.getvalue()


@task(queue_name="reports")
def daily_revenue(day: str) -> dict[str, str]:
    start = date.fromisoformat(day)
    totals = (
        Order.objects.filter(placed_at__date=start, status=Order.Status.PAID)
        .values("customer_id")
        .annotate(revenue=Sum("total"))
    )
    return {str(row["customer_id"]): str(row["revenue"]) for row in totals}


@task(queue_name="reports")
def revenue_by_day(days: list[str]) -> dict[str, float]:
    result: dict[str, float] = {}
    for day in days:
        total = Order.objects.filter(placed_at__date=day).aggregate(s=Sum("total"))["s"]
        result[day] = float(total or 0)
    return result


@task(queue_name="reports")
def status_histogram() -> dict[str, int]:
    return dict(Counter(Order.objects.values_list("status", flat=True)))


@task(queue_name="reports")
def orders_per_customer() -> dict[int, int]:  # expect: task-return
    counts: dict[int, int] = defaultdict(int)
    for customer_id in Order.objects.values_list("customer_id", flat=True):
        counts[customer_id] += 1
    return counts


@task(queue_name="report")  # expect: task-backend
def weekly_digest(week_start: str) -> None:
    print(week_start)


@task(queue_name=REPORTS, priority=150)  # expect: task-option
def rebuild_search_index() -> None:
    print("rebuilding")


@task(backend="inline", queue_name=REPORTS)  # known-miss: task-backend
def warm_cache() -> None:
    print("warming")


def schedule_reports() -> None:
    today = timezone.localdate()
    for offset in range(7):
        daily_revenue.enqueue((today - timedelta(days=offset)).isoformat())
    daily_revenue.enqueue(today)  # expect: arg-type
    revenue_by_day.using(queue_name=settings.REPORTS_QUEUE).enqueue(
        [(today - timedelta(days=n)).isoformat() for n in range(30)]
    )
    revenue_by_day.using(priority=-200).enqueue([])  # expect: task-option
    weekly_digest.using(queue_name="digest").enqueue(today.isoformat())  # expect: task-backend
    status_histogram.using(backend="inline").enqueue()  # expect: task-backend
    status_histogram.using(backend="inline", run_after=timezone.now()).enqueue()  # expect: task-backend
