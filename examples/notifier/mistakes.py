"""Mistakes people make with Django tasks, one per typed_tasks error family.

NEVER IMPORTED: several of these raise the moment Python runs the decorator,
which is exactly the point. mypy reads this file (``make demo`` shows what it
reports); Django never does. Each mistake says what Django would have done
without the plugin. A ``# expected: CODE`` comment marks each line mypy reports.
"""

from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.tasks import TaskContext

from examples.notifier.tasks import send_notification
from typed_tasks import task

# --- task-param: a parameter the worker cannot receive as declared -----------


# Django: enqueue raises "TypeError: Unsupported type: <class 'datetime.datetime'>"
# from normalize_json, at every call site. Pass when.isoformat() and parse it back.
@task
def remind_at(topic: str, when: datetime) -> None:  # expected: task-param
    send_notification.enqueue(topic, f"reminder for {when:%H:%M}", title="Reminder")


# Django: nothing at enqueue. The worker receives [48.85, 2.35], a list: the
# tuple is gone, and using it as a dict key fails with "unhashable type: 'list'".
@task
def send_location(topic: str, where: tuple[float, float]) -> None:  # expected: task-param
    send_notification.enqueue(topic, f"at {where[0]}, {where[1]}", title="Location")


# --- task-return: a return value the result store cannot keep ---------------


# Django: the task runs, then storing the result raises "TypeError: Unsupported
# type: <class 'set'>", and the result is FAILED although the work was done.
@task
def list_topics(prefix: str) -> set[str]:  # expected: task-return
    return {f"{prefix}-alerts", f"{prefix}-digests"}


# --- task-arg: an argument that does not arrive as the parameter declares -----


@task
def send_welcome(user: Any) -> None:  # an old signature, from before anyone typed it
    send_notification.enqueue("signups", f"welcome {user}", title="New user")


def signup(request: HttpRequest) -> HttpResponse:
    # Django: enqueue raises "TypeError: Unsupported type: <class 'User'>". Pass
    # request.user.pk and load the user inside the task.
    send_welcome.enqueue(request.user)  # expected: task-arg
    return HttpResponse("welcome!")


# --- task-context: takes_context and the first parameter disagree -----------


# Django: InvalidTask at import: "Task takes context but does not have a first
# argument of 'context'."
@task(takes_context=True)
def report_attempt(topic: str, attempt: int) -> None:  # expected: task-context
    send_notification.enqueue(topic, f"attempt {attempt}", title="Attempt")


# Django: accepted at import, but the worker calls it without a context:
# "TypeError: missing 1 required positional argument". Add takes_context=True.
@task
def report_again(context: TaskContext[..., None], topic: str) -> None:  # expected: task-context
    send_notification.enqueue(topic, f"attempt {context.attempt}", title="Attempt")


# --- task-location: a task the worker cannot import by its module path ------


class Alerts:
    # Django: accepted at import; the worker then imports the task by its path,
    # "examples.notifier.mistakes.Alerts.send", and fails: "No module named
    # 'examples.notifier.mistakes.Alerts'". Make it a module-level function.
    @task
    def send(self, topic: str) -> None:  # expected: task-location
        send_notification.enqueue(topic, "alert", title="Alert")


def alert_task_for(topic: str) -> None:
    # Django: InvalidTask "Task function must be defined at a module level." as
    # soon as this function runs.
    @task
    def alert(message: str) -> None:  # expected: task-location
        send_notification.enqueue(topic, message, title="Alert")

    alert.enqueue("disk full")


# --- task-option: an option outside what Django accepts ---------------------


# Django: InvalidTask at import: "priority must be a whole number between -100
# and 100."
@task(priority=500)  # expected: task-option
def page_on_call(message: str) -> None:
    send_notification.enqueue("on-call", message, title="Page", priority=5)


# --- task-backend: an alias or queue the settings do not define -------------


# Django: InvalidTask at import: "Queue 'emails' is not valid for backend." The
# settings' QUEUES are "default" and "digests".
@task(queue_name="emails")  # expected: task-backend
def email_digest(lines: list[str]) -> None:
    send_notification.enqueue("digest", "\n".join(lines), title="Digest")


# Django: InvalidTaskBackend at import: "The connection 'priority' doesn't
# exist." The settings' TASKS define only "default".
@task(backend="priority")  # expected: task-backend
def urgent(message: str) -> None:
    send_notification.enqueue("urgent", message, title="Urgent", priority=5)
