"""An ntfy stand-in on a loopback port: it records every message POSTed to it.

``ntfy.sh`` answers a publish with the stored message as JSON; this does the
same, with an id of its own, so a client cannot tell the difference.
"""

import json
import os
import secrets
import threading
from dataclasses import dataclass
from email.header import decode_header, make_header
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

from typing_extensions import Self


@dataclass(frozen=True)
class ReceivedMessage:
    topic: str
    body: str
    headers: dict[str, str]
    message_id: str


def decoded(header: str) -> str:
    """A header as ntfy reads it: RFC 2047 encoded-words decoded."""
    return str(make_header(decode_header(header)))


class LoopbackNtfy:
    """Run with ``with LoopbackNtfy() as ntfy:``; point ``NTFY_URL`` at ``ntfy.url``.

    ``rendezvous=n`` makes the first ``n`` requests wait for each other (up to
    ``rendezvous_timeout`` seconds) before any is answered: it proves that
    ``n`` workers were sending at the same time.
    """

    def __init__(self, *, rendezvous: int = 0, rendezvous_timeout: float = 10.0) -> None:
        self.messages: list[ReceivedMessage] = []
        self._arrived = threading.Condition()
        self.rendezvous_met = rendezvous == 0
        self._rendezvous_seats = rendezvous
        self._barrier = threading.Barrier(max(rendezvous, 1), timeout=rendezvous_timeout)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def environment(self) -> dict[str, str]:
        """What a worker needs to send here: ``NTFY_URL``, and no HTTP proxy for loopback."""
        no_proxy = ",".join(filter(None, [os.environ.get("NO_PROXY"), "127.0.0.1"]))
        return {"NTFY_URL": self.url, "NO_PROXY": no_proxy}

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def wait_for(self, count: int, timeout: float) -> list[ReceivedMessage]:
        """Wait until ``count`` messages arrived (or ``timeout`` passed); return all so far."""
        with self._arrived:
            self._arrived.wait_for(lambda: len(self.messages) >= count, timeout)
            return list(self.messages)

    def _record(self, topic: str, body: str, headers: dict[str, str]) -> ReceivedMessage:
        with self._arrived:
            seated = self._rendezvous_seats > 0
            if seated:
                self._rendezvous_seats -= 1
        if seated:
            try:
                self._barrier.wait()
                self.rendezvous_met = True
            except threading.BrokenBarrierError:
                pass  # the others never came: answer anyway; rendezvous_met stays False
        message = ReceivedMessage(topic, body, headers, secrets.token_hex(6))
        with self._arrived:
            self.messages.append(message)
            self._arrived.notify_all()
        return message

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length).decode()
                topic = self.path.strip("/")
                headers = {name: decoded(value) for name, value in self.headers.items()}
                message = stub._record(topic, body, headers)
                answer = {"id": message.message_id, "event": "message", "topic": topic}
                payload = json.dumps(answer | {"message": body}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: object) -> None:
                pass  # the demo prints what arrived itself

        return Handler
