"""How to test tasks: ImmediateBackend runs them in the test, strict validation stays on.

With ``TYPED_TASKS = {"STRICT_VALIDATION": True}``, an argument the real
worker could not receive as declared fails here too, although
ImmediateBackend never stores anything. Run: ``python examples/manage.py test
examples.notifier``.
"""

from typing import Any

from django.test import SimpleTestCase, override_settings

from examples.loopback_ntfy import LoopbackNtfy
from examples.notifier.tasks import send_attempt_report, send_digest, send_notification
from typed_tasks import TaskArgumentError

IMMEDIATE = {
    "default": {
        "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "digests"],
    }
}


@override_settings(TASKS=IMMEDIATE)
class NotifierTasksTests(SimpleTestCase):
    def setUp(self) -> None:
        self.ntfy = self.enterContext(LoopbackNtfy())
        self.enterContext(override_settings(NTFY_URL=self.ntfy.url))

    def test_a_notification_is_published_with_its_headers(self) -> None:
        result = send_notification.enqueue(
            "backups", "done", title="Backup done", priority=4, tags=["floppy_disk"]
        )

        [message] = self.ntfy.messages
        self.assertEqual((message.topic, message.body), ("backups", "done"))
        self.assertEqual(message.headers["Title"], "Backup done")
        self.assertEqual(message.headers["Priority"], "4")
        self.assertEqual(message.headers["Tags"], "floppy_disk")
        self.assertEqual(result.return_value["message_id"], message.message_id)

    def test_the_attempt_report_is_titled_with_the_attempt(self) -> None:
        result = send_attempt_report.enqueue("backups", "hello")

        self.assertEqual(result.return_value, 1)
        self.assertEqual(self.ntfy.messages[0].headers["Title"], "attempt 1")

    def test_the_digest_joins_its_lines(self) -> None:
        result = send_digest.enqueue("backups", ["db: ok", "media: ok"], title="Digest")

        self.assertEqual(self.ntfy.messages[0].body, "db: ok\nmedia: ok")
        self.assertEqual(result.return_value["status_code"], 200)

    def test_a_priority_from_a_form_is_refused_before_the_task_runs(self) -> None:
        # Form data is ``Any`` to mypy, and "4" is not 4: ntfy would get it by
        # accident here, but strict validation says what is wrong at once.
        form_data: dict[str, Any] = {"title": "Backup done", "priority": "4"}

        with self.assertRaisesMessage(TaskArgumentError, 'argument "priority" is the str'):
            send_notification.enqueue("backups", "done", **form_data)
        self.assertEqual(self.ntfy.messages, [])
