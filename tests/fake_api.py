"""A loopback HTTP server scripted per test: only for the answers the mock cannot give.

The client tests run against the mock (tests/mock_api.py), which answers every documented endpoint
with the documented shapes and plays the failure scenarios. This server remains for what the mock
does not do, each because the docs do not document it or the mock's scenarios are fixed:
an ``X-Request-Id`` header (no page documents a request ID, so the mock sends none), a 500 or 503
that carries ``Retry-After`` (the mock's server error is a 503 without it; its 429 carries
``Retry-After: 1``), and a disabled key's 403 ``Token invalid`` (the mock accepts or refuses keys).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# Shapes copied from the docs' response examples (Seedance query page, balance page).
SUBMITTED = {
    "id": "task_abc",
    "task_id": "task_abc",
    "object": "video.generation.job",
    "status": "queued",
    "progress": 0,
}
TOKEN_DISABLED = {"success": False, "message": "Token invalid"}


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Script:
    """Per path, a queue of replies (the last one repeats) and a log of what arrived."""

    routes: dict[str, list[Reply | Callable[[], Reply]]] = field(default_factory=dict)
    calls: list[tuple[str, str, dict[str, str], Any]] = field(default_factory=list)

    def on(self, method: str, path: str, *replies: Reply | Callable[[], Reply]) -> None:
        self.routes[f"{method} {path}"] = list(replies)

    def next(self, key: str) -> Reply:
        queue = self.routes.get(key)
        if not queue:
            return Reply(404, {"error": {"message": f"no route {key}", "type": "not_found", "code": "not_found"}})
        item = queue.pop(0) if len(queue) > 1 else queue[0]
        return item() if callable(item) else item

    def count(self, method: str, path: str) -> int:
        return sum(1 for m, p, _, _ in self.calls if m == method and p == path)


def _handler(script: Script) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def _serve(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw else None
            path = self.path.split("?", 1)[0]
            script.calls.append((method, self.path, dict(self.headers), body))
            reply = script.next(f"{method} {path}")
            data = json.dumps(reply.body).encode()
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in reply.headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

    return Handler


@contextmanager
def fake_api() -> Iterator[tuple[str, Script]]:
    script = Script()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(script))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", script
    finally:
        server.shutdown()
        server.server_close()
