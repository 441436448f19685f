"""A small client for ntfy-compatible servers (https://docs.ntfy.sh/publish/).

A message is a POST of its body to ``{NTFY_URL}/{topic}``; the title, priority
and tags travel as the ``Title``, ``Priority`` and ``Tags`` headers.
"""

from collections.abc import Sequence
from typing import Literal, TypedDict

import httpx
from django.conf import settings

# ntfy's priorities: 1 is "min", 3 "default", 5 "urgent".
NtfyPriority = Literal[1, 2, 3, 4, 5]


class Delivery(TypedDict):
    topic: str
    message_id: str
    status_code: int


class NotificationError(Exception):
    """The notification could not be delivered; the message says why."""


class Notification(TypedDict):
    topic: str
    message: str
    title: str
    priority: NtfyPriority
    tags: Sequence[str]


def ntfy_url() -> str:
    url: str | None = settings.NTFY_URL
    if not url:
        raise NotificationError(
            "NTFY_URL is not set: set it to an ntfy server, for example https://ntfy.sh"
        )
    return url.rstrip("/")


def build_request(client: httpx.Client | httpx.AsyncClient, note: Notification) -> httpx.Request:
    headers = {"Title": note["title"], "Priority": str(note["priority"])}
    if note["tags"]:
        headers["Tags"] = ",".join(note["tags"])
    return client.build_request(
        "POST",
        f"{ntfy_url()}/{note['topic']}",
        content=note["message"].encode(),
        headers=headers,
    )


def delivery(note: Notification, response: httpx.Response) -> Delivery:
    if response.is_error:
        raise NotificationError(
            f"ntfy at {response.request.url} answered {response.status_code}: {response.text[:200]}"
        )
    message_id = response.json().get("id", "") if response.content else ""
    return {
        "topic": note["topic"],
        "message_id": str(message_id),
        "status_code": response.status_code,
    }


def timeout() -> httpx.Timeout:
    seconds: float = settings.NTFY_TIMEOUT_SECONDS
    return httpx.Timeout(seconds)


def unreachable(request: httpx.Request, error: httpx.HTTPError) -> NotificationError:
    if isinstance(error, httpx.TimeoutException):
        seconds: float = settings.NTFY_TIMEOUT_SECONDS
        return NotificationError(f"ntfy at {request.url} did not answer within {seconds:g} s")
    return NotificationError(f"could not reach ntfy at {request.url}: {error!r}")


def publish(note: Notification) -> Delivery:
    with httpx.Client(timeout=timeout()) as client:
        request = build_request(client, note)
        try:
            response = client.send(request)
        except httpx.HTTPError as error:
            raise unreachable(request, error) from error
    return delivery(note, response)


async def apublish(note: Notification) -> Delivery:
    async with httpx.AsyncClient(timeout=timeout()) as client:
        request = build_request(client, note)
        try:
            response = await client.send(request)
        except httpx.HTTPError as error:
            raise unreachable(request, error) from error
    return delivery(note, response)
