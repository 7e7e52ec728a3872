"""The generated client over real HTTP against the mock (``uniall._mock``, see tests/mock_api.py).

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

import httpx
import pytest

from .fake_api import TOKEN_DISABLED, Reply, fake_api
from .mock_api import KEY, calls, logged_authorization, mock_api, scenario
from .support import ROOT

sys.path.insert(0, str(ROOT / "generated" / "python"))

import uniall
from uniall._mock import SCENARIO_HEADER, MockServer

GOOD = {"model": "seedance2.0-720p", "prompt": "a lighthouse at dusk", "duration": 5}
CREATE = ("POST", "/v1/video/generations")
MP4_BRAND = b"ftyp"

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


def submitted(mock: MockServer) -> uniall.Task:
    """A seedance task created on the mock (the target of the read tests)."""
    with client(mock.base_url) as api:
        return api.videos.create(**GOOD)  # type: ignore[call-overload, no-any-return]


def query_path(task: uniall.Task) -> str:
    return f"/v1/videos/{task.id}"


def test_submit_poll_and_download_a_video(tmp_path: Path) -> None:
    seen: list[tuple[str, float | None]] = []
    body = {"model": "sora2-landscape-4s", "prompt": "a lighthouse at dusk"}  # Sora's page prints progress
    with mock_api(speed=4) as mock:  # ~0.25 s queued, ~0.75 s running: polls every 10 ms see both
        with client(mock.base_url) as api:
            task = api.videos.create(model="sora2-landscape-4s", prompt="a lighthouse at dusk")
            assert task.status == "queued" and task.id in mock.emulator.state.tasks
            done = api.videos.wait(task, poll_interval=0.01, on_progress=lambda t: seen.append((t.status, t.progress)))
            paths = api.videos.download(done, tmp_path / "out")
        served = [httpx.get(url).content for url in done.urls]
        sent = calls(mock, *CREATE)
    assert seen[0] == ("queued", 0.0) and seen[-1] == ("completed", 100.0)
    order = ["queued", "in_progress", "completed"]
    assert [status for status, _ in seen] == sorted((status for status, _ in seen), key=order.index)
    running = [progress for status, progress in seen if status == "in_progress"]
    assert running == sorted(running) and any(p is not None and 0.0 < p < 100.0 for p in running), seen
    assert len(done.urls) == 1 and done.urls[0].startswith(f"{mock.base_url}/__mock/files/{task.id}/")
    assert [p.read_bytes() for p in paths] == served and MP4_BRAND in served[0][:12]
    assert not [p for p in (tmp_path / "out").iterdir() if p.suffix == ".part"]
    assert len(sent) == 1 and sent[0]["body"] == body and sent[0]["headers"]["Authorization"] == logged_authorization()


def test_the_async_client_follows_the_same_flow(tmp_path: Path) -> None:
    async def flow(base: str) -> tuple[uniall.Task, list[Path]]:
        async with uniall.AsyncClient(api_key=KEY, base_url=base) as api:
            task = await api.videos.create_and_wait(
                model="seedance2.0-720p", prompt="a lighthouse at dusk", duration=5, wait_timeout=5
            )
            return task, await api.videos.download(task, tmp_path)

    with mock_api() as mock:
        # the docs' poll cadence (2-5 s) would make this slow: shorten it for the test
        from uniall import _spec

        route = _spec.MODELS["seedance2.0-720p"]
        _spec.MODELS["seedance2.0-720p"] = route._replace(poll_min=0.01, poll_max=0.02)
        try:
            task, paths = asyncio.run(flow(mock.base_url))
        finally:
            _spec.MODELS["seedance2.0-720p"] = route
        served = httpx.get(task.urls[0]).content
    assert task.status == "completed"
    assert paths[0].read_bytes() == served and MP4_BRAND in served[:12]


def test_an_invalid_request_is_rejected_before_anything_is_sent() -> None:
    with mock_api() as mock:
        with client(mock.base_url) as api, pytest.raises(uniall.RequestInvalid) as caught:
            api.videos.create(model="seedance2.0-720p", prompt="x", duration=99)  # type: ignore[arg-type]
        assert [v.rule for v in caught.value.violations] == ["seedance.duration-range"]
        assert calls(mock) == []


def test_validate_false_sends_what_the_linter_would_refuse() -> None:
    with mock_api() as mock:
        with client(mock.base_url) as api, pytest.raises(uniall.BadRequestError):
            api.videos.create(model="seedance2.0-720p", prompt="x", duration=99, validate=False)  # type: ignore[arg-type]
        (sent,) = calls(mock, *CREATE)
    assert sent["body"]["duration"] == 99
    assert [v["rule"] for v in sent["violations"]] == ["seedance.duration-range"]  # the mock lints it too


def _status_error(mock: MockServer, case: str) -> None:
    """Make the call that gets the mock's documented error body for ``case``."""
    if case == "401":
        with uniall.Client(api_key="sk-not-the-key", base_url=mock.base_url) as api:
            api.videos.retrieve("task_abc", model="seedance2.0-720p")
    elif case == "404":
        with client(mock.base_url) as api:
            api.videos.retrieve("task_abc", model="seedance2.0-720p")
    else:
        with client(mock.base_url) as api:
            api.videos.create(model="seedance2.0-720p", duration=5, validate=False)  # type: ignore[call-overload]


