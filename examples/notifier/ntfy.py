"""A small client for ntfy-compatible servers (https://docs.ntfy.sh/publish/).

A message is a POST of its body to ``{NTFY_URL}/{topic}``; the title, priority
and tags travel as the ``Title``, ``Priority`` and ``Tags`` headers.
"""

from collections.abc import Sequence
from email.header import Header
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


def header_value(text: str) -> str:
    """HTTP headers are ASCII: ntfy decodes RFC 2047 encoded-words for the rest."""
    return text if text.isascii() else Header(text, "utf-8").encode()


def build_request(client: httpx.Client | httpx.AsyncClient, note: Notification) -> httpx.Request:
    headers = {"Title": header_value(note["title"]), "Priority": str(note["priority"])}
    if note["tags"]:
        headers["Tags"] = header_value(",".join(note["tags"]))
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
    return {
        "topic": note["topic"],
        "message_id": message_id(response),
        "status_code": response.status_code,
    }


def message_id(response: httpx.Response) -> str:
    """The id ntfy gives the message; empty from a server that answers something else."""
    try:
        answer = response.json()
    except ValueError:
        return ""
    return str(answer.get("id", "")) if isinstance(answer, dict) else ""


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
