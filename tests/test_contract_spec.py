"""The contract part of the spec (auth, headers, encodings, responses, error bodies, task payloads):
each mistake fails the load naming file, line and key; the real spec's contract is complete enough
for the emitters (every endpoint authenticates, every response has a source, every reference resolves)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import catalog
from generator import model as m
from generator.loader import SpecError, load_spec

from .conftest import ROOT

KLING = "{page: site-docs/models/video/kling.md, section: Basic Information}"
WITH_SOURCE = f"        description: The submitted task.\n        source: {KLING}\n"
WITHOUT_SOURCE = "        description: The submitted task.\n"
DEMO = """\
family: demo
title: Demo
category: video
pages: [site-docs/models/video/kling.md]
endpoints:
  - method: POST
    path: /v1/video/generations
    kind: create
    source: {page: site-docs/models/video/kling.md, section: Basic Information}
    responses:
      - status: "200"
        shape: VideoTask
        description: The submitted task.
        source: {page: site-docs/models/video/kling.md, section: Basic Information}
      - status: "401"
        error: success-false
        messages: [Token not provided]
        description: No key.
        source: {page: site-docs/models/video/kling.md, section: Basic Information}
models:
  - id: demo-1
    status: current
    modes: [text-to-video]
    endpoints: [{endpoint: POST /v1/video/generations, status: recommended}]
    source: {page: site-docs/models/video/kling.md, section: Basic Information}
"""


@pytest.fixture
def spec_dir(tmp_path: Path) -> Path:
    (tmp_path / "families").mkdir()
    shutil.copy(ROOT / "spec" / "common.yaml", tmp_path / "common.yaml")
    (tmp_path / "families" / "demo.yaml").write_text(DEMO)
    return tmp_path


def _problems_after(spec_dir: Path, old: str, new: str) -> tuple[Path, list[str]]:
    path = spec_dir / "families" / "demo.yaml"
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(SpecError) as caught:
        load_spec(spec_dir)
    return path, [str(p) for p in caught.value.problems]


def test_the_demo_contract_loads(spec_dir: Path) -> None:
    spec = load_spec(spec_dir)
    assert [(r.status, r.shape, r.error) for r in spec.endpoint("POST /v1/video/generations").responses] == [
        ("200", "VideoTask", None),
        ("401", None, "success-false"),
    ]


@pytest.mark.parametrize(
    ("old", "new", "pointer", "words"),
    [
        pytest.param(
            WITH_SOURCE,
            WITHOUT_SOURCE,
            "/endpoints/0/responses/0",
            "'source' is a required property",
            id="response-without-source",
        ),
        pytest.param(
            "shape: VideoTask",
            "shape: NoSuchShape",
            "/endpoints/0/responses/0/shape",
            "unknown response shape",
            id="unknown-shape",
        ),
        pytest.param(
            "error: success-false",
            "error: teapot",
            "/endpoints/0/responses/1/error",
            "unknown error body",
            id="unknown-error-body",
        ),
        pytest.param(
            "messages: [Token not provided]",
            "messages: [Token went missing]",
            "/endpoints/0/responses/1/messages/0",
            "not a documented message",
            id="undocumented-error-message",
        ),
        pytest.param(
            '      - status: "401"\n',
            '      - status: "401"\n        variant: anthropic\n',
            "/endpoints/0/responses/1/variant",
            "unknown variant",
            id="unknown-variant",
        ),
        pytest.param(
            "    kind: create\n",
            "    kind: create\n    security: [carrier-pigeon]\n",
            "/endpoints/0/security/0",
            "unknown security scheme",
            id="unknown-security-scheme",
        ),
        pytest.param(
            '      - status: "200"\n        shape: VideoTask\n',
            '      - status: "200"\n        shape: VideoTask\n        models: [demo-2]\n',
            "/endpoints/0/responses/0/models/0",
            "not documented on",
            id="response-for-unknown-model",
        ),
        pytest.param(
            "    kind: create\n",
            f"    kind: create\n    encodings:\n      - media_type: text/csv\n        source: {KLING}\n",
            "/endpoints/0/encodings/0/media_type",
            "is not one of",
            id="unknown-encoding",
        ),
    ],
)
def test_a_contract_mistake_names_file_line_and_pointer(
    spec_dir: Path, old: str, new: str, pointer: str, words: str
) -> None:
    path, problems = _problems_after(spec_dir, old, new)
    assert any(p.startswith(f"{path}:") and f" at {pointer}" in p and words in p for p in problems), problems


def test_uniall_spec_check_rejects_a_response_without_a_source(spec_dir: Path) -> None:
    path = spec_dir / "families" / "demo.yaml"
    path.write_text(
        DEMO.replace(
            WITH_SOURCE,
            WITHOUT_SOURCE,
        )
    )
    done = subprocess.run(
        [sys.executable, "-m", "generator.cli", "check", "--spec", str(spec_dir)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert "/endpoints/0/responses/0" in done.stdout + done.stderr
    assert "'source' is a required property" in done.stdout + done.stderr


def test_every_endpoint_authenticates_and_the_default_is_required(spec: m.Spec) -> None:
    assert spec.default_security and spec.default_security_source is not None
    for endpoint in spec.endpoints:
        schemes = spec.security_of(endpoint)
        assert schemes, endpoint.id
        assert any(s.kind == "bearer" and s.name == "Authorization" for s in schemes), endpoint.id


def test_the_model_list_variants_are_selected_by_documented_parameters(spec: m.Spec) -> None:
    models = spec.endpoint("GET /v1/models")
    by_id = {v.id: v for v in models.variants}
    assert by_id["openai"].default
    assert set(by_id["anthropic"].selected_by_all) == {"x-api-key", "anthropic-version"}
    assert set(by_id["gemini"].selected_by_any) == {"x-goog-api-key", "key"}
    assert {r.variant for r in models.responses if r.status == "200"} == {"openai", "anthropic", "gemini"}


def test_multipart_is_offered_where_the_docs_upload_files(spec: m.Spec) -> None:
    edits = spec.endpoint("POST /v1/images/edits")
    multipart = [e for e in edits.encodings if e.media_type == "multipart/form-data"]
    assert multipart and multipart[0].models == ("grok-imagine-image",) and multipart[0].file_fields == ("image",)
    tasks = spec.endpoint("POST /v1/images/tasks")
    assert {"gpt-image-2", "NanoBanana2-1K"} <= {x for e in tasks.encodings for x in e.models}


def test_every_create_and_query_endpoint_has_a_response_or_says_why_not(spec: m.Spec) -> None:
    """An endpoint documented with a response example has a 200; an empty one is recorded as undocumented."""
    for endpoint in spec.endpoints:
        ok = [r for r in endpoint.responses if r.status == "200"]
        assert ok, f"{endpoint.id} has no 200 response"


def test_stats_count_the_contract(spec: m.Spec) -> None:
    counts = catalog.summary(spec)
    assert counts["security_schemes"] == len(spec.security_schemes) == 4
    assert counts["responses"] == sum(len(e.responses) for e in spec.endpoints) > 50
    assert counts["encodings"] >= 4 and counts["headers"] >= 1 and counts["header_variants"] == 3
    assert counts["error_bodies"] == 2 and counts["error_messages"] == 8
    assert counts["task_chunk_forms"] == 2
    assert sum(counts["responses_by_kind"].values()) == counts["responses"]
    done = subprocess.run(
        [sys.executable, "-m", "generator.cli", "stats", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert json.loads(done.stdout)["responses"] == counts["responses"]
