"""The client's exchange with the API, over real HTTP against the mock (tests/mock_api.py).

Specified here: errors carry the request, response, headers and request ID and read as one line
without the key; transport errors name host and reason; which creates are retried (never sent, or
declined with Retry-After) and which are not; per-call headers, query and body fields; the raw
response; logging through the ``uniall`` logger; undocumented keywords refused with the closest
field named; linter warnings surfaced through ``warnings``; field names that clash with the
client's keywords; and docstrings on every ``create`` overload. What the mock cannot answer (a
request ID header, a 500 or 503 carrying Retry-After) is played by the scripted tests/fake_api.py.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import os
import re
import socket
import subprocess
import sys
import typing
import warnings
from pathlib import Path
from typing import Any

import pytest

from generator.emitters import client as client_emitter
from generator.loader import load_spec

from .fake_api import SUBMITTED, Reply, fake_api
from .mock_api import KEY, calls, logged_authorization, mock_api, scenario
from .support import ROOT, create_resource_classes, toy_spec_dir

sys.path.insert(0, str(ROOT / "generated" / "python"))

import uniall
from uniall import _fields, _resources, _spec

CREATE = ("POST", "/v1/video/generations")
QUERY = ("GET", "/v1/videos/task_abc")
SEEDANCE = {"model": "seedance2.0-720p", "prompt": "a lighthouse at dusk", "duration": 5}


def client(base_url: str, **options: Any) -> uniall.Client:
    return uniall.Client(api_key=KEY, base_url=base_url, **options)


def closed_port() -> int:
    """A loopback port nothing listens on: connecting is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _arg_doc(doc: str, name: str) -> str:
    """One parameter's entry of a docstring's ``Args:`` block, on one line."""
    entry = doc.split(f"\n    {name}: ", 1)[1]
    return " ".join(re.split(r"\n    (?=\S)|\n\n", entry)[0].split())


def test_a_status_error_carries_the_exchange_and_reads_as_one_line() -> None:
    body = {"error": {"message": "no such task", "type": "invalid_request_error", "code": "task_not_found"}}
    with fake_api() as (base, script):
        script.on(*QUERY, Reply(404, body, {"X-Request-Id": "req-42"}))
        with client(base) as api, pytest.raises(uniall.NotFoundError) as caught:
            api.videos.retrieve("task_abc", model="seedance2.0-720p")
    error = caught.value
    assert error.status_code == 404 and error.body == body and error.code == "task_not_found"
    assert error.request is not None and (error.request.method, error.request.url.path) == QUERY
    assert error.response is not None and error.response.status_code == 404
    assert error.headers["x-request-id"] == "req-42" and error.request_id == "req-42"
    where = f"GET {base}/v1/videos/task_abc"
    assert str(error) == f"HTTP 404 from {where}: no such task [task_not_found] (request ID req-42)"
    assert repr(error) == (
        "NotFoundError(status_code=404, message='no such task', code='task_not_found', request_id='req-42')"
    )
    assert KEY not in str(error) + repr(error) + repr(error.__dict__)


def test_a_refused_connection_names_host_and_reason_and_a_create_is_retried() -> None:
    port = closed_port()
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("uniall")
    logger.addHandler(handler)
    previous = logger.level
    logger.setLevel(logging.INFO)
    try:
        api = client(f"http://127.0.0.1:{port}", max_retries=2)
        with pytest.raises(uniall.APIConnectionError) as caught:
            api.videos.create(**SEEDANCE)  # type: ignore[call-overload]
        api.close()
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)
    error = caught.value
    assert error.host == f"127.0.0.1:{port}"
    assert error.reason is not None and "refused" in error.reason.lower()
    assert f"cannot reach 127.0.0.1:{port}" in str(error) and "POST" in str(error)
    # Refused means the request was never sent: safe to retry a create (2 retries = 3 attempts).
    retries = [r.getMessage() for r in records if "retrying" in r.getMessage()]
    assert len(retries) == 2, [r.getMessage() for r in records]
    assert all("POST /v1/video/generations" in line for line in retries)


