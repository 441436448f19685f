"""Reminder tasks, as first written: each imports fine and fails later."""

from datetime import datetime

from django.tasks import TaskContext, task

from examples.notifier.tasks import send_notification


# Enqueue raises "TypeError: Unsupported type: <class 'datetime.datetime'>".
@task
def remind_at(topic: str, when: datetime) -> None:  # expected: task-param
    send_notification.enqueue(topic, f"it is {when:%H:%M}", title="Reminder")


# The worker receives a list: "where" is never a tuple.
@task
def remind_near(topic: str, where: tuple[float, float]) -> None:  # expected: task-param
    send_notification.enqueue(topic, f"you are near {where}", title="Reminder")


# The work is done, then storing the set fails and the result says FAILED.
@task
def pending_topics(prefix: str) -> set[str]:  # expected: task-return
    return {f"{prefix}-today", f"{prefix}-tomorrow"}


# The worker calls it without a context: "missing 1 required positional argument".
@task
def remind_again(context: TaskContext[..., None], topic: str) -> None:  # expected: task-context
    send_notification.enqueue(topic, f"attempt {context.attempt}", title="Reminder")


class Digest:
    # The worker imports "examples.reminders.tasks.Digest.send" as a module path and fails.
    @task
    def send(self, topic: str) -> None:  # expected: task-location
        send_notification.enqueue(topic, "your digest", title="Digest")
