"""A loopback HTTP server that plays the documented UniAll API, scripted per test.

Responses are the docs' own examples (task submitted, in progress, completed, failed; error bodies),
so the client is tested against the shapes the API is documented to send, over real sockets.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# Shapes copied from the docs' response examples (Seedance / Happy-Horse query pages, balance page).
SUBMITTED = {
    "id": "task_abc",
    "task_id": "task_abc",
    "object": "video.generation.job",
    "status": "queued",
    "progress": 0,
}
IN_PROGRESS = {"id": "task_abc", "task_id": "task_abc", "status": "in_progress", "progress": "45%"}
FAILED = {"id": "task_abc", "task_id": "task_abc", "status": "failed", "progress": 100, "error": "content policy"}
INVALID_TOKEN = {"success": False, "message": "Invalid token"}
TOKEN_DISABLED = {"success": False, "message": "Token invalid"}
VIDEO_BYTES = b"\x00\x00\x00\x18ftypmp42" + b"x" * 4096


def completed(base_url: str) -> dict[str, Any]:
    return {
        "id": "task_abc",
        "task_id": "task_abc",
        "object": "video.generation.job",
        "status": "completed",
        "progress": 100,
        "video_url": f"{base_url}/media/out.mp4",
        "result": {"outputs": [f"{base_url}/media/out.mp4"]},
    }


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False
    raw: bytes | None = None


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
            if reply.delay:
                time.sleep(reply.delay)
            if reply.drop:
                self.close_connection = True
                self.connection.shutdown(2)
                return
            data = reply.raw if reply.raw is not None else json.dumps(reply.body).encode()
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json" if reply.raw is None else "video/mp4")
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
