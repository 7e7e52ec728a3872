"""The drift check: one docs edit at a time, each named in the report; harmless edits are not drift."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import drift as d
from generator import model as m
from generator.cli import main
from generator.docs_facts import page_facts, sections, tables
from generator.docs_snapshot import parse_snapshot
from generator.drift_impact import annotate

from .conftest import ROOT, SNAPSHOT_PATH

LOCK = ROOT / "spec" / "sources" / d.LOCK_NAME
PINNED = SNAPSHOT_PATH.read_text(encoding="utf-8")

SEEDANCE = "site-docs/models/video/seedance-2-0/create-task.md"
WAN_TABLE = "site-docs/models/video/wan-2-6/duration-table.md"
VEO = "site-docs/models/video/veo-3-1.md"
SEEDREAM = "site-docs/models/image/seedream.md"
VEO_QUERY = "site-docs/models/video/veo-3-1/query-task.md"

WAN_VIDEO_ROW = "| `wan2.6-video-1080p`| text-to-video / image-to-video | Required |`5`, `10`, `15` |"
WAN_R2V_720 = "| `wan2.6-r2v-720p`| reference video | Required |`5`, `10` |"
WAN_R2V_1080 = "| `wan2.6-r2v-1080p`| reference video | Required |`5`, `10` |"


@pytest.fixture(scope="module")
def baseline() -> d.Baseline:
    return d.load_lock(LOCK)


def edited(old: str, new: str, count: int = 1) -> str:
    assert PINNED.count(old) >= 1, f"the snapshot no longer holds {old!r}"
    return PINNED.replace(old, new, count)


def without_page(title: str, url: str) -> str:
    start = PINNED.index(f"--- # {title} Locale: en URL: {url} ")
    end = PINNED.index(" --- # ", start + 5)
    return PINNED[:start] + PINNED[end + 1 :]


_CACHE: dict[str, list[d.DriftItem]] = {}


def drift_of(text: str, baseline: d.Baseline, spec: m.Spec) -> list[d.DriftItem]:
    if text not in _CACHE:
        snapshot = parse_snapshot(text)
        items = d.compare(baseline, d.current_against(snapshot, text, baseline))
        annotate(items, spec, snapshot, ROOT / "spec")
        _CACHE[text] = items
    return _CACHE[text]


def facts_only(items: list[d.DriftItem]) -> list[d.DriftItem]:
    return [i for i in items if not i.review]


# ---- the baseline ------------------------------------------------------------------------------


def test_the_lock_is_the_extraction_of_the_pinned_snapshot(baseline: d.Baseline) -> None:
    current = d.baseline_of(parse_snapshot(PINNED), PINNED)
    assert current.docs_sha256 == json.loads((ROOT / "spec/sources/snapshot.lock.json").read_text())["sha256"]
    assert baseline == current, "the extractor changed: review, then run `uniall-spec drift --update-lock`"


def test_the_pinned_snapshot_reports_no_drift(baseline: d.Baseline, spec: m.Spec) -> None:
    assert drift_of(PINNED, baseline, spec) == []


def test_the_extractor_finds_every_kind_of_fact(baseline: d.Baseline) -> None:
    counts = d.fact_counts(baseline.facts)
    assert set(counts) == {"model", "endpoint", "enum", "set", "range", "size", "limit", "required"}
    assert counts["model"] > 500 and counts["required"] > 500 and counts["endpoint"] > 300
    assert len(baseline.pages) == 102


def test_facts_from_a_parameter_table_are_keyed_by_row_and_column() -> None:
    page = parse_snapshot(PINNED).find(SEEDANCE)
    assert page is not None
    facts = {(f.section, f.subject, f.kind): f.values for f in page_facts(page)}
    assert facts[("3. Models and Allowed Values", "seedance2.0-720p [duration]", "range")] == ("4..15",)
    aspect = facts[("3. Models and Allowed Values", "seedance2.0-720p [aspect_ratio]", "enum")]
    assert set(aspect) == {"auto", "21:9", "16:9", "4:3", "1:1", "3:4", "9:16"}
    assert facts[("4.1 Required Parameters", "duration [required]", "required")] == ("yes",)
    assert facts[("5.2 Image Item", "image `role` allowed values", "enum")] == (
        "first_frame",
        "image",
        "last_frame",
        "reference_image",
    )
    assert ("1. Public Models", "POST /v1/videos/generations", "endpoint") in facts
    assert ("1. Public Models", "seedance2.0-mini-720p", "model") in facts


def test_folded_tables_with_empty_cells_keep_their_columns() -> None:
    page = parse_snapshot(PINNED).find(SEEDANCE)
    assert page is not None
    header = next(s for s in sections(page) if s.title == "Header Parameters")
    (table,) = tables(header.prose)
    assert table.headers == ("Name", "Type", "Required", "Description", "Example")
    assert table.rows == (("`Authorization`", "string", "No", "", "Bearer {your_token}"),)


# ---- one edit at a time -------------------------------------------------------------------------

EDITS = {
    "model row added": (
        edited(WAN_VIDEO_ROW, WAN_VIDEO_ROW + " | `wan2.6-video-4k`| text-to-video | Required |`5`, `10` |"),
        ("model added", WAN_TABLE, "en", "wan2.6-video-4k"),
    ),
    "model removed": (
        edited("| `veo3.1-fast-video-4k` | Fast 4K. |", ""),
        ("model removed", VEO, "en", "veo3.1-fast-video-4k"),
    ),
    "duration set changed": (
        edited(WAN_VIDEO_ROW, WAN_VIDEO_ROW.replace("`5`, `10`, `15`", "`5`, `10`, `12`")),
        ("set changed", WAN_TABLE, "en", "wan2.6-video-1080p [allowed values]"),
    ),
    "enum value removed": (
        edited(
            "| `seedance2.0-480p`| standard |`480p`|`4` `15` integer |`auto`/`21:9`/",
            "| `seedance2.0-480p`| standard |`480p`|`4` `15` integer |`auto`/",
        ),
        ("enum value removed", SEEDANCE, "en", "seedance2.0-480p [aspect_ratio]"),
    ),
    "numeric limit changed": (
        edited("| reference up to | `10` |", "| reference up to | `12` |"),
        ("limit changed", SEEDREAM, "en", "reference up to [value]"),
    ),
    "change only in the Chinese page": (
        edited(
            "| `seedance2.0-480p` | 标准版 | `480p` | `4` 到 `15` 的整数 |",
            "| `seedance2.0-480p` | 标准版 | `480p` | `4` 到 `12` 的整数 |",
        ),
        ("range changed", SEEDANCE, "zh-CN", "seedance2.0-480p [允许 duration]"),
    ),
    "required flag changed": (
        edited("| `duration`| integer | Yes |`4` `15` integer |", "| `duration`| integer | No |`4` `15` integer |"),
        ("required flag changed", SEEDANCE, "en", "duration [required]"),
    ),
    "endpoint added": (
        edited(
            "Fast 4K. | ## Endpoint ```http POST /v1/video/generations GET /v1/videos/{task_id} ```",
            "Fast 4K. | ## Endpoint ```http POST /v1/video/generations GET /v1/videos/{task_id} "
            "DELETE /v1/videos/{task_id} ```",
        ),
        ("endpoint added", VEO, "en", "DELETE /v1/videos/{task_id}"),
    ),
    "whole page removed": (
        without_page("Query Video Task", "https://docs.uniall.ai/models/video/veo-3-1/query-task"),
        ("page removed", VEO_QUERY, "en", ""),
    ),
}


@pytest.mark.parametrize("name", list(EDITS))
def test_each_edit_is_named_by_the_report(name: str, baseline: d.Baseline, spec: m.Spec) -> None:
    text, (kind, page, locale, subject) = EDITS[name]
    items = drift_of(text, baseline, spec)
    assert [(i.kind, i.page, i.locale, i.subject) for i in items if i.kind == kind] == [(kind, page, locale, subject)]
    assert all((i.page, i.locale) == (page, locale) for i in items), "an edit of one page moved facts elsewhere"
    (item,) = [i for i in items if i.kind == kind]
    assert item.spec_files, "each item names the spec file that covers the page"
    assert item.kind in d.render_text(items) and item.page in d.render_markdown(items)


def test_items_name_the_rules_that_state_the_changed_fact(baseline: d.Baseline, spec: m.Spec) -> None:
    by_name = {name: drift_of(text, baseline, spec) for name, (text, _) in EDITS.items() if name != "model removed"}
    (zh,) = facts_only(by_name["change only in the Chinese page"])
    assert zh.rules == ["seedance.duration-range", "seedance.duration-range-string"] and zh.spec_files == [
        "spec/families/seedance.yaml"
    ]
    assert zh.added == ("4..12",) and zh.removed == ("4..15",)
    (enum,) = by_name["enum value removed"]
    assert "seedance.aspect-ratio-enum" in enum.rules and enum.removed == ("21:9",)
    (page,) = by_name["whole page removed"]
    assert page.spec_files == ["spec/families/veo.yaml"]
    added = [i for i in by_name["model row added"] if i.kind == "model added"]
    assert added[0].detail == "not in the spec"


def test_whitespace_only_edits_are_not_drift(baseline: d.Baseline, spec: m.Spec) -> None:
    text = PINNED.replace(" | ", " |  ").replace(" ## ", "\n\n## ").replace("``` ", "```\n")
    assert drift_of(text, baseline, spec) == []


def test_the_newline_form_of_the_same_docs_is_not_drift(baseline: d.Baseline, spec: m.Spec) -> None:
    text = PINNED.replace(" --- # ", "\n---\n# ").replace(" | | ", " |\n| ").replace(" - ", "\n- ")
    assert text.count("\n") > 2000
    assert drift_of(text, baseline, spec) == []


def test_reordered_table_rows_are_review_only(baseline: d.Baseline, spec: m.Spec) -> None:
    items = drift_of(edited(f"{WAN_R2V_720} {WAN_R2V_1080}", f"{WAN_R2V_1080}\n{WAN_R2V_720}"), baseline, spec)
    assert [(i.kind, i.page, i.locale) for i in items] == [("page changed", WAN_TABLE, "en")]
    assert facts_only(items) == []


def test_a_reworded_table_cell_with_the_same_values_is_review_only(baseline: d.Baseline, spec: m.Spec) -> None:
    text = edited("| Text-to-video accepts `16:9` or `9:16`.", "| For text-to-video, pass `16:9` or `9:16` only.")
    assert [i.kind for i in drift_of(text, baseline, spec)] == ["page changed"]


def test_a_page_that_moved_is_one_review_item(baseline: d.Baseline, spec: m.Spec) -> None:
    old = "Source: site-docs/models/video/veo-3-1/query-task.md"
    items = drift_of(edited(old, "Source: site-docs/models/video/veo/query.md"), baseline, spec)
    assert [(i.kind, i.page, i.detail) for i in items] == [
        ("page moved", "site-docs/models/video/veo/query.md", f"was {VEO_QUERY}")
    ]


# ---- the command ---------------------------------------------------------------------------------


def test_cli_exit_codes_and_formats(tmp_path: Path) -> None:
    runner = CliRunner()
    clean = runner.invoke(main, ["drift"])
    assert clean.exit_code == 0, clean.output
    assert clean.output.startswith("no drift")

    docs = tmp_path / "docs.txt"
    docs.write_text(EDITS["change only in the Chinese page"][0], encoding="utf-8")
    result = runner.invoke(main, ["drift", "--docs", str(docs), "--format", "json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    assert report["drift"] is True
    assert [(i["kind"], i["locale"], i["rules"]) for i in report["items"]] == [
        ("range changed", "zh-CN", ["seedance.duration-range", "seedance.duration-range-string"])
    ]

    lock = tmp_path / "facts.lock.json"
    updated = runner.invoke(main, ["drift", "--docs", str(docs), "--update-lock", "--lock", str(lock)])
    assert updated.exit_code == 0 and lock.is_file()
    # The new baseline is recorded, with a warning: the spec still says 4..15 for that model.
    assert "warning: the spec does not cover the new docs" in updated.stderr
    assert "seedance.duration-range, seedance.duration-range-string still state(s) 4..15" in updated.stderr
    assert runner.invoke(main, ["drift", "--docs", str(docs), "--lock", str(lock)]).exit_code == 0
    # The real lock still stands for the pinned snapshot.
    assert runner.invoke(main, ["drift", "--lock", str(lock), "--format", "markdown"]).exit_code == 1


@pytest.mark.parametrize(
    "docs, message",
    [
        ("missing/llms-full.txt", "cannot read"),
        ("http://127.0.0.1:9/llms-full.txt", "cannot fetch"),
        ("README.md", "holds no doc pages"),
    ],
)
def test_unreadable_docs_exit_2_with_a_message(docs: str, message: str) -> None:
    result = CliRunner().invoke(main, ["drift", "--docs", str(ROOT / docs) if "://" not in docs else docs])
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_a_missing_lock_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["drift", "--lock", str(tmp_path / "none.json")])
    assert result.exit_code == 2 and "--update-lock" in result.output


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_the_impact_names_the_rules_that_state_the_fact_first_with_file_and_line(
    baseline: d.Baseline, spec: m.Spec
) -> None:
    (item,) = facts_only(drift_of(EDITS["change only in the Chinese page"][0], baseline, spec))
    seedance = ROOT / "spec" / "families" / "seedance.yaml"
    first = item.impact[:2]
    assert [(e.kind, e.id, e.rank) for e in first] == [
        ("rule", "seedance.duration-range", 1),
        ("rule", "seedance.duration-range-string", 1),
    ]
    assert first[0].where == f"spec/families/seedance.yaml:{_line_of(seedance, '- id: seedance.duration-range')}"
    assert item.conflicts[0] == "seedance.duration-range-conflict"
    # Related entries (same page and field, the model's entry) follow, never among the rules.
    related = {(e.kind, e.id) for e in item.impact if e.rank == 3}
    assert ("model", "seedance2.0-480p") in related and ("field", "seedance.duration") in related
    assert "seedance.duration-required" not in item.rules and "seedance.duration-below-5" not in item.rules
    text = d.render_text([item])
    assert f"rules:     seedance.duration-range ({first[0].where})" in text
    assert "conflicts: seedance.duration-range-conflict (spec/families/seedance.yaml:" in text
    header = d.render_markdown([item]).splitlines()[6]
    assert header == "| kind | page | section | subject | change | rules | conflicts | related |"
    data = json.loads(d.render_json([item]))["items"][0]
    assert data["impact"][0] == {**first[0].to_dict()} and data["rules"] == item.rules


def test_a_duration_set_change_names_the_rule_of_that_model(baseline: d.Baseline, spec: m.Spec) -> None:
    (item,) = facts_only(drift_of(EDITS["duration set changed"][0], baseline, spec))
    assert item.rules == ["wan.duration-video"]
