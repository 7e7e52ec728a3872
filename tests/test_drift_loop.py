"""The maintainer's loop end to end: drift report -> --apply -> check -> snapshot update, and docs by URL.

``snapshot update`` refuses docs the spec does not cover (and writes nothing), pins them once the
spec follows, and ``drift --docs URL`` reads docs from a local HTTP server started and stopped here
(no internet), with a clear error for an unreachable server, an HTTP error or a page that is not an
llms-full.txt.
"""

from __future__ import annotations

import hashlib
import http.server
import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import main

from .conftest import ROOT, SNAPSHOT_PATH

PINNED = SNAPSHOT_PATH.read_text(encoding="utf-8")
ZH_480P = (
    "| `seedance2.0-480p` | 标准版 | `480p` | `4` 到 `15` 的整数 |",
    "| `seedance2.0-480p` | 标准版 | `480p` | `4` 到 `12` 的整数 |",
)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def workspace(tmp_path: Path) -> tuple[Path, Path]:
    """(a copy of the spec, new docs in which one model's duration range changed)."""
    shutil.copytree(ROOT / "spec", tmp_path / "spec")
    docs = tmp_path / "llms-full.txt"
    assert ZH_480P[0] in PINNED
    docs.write_text(PINNED.replace(*ZH_480P), encoding="utf-8")
    return tmp_path / "spec", docs


def test_snapshot_update_refuses_uncovered_docs_then_pins_them_once_the_spec_follows(
    workspace: tuple[Path, Path],
) -> None:
    spec_dir, docs = workspace
    sources = spec_dir / "sources"
    before = {p.name: sha256(p) for p in sources.iterdir()}

    refused = run("snapshot", "update", "--docs", str(docs), "--spec", str(spec_dir))
    assert refused.exit_code == 1, refused.output
    assert "does not cover the new docs" in refused.stderr
    assert "seedance.duration-range" in refused.stderr and "nothing written" in refused.stderr
    assert "range changed `seedance2.0-480p" in refused.stdout, "it prints what changed"
    assert {p.name: sha256(p) for p in sources.iterdir()} == before

    applied = run("drift", "--docs", str(docs), "--spec", str(spec_dir), "--apply")
    assert applied.exit_code == 0, applied.output

    pinned = run("snapshot", "update", "--docs", str(docs), "--spec", str(spec_dir))
    assert pinned.exit_code == 0, pinned.output
    assert (sources / "uniall-llms-full.txt").read_bytes() == docs.read_bytes()
    provenance = json.loads((sources / "snapshot.lock.json").read_text(encoding="utf-8"))
    assert provenance["sha256"] == sha256(docs) and provenance["bytes"] == docs.stat().st_size
    assert provenance["copied_from"] == str(docs) and provenance["captured"]
    lock = json.loads((sources / "facts.lock.json").read_text(encoding="utf-8"))
    assert lock["docs_sha256"] == sha256(docs)

    # The loop is closed: no drift against the new pin, and the spec checks against it.
    again = run("drift", "--spec", str(spec_dir))
    assert (again.exit_code, again.output) == (0, "no drift: every extracted fact and page hash matches the lock\n")
    checked = run("check", "--spec", str(spec_dir))
    assert checked.exit_code == 0 and "spec ok" in checked.output, checked.output


def test_snapshot_update_with_force_pins_uncovered_docs_and_warns(workspace: tuple[Path, Path]) -> None:
    spec_dir, docs = workspace
    forced = run("snapshot", "update", "--docs", str(docs), "--spec", str(spec_dir), "--force")
    assert forced.exit_code == 0, forced.output
    assert "warning: the spec does not cover the new docs" in forced.stderr
    assert (spec_dir / "sources" / "uniall-llms-full.txt").read_bytes() == docs.read_bytes()


# ---- docs by URL -----------------------------------------------------------------------------------


PAGES = {
    "/llms-full.txt": ("text/plain; charset=utf-8", PINNED.encode("utf-8")),
    "/index.html": ("text/html", b"<!doctype html><html><body>UniAll Docs</body></html>"),
}


class _Docs(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        found = PAGES.get(self.path)
        if found is None:
            self.send_error(404, "Not Found")
            return
        kind, body = found
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def docs_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Docs)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_drift_reads_docs_from_a_url(docs_server: str) -> None:
    result = run("drift", "--docs", f"{docs_server}/llms-full.txt")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("no drift")


@pytest.mark.parametrize(
    "path, message",
    [
        ("/index.html", "is not an llms-full.txt: it holds no doc pages"),
        ("/missing.txt", "HTTP 404"),
    ],
)
def test_a_url_that_is_not_llms_full_is_a_clear_error(docs_server: str, path: str, message: str) -> None:
    result = run("drift", "--docs", docs_server + path)
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output


def test_an_unreachable_docs_server_is_a_clear_error() -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Docs)
    port = server.server_address[1]
    server.server_close()  # nothing listens on the port any more
    result = run("drift", "--docs", f"http://127.0.0.1:{port}/llms-full.txt")
    assert result.exit_code == 2
    assert f"cannot fetch http://127.0.0.1:{port}/llms-full.txt" in result.stderr and "refused" in result.stderr
