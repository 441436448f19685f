from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from crm import tasks
from shop.models import Order
from crm.tasks import (
    ActivityPayload,
    Channel,
    ContactPayload,
    Segment,
    log_activity,
    merge_contacts,
    nightly_export,
    set_channel,
    sync_contact,
    upsert_contact,
)


def on_signup(contact_id: int, email: str, source: str | None = None) -> None:
    payload: ContactPayload = {"contact_id": contact_id, "email": email}
    if source:
        payload["source"] = source
    transaction.on_commit(lambda: upsert_contact.enqueue(payload))
    transaction.on_commit(lambda: sync_contact.enqueue(contact_id))


def record(contact_id: int) -> None:
    activity: ActivityPayload = {"contact_id": contact_id, "happened_at": timezone.now()}
    log_activity.enqueue(dict(activity))  # known-miss: task-arg
    log_activity.enqueue(activity)  # expect: arg-type
    log_activity.enqueue({"contact_id": contact_id, "happened_at": timezone.now().isoformat()})


def switch(contact_id: int, channel: Channel) -> None:
    set_channel.enqueue(contact_id, channel, Segment.LOYAL)
    set_channel.enqueue(contact_id, Channel.SMS, segment=int(Segment.NEW))
    tasks.preferred_channel.enqueue(contact_id, channel)


def merge(keep: int, drops: list[int], **options: Any) -> None:
    merge_contacts.enqueue(keep, drops)
    merge_contacts.using(priority=-5).enqueue(keep, drop_ids=drops)
    merge_contacts.enqueue(keep, **options)
    tasks.apply_rules.enqueue({"vip": ["gold", "platinum"]}, mode="replace")


def nightly() -> None:
    today = timezone.localdate().isoformat()
    nightly_export.enqueue(today)
    nightly_export.using(run_after=timezone.now() + timedelta(hours=8)).enqueue(today)  # expect: task-backend
    nightly_export.using(priority=10).enqueue(today)  # expect: task-backend
    nightly_export.using(priority=settings.HIGH_PRIORITY).enqueue(today)  # known-miss: task-backend
    tasks.sync_contact.using(queue_name=settings.BULK_QUEUE).enqueue(1)  # known-miss: task-backend
    tasks.sync_contact.using(backend="legacy").enqueue(2)
    tasks.sync_contact.using(backend="celery").enqueue(3)  # expect: task-backend
    tasks.rebuild_scores.enqueue([1, 2, 3])
    tasks.touch.enqueue(Order.objects.get(pk=1))  # expect: task-arg


async def enrich(contact_ids: list[int]) -> None:
    for contact_id in contact_ids:
        await tasks.enrich_contact.aenqueue(contact_id)
    await tasks.enrich_contact.using(priority=20).aenqueue(contact_ids[0])


def legacy_routes() -> None:
    tasks.nightly_merge.enqueue([1, 2])
    tasks.nightly_merge.using(priority=0).enqueue([3])
    tasks.nightly_export.using(run_after=None).enqueue("2026-01-01")
    tasks.sync_contact.using(backend="legacy", queue_name="nightly").enqueue(4)
    tasks.sync_contact.using(backend="inline", run_after=None).enqueue(5)
    tasks.lowest.using(priority=-101).enqueue()  # expect: task-option
    tasks.highest.using(backend="legacy").enqueue()  # expect: task-backend
