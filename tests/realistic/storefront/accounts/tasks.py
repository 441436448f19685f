from typing import TypedDict

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.tasks import task

from typed_tasks import task as typed_task


class ProfileChanges(TypedDict, total=False):
    first_name: str
    last_name: str
    email: str


@typed_task(queue_name="emails")
def send_welcome_email(user_id: int, first_login: bool = True) -> None:
    user = get_user_model().objects.get(pk=user_id)
    send_mail("Welcome!", "Thanks for joining.", None, [user.email])


@typed_task(queue_name="emails")
def send_password_changed(user_id: int, ip_address: str | None) -> None:
    print(user_id, ip_address)


@task()
def apply_profile_changes(user_id: int, changes: ProfileChanges) -> list[str]:
    User = get_user_model()
    User.objects.filter(pk=user_id).update(**changes)
    return sorted(changes)


@task()
def deactivate_users(user_ids: list[int], reason: str) -> int:
    return get_user_model().objects.filter(pk__in=user_ids).update(is_active=False)


@task()
def merge_accounts(keep: int, drop: int, field_map: dict[int, str]) -> None:  # expect: task-param
    print(keep, drop, field_map)


@typed_task()
def rename_user(user_id: int, names: tuple[str, str]) -> None:  # expect: task-param
    print(user_id, names)


@task()
def audit_login(user_id, ip_address=None):
    print(user_id, ip_address)


@task()
def flag_for_review(users, reason):
    print(users, reason)
