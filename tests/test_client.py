"""The generated client over real HTTP against a loopback server that plays the documented API.

Specified here: the submit -> poll -> download flow (sync and async), the pre-flight linter, the
typed errors for the documented error bodies, which calls are retried (reads, with backoff and
Retry-After) and which are not (a create that reached the server: a retry would bill twice),
bounded waits, safe downloads, and that the API key never leaks.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .fake_api import (
    FAILED,
    IN_PROGRESS,
    INVALID_TOKEN,
    SUBMITTED,
    TOKEN_DISABLED,
    VIDEO_BYTES,
    Reply,
    completed,
    fake_api,
)
from .support import ROOT

sys.path.insert(0, str(ROOT / "generated" / "python"))

import uniall

KEY = "sk-test-secret-key-0123456789"
GOOD = {"model": "seedance2.0-720p", "prompt": "a lighthouse at dusk", "duration": 5}
CREATE = ("POST", "/v1/video/generations")
QUERY = ("GET", "/v1/videos/task_abc")

# The balance page's success example (site-docs/balance.md, 4. 成功响应示例).
BALANCE_EXAMPLE = {
    "success": True,
    "message": "",
    "data": {
        "object": "api_key_balance",
        "user_id": 1,
        "balance": {
            "quota": 1000000,
            "amount": 14.6,
            "display_amount": "¥14.60",
            "quota_per_unit": 500000,
            "quota_display_type": "CNY",
            "currency_symbol": "¥",
            "exchange_rate": 7.3,
        },
        "token": {
            "id": 12,
            "name": "my-key",
            "remain_quota": 100000,
            "used_quota": 5000,
            "total_quota": 105000,
            "unlimited_quota": False,
            "expired_time": -1,
            "status": 1,
            "model_limits_enabled": False,
            "model_limits": {},
        },
    },
}


def client(base_url: str, **options: Any) -> uniall.Client:
    return uniall.Client(api_key=KEY, base_url=base_url, **options)


def test_submit_poll_and_download_a_video(tmp_path: Path) -> None:
    with fake_api() as (base, script):
        script.on(*CREATE, Reply(body=SUBMITTED))
        script.on(*QUERY, Reply(body=SUBMITTED), Reply(body=IN_PROGRESS), Reply(body=completed(base)))
        script.on("GET", "/media/out.mp4", Reply(raw=VIDEO_BYTES))
        seen: list[tuple[str, float | None]] = []
        with client(base) as api:
            task = api.videos.create(model="seedance2.0-720p", prompt="a lighthouse at dusk", duration=5)
            assert (task.id, task.status) == ("task_abc", "queued")
            done = api.videos.wait(task, poll_interval=0.01, on_progress=lambda t: seen.append((t.status, t.progress)))
            paths = api.videos.download(done, tmp_path / "out")
        assert seen == [("queued", 0.0), ("in_progress", 45.0), ("completed", 100.0)]
        assert done.urls == (f"{base}/media/out.mp4",)
        assert [p.read_bytes() for p in paths] == [VIDEO_BYTES]
        assert not [p for p in (tmp_path / "out").iterdir() if p.suffix == ".part"]
        sent = script.calls[0]
        assert sent[3] == GOOD and sent[2]["Authorization"] == f"Bearer {KEY}"


def test_the_async_client_follows_the_same_flow(tmp_path: Path) -> None:
    async def flow(base: str) -> tuple[uniall.Task, list[Path]]:
        async with uniall.AsyncClient(api_key=KEY, base_url=base) as api:
            task = await api.videos.create_and_wait(
                model="seedance2.0-720p", prompt="a lighthouse at dusk", duration=5, wait_timeout=5
            )
            return task, await api.videos.download(task, tmp_path)

    with fake_api() as (base, script):
        script.on(*CREATE, Reply(body=SUBMITTED))
        script.on(*QUERY, Reply(body=IN_PROGRESS), Reply(body=completed(base)))
        script.on("GET", "/media/out.mp4", Reply(raw=VIDEO_BYTES))
        # the docs' poll cadence (2-5 s) would make this slow: shorten it for the test
        from uniall import _spec

        route = _spec.MODELS["seedance2.0-720p"]
        _spec.MODELS["seedance2.0-720p"] = route._replace(poll_min=0.01, poll_max=0.02)
        try:
            task, paths = asyncio.run(flow(base))
        finally:
            _spec.MODELS["seedance2.0-720p"] = route
    assert task.status == "completed"
    assert paths[0].read_bytes() == VIDEO_BYTES


def test_an_invalid_request_is_rejected_before_anything_is_sent() -> None:
    with fake_api() as (base, script):
        script.on(*CREATE, Reply(body=SUBMITTED))
        with client(base) as api, pytest.raises(uniall.RequestInvalid) as caught:
            api.videos.create(model="seedance2.0-720p", prompt="x", duration=99)  # type: ignore[arg-type]
        assert [v.rule for v in caught.value.violations] == ["seedance.duration-range"]
        assert script.calls == []


def test_validate_false_sends_what_the_linter_would_refuse() -> None:
    with fake_api() as (base, script):
        script.on(*CREATE, Reply(body=SUBMITTED))
        with client(base) as api:
            api.videos.create(model="seedance2.0-720p", prompt="x", duration=99, validate=False)  # type: ignore[arg-type]
        assert script.calls[0][3]["duration"] == 99


@pytest.mark.parametrize(
    ("status", "body", "error", "message"),
    [
        (401, INVALID_TOKEN, uniall.AuthenticationError, "Invalid token"),
        (403, TOKEN_DISABLED, uniall.PermissionDeniedError, "Token invalid"),
        (
            404,
            {"error": {"message": "no such task", "type": "invalid_request_error", "code": "x"}},
            uniall.NotFoundError,
            "no such task",
        ),
        (
            400,
            {
                "error": {
                    "message": "`prompt` is required.",
                    "type": "invalid_request_error",
                    "code": "invalid_request_parameter",
                }
            },
            uniall.BadRequestError,
            "`prompt` is required.",
        ),
    ],
)
def test_documented_error_bodies_become_typed_errors(
    status: int, body: Any, error: type[Exception], message: str
) -> None:
    with fake_api() as (base, script):
        script.on(*QUERY, Reply(status, body))
        with client(base) as api, pytest.raises(error) as caught:
            api.videos.retrieve("task_abc", model="seedance2.0-720p")
    error_raised = caught.value
    assert isinstance(error_raised, uniall.APIStatusError)
    assert error_raised.message == message
    assert str(error_raised) == f"HTTP {status} from GET {base}/v1/videos/task_abc: {message}" + (
        f" [{error_raised.code}]" if error_raised.code else ""
    )
    assert KEY not in repr(error_raised) and KEY not in str(error_raised.__dict__) and KEY not in str(error_raised)


def test_reads_are_retried_on_429_honouring_retry_after_and_on_5xx() -> None:
    with fake_api() as (base, script):
        script.on(
            *QUERY,
            Reply(429, {"error": {"message": "slow down"}}, {"Retry-After": "0"}),
            Reply(503, {}),
            Reply(body=IN_PROGRESS),
        )
        with client(base) as api:
            task = api.videos.retrieve("task_abc", model="seedance2.0-720p")
        assert task.status == "in_progress"
        assert script.count(*QUERY) == 3


def test_reads_give_up_after_max_retries_with_a_typed_error() -> None:
    with fake_api() as (base, script):
        script.on(*QUERY, Reply(500, {"error": {"message": "upstream down"}}))
        with client(base, max_retries=1) as api, pytest.raises(uniall.ServerError):
            api.videos.retrieve("task_abc", model="seedance2.0-720p")
        assert script.count(*QUERY) == 2


def test_a_create_that_reached_the_server_is_not_retried() -> None:
    with fake_api() as (base, script):
        script.on(*CREATE, Reply(500, {"error": {"message": "upstream down"}}))
        with client(base) as api, pytest.raises(uniall.ServerError):
            api.videos.create(model="seedance2.0-720p", prompt="x", duration=5)
        assert script.count(*CREATE) == 1


def test_a_dropped_read_is_retried_and_a_slow_one_times_out() -> None:
    with fake_api() as (base, script):
        script.on(*QUERY, Reply(drop=True), Reply(body=IN_PROGRESS))
        with client(base) as api:
            assert api.videos.retrieve("task_abc", model="seedance2.0-720p").status == "in_progress"
        script.on(*QUERY, Reply(body=IN_PROGRESS, delay=1.0))
        with client(base, timeout=0.2, max_retries=0) as api, pytest.raises(uniall.APITimeoutError):
            api.videos.retrieve("task_abc", model="seedance2.0-720p")


def test_a_failed_task_raises_task_failed_with_the_api_error() -> None:
    with fake_api() as (base, script):
        script.on(*QUERY, Reply(body=FAILED))
        with client(base) as api, pytest.raises(uniall.TaskFailed) as caught:
            api.videos.wait("task_abc", model="seedance2.0-720p", poll_interval=0.01)
    assert caught.value.task.error == "content policy"


def test_every_wait_is_bounded_and_names_the_task() -> None:
    with fake_api() as (base, script):
        script.on(*QUERY, Reply(body=IN_PROGRESS))
        with client(base) as api, pytest.raises(uniall.TaskTimeout) as caught:
            api.videos.wait("task_abc", model="seedance2.0-720p", poll_interval=0.02, timeout=0.1)
    assert caught.value.task_id == "task_abc" and "task_abc" in str(caught.value)


def test_downloads_never_overwrite_and_never_leave_half_files(tmp_path: Path) -> None:
    with fake_api() as (base, script):
        script.on("GET", "/media/out.mp4", Reply(raw=VIDEO_BYTES))
        task = uniall.Task.from_payload(completed(base))
        with client(base) as api:
            (first,) = api.videos.download(task, tmp_path)
            first.write_bytes(b"mine")
            with pytest.raises(uniall.UniAllError, match="exists"):
                api.videos.download(task, tmp_path)
            assert first.read_bytes() == b"mine"
            script.on("GET", "/media/out.mp4", Reply(500, {"error": {"message": "gone"}}))
            with pytest.raises(uniall.ServerError):
                api.videos.download(task, tmp_path / "fresh")
        assert list((tmp_path / "fresh").iterdir()) == []


def test_the_api_key_stays_out_of_reprs_and_plain_http_is_refused_off_this_machine() -> None:
    api = uniall.Client(api_key=KEY, base_url="https://api.example.com")
    assert KEY not in repr(api) and KEY not in repr(api._settings)
    with pytest.raises(uniall.UniAllError, match="plain http"):
        uniall.Client(api_key=KEY, base_url="http://api.example.com")
    uniall.Client(api_key=KEY, base_url="http://localhost:8080").close()
    api.close()


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UNIALL_API_KEY", KEY)
    monkeypatch.setenv("UNIALL_BASE_URL", "https://api.example.com/")
    api = uniall.Client()
    assert api._settings.base_url == "https://api.example.com"
    api.close()
    monkeypatch.delenv("UNIALL_API_KEY")
    with pytest.raises(uniall.UniAllError, match="UNIALL_API_KEY"):
        uniall.Client()


def test_with_options_changes_retries_for_one_call_chain() -> None:
    with fake_api() as (base, script):
        script.on(*QUERY, Reply(500, {}))
        with client(base, max_retries=3) as api, pytest.raises(uniall.ServerError):
            api.with_options(max_retries=0).videos.retrieve("task_abc", model="seedance2.0-720p")
        assert script.count(*QUERY) == 1


def test_account_models_and_voices_cover_the_documented_endpoints() -> None:
    with fake_api() as (base, script):
        script.on(
            "GET",
            "/api/usage/balance",
            Reply(body=BALANCE_EXAMPLE),
        )
        script.on(
            "GET", "/v1/models", Reply(body={"object": "list", "data": [{"id": "grok-imagine"}, {"id": "gpt-image-2"}]})
        )
        script.on("GET", "/v1/audio/voices", Reply(body={"object": "audio.voice.list", "data": []}))
        script.on(
            "POST",
            "/v1/audio/voices/design",
            Reply(body={"object": "audio.voice", "task_id": "task_v", "voice_id": "v1", "status": "completed"}),
        )
        with client(base) as api:
            balance = api.account.balance()
            assert balance.data.object == "api_key_balance"
            assert balance.data.balance.quota_display_type == "CNY" and balance.data.token.remain_quota == 100000
            assert api.models.list() == ["grok-imagine", "gpt-image-2"]
            assert api.voices.list(model="minimax-speech-2.8-hd").object == "audio.voice.list"
            voice = api.voices.design(prompt="A warm narrator", preview_text="Hello there")
        assert voice.status == "completed"
        assert script.calls[2][1] == "/v1/audio/voices?model=minimax-speech-2.8-hd"
        assert script.calls[3][3] == {"prompt": "A warm narrator", "preview_text": "Hello there"}


@pytest.mark.parametrize(
    ("payload", "status", "progress", "urls"),
    [
        ({"task_id": "t", "status": "queued", "progress": "0%"}, "queued", 0.0, ()),
        ({"task_id": "t", "status": "processing", "progress": 35}, "in_progress", 35.0, ()),
        ({"task_id": "t", "status": "in_progress", "raw_status": "IN_PROGRESS"}, "in_progress", None, ()),
        (
            {"task_id": "t", "raw_status": "SUCCESS", "output": {"audio_url": "https://a/b.mp3"}},
            "completed",
            100.0,
            ("https://a/b.mp3",),
        ),
        (
            {
                "code": 0,
                "message": "ok",
                "data": {
                    "task_id": "t",
                    "status": "succeeded",
                    "result_url": "https://a/1.png",
                    "metadata": {"result_urls": ["https://a/1.png", "https://a/2.png"]},
                },
            },
            "completed",
            100.0,
            ("https://a/1.png", "https://a/2.png"),
        ),
        (
            {"id": "t", "status": "completed", "metadata": {"url": "https://a/v.mp4"}},
            "completed",
            100.0,
            ("https://a/v.mp4",),
        ),
        ({"created": 1, "data": [{"url": "https://a/sync.png"}]}, "completed", 100.0, ("https://a/sync.png",)),
        ({"task_id": "t", "status": "failed", "error": {"message": "bad"}}, "failed", None, ()),
    ],
)
def test_task_reads_every_documented_response_shape(
    payload: dict[str, Any], status: str, progress: float | None, urls: tuple[str, ...]
) -> None:
    task = uniall.Task.from_payload(payload)
    assert (task.status, task.progress, task.urls) == (status, progress, urls)


def test_task_normalises_every_response_example_in_the_docs(snapshot: Any) -> None:
    """Every JSON response example with a status reads as one of the four states, never an error."""
    import json
    import re

    decoder = json.JSONDecoder()
    seen = 0
    for page in snapshot.pages:
        for match in re.finditer(r"```json\s*(?=\{)", page.flat):
            try:
                payload, _ = decoder.raw_decode(page.flat[match.end() :])
            except ValueError:
                continue
            if (
                isinstance(payload, dict)
                and isinstance(payload.get("status"), str)
                and payload.get("object") != "audio.voice"
            ):
                if payload["status"] == "active":
                    continue  # a voice record's status, not a task's
                task = uniall.Task.from_payload(payload)
                assert payload["status"].lower() in uniall._contract.TASK_FORMS[""].statuses, (page.page, payload)
                if task.status == "completed" and any(k in payload for k in ("video_url", "audio_url")):
                    assert task.urls, (page.page, payload)
                seen += 1
    assert seen > 30


def test_importing_uniall_does_not_load_httpx_pydantic_or_the_linter() -> None:
    heavy = ["httpx", "pydantic", "uniall._lint", "uniall.params"]
    heavy += ["uniall._resources", "uniall._fields", "uniall._http"]
    code = f"import sys, uniall; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "generated" / "python")},
    )
    assert out.stdout.strip() == "[]"


def test_the_request_models_build_from_a_valid_body() -> None:
    from uniall.types import Seedance20720pVideoGenerationsRequest

    body = Seedance20720pVideoGenerationsRequest.model_validate(GOOD)
    assert body.model_dump(exclude_none=True) == GOOD


def test_uniall_run_lints_submits_waits_and_downloads(tmp_path: Path) -> None:
    request = tmp_path / "request.json"
    request.write_text('{"model": "seedance2.0-720p", "prompt": "a lighthouse", "duration": 5}', encoding="utf-8")
    with fake_api() as (base, script):
        script.on(*CREATE, Reply(body=SUBMITTED))
        script.on(*QUERY, Reply(body=completed(base)))
        script.on("GET", "/media/out.mp4", Reply(raw=VIDEO_BYTES))
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT / "generated" / "python"),
            "UNIALL_API_KEY": KEY,
            "UNIALL_BASE_URL": base,
        }
        run = subprocess.run(
            [sys.executable, "-m", "uniall._cli", "run", str(request), "--out", str(tmp_path / "out")],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "out" / "task_abc-0.mp4").read_bytes() == VIDEO_BYTES
    assert KEY not in run.stdout + run.stderr


def test_uniall_run_refuses_an_invalid_request_with_exit_1(tmp_path: Path) -> None:
    request = tmp_path / "request.json"
    request.write_text('{"model": "seedance2.0-720p", "prompt": "x", "duration": 99}', encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "generated" / "python"),
        "UNIALL_API_KEY": KEY,
        "UNIALL_BASE_URL": "https://api.example.com",
    }
    run = subprocess.run(
        [sys.executable, "-m", "uniall._cli", "run", str(request)], capture_output=True, text=True, env=env, timeout=60
    )
    assert run.returncode == 1
    assert "seedance.duration-range" in run.stderr
