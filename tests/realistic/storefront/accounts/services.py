from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, Q
from django.utils import timezone
from django_stubs_ext import WithAnnotations

from accounts.tasks import deactivate_users, flag_for_review
from notifications.tasks import broadcast

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def stale_users_cutoff() -> str:
    return (timezone.now() - timedelta(days=365)).isoformat()


def deactivate_stale(users: list[WithAnnotations[User]]) -> None:
    deactivate_users.enqueue([u.pk for u in users], reason="stale")
    flag_for_review.enqueue(users, "stale")  # expect: task-arg


def announce_to_active() -> None:
    from django.contrib.auth.models import User

    active = User.objects.annotate(n_orders=Count("customer__orders")).filter(Q(is_active=True))
    broadcast.enqueue("email", [u.pk for u in active], "New arrivals")
    broadcast.enqueue("email", list(active.values_list("pk", flat=True)), "New arrivals")
