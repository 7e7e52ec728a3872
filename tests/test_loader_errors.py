"""Each kind of spec mistake fails the load with the file, the line and the key, never a traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.loader import SpecError, load_spec

from .conftest import ROOT

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
models:
  - id: demo-1
    status: current
    modes: [text-to-video]
    endpoints: [{endpoint: POST /v1/video/generations, status: recommended}]
    source: {page: site-docs/models/video/kling.md, section: Basic Information}
fields:
  - name: duration
    type: integer
    source: {page: site-docs/models/video/kling.md, section: Basic Information}
rules:
  - id: demo.duration-set
    kind: enum
    field: duration
    values: [5, 10]
    applies_to: {models: [demo-1]}
    message: duration must be 5 or 10.
    source: {page: site-docs/models/video/kling.md, section: Basic Information}
"""


@pytest.fixture
def spec_dir(tmp_path: Path) -> Path:
    (tmp_path / "families").mkdir()
    shutil.copy(ROOT / "spec" / "common.yaml", tmp_path / "common.yaml")
    (tmp_path / "families" / "demo.yaml").write_text(DEMO)
    return tmp_path


def _edit(spec_dir: Path, old: str, new: str, name: str = "demo.yaml") -> Path:
    path = spec_dir / "families" / name
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))
    return path


def _problems(spec_dir: Path) -> list[str]:
    with pytest.raises(SpecError) as caught:
        load_spec(spec_dir)
    return [str(p) for p in caught.value.problems]


def test_the_demo_spec_loads(spec_dir: Path) -> None:
    spec = load_spec(spec_dir)
    assert [m.id for m in spec.models] == ["demo-1"]
    assert spec.rules[0].values == (5, 10)


@pytest.mark.parametrize(
    ("old", "new", "line", "pointer", "words"),
    [
        pytest.param(
            "    values: [5, 10]\n",
            "    values: [5, 10]\n    colour: red\n",
            25,
            "/rules/0/colour",
            "unknown key 'colour'",
            id="unknown-key",
        ),
        pytest.param(
            "status: current", "status: retired", 12, "/models/0/status", "'retired' is not one of", id="bad-enum-value"
        ),
        pytest.param(
            "    field: duration\n",
            "    field: durration\n",
            23,
            "/rules/0/field",
            "'durration' is not a declared field",
            id="rule-names-undefined-field",
        ),
        pytest.param(
            "modes: [text-to-video]",
            "modes: [telepathy]",
            13,
            "/models/0/modes/0",
            "unknown mode 'telepathy'",
            id="undefined-mode",
        ),
        pytest.param(
            "{endpoint: POST /v1/video/generations, status",
            "{endpoint: POST /v1/video/generationz, status",
            14,
            "/models/0/endpoints/0/endpoint",
            "undeclared endpoint",
            id="bad-endpoint-reference",
        ),
        pytest.param(
            "applies_to: {models: [demo-1]}",
            "applies_to: {models: [demo-2]}",
            25,
            "/rules/0/applies_to/models/0",
            "'demo-2' is not a model",
            id="rule-names-unknown-model",
        ),
        pytest.param(
            "  - id: demo.duration-set",
            "  - id: other.duration-set",
            21,
            "/rules/0/id",
            "must start with 'demo.'",
            id="rule-id-outside-family",
        ),
        pytest.param(
            "    values: [5, 10]\n",
            "    values_from: no-such-set\n",
            24,
            "/rules/0/values_from",
            "unknown vocabulary",
            id="unknown-vocabulary",
        ),
        pytest.param(
            "    kind: enum\n    field: duration\n    values: [5, 10]\n",
            "    kind: media_url\n    field: duration\n",
            23,
            "/rules/0/field",
            "declares no `media:`",
            id="media-rule-on-a-field-without-media",
        ),
        pytest.param(
            "    type: integer\n",
            "    type: string\n    media: {kind: image, accepts: url, limits: [{limit: fps, values: [x]}]}\n",
            19,
            "/fields/0/media",
            "'source' is a required property",
            id="media-declaration-without-source",
        ),
        pytest.param("title: Demo\n", "title: Demo\ntitle: Again\n", 3, "", "duplicate", id="duplicate-yaml-key"),
        pytest.param("rules:\n", "rules: [\n", 21, "", "YAML syntax", id="yaml-syntax"),
    ],
)
def test_a_mistake_is_reported_with_file_line_and_pointer(
    spec_dir: Path, old: str, new: str, line: int, pointer: str, words: str
) -> None:
    path = _edit(spec_dir, old, new)
    problems = _problems(spec_dir)
    assert any(
        p.startswith(f"{path}:{line}") and (not pointer or f" at {pointer}" in p) and words in p for p in problems
    ), problems


def test_duplicate_model_id_across_files(spec_dir: Path) -> None:
    twin = (spec_dir / "families" / "demo.yaml").read_text().replace("family: demo", "family: twin")
    twin = twin.replace("demo.duration-set", "twin.duration-set")
    (spec_dir / "families" / "twin.yaml").write_text(twin)
    problems = _problems(spec_dir)
    assert any("twin.yaml:11 at /models/0/id: duplicate model ID 'demo-1' (also in demo)" in p for p in problems), (
        problems
    )


def test_endpoint_declared_twice_with_different_kind(spec_dir: Path) -> None:
    twin = (spec_dir / "families" / "demo.yaml").read_text().replace("family: demo", "family: twin")
    twin = twin.replace("demo.duration-set", "twin.duration-set").replace("id: demo-1", "id: twin-1")
    twin = twin.replace("models: [demo-1]", "models: [twin-1]").replace("kind: create", "kind: query")
    (spec_dir / "families" / "twin.yaml").write_text(twin)
    problems = _problems(spec_dir)
    assert any("twin.yaml:8 at /endpoints/0/kind" in p and "'query' here but 'create' in demo" in p for p in problems)


def test_conflict_naming_an_unknown_rule(spec_dir: Path) -> None:
    quote = "{page: site-docs/models/video/kling.md, section: Basic Information}, quote: Kling"
    conflict = (
        "conflicts:\n  - id: demo.c\n    topic: t\n    reading: r\n    reason: why\n    rules: [demo.nope]\n"
        f"    claims:\n      - {{source: {quote}}}\n      - {{source: {quote}}}\n"
    )
    path = spec_dir / "families" / "demo.yaml"
    path.write_text(path.read_text() + conflict)
    problems = _problems(spec_dir)
    assert any(f"{path}:33 at /conflicts/0/rules/0: conflict names unknown rule 'demo.nope'" in p for p in problems)


def test_range_with_crossed_bounds(spec_dir: Path) -> None:
    _edit(
        spec_dir,
        "    kind: enum\n    field: duration\n    values: [5, 10]\n",
        "    kind: range\n    field: duration\n    minimum: 10\n    maximum: 5\n",
    )
    assert any("lower bound 10 is above upper bound 5" in p for p in _problems(spec_dir))


def test_every_problem_is_reported_not_just_the_first(spec_dir: Path) -> None:
    _edit(spec_dir, "    field: duration\n", "    field: durration\n")
    _edit(spec_dir, "modes: [text-to-video]", "modes: [telepathy]")
    assert len(_problems(spec_dir)) == 2


def test_cli_reports_a_broken_spec_without_a_traceback(spec_dir: Path) -> None:
    _edit(spec_dir, "status: current", "status: retired")
    run = subprocess.run(
        [sys.executable, "-m", "generator.cli", "check", "--spec", str(spec_dir)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert f"{spec_dir / 'families' / 'demo.yaml'}:12 at /models/0/status" in run.stderr
