from __future__ import annotations

import functools
from typing import Any, Callable, Protocol

from django.tasks import Task, TaskResult

from notifications.tasks import broadcast, ping_endpoint, send_sms


class Enqueuer(Protocol):
    def __call__(self, *args: Any, **kwargs: Any) -> TaskResult[..., Any]: ...


def enqueue_later(fn: Callable[..., TaskResult[..., Any]], *args: Any, **kwargs: Any) -> Callable[[], TaskResult[..., Any]]:
    return functools.partial(fn, *args, **kwargs)


def sms_all(phones: list[str], text: str, **kwargs: str) -> list[TaskResult[..., None]]:
    return [send_sms.enqueue(phone, text, **kwargs) for phone in phones]


def announce(user_ids: list[int], message: str, **extra: Any) -> None:
    broadcast.enqueue("email", user_ids, message, extra=extra)


async def check_endpoints(urls: list[str]) -> list[TaskResult[..., bool]]:
    results = []
    for url in urls:
        results.append(await ping_endpoint.aenqueue(url, timeout=2.5))
    return results


def any_task_result(t: Task[..., Any], *args: Any) -> TaskResult[..., Any]:
    return t.enqueue(*args)
