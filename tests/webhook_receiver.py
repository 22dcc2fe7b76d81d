"""A real HTTP receiver of webhook deliveries, in a thread, that verifies each with standardwebhooks.

It records every request it gets (id, event type, complaint number, whether the signature
verified with the secret it was given) and answers 200, or what the test asks: a status, or a
pause longer than Redress's read timeout (for every request, or the next `pause_requests`).
`stop()` closes the port, and `start()` opens the same port again, so a test can take the
receiver down and bring it back.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from tests.processes import free_port


@dataclass
class Received:
    message_id: str
    event_type: str
    complaint: str | None
    verified: bool
    body: bytes
    headers: dict[str, str]
    payload: dict[str, Any] = field(default_factory=dict)


class Receiver:
    def __init__(self, secret: str = "") -> None:
        self.port = free_port()
        self.secret = secret
        self.received: list[Received] = []
        self.status = 200
        self.pause = 0.0
        self.pause_requests = 0  # how many of the next requests the pause applies to; 0: all
        self._server: ThreadingHTTPServer | None = None
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = {name.lower(): value for name, value in self.headers.items()}
                try:
                    if not receiver.secret:
                        raise WebhookVerificationError("no secret to verify with")
                    payload = Webhook(receiver.secret).verify(body, headers)
                    verified = True
                except WebhookVerificationError:
                    payload, verified = json.loads(body or b"{}"), False
                complaint = (payload.get("data") or {}).get("complaint") or {}
                with receiver._lock:
                    receiver.received.append(
                        Received(
                            headers.get("webhook-id", ""),
                            payload.get("type", ""),
                            complaint.get("number"),
                            verified,
                            body,
                            headers,
                            payload,
                        )
                    )
                with receiver._lock:
                    pause = receiver.pause
                    if receiver.pause_requests:
                        receiver.pause_requests -= 1
                        if not receiver.pause_requests:
                            receiver.pause = 0.0
                if pause:
                    time.sleep(pause)
                answer = b'{"ok": true}'
                try:
                    self.send_response(receiver.status)
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                except OSError:
                    pass  # the sender gave up waiting

            def log_message(self, format: str, *args: Any) -> None:
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def kinds(self, number: str | None = None) -> list[str]:
        with self._lock:
            return [r.event_type for r in self.received if number is None or r.complaint == number]