@pytest.mark.parametrize(
    ("case", "status", "error", "message"),
    [
        ("401", 401, uniall.AuthenticationError, "Invalid token"),
        ("404", 404, uniall.NotFoundError, "no task 'task_abc' at GET /v1/videos/{task_id}"),
        ("400", 400, uniall.BadRequestError, None),  # the mock's message names the rule that failed
    ],
)
def test_documented_error_bodies_become_typed_errors(
    case: str, status: int, error: type[Exception], message: str | None
) -> None:
    with mock_api() as mock, pytest.raises(error) as caught:
        _status_error(mock, case)
    error_raised = caught.value
    assert isinstance(error_raised, uniall.APIStatusError)
    assert error_raised.status_code == status
    assert error_raised.message == (message or error_raised.body["error"]["message"])
    if case == "400":
        assert error_raised.message.startswith("seedance.prompt-required at /prompt: `prompt` is required")
        assert error_raised.code == "invalid_request_parameter"
        where = "POST /v1/video/generations"
    else:
        where = "GET /v1/videos/task_abc"
    method, path = where.split(" ")
    assert str(error_raised).startswith(f"HTTP {status} from {method} ") and path in str(error_raised)
    assert str(error_raised) == f"HTTP {status} from {method} {mock.base_url}{path}: {error_raised.message}" + (
        f" [{error_raised.code}]" if error_raised.code else ""
    )
    assert KEY not in repr(error_raised) and KEY not in str(error_raised.__dict__) and KEY not in str(error_raised)


def test_a_disabled_key_gets_the_documented_403_as_a_typed_error() -> None:
    """The mock accepts or refuses keys; a disabled one (403 "Token invalid") is only in the docs' example."""
    with fake_api() as (base, script):
        script.on("GET", "/v1/videos/task_abc", Reply(403, TOKEN_DISABLED))
        with client(base) as api, pytest.raises(uniall.PermissionDeniedError) as caught:
            api.videos.retrieve("task_abc", model="seedance2.0-720p")
    assert caught.value.message == "Token invalid"
    assert str(caught.value) == f"HTTP 403 from GET {base}/v1/videos/task_abc: Token invalid"
    assert KEY not in repr(caught.value) and KEY not in str(caught.value.__dict__)


def test_reads_are_retried_on_429_honouring_retry_after_and_on_5xx() -> None:
    with mock_api() as mock:
        task = submitted(mock)
        with client(mock.base_url) as api:
            limited = api.videos.retrieve(task.id, model="seedance2.0-720p", extra_headers=scenario("rate-limit:1"))
            failed_once = api.videos.retrieve(
                task.id, model="seedance2.0-720p", extra_headers=scenario("server-error:1")
            )
        answers = [r["status"] for r in calls(mock, "GET", query_path(task))]
    assert limited.id == task.id and failed_once.id == task.id
    assert answers == [429, 200, 503, 200]


def test_reads_give_up_after_max_retries_with_a_typed_error() -> None:
    with mock_api() as mock:
        task = submitted(mock)
        with client(mock.base_url, max_retries=1) as api, pytest.raises(uniall.ServerError):
            api.videos.retrieve(task.id, model="seedance2.0-720p", extra_headers=scenario("server-error"))
        assert len(calls(mock, "GET", query_path(task))) == 2


def test_a_create_that_reached_the_server_is_not_retried() -> None:
    with mock_api() as mock:
        with client(mock.base_url) as api, pytest.raises(uniall.ServerError):
            api.videos.create(model="seedance2.0-720p", prompt="x", duration=5, extra_headers=scenario("server-error"))
        assert len(calls(mock, *CREATE)) == 1


def test_a_dropped_read_is_retried_and_a_slow_one_times_out() -> None:
    with mock_api() as mock:
        task = submitted(mock)
        with client(mock.base_url) as api:
            again = api.videos.retrieve(task.id, model="seedance2.0-720p", extra_headers=scenario("drop:1"))
        assert again.id == task.id and len(calls(mock, "GET", query_path(task))) == 2
    with mock_api(speed=2) as mock:  # "slow" answers after 2 s / speed = 1 s
        task = submitted(mock)
        with client(mock.base_url, timeout=0.2, max_retries=0) as api, pytest.raises(uniall.APITimeoutError):
            api.videos.retrieve(task.id, model="seedance2.0-720p", extra_headers=scenario("slow"))