def test_a_failed_download_names_host_and_reason_but_not_the_signed_query(tmp_path: Path) -> None:
    port = closed_port()
    task = uniall.Task.from_payload(
        {"task_id": "t", "status": "completed", "video_url": f"http://127.0.0.1:{port}/out.mp4?signature=s3cr3t"}
    )
    with client("https://api.example.com") as api, pytest.raises(uniall.APIConnectionError) as caught:
        api.videos.download(task, tmp_path)
    assert caught.value.host == f"127.0.0.1:{port}" and caught.value.reason is not None
    assert str(caught.value).startswith(f"download of http://127.0.0.1:{port}/out.mp4: cannot reach 127.0.0.1:{port}: ")
    assert "s3cr3t" not in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_a_create_declined_with_429_and_retry_after_is_retried() -> None:
    with mock_api() as mock:
        with client(mock.base_url) as api:
            task = api.videos.create(
                model="seedance2.0-720p", prompt="x", duration=5, extra_headers=scenario("rate-limit:1")
            )
        assert task.id in mock.emulator.state.tasks
        assert [r["status"] for r in calls(mock, *CREATE)] == [429, 200]


@pytest.mark.parametrize(
    "first",
    ["server-error:1", "drop:1"],  # 503 without Retry-After: the server may have started it; dropped after sending
    ids=["503-without-retry-after", "dropped-after-sending"],
)
def test_a_create_that_may_have_been_received_is_not_retried(first: str) -> None:
    with mock_api() as mock:
        with client(mock.base_url, max_retries=3) as api, pytest.raises(uniall.APIError):
            api.videos.create(model="seedance2.0-720p", prompt="x", duration=5, extra_headers=scenario(first))
        assert len(calls(mock, *CREATE)) == 1


def test_a_create_answered_500_is_not_retried_even_with_retry_after() -> None:
    """500 is not a refusal, Retry-After or not (the mock's 5xx is a 503 without Retry-After: scripted here)."""
    with fake_api() as (base, script):
        script.on(
            *CREATE, Reply(500, {"error": {"message": "upstream down"}}, {"Retry-After": "0"}), Reply(body=SUBMITTED)
        )
        with client(base, max_retries=3) as api, pytest.raises(uniall.APIError):
            api.videos.create(model="seedance2.0-720p", prompt="x", duration=5)
        assert script.count(*CREATE) == 1


def test_the_async_client_follows_the_same_retry_policy() -> None:
    """Scripted: a 503 that carries Retry-After (a decline) is not among the mock's answers."""

    async def create(base: str) -> uniall.Task:
        async with uniall.AsyncClient(api_key=KEY, base_url=base) as api:
            return await api.videos.create(model="seedance2.0-720p", prompt="x", duration=5)

    with fake_api() as (base, script):
        script.on(*CREATE, Reply(503, {}, {"Retry-After": "0"}), Reply(body=SUBMITTED))
        assert asyncio.run(create(base)).id == "task_abc"
        assert script.count(*CREATE) == 2
        script.on(*CREATE, Reply(503, {}), Reply(body=SUBMITTED))
        with pytest.raises(uniall.ServerError):
            asyncio.run(create(base))
        assert script.count(*CREATE) == 3


def test_per_call_headers_query_body_fields_and_timeout() -> None:
    with mock_api() as mock:
        with client(mock.base_url) as api, pytest.warns(uniall.RequestWarning, match="callback_url"):
            api.videos.create(
                model="seedance2.0-720p",
                prompt="x",
                duration=5,
                extra_headers={"X-Trace": "t-1"},
                extra_query={"debug": "1"},
                extra_fields={"callback_url": "https://example.com/hook"},
            )  # the linter warns about the undocumented field: it is still sent
        (sent,) = calls(mock)
    assert (sent["method"], sent["path"], sent["query"]) == ("POST", "/v1/video/generations", {"debug": ["1"]})
    assert sent["headers"]["X-Trace"] == "t-1" and sent["headers"]["Authorization"] == logged_authorization()
    assert sent["body"] == {
        "model": "seedance2.0-720p",
        "prompt": "x",
        "duration": 5,
        "callback_url": "https://example.com/hook",
    }
    assert sent["status"] == 200 and [v["rule"] for v in sent["violations"]] == ["common.unknown-field"]
    with mock_api(speed=2) as mock:  # "slow" answers after 2 s / speed = 1 s
        with client(mock.base_url, max_retries=0) as api, pytest.raises(uniall.APITimeoutError) as caught:
            api.videos.retrieve("task_abc", model="seedance2.0-720p", timeout=0.2, extra_headers=scenario("slow"))
        assert "within 0.2 s" in str(caught.value)


