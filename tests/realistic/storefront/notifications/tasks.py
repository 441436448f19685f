from __future__ import annotations

import asyncio
import logging
from typing import Any, Literal

import httpx
from django.tasks import TaskContext, task

from shop.types import WebhookEvent

log = logging.getLogger(__name__)

Channel = Literal["email", "sms", "push"]
MAX_ATTEMPTS = 5


@task(queue_name="webhooks", takes_context=True)
def deliver_webhook(context: TaskContext, endpoint: str, event: WebhookEvent) -> int:
    response = httpx.post(f"https://hooks.example.com/{endpoint}", json=event, timeout=10)
    if response.status_code >= 500 and context.attempt < MAX_ATTEMPTS:
        deliver_webhook.enqueue(endpoint, event)
    log.info("webhook %s attempt %s -> %s", context.task_result.id, context.attempt, response.status_code)
    return response.status_code


@task(queue_name="webhooks")
async def ping_endpoint(url: str, timeout: float = 5.0) -> bool:
    async with httpx.AsyncClient() as client:
        response = await client.get(url, timeout=timeout)
    await asyncio.sleep(0)
    return response.is_success


@task()
def broadcast(channel: Channel, user_ids: list[int], message: str, extra: dict[str, Any] | None = None) -> None:
    for user_id in user_ids:
        log.info("%s -> %s: %s %s", channel, user_id, message, extra)


@task()
def send_sms(phone: str, text: str, **options: str) -> None:
    log.info("sms %s %s %s", phone, text, options)


@task()
def push_many(*device_tokens: str) -> int:
    return len(device_tokens)


@task(takes_context=True)
def retry_me(ctx: TaskContext, payload: dict[str, str]) -> None:  # expect: task-context
    log.info("attempt %s", ctx.attempt)


@task()
def audit_trail(context: TaskContext, action: str) -> None:  # expect: task-context
    log.info("%s %s", context.attempt, action)


class Notifier:
    @task()
    def notify(self, user_id: int) -> None:  # expect: task-location
        log.info("notify %s", user_id)


def make_task():
    @task()
    def inner(x: int) -> int:  # expect: task-location
        return x

    return inner


def fan_out(user_ids: list[int], tokens: tuple[str, ...]) -> None:
    broadcast.enqueue("email", user_ids, "Hello")
    broadcast.enqueue("push", user_ids, "Hi", extra={"badge": 1, "sound": "ding"})
    broadcast.enqueue("sms", user_ids, "Hi", extra={"ids": set(user_ids)})  # expect: task-arg
    send_sms.enqueue("+33100000000", "code 1234", sender="SHOP", locale="fr")
    push_many.enqueue(*tokens)
    push_many.enqueue(*[str(t) for t in user_ids])


def digest_recipients() -> dict[str, list[int]]:
    return {"email": [1, 2], "sms": [3]}


def send_digests() -> None:
    for channel, ids in digest_recipients().items():
        if channel in ("email", "sms", "push"):
            broadcast.enqueue(channel, ids, "Your weekly digest")  # expect: arg-type
    for ids in digest_recipients().values():
        broadcast.enqueue("email", ids, "Your weekly digest", extra=None)