def test_a_failed_task_raises_task_failed_with_the_api_error() -> None:
    with mock_api() as mock:
        with client(mock.base_url) as api:
            task = api.videos.create(**GOOD, extra_headers=scenario("fail"))  # type: ignore[call-overload]
            with pytest.raises(uniall.TaskFailed) as caught:
                api.videos.wait(task.id, model="seedance2.0-720p", poll_interval=0.01)
        answered = httpx.get(f"{mock.base_url}{query_path(task)}", headers={"Authorization": f"Bearer {KEY}"}).json()
    assert caught.value.task.error == answered["error"]
    assert caught.value.task.error == f"the mock failed this task as asked ({SCENARIO_HEADER}: fail)"


def test_every_wait_is_bounded_and_names_the_task() -> None:
    with mock_api() as mock, client(mock.base_url) as api:
        task = api.videos.create(model="sora2-landscape-4s", prompt="x", extra_headers=scenario("timeout"))
        with pytest.raises(uniall.TaskTimeout) as caught:
            api.videos.wait(task.id, model="sora2-landscape-4s", poll_interval=0.02, timeout=0.1)
    assert caught.value.task_id == task.id and task.id in str(caught.value)


def test_downloads_never_overwrite_and_never_leave_half_files(tmp_path: Path) -> None:
    with mock_api() as mock:
        with client(mock.base_url) as api:
            task = api.videos.wait(api.videos.create(**GOOD), poll_interval=0.01)  # type: ignore[call-overload]
            (first,) = api.videos.download(task, tmp_path)
            first.write_bytes(b"mine")
            with pytest.raises(uniall.UniAllError, match="exists"):
                api.videos.download(task, tmp_path)
            assert first.read_bytes() == b"mine"
            gone = uniall.Task.from_payload(
                {"task_id": "t", "status": "completed", "video_url": f"{mock.base_url}/__mock/files/gone/0/out.mp4"}
            )
            with pytest.raises(uniall.NotFoundError):
                api.videos.download(gone, tmp_path / "fresh")
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
    with mock_api() as mock:
        task = submitted(mock)
        with client(mock.base_url, max_retries=3) as api, pytest.raises(uniall.ServerError):
            api.with_options(max_retries=0).videos.retrieve(
                task.id, model="seedance2.0-720p", extra_headers=scenario("server-error")
            )
        assert len(calls(mock, "GET", query_path(task))) == 1


def test_account_models_and_voices_cover_the_documented_endpoints() -> None:
    from uniall import _spec
    from uniall.types.responses import Balance

    with mock_api() as mock:
        with client(mock.base_url) as api:
            balance = api.account.balance()
            assert balance.data.object == "api_key_balance"
            assert sorted(api.models.list()) == sorted(_spec.MODELS)  # the mock lists every model of the spec
            assert api.voices.list(model="minimax-speech-2.8-hd").object == "audio.voice.list"
            voice = api.voices.design(prompt="A warm narrator", preview_text="Hello there")
        sent = calls(mock)
    # The documented VoiceCreated shape (no `status` field; the old scripted answer invented one).
    assert voice.object == "audio.voice" and voice.voice_id
    assert (sent[2]["path"], sent[2]["query"]) == ("/v1/audio/voices", {"model": ["minimax-speech-2.8-hd"]})
    assert sent[3]["body"] == {"prompt": "A warm narrator", "preview_text": "Hello there"}
    # The docs' own balance example reads into the same typed model, values intact.
    example = Balance.model_validate(BALANCE_EXAMPLE)
    assert example.data.balance.quota_display_type == "CNY" and example.data.token.remain_quota == 100000


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
    with mock_api() as mock:
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT / "generated" / "python"),
            "UNIALL_API_KEY": KEY,
            "UNIALL_BASE_URL": mock.base_url,
        }
        run = subprocess.run(
            [sys.executable, "-m", "uniall._cli", "run", str(request), "--out", str(tmp_path / "out")],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        (created,) = calls(mock, *CREATE)
        (task_id,) = mock.emulator.state.tasks
        with client(mock.base_url) as api:
            served = httpx.get(api.videos.retrieve(task_id, model="seedance2.0-720p").urls[0]).content
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "out" / f"{task_id}-0.mp4").read_bytes() == served and MP4_BRAND in served[:12]
    assert created["body"] == {"model": "seedance2.0-720p", "prompt": "a lighthouse", "duration": 5}
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
