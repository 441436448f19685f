"""The notifier's background tasks.

Every argument is a JSON value the worker receives exactly as declared, so
the mypy plugin and strict validation at enqueue have nothing to say.
"""

from collections.abc import Sequence

from django.tasks import TaskContext

from examples.notifier.ntfy import Delivery, NtfyPriority, apublish, publish
from typed_tasks import task


@task
def send_notification(
    topic: str,
    message: str,
    *,
    title: str,
    priority: NtfyPriority = 3,
    tags: Sequence[str] = (),
) -> Delivery:
    """Publish one message to an ntfy topic."""
    return publish(
        {"topic": topic, "message": message, "title": title, "priority": priority, "tags": tags}
    )


@task(takes_context=True)
def send_attempt_report(context: TaskContext[..., int], topic: str, message: str) -> int:
    """Publish a message titled with the worker's attempt number; return that number."""
    attempt = context.attempt
    publish(
        {
            "topic": topic,
            "message": message,
            "title": f"attempt {attempt}",
            "priority": 3,
            "tags": ["repeat"],
        }
    )
    return attempt


@task(queue_name="digests", priority=-10)
async def send_digest(topic: str, lines: list[str], title: str) -> Delivery:
    """Publish several lines as one low-urgency message (runs as a coroutine in the worker)."""
    return await apublish(
        {"topic": topic, "message": "\n".join(lines), "title": title, "priority": 2, "tags": []}
    )