def test_the_documented_extra_body_field_is_a_typed_parameter_not_the_client_option() -> None:
    with mock_api() as mock:
        with client(mock.base_url) as api:
            api.videos.create(model="seedance2.0-720p", prompt="x", duration=5, extra_body={"seed": 1})
        (sent,) = calls(mock, *CREATE)
    assert sent["body"]["extra_body"] == {"seed": 1} and sent["status"] == 200


def test_with_raw_response_returns_status_headers_and_the_parsed_task() -> None:
    """Scripted: the docs document no request ID header, so the mock sends none."""
    with fake_api() as (base, script):
        script.on(*CREATE, Reply(body=SUBMITTED, headers={"X-Request-Id": "req-7"}))
        script.on(*QUERY, Reply(body=SUBMITTED))
        with client(base) as api:
            raw = api.with_raw_response.videos.create(model="seedance2.0-720p", prompt="x", duration=5)
            polled = api.with_raw_response.videos.retrieve("task_abc", model="seedance2.0-720p")
    assert raw.status_code == 200 and raw.headers["x-request-id"] == "req-7" and raw.request_id == "req-7"
    assert raw.parse().id == "task_abc" and raw.http_response.json() == SUBMITTED
    assert polled.parse().status == "queued"


def test_logging_reports_each_request_without_the_key_or_bodies_at_info(caplog: pytest.LogCaptureFixture) -> None:
    with mock_api() as mock:
        with caplog.at_level(logging.INFO, logger="uniall"), client(mock.base_url) as api:
            api.videos.create(model="seedance2.0-720p", prompt="a secret prompt", duration=5)
        info = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
        assert len(info) == 1 and info[0].startswith("POST /v1/video/generations -> 200 in ")
        assert "secret prompt" not in caplog.text
        caplog.clear()
        with caplog.at_level(logging.DEBUG, logger="uniall"), client(mock.base_url) as api:
            api.videos.create(model="seedance2.0-720p", prompt="a secret prompt", duration=5)
        assert "secret prompt" in caplog.text and "<hidden>" in caplog.text
    assert KEY not in caplog.text


def test_uniall_log_env_enables_the_logger_on_stderr() -> None:
    with mock_api() as mock:
        with client(mock.base_url) as api:
            task = api.videos.create(model="seedance2.0-720p", prompt="x", duration=5)
        code = (
            f"import uniall; c = uniall.Client(); c.videos.retrieve({task.id!r}, model='seedance2.0-720p'); c.close()"
        )
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT / "generated" / "python"),
            "UNIALL_API_KEY": KEY,
            "UNIALL_BASE_URL": mock.base_url,
            "UNIALL_LOG": "debug",
        }
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert run.returncode == 0, run.stderr
    assert f"GET /v1/videos/{task.id} -> 200" in run.stderr and "uniall DEBUG" in run.stderr
    assert KEY not in run.stderr


def test_an_undocumented_keyword_is_a_type_error_naming_the_closest_field() -> None:
    with mock_api() as mock:
        with client(mock.base_url) as api, pytest.raises(TypeError, match=r"'duraton'.*did you mean 'duration'\?"):
            api.videos.create(model="seedance2.0-720p", prompt="x", duraton=5)  # type: ignore[call-overload]
        with client(mock.base_url) as api, pytest.raises(TypeError, match=r"'frobnicate'.*extra_fields"):
            api.videos.create_and_wait(model="seedance2.0-720p", prompt="x", duration=5, frobnicate=1)  # type: ignore[call-overload]
        assert calls(mock) == []


