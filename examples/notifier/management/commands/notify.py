"""``manage.py notify TOPIC MESSAGE``: enqueue a notification and print the result id."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.tasks import TaskResult

from examples.notifier.ntfy import NtfyPriority
from examples.notifier.tasks import send_attempt_report, send_digest, send_notification


class Command(BaseCommand):
    help = "Enqueue a notification task; a db_worker sends it to NTFY_URL."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("topic")
        parser.add_argument("message", nargs="+", help="the message; one line each for --digest")
        parser.add_argument("--title", default="")
        parser.add_argument("--priority", type=int, choices=range(1, 6), default=3)
        parser.add_argument("--tag", action="append", default=[], dest="tags")
        kind = parser.add_mutually_exclusive_group()
        kind.add_argument(
            "--report-attempt",
            action="store_true",
            help="send it with send_attempt_report, titled with the attempt number",
        )
        kind.add_argument(
            "--digest", action="store_true", help="send the lines as one digest (async task)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        topic: str = options["topic"]
        lines: list[str] = options["message"]
        result: TaskResult[Any, Any]
        if options["report_attempt"]:
            result = send_attempt_report.enqueue(topic, "\n".join(lines))
        elif options["digest"]:
            result = send_digest.enqueue(topic, lines, options["title"] or "digest")
        else:
            if not options["title"]:
                raise CommandError("--title is required for a notification")
            # argparse's choices keep it in 1..5; strict validation checks it again.
            priority: NtfyPriority = options["priority"]
            result = send_notification.enqueue(
                topic,
                "\n".join(lines),
                title=options["title"],
                priority=priority,
                tags=options["tags"],
            )
        self.stdout.write(result.id)
