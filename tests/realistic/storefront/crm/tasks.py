from __future__ import annotations

import enum
from datetime import datetime
from typing import Any, Final, Literal

from typing_extensions import NotRequired, TypedDict

import django.tasks
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.tasks import TaskContext
from django.tasks import task as background

import typed_tasks
from shop.types import HasPk

CRM_QUEUE: Final = "crm"
NIGHTLY: Final = "nightly"

type SegmentRules = dict[str, list[str]]
type Tags = tuple[str, ...]


class Channel(str, enum.Enum):
    EMAIL = "email"
    SMS = "sms"


class Segment(enum.IntEnum):
    NEW = 1
    LOYAL = 2


class ContactPayload(TypedDict):
    contact_id: int
    email: str
    source: NotRequired[str]


class ActivityPayload(TypedDict):
    contact_id: int
    happened_at: datetime


@background
def sync_contact(contact_id: int) -> None:
    print(contact_id)


@background()
def upsert_contact(payload: ContactPayload) -> ContactPayload:
    return payload


@django.tasks.task(queue_name=CRM_QUEUE)  # expect: task-backend
def sync_segment(segment_id: int) -> None:
    print(segment_id)


@django.tasks.task(backend="legacy", queue_name=NIGHTLY)
def nightly_export(day: str) -> None:
    print(day)


@background(backend="legacy")
async def legacy_ping() -> None:  # expect: task-backend
    print("ping")


@background(backend="legacy", priority=5)  # expect: task-backend
def legacy_cleanup() -> None:
    print("cleanup")


@background(run_after=None)  # expect: task-option
def scheduled_cleanup() -> None:
    print("cleanup")


@typed_tasks.task(takes_context=True, queue_name="default")
def merge_contacts(context: TaskContext, keep_id: int, drop_ids: list[int]) -> int:
    if context.attempt > 1:
        print("retrying", context.task_result.id)
    return keep_id


@typed_tasks.task()
def log_activity(activity: dict[str, Any]) -> None:
    print(activity)


@background()
def preferred_channel(contact_id: int, channel: Channel) -> None:  # expect: task-param
    print(contact_id, channel)


@background()
def set_channel(contact_id: int, channel: str, segment: int) -> None:
    print(contact_id, channel, segment)


@background()
def assign_segment(contact_id: int, segment: Segment | None = None) -> None:  # expect: task-param
    print(contact_id, segment)


@background()
def apply_rules(rules: SegmentRules, mode: Literal["add", "replace"] = "add") -> int:
    return len(rules)


@background()
def tag_contact(contact_id: int, tags: Tags) -> None:  # expect: task-param
    print(contact_id, tags)


@background()
def touch(record: HasPk) -> None:
    print(record.pk)


@background()
def deactivate(user: AbstractBaseUser) -> None:  # expect: task-param
    print(user)


@background()
@transaction.atomic
def rebuild_scores(contact_ids: list[int]) -> dict[str, float]:
    return {str(cid): 0.0 for cid in contact_ids}


@background()
def last_seen(contact_id: int) -> str | None:
    return None


@background()
def contact_channels(contact_id: int) -> list[Channel]:  # expect: task-return
    return [Channel.EMAIL]


def queue_names() -> list[str]:
    return [settings.EMAIL_QUEUE, settings.REPORTS_QUEUE]


@background(takes_context=True, queue_name=NIGHTLY, backend="legacy")
def nightly_merge(context: "TaskContext", batch: list[int]) -> None:
    print(context.attempt, batch)


@background(takes_context=True)
async def enrich_contact(context: TaskContext, contact_id: int) -> dict[str, str]:
    return {"attempt": str(context.attempt), "id": str(contact_id)}


@background(priority=-100)
def lowest() -> None:
    print("lowest")


@background(priority=100, queue_name="default")
def highest() -> None:
    print("highest")