def test_linter_warnings_surface_as_request_warnings() -> None:
    with mock_api() as mock:
        with (
            client(mock.base_url) as api,
            pytest.warns(uniall.RequestWarning, match="seedance.duration-below-5") as seen,
        ):
            api.videos.create(model="seedance2.0-720p", prompt="x", duration=4)
        assert seen[0].filename == __file__  # points at the caller's line
        assert len(calls(mock, *CREATE)) == 1
        with client(mock.base_url) as api, warnings.catch_warnings():
            warnings.simplefilter("error", uniall.RequestWarning)
            with pytest.raises(uniall.RequestWarning):
                api.videos.create(model="seedance2.0-720p", prompt="x", duration=4)
        assert len(calls(mock, *CREATE)) == 1


def test_a_field_named_like_a_client_keyword_gets_a_trailing_underscore(tmp_path: Path) -> None:
    toy = toy_spec_dir(tmp_path / "spec") / "families" / "toy.yaml"
    text = toy.read_text(encoding="utf-8")
    anchor = "  - {name: ratio, type: string, source: *src}\n"
    toy.write_text(text.replace(anchor, anchor + "  - {name: timeout, type: number, source: *src}\n"), encoding="utf-8")
    spec = load_spec(tmp_path / "spec")
    family = next(f for f in spec.families if f.id == "toy")
    model = next(md for md in family.models if md.id == "toy-1")
    overload = client_emitter._overload(spec, family, model, "POST /v1/toy/generations")
    clash = [p for p in overload.params if p.wire == "timeout"]
    assert [(p.name, p.wire) for p in clash] == [("timeout_", "timeout")]
    entry = _arg_doc(overload.doc, "timeout_")
    assert "Sent as ``timeout`` (``timeout`` is a client keyword)" in entry


def test_the_runtime_sends_a_trailing_underscore_keyword_under_its_field_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(_fields.FIELDS, "seedance2.0-720p", _fields.FIELDS["seedance2.0-720p"] | {"timeout"})
    with mock_api() as mock:
        with client(mock.base_url) as api:
            api.videos.create(model="seedance2.0-720p", prompt="x", duration=5, timeout_=30, validate=False)  # type: ignore[call-overload]
        (sent,) = calls(mock, *CREATE)
        assert sent["body"]["timeout"] == 30 and "timeout_" not in sent["body"]
    assert {"timeout", "endpoint", "validate"} <= _resources.CLIENT_KEYWORDS


def _models_of(variant: Any) -> list[str]:
    """The model IDs an overload's ``model: Literal[...]`` names."""
    annotation = inspect.signature(variant).parameters["model"].annotation
    return re.findall(r"'([^']+)'", str(annotation))


def test_every_create_overload_has_a_docstring_from_the_spec() -> None:
    from uniall._resources import SyncVideos

    classes = create_resource_classes(_resources, _spec.MODELS)
    assert len(classes) >= 6, classes  # images, videos, audio: sync and async
    for resource in classes:
        overloads = typing.get_overloads(resource.create)
        name = resource.__name__.removeprefix("Sync").removeprefix("Async").lower()
        routes = sorted(mid for mid, route in _spec.MODELS.items() if route.resource == name)
        assert sorted(mid for v in overloads for mid in _models_of(v)) == routes  # each model in one overload
        for variant in overloads:
            doc = inspect.getdoc(variant)
            assert doc is not None and "Args:" in doc and "Source: https://" in " ".join(doc.split())
            assert all(f"``{mid}``" in doc.split("\n", 1)[0] for mid in _models_of(variant))
    seedance = next(v for v in typing.get_overloads(SyncVideos.create) if "seedance2.0-720p" in _models_of(v))
    doc = inspect.getdoc(seedance)
    assert doc is not None
    duration = _arg_doc(doc, "duration")
    assert "Required." in duration and "Allowed for these models: 4 to 15; as strings: '4'" in duration
    assert "Modes: image-to-video" in _arg_doc(doc, "image")


def test_models_sharing_a_signature_share_one_overload() -> None:
    from uniall._resources import SyncVideos

    overloads = typing.get_overloads(SyncVideos.create)
    models = [mid for v in overloads for mid in _models_of(v)]
    assert len(overloads) < len(models)  # 61 video models, fewer overloads: a shorter "no overload matches" report
    seedance = next(v for v in overloads if "seedance2.0-720p" in _models_of(v))
    assert _models_of(seedance) == ["seedance2.0-720p", "seedance2.0-fast-720p"]  # both 720p: size Literal['720p']
