"""``uniall mock``: the documented API, emulated with state, validation and time.

The mock is generated from the spec like the client it serves. These tests drive it over real
loopback sockets the way an integration would: authenticate, create with the docs' own example
requests, poll through each family's status words, download the result, and survive every failure
scenario. What it answers must be what the spec documents (shapes, status words, error bodies).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator import model as m
from generator.doc_examples import DocExample, examples
from generator.docs_snapshot import Snapshot

from .rule_cases import valid_bases
from .support import ROOT

sys.path.insert(0, str(ROOT / "generated" / "python"))

from uniall import _lint as generated_lint
from uniall import _mock_data as mock_data
from uniall._mock import MockServer

KEY = {"Authorization": "Bearer sk-test"}
# The account endpoint (a body-less GET every key may call): what the auth and scenario tests ask.
BALANCE = next(route for route in mock_data.ROUTES if route.kind == "account")
# One task runs about 4 s at speed 1; at this speed a poll a few ms later sees it finished.
FAST = 2000.0
MAGIC = {"image/png": b"\x89PNG\r\n\x1a\n", "video/mp4": b"ftyp"}


def is_media_of_type(content: bytes, content_type: str) -> bool:
    """The file starts the way its type requires: PNG signature, MP4 ``ftyp`` box, MPEG audio frame sync."""
    if content_type == "audio/mpeg":
        return len(content) > 2 and content[0] == 0xFF and content[1] & 0xE0 == 0xE0
    return MAGIC[content_type] in content[:12]


@pytest.fixture(scope="module")
def mock() -> Iterator[MockServer]:
    with MockServer(speed=FAST, seed=7) as server:
        yield server


@pytest.fixture(scope="module")
def http(mock: MockServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=mock.base_url, timeout=10) as client:
        yield client


@pytest.fixture(scope="module")
def valid_requests(spec: m.Spec, snapshot: Snapshot) -> dict[str, tuple[str, dict[str, Any]]]:
    """Per model, one request the docs print (or the same body with the model swapped within its family)."""
    docs: list[DocExample] = examples(snapshot)
    chosen: dict[str, tuple[str, dict[str, Any]]] = {}
    for entries in valid_bases(spec, generated_lint, docs).values():
        for endpoint, body, _origin in entries:
            chosen.setdefault(str(body["model"]), (endpoint, body))
    return chosen


def _send(http: httpx.Client, endpoint: str, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    method, path = endpoint.split(" ", 1)
    return http.request(method, path, json=body, headers={**KEY, **(headers or {})})


def _poll_until_final(http: httpx.Client, model: str, task_id: str) -> dict[str, Any]:
    info = mock_data.MODELS[model]
    assert info.query is not None
    path = info.query.split(" ", 1)[1].replace("{task_id}", task_id)
    words = mock_data.TASKS[f"{info.query}|{info.family}"].words
    for _ in range(50):
        answer = http.get(path, headers=KEY)
        assert answer.status_code == 200, answer.text
        payload = answer.json()
        if _status_word(payload) in (words.get("completed"), words.get("failed")):
            return dict(payload)
        time.sleep(0.01)
    raise AssertionError(f"task {task_id} of {model} never finished")


def test_every_openapi_link_polls_the_task_its_create_made(
    http: httpx.Client, spec: m.Spec, snapshot: Snapshot
) -> None:
    """openapi.json's create -> query links hold: the ID at the link's pointer is a task the target answers,
    for one documented request per (create endpoint, family)."""
    document = json.loads((ROOT / "generated" / "openapi.json").read_text(encoding="utf-8"))
    requests = {
        (endpoint, family): (str(body["model"]), body)
        for family, entries in valid_bases(spec, generated_lint, examples(snapshot)).items()
        for endpoint, body, _origin in entries
        if endpoint is not None
    }
    followed: set[str] = set()
    for (endpoint, _family), (model, body) in sorted(requests.items()):
        method, path = endpoint.split(" ", 1)
        links = document["paths"][path][method.lower()]["responses"].get("200", {}).get("links", {})
        if not links:
            continue
        created = _send(http, endpoint, body)
        assert created.status_code == 200, (model, created.text)
        for name, link in links.items():
            (parameter, expression), *_ = link["parameters"].items()
            pointer = expression.removeprefix("$response.body#/").split("/")
            task_id = created.json()
            for key in pointer:
                task_id = task_id[key]
            target = next(
                (p, item) for p, item in document["paths"].items() if item.get("get", {}).get("operationId") == name
            )
            answer = http.get(target[0].replace("{" + parameter + "}", str(task_id)), headers=KEY)
            assert answer.status_code == 200, (model, name, answer.text)
            followed.add(f"{endpoint} -> {name}")
    linked = {
        f"{method.upper()} {path} -> {name}"
        for path, item in document["paths"].items()
        for method, operation in item.items()
        for name in operation["responses"].get("200", {}).get("links", {})
    }
    assert linked and followed == linked, linked - followed


def _status_word(payload: dict[str, Any]) -> Any:
    inner = payload.get("data") if isinstance(payload.get("data"), dict) else payload
    return inner.get("status") if isinstance(inner, dict) else None


def _urls(payload: Any) -> list[str]:
    found: list[str] = []
    if isinstance(payload, dict):
        for value in payload.values():
            found.extend(_urls(value))
    elif isinstance(payload, list):
        for value in payload:
            found.extend(_urls(value))
    elif isinstance(payload, str) and "/__mock/files/" in payload:
        found.append(payload)
    return found


# ---- auth --------------------------------------------------------------------------------------------


def test_a_request_without_a_key_gets_the_documented_401_body(http: httpx.Client) -> None:
    answer = http.get(BALANCE.path)
    assert answer.status_code == 401
    assert answer.json() == {"success": False, "message": "Token not provided"}


def test_a_request_without_a_key_gets_the_missing_key_message_its_endpoint_documents(
    spec: m.Spec, http: httpx.Client
) -> None:
    """Where an endpoint's page documents its own error body, a missing key gets the message (and code) that
    body documents for it (the spec's ``answers: missing-key``), not another page's."""
    checked = []
    for endpoint in spec.endpoints:
        named = {r.error for r in endpoint.responses if r.error and not r.status.startswith("2")}
        for body in (spec.error_body(x) for x in sorted(named)):
            message = next((x for x in body.messages if x.answers == "missing-key"), None)
            if message is None:
                continue
            answer = http.request(endpoint.method, re.sub(r"\{(\w+)\}", r"\1", endpoint.path), json={})
            assert answer.status_code == int(message.status or 401), (endpoint.id, answer.text)
            got = answer.json()
            assert _at(got, body.message_path) == message.message, (endpoint.id, got)
            if body.code_path:
                assert _at(got, body.code_path) == message.code, (endpoint.id, got)
            checked.append((endpoint.id, body.id))
    assert {body for _, body in checked} == {
        b.id for b in spec.error_bodies if any(x.answers == "missing-key" for x in b.messages)
    }, checked


def _at(document: Any, dotted: str) -> Any:
    for key in dotted.split("."):
        document = document[key]
    return document


def test_a_key_outside_the_accepted_set_gets_the_documented_invalid_token_body() -> None:
    with MockServer(keys=("sk-good",)) as server:
        wrong = httpx.get(f"{server.base_url}{BALANCE.path}", headers={"Authorization": "Bearer sk-bad"})
        right = httpx.get(f"{server.base_url}{BALANCE.path}", headers={"Authorization": "Bearer sk-good"})
    assert (wrong.status_code, wrong.json()) == (401, {"success": False, "message": "Invalid token"})
    assert right.status_code == 200


def test_the_model_list_accepts_the_documented_compatibility_key_headers(http: httpx.Client) -> None:
    for headers in ({"x-api-key": "k", "anthropic-version": "2023-06-01"}, {"x-goog-api-key": "k"}):
        assert http.get("/v1/models", headers=headers).status_code == 200
    assert http.get("/v1/models", params={"key": "k"}).status_code == 200
    assert http.get("/v1/models").status_code == 401


# ---- validation ----------------------------------------------------------------------------------------


def test_a_request_the_linter_rejects_gets_the_error_body_with_rule_ids_and_pointers(http: httpx.Client) -> None:
    answer = _send(http, "POST /v1/video/generations", {"model": "seedance2.0-720p", "prompt": "x", "duration": 99})
    assert answer.status_code == 400
    body = answer.json()
    assert body["error"]["code"] == "invalid_request_parameter"
    assert "seedance.duration-range" in body["error"]["message"]
    assert [(v["rule"], v["pointer"]) for v in body["violations"]] == [("seedance.duration-range", "/duration")]


def test_warnings_travel_in_a_response_header_and_do_not_block(http: httpx.Client) -> None:
    answer = _send(
        http, "POST /v1/video/generations", {"model": "seedance2.0-720p", "prompt": "x", "duration": 5, "colour": "red"}
    )
    assert answer.status_code == 200
    assert "common.unknown-field /colour" in answer.headers["X-Uniall-Lint-Warnings"]


@pytest.mark.parametrize(
    ("content", "content_type", "fragment"),
    [
        (b"{not json", "application/json", "not JSON"),
        (b"\xf4\x90\x80", "application/json", "not UTF-8"),
        (b"model=x", "text/plain", "Content-Type text/plain is not accepted"),
        (b"", "application/json", "not JSON"),
    ],
)
def test_unreadable_bodies_get_a_400_never_a_crash(
    http: httpx.Client, content: bytes, content_type: str, fragment: str
) -> None:
    answer = http.post("/v1/video/generations", content=content, headers={**KEY, "Content-Type": content_type})
    assert answer.status_code == 400
    assert fragment in answer.json()["error"]["message"]


def _upload_image(http: httpx.Client, file_name: str) -> dict[str, Any]:
    """A multipart image task with one PNG part named ``file_name``: the body the mock received."""
    answer = http.post(
        "/v1/images/tasks",
        headers=KEY,
        data={"model": "NanoBanana", "prompt": "a red kite"},
        files={"image": (file_name, b"\x89PNG\r\n\x1a\n", "image/png")},
    )
    assert answer.status_code == 200, answer.text
    received: dict[str, Any] = http.get("/__mock/requests").json()["requests"][-1]
    return received


def test_multipart_bodies_are_read_where_the_docs_take_them(http: httpx.Client) -> None:
    received = _upload_image(http, "kite.png")
    assert received["body"]["model"] == "NanoBanana"
    assert received["body"]["image"] == "file:kite.png"


def test_a_file_part_reads_as_a_file_uri_so_any_file_name_passes_the_url_check(http: httpx.Client) -> None:
    received = _upload_image(http, "my kite [1].png")
    assert received["body"]["image"] == "file:my%20kite%20%5B1%5D.png"


def test_a_field_the_docs_call_a_url_must_hold_one(http: httpx.Client) -> None:
    body = {"model": "seedance2.0-720p", "prompt": "a red kite", "duration": 5, "images": ["kite.png"]}
    answer = _send(http, "POST /v1/video/generations", body)
    assert answer.status_code == 400, answer.text
    assert [(v["rule"], v["pointer"]) for v in answer.json()["violations"]] == [("common.not-a-url", "/images/0")]
    url = {**body, "images": ["https://example.com/kite.png"]}
    assert _send(http, "POST /v1/video/generations", url).status_code == 200


def test_the_path_names_the_gemini_model_not_a_body_model(http: httpx.Client) -> None:
    body = {"contents": [{"parts": [{"text": "a red kite"}]}], "model": "gemini-3-pro-image-preview-1k"}
    unknown = _send(http, "POST /v1beta/models/no-such-model:generateContent", body)
    assert unknown.status_code == 400, unknown.text
    assert [(v["rule"], v["pointer"]) for v in unknown.json()["violations"]] == [("common.unknown-model", "/model")]
    known = _send(http, "POST /v1beta/models/gemini-3-pro-image-preview-1k:generateContent", {**body, "model": "x"})
    assert known.status_code == 200, known.text


def test_a_documented_fixed_path_is_not_read_as_a_task_id(http: httpx.Client) -> None:
    """OpenAPI matches /v1/videos/generations before /v1/videos/{task_id}: only its own POST is allowed."""
    answer = http.get("/v1/videos/generations", headers=KEY)
    assert (answer.status_code, answer.headers["Allow"]) == (405, "POST")


def test_unknown_routes_get_the_documented_error_shape(http: httpx.Client) -> None:
    answer = http.get("/v1/nothing/here", headers=KEY)
    assert answer.status_code == 404
    assert "no documented endpoint" in answer.json()["error"]["message"]


# ---- the task lifecycle, every model --------------------------------------------------------------------


def test_every_async_model_goes_from_created_to_a_downloadable_result(
    http: httpx.Client, valid_requests: dict[str, tuple[str, dict[str, Any]]]
) -> None:
    covered = []
    for model, (endpoint, body) in sorted(valid_requests.items()):
        info = mock_data.MODELS[model]
        if info.query is None or f"{endpoint}|{info.family}" not in mock_data.TASKS:
            continue
        created = _send(http, endpoint, body)
        assert created.status_code == 200, (model, created.text)
        inner = created.json().get("data") if "data" in created.json() else created.json()
        task_id = inner.get("task_id") or inner.get("id")
        create_words = mock_data.TASKS[f"{endpoint}|{info.family}"].words
        # A just-created task is running: the family's running word, or the normalised one where its
        # pages print none (Kling, Veo print only completed and failed); never a final word.
        running = {create_words[state] for state in ("queued", "in_progress") if state in create_words}
        assert _status_word(created.json()) in (running or {"queued"}), (model, created.json())
        final = _poll_until_final(http, model, task_id)
        assert _status_word(final) == mock_data.TASKS[f"{info.query}|{info.family}"].words["completed"]
        urls = _urls(final)
        assert urls, (model, final)
        media = http.get(urls[0])
        assert media.status_code == 200
        content_type = media.headers["content-type"]
        assert is_media_of_type(media.content, content_type), (model, content_type)
        covered.append(model)
    families = {mock_data.MODELS[model].family for model in covered}
    assert len(covered) >= 60, covered
    assert families >= {"seedance", "sora", "veo", "kling", "wan", "vidu", "happy-horse", "minimax-speech"}


def test_progress_moves_through_the_family_words_in_order(http: httpx.Client) -> None:
    """At speed 1 a task is queued for 1 s and in progress for 3 s: wide windows, so load cannot skip one."""
    with MockServer(speed=1.0) as slow:
        created = httpx.post(
            f"{slow.base_url}/v1/images/tasks", json={"model": "NanoBanana", "prompt": "a kite"}, headers=KEY
        ).json()
        seen = [(created["status"], created["progress"])]
        for _ in range(150):
            payload = httpx.get(f"{slow.base_url}/v1/images/tasks/{created['task_id']}", headers=KEY).json()
            seen.append((payload["data"]["status"], payload["data"]["progress"]))
            if payload["data"]["status"] == "succeeded":
                break
            time.sleep(0.1)
    words = [status for status, _ in seen]
    assert words[0] == "queued" and words[-1] == "succeeded" and "processing" in words
    assert words == sorted(words, key=["queued", "processing", "succeeded"].index)
    percents = [float(p.rstrip("%")) for _, p in seen]
    assert percents == sorted(percents) and percents[-1] == 100


def test_synchronous_endpoints_answer_with_the_documented_shape_and_served_files(http: httpx.Client) -> None:
    images = _send(http, "POST /v1/images/generations", {"model": "seedream-4.5", "prompt": "a kite"}).json()
    assert http.get(images["data"][0]["url"]).content.startswith(MAGIC["image/png"])
    gemini = _send(
        http,
        "POST /v1beta/models/gemini-3-pro-image-preview-1k:generateContent",
        {"contents": [{"parts": [{"text": "a kite"}]}]},
    )
    assert gemini.status_code == 200, gemini.text
    inline = gemini.json()["candidates"][0]["content"]["parts"][0]["inlineData"]
    assert inline["mimeType"] == "image/png"
    voices = http.get("/v1/audio/voices", headers=KEY)
    assert voices.status_code == 200 and voices.json()["object"] == "audio.voice.list"


def test_the_model_list_names_every_model_of_the_spec(http: httpx.Client, spec: m.Spec) -> None:
    listed = {record["id"] for record in http.get("/v1/models", headers=KEY).json()["data"]}
    assert listed == {model.id for model in spec.models}


def test_chat_completions_stream_the_documented_chunk_with_the_result_url(http: httpx.Client) -> None:
    body = {"model": "sora2-landscape-4s", "messages": [{"role": "user", "content": "a kite"}], "stream": True}
    answer = _send(http, "POST /v1/chat/completions", body)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/event-stream")
    chunk = json.loads(answer.text.removeprefix("data: ").strip())
    assert chunk["object"] == "chat.completion.chunk"
    assert http.get(chunk["choices"][0]["delta"]["content"]).content[4:8] == MAGIC["video/mp4"]


# ---- scenarios ------------------------------------------------------------------------------------------


def test_rate_limit_answers_429_with_retry_after_then_lets_the_request_through(http: httpx.Client) -> None:
    body = {"model": "seedance2.0-720p", "prompt": "a kite", "duration": 5}
    scenario = {"X-Mock-Scenario": "rate-limit:1"}
    first = _send(http, "POST /v1/video/generations", body, scenario)
    second = _send(http, "POST /v1/video/generations", body, scenario)
    assert (first.status_code, first.headers["Retry-After"]) == (429, "1")
    assert second.status_code == 200


@pytest.mark.parametrize(("speed", "retry_after"), [(FAST, "1"), (1.0, "1"), (0.4, "3"), (0.25, "4")])
def test_retry_after_scales_with_speed_in_whole_seconds_at_least_one(speed: float, retry_after: str) -> None:
    """Like every mock delay, the 429's wait scales with --speed: 1 s at speed 1, rounded up, never 0."""
    with MockServer(speed=speed) as server, httpx.Client(base_url=server.base_url, timeout=10) as client:
        answer = client.get(BALANCE.path, headers={**KEY, "X-Mock-Scenario": "rate-limit"})
    assert (answer.status_code, answer.headers["Retry-After"]) == (429, retry_after)


def test_server_error_and_dropped_connections(http: httpx.Client) -> None:
    body = {"model": "seedance2.0-720p", "prompt": "a kite", "duration": 5}
    assert _send(http, "POST /v1/video/generations", body, {"X-Mock-Scenario": "server-error"}).status_code == 503
    with pytest.raises(httpx.TransportError):
        _send(http, "POST /v1/video/generations", body, {"X-Mock-Scenario": "drop"})


def test_a_task_asked_to_fail_ends_failed_with_the_documented_error_field(http: httpx.Client) -> None:
    created = _send(
        http, "POST /v1/video/generations", {"model": "sora2-landscape-4s", "prompt": "x"}, {"X-Mock-Scenario": "fail"}
    ).json()
    final = _poll_until_final(http, "sora2-landscape-4s", created["id"])
    assert final["status"] == "failed" and final["error"]
    assert not _urls(final)


def test_a_task_asked_to_time_out_never_finishes(http: httpx.Client) -> None:
    created = _send(
        http,
        "POST /v1/video/generations",
        {"model": "sora2-landscape-4s", "prompt": "x"},
        {"X-Mock-Scenario": "timeout"},
    ).json()
    time.sleep(0.05)  # at FAST speed, any other task has long finished
    for _ in range(3):
        assert http.get(f"/v1/videos/{created['id']}", headers=KEY).json()["status"] == "in_progress"


@pytest.mark.parametrize("model", ["seedance2.0-720p", "kling-v3-std-audio"])
def test_a_task_that_never_finishes_never_reads_as_finished_where_the_docs_give_no_running_word(
    http: httpx.Client, model: str, valid_requests: dict[str, tuple[str, dict[str, Any]]]
) -> None:
    """Seedance's pages print no in-progress word and Kling's no running word at all: still not completed."""
    endpoint, body = valid_requests[model]
    created = _send(http, endpoint, body, {"X-Mock-Scenario": "timeout"}).json()
    task_id = created.get("task_id") or created.get("id")
    assert _status_word(created) not in ("completed", "failed") and not _urls(created)
    info = mock_data.MODELS[model]
    assert info.query is not None
    time.sleep(0.05)  # at FAST speed, any other task has long finished
    answer = http.get(info.query.split(" ", 1)[1].replace("{task_id}", task_id), headers=KEY).json()
    assert _status_word(answer) in ("queued", "in_progress") and not _urls(answer)


def test_an_unknown_scenario_is_a_clear_400(http: httpx.Client) -> None:
    answer = http.get(BALANCE.path, headers={**KEY, "X-Mock-Scenario": "explode"})
    assert answer.status_code == 400
    assert "unknown X-Mock-Scenario 'explode'" in answer.json()["error"]["message"]


# ---- control routes, bounds, determinism -----------------------------------------------------------------


def test_the_request_log_lists_what_arrived_without_the_key_and_reset_clears_it() -> None:
    with MockServer(speed=FAST) as server, httpx.Client(base_url=server.base_url) as client:
        client.get(BALANCE.path, headers=KEY)
        logged = client.get("/__mock/requests").json()["requests"]
        assert [(r["method"], r["path"], r["status"]) for r in logged] == [(BALANCE.method, BALANCE.path, 200)]
        assert "sk-test" not in json.dumps(logged)
        client.post("/__mock/reset")
        assert client.get("/__mock/requests").json()["requests"] == []


def test_stored_tasks_are_bounded_oldest_first() -> None:
    with MockServer(speed=FAST, max_tasks=3) as server, httpx.Client(base_url=server.base_url) as client:
        ids = [
            client.post(
                "/v1/video/generations", json={"model": "seedance2.0-720p", "prompt": "x", "duration": 5}, headers=KEY
            ).json()["id"]
            for _ in range(4)
        ]
        assert client.get(f"/v1/videos/{ids[0]}", headers=KEY).status_code == 404
        assert client.get(f"/v1/videos/{ids[-1]}", headers=KEY).status_code == 200


def test_the_same_seed_gives_the_same_task_ids() -> None:
    def ids(seed: int) -> list[str]:
        with MockServer(seed=seed) as server, httpx.Client(base_url=server.base_url) as client:
            body = {"model": "seedance2.0-720p", "prompt": "x", "duration": 5}
            return [client.post("/v1/video/generations", json=body, headers=KEY).json()["id"] for _ in range(3)]

    assert ids(1) == ids(1)
    assert ids(1) != ids(2)


def test_oversized_bodies_are_refused_without_reading_them() -> None:
    with MockServer(max_body=1000) as server:
        answer = httpx.post(f"{server.base_url}/v1/video/generations", content=b"x" * 5000, headers=KEY)
    assert answer.status_code == 413


# ---- the documented shapes --------------------------------------------------------------------------------


def test_every_answer_validates_against_its_documented_response_shape(
    spec: m.Spec, http: httpx.Client, valid_requests: dict[str, tuple[str, dict[str, Any]]]
) -> None:
    """Task bodies the mock builds are instances of the shapes the spec documents for their endpoint."""
    from generator.shape_instance import instance

    checked = 0
    for key, template in mock_data.TASKS.items():
        endpoint_id, family = key.split("|")
        endpoint = spec.endpoint(endpoint_id)
        names = {r.shape for r in endpoint.responses if r.family == family and r.shape} or {
            r.shape for r in endpoint.responses if r.shape
        }
        if not names:
            continue
        bodies = [spec.response_shape(name).body for name in names if name]
        assert any(template.example == instance(body) for body in bodies), key
        checked += 1
    assert checked >= 10


# ---- the command line ------------------------------------------------------------------------------------


def test_uniall_mock_prints_its_url_serves_and_stops_cleanly_on_sigterm() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "generated" / "python")}
    process = subprocess.Popen(
        [sys.executable, "-m", "uniall._cli", "mock", "--port", "0", "--key", "sk-test", "--speed", "50"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        base_url = process.stdout.readline().strip()
        assert base_url.startswith("http://127.0.0.1:")
        assert httpx.get(f"{base_url}{BALANCE.path}", headers=KEY).status_code == 200
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0
    assert "Traceback" not in err


def test_uniall_spec_mock_takes_the_same_options() -> None:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "uniall-spec"), "mock", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    for option in ("--host", "--port", "--key", "--speed", "--seed", "--scenario"):
        assert option in result.stdout


def test_a_port_in_use_is_a_clear_error_not_a_traceback() -> None:
    with MockServer() as server:
        port = server.base_url.rsplit(":", 1)[1]
        env = {**os.environ, "PYTHONPATH": str(ROOT / "generated" / "python")}
        result = subprocess.run(
            [sys.executable, "-m", "uniall._cli", "mock", "--port", port],
            capture_output=True,
            text=True,
            env=env,
            timeout=30,
        )
    assert result.returncode == 2
    assert "cannot listen" in result.stderr and "Traceback" not in result.stderr


# ---- the generated client against the mock ---------------------------------------------------------------


def test_the_client_creates_waits_and_downloads_against_the_mock(tmp_path: Path) -> None:
    import uniall

    with MockServer(speed=FAST) as server, uniall.Client(api_key="sk-test", base_url=server.base_url) as client:
        task = client.videos.create(model="seedance2.0-720p", prompt="a lighthouse at dusk", duration=5)
        done = client.videos.wait(task, timeout=30)
        files = client.videos.download(done, tmp_path)
        assert done.status == "completed" and len(files) == 1
        assert is_media_of_type(files[0].read_bytes(), "video/mp4")
        assert [m for m in client.models.list() if m == "seedance2.0-720p"]
        with pytest.raises(uniall.RequestInvalid):
            client.videos.create(model="seedance2.0-720p", prompt="x", duration=99)  # type: ignore[arg-type]
        assert [r["path"] for r in server.requests if r["method"] == "POST"] == ["/v1/video/generations"]


def test_the_async_client_follows_a_task_to_completion_against_the_mock() -> None:
    import asyncio

    import uniall

    async def scenario(base_url: str) -> None:
        async with uniall.AsyncClient(api_key="sk-test", base_url=base_url) as client:
            task = await client.videos.create(model="sora2-landscape-4s", prompt="a kite")
            done = await client.videos.wait(task, timeout=30)
            assert done.status == "completed"

    with MockServer(speed=FAST) as server:
        asyncio.run(scenario(server.base_url))


# ---- what the mock answers is what generated/openapi.json documents ---------------------------------------


def _response_validator(method: str, path: str, status: int) -> Any:
    """A 2020-12 validator for the documented JSON body of (operation, status), resolving the document's $refs."""
    import jsonschema

    document = json.loads((ROOT / "generated" / "openapi.json").read_text(encoding="utf-8"))
    responses = document["paths"][path][method.lower()]["responses"]
    response = responses.get(str(status)) or responses.get("default")
    if response is None or "application/json" not in response.get("content", {}):
        return None
    escaped = path.replace("~", "~0").replace("/", "~1")
    key = str(status) if str(status) in responses else "default"
    pointer = f"#/paths/{escaped}/{method.lower()}/responses/{key}/content/application~1json/schema"
    return jsonschema.Draft202012Validator({**document, "$ref": pointer})


def test_every_answer_matches_the_response_schema_its_operation_documents(
    http: httpx.Client, valid_requests: dict[str, tuple[str, dict[str, Any]]]
) -> None:
    answers: list[tuple[str, str, int, Any]] = []

    def record(route: str, answer: httpx.Response) -> None:
        method, path = route.split(" ", 1)
        answers.append((method, path, answer.status_code, answer.json()))

    for model, (endpoint, body) in sorted(valid_requests.items()):
        info = mock_data.MODELS[model]
        created = _send(http, endpoint, body)
        record(endpoint, created)
        if info.query is None or created.status_code != 200 or "chunk" in endpoint:
            continue
        payload = created.json()
        inner = payload.get("data") if isinstance(payload.get("data"), dict) else payload
        final = _poll_until_final(http, model, inner.get("task_id") or inner.get("id"))
        answers.append(("GET", info.query.split(" ", 1)[1], 200, final))
    for route in ("GET /api/usage/balance", "GET /v1/models", "GET /v1/audio/voices"):
        record(route, http.request(route.split(" ")[0], route.split(" ")[1], headers=KEY))
    record(BALANCE.endpoint, http.get(BALANCE.path))
    checked = 0
    for method, concrete, status, body in answers:
        documented = next(
            (route.path for route in mock_data.ROUTES if route.method == method and _matches(route.path, concrete)),
            concrete,
        )
        validator = _response_validator(method, documented, status)
        if validator is None:
            continue
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(body)]
        assert not errors, (method, concrete, status, errors[:3])
        checked += 1
    assert checked >= 80, checked


def _matches(template: str, concrete: str) -> bool:
    import re

    pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
    return re.fullmatch(pattern, concrete) is not None


def test_a_whole_run_scenario_applies_to_every_request_and_slow_answers_late() -> None:
    with MockServer(speed=1.0, scenario="server-error") as failing:
        assert httpx.get(f"{failing.base_url}{BALANCE.path}", headers=KEY).status_code == 503
    with MockServer(speed=10.0) as server:
        started = time.perf_counter()
        answer = httpx.get(f"{server.base_url}{BALANCE.path}", headers={**KEY, "X-Mock-Scenario": "slow"})
        assert answer.status_code == 200
        assert time.perf_counter() - started >= 0.2  # 2 s of mock time at speed 10
