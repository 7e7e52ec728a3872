"""From docs drift to the spec edit: each mechanical edit kind, applied to a copy of the spec.

One edited copy of the docs holds one edit of each kind (a range bound moved for one model, a
duration set changed, an enum value removed, a model added, a model renamed, a page added). The
test runs ``uniall-spec drift --suggest --apply`` on a copy of the spec, then requires that the
spec checks against the new docs, that the linter compiled from it has a rule case for every rule
the edit touched, and that each changed fact is enforced (the old maximum is now rejected). Harmless
edits (whitespace, reordered rows) give no suggestion; a removed page leaves exactly its citations
for a human, named by ``check``.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from generator import drift as d
from generator import model as m
from generator.cli import main
from generator.doc_examples import examples
from generator.docs_snapshot import parse_snapshot
from generator.drift_impact import annotate, pattern_int_range
from generator.loader import load_spec
from generator.source_check import docs_problems
from generator.suggest import int_range_pattern, suggest
from generator.yaml_edit import YamlFile, merge_lines

from .conftest import ROOT, SNAPSHOT_PATH
from .rule_cases import find_case, manual_cases, valid_bases
from .support import import_linter

PINNED = SNAPSHOT_PATH.read_text(encoding="utf-8")

# One edit of each kind, (old, new, count), all in one copy of the docs.
RANGE_480P = (
    "| `seedance2.0-480p` | 标准版 | `480p` | `4` 到 `15` 的整数 |",
    "| `seedance2.0-480p` | 标准版 | `480p` | `4` 到 `12` 的整数 |",
)
WAN_ROW = "| `wan2.6-video-1080p`| text-to-video / image-to-video | Required |`5`, `10`, `15` |"
WAN_SET = (WAN_ROW, WAN_ROW.replace("`5`, `10`, `15`", "`5`, `10`, `12`"))
WAN_4K = "| `wan2.6-video-4k`| text-to-video | Required |`5`, `10` |"
ASPECT_480P = (
    "| `seedance2.0-480p`| standard |`480p`|`4` `15` integer |`auto`/`21:9`/",
    "| `seedance2.0-480p`| standard |`480p`|`4` `15` integer |`auto`/",
)
GROK_SIZES = (
    "| `grok-video-1.5`| single-image-to-video | supports 1 |`480p`, `720p`, `1080p` |",
    "| `grok-video-1.5`| single-image-to-video | supports 1 |`480p`, `720p`, `1080p`, `2K` |",
)
RENAMED = ("veo3.1-fast-video-4k", "veo3.1-fast-video-uhd")
NEW_PAGE = (
    " --- # Veo 3.2 Notes Locale: en URL: https://docs.uniall.ai/models/video/veo-3-2 "
    "Source: site-docs/models/video/veo-3-2.md Description: Notes. ## Overview Notes on the next release."
)


def _edit(text: str, old: str, new: str, count: int = 1) -> str:
    assert old in text, f"the snapshot no longer holds {old!r}"
    return text.replace(old, new, count)


def edited_docs() -> str:
    text = _edit(PINNED, *RANGE_480P)
    text = _edit(text, WAN_ROW, f"{WAN_SET[1]} {WAN_4K}")
    text = _edit(text, *ASPECT_480P)
    text = _edit(text, *GROK_SIZES)
    text = _edit(text, *RENAMED, count=-1)
    return text + NEW_PAGE


def spec_copy(target: Path) -> Path:
    shutil.copytree(ROOT / "spec", target / "spec")
    return target / "spec"


@pytest.fixture(scope="module")
def applied(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """(spec dir after --apply, the new docs, the command's stderr)."""
    work = tmp_path_factory.mktemp("suggest")
    spec_dir = spec_copy(work)
    docs = work / "llms-full.txt"
    docs.write_text(edited_docs(), encoding="utf-8")
    result = CliRunner().invoke(main, ["drift", "--docs", str(docs), "--spec", str(spec_dir), "--apply"])
    assert result.exit_code == 0, result.output
    return spec_dir, str(docs), result.stderr


@pytest.fixture(scope="module")
def new_spec(applied: tuple[Path, str, str]) -> m.Spec:
    return load_spec(applied[0])


@pytest.fixture(scope="module")
def new_lint(new_spec: m.Spec, tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return import_linter(new_spec, tmp_path_factory.mktemp("lint"), "uniall_lint_after_drift")


def rule_errors(lint: ModuleType, body: dict[str, object]) -> set[str]:
    return {v.rule for v in lint.lint_request(body).errors}


def test_the_applied_spec_checks_against_the_new_docs(applied: tuple[Path, str, str], new_spec: m.Spec) -> None:
    spec_dir, docs, stderr = applied
    problems = docs_problems(spec_dir, new_spec, parse_snapshot(Path(docs).read_text(encoding="utf-8")))
    assert problems == []
    assert "check against" in stderr and ": ok" in stderr
    backups = sorted(p.name for p in spec_dir.rglob("*.bak"))
    assert backups == ["grok.yaml.bak", "seedance.yaml.bak", "veo.yaml.bak", "wan.yaml.bak"]
    assert (spec_dir / "families" / "wan.yaml.bak").read_text() == (ROOT / "spec/families/wan.yaml").read_text()


def test_a_range_moved_for_one_model_splits_the_rule_and_is_enforced(new_spec: m.Spec, new_lint: ModuleType) -> None:
    rules = {r.id: r for r in new_spec.rules}
    split = rules["seedance.duration-range-4-to-12"]
    assert (split.minimum, split.maximum, split.applies_to.models) == (4, 12, ("seedance2.0-480p",))
    assert split.source.quote == "`4` 到 `12` 的整数" and split.source.locale == "zh-CN"
    assert "seedance2.0-480p" not in rules["seedance.duration-range"].applies_to.models
    assert pattern_int_range(rules["seedance.duration-range-string-4-to-12"].pattern or "") == (4, 12)
    base = {"model": "seedance2.0-480p", "prompt": "a lighthouse"}
    assert "seedance.duration-range-4-to-12" in rule_errors(new_lint, {**base, "duration": 15})
    assert "seedance.duration-range-string-4-to-12" in rule_errors(new_lint, {**base, "duration": "13"})
    assert not {r for r in rule_errors(new_lint, {**base, "duration": 12}) if "duration" in r}
    other = {**base, "model": "seedance2.0-720p", "duration": 15}
    assert not {r for r in rule_errors(new_lint, other) if "duration" in r}


def test_a_page_that_still_states_the_old_values_is_named_for_a_conflict(applied: tuple[Path, str, str]) -> None:
    stderr = applied[2]
    assert (
        "todo: spec/families/seedance.yaml seedance.duration-range-4-to-12: the docs still state 4..15 at "
        "site-docs/models/video/seedance-2-0/create-task.md [en] § 3. Models and Allowed Values" in stderr
    )
    text = (applied[0] / "families" / "seedance.yaml").read_text(encoding="utf-8")
    assert "# TODO(drift): the docs still state 4..15 at" in text


def test_a_size_added_to_a_list_is_accepted(new_spec: m.Spec, new_lint: ModuleType) -> None:
    rule = next(r for r in new_spec.rules if r.id == "grok.v15-size-enum")
    assert rule.values == ("480p", "720p", "1080p", "2K") and "480p, 720p, 1080p or 2K" in rule.message
    assert rule.source.quote == "`480p`, `720p`, `1080p`, `2K`" and rule.source.section == "1. Model"
    body = {"model": "grok-video-1.5", "prompt": "x", "image": "https://example.com/a.png"}
    assert rule.id not in rule_errors(new_lint, {**body, "size": "2K"})
    assert rule.id in rule_errors(new_lint, {**body, "size": "4K"})


def test_a_changed_duration_set_is_enforced(new_spec: m.Spec, new_lint: ModuleType) -> None:
    rule = next(r for r in new_spec.rules if r.id == "wan.duration-video-wan2-6-video-1080p")
    assert rule.values == (5, 10, 12, "5", "10", "12")
    assert "5, 10 or 12" in rule.message
    body = {"model": "wan2.6-video-1080p", "prompt": "sunrise"}
    assert rule.id in rule_errors(new_lint, {**body, "duration": 15})
    assert rule.id not in rule_errors(new_lint, {**body, "duration": 12})
    assert "wan.duration-video" not in rule_errors(new_lint, {**body, "model": "wan2.6-video-720p", "duration": 15})


def test_a_removed_enum_value_is_rejected_for_that_model_only(new_lint: ModuleType) -> None:
    body = {"model": "seedance2.0-480p", "prompt": "a lighthouse", "duration": 5, "aspect_ratio": "21:9"}
    assert "seedance.aspect-ratio-enum-seedance2-0-480p" in rule_errors(new_lint, body)
    assert not {r for r in rule_errors(new_lint, {**body, "model": "seedance2.0-720p"}) if "aspect" in r}


def test_a_new_model_is_added_with_a_todo_and_a_renamed_model_everywhere(
    applied: tuple[Path, str, str], new_spec: m.Spec, new_lint: ModuleType
) -> None:
    spec_dir, _, stderr = applied
    models = {md.id: md for md in new_spec.models}
    assert models["wan2.6-video-4k"].modes == models["wan2.6-video-720p"].modes
    assert "# TODO(drift): new model wan2.6-video-4k" in (spec_dir / "families" / "wan.yaml").read_text()
    assert "todo: spec/families/wan.yaml wan2.6-video-4k" in stderr
    unknown = "common.model-unknown"
    assert unknown not in rule_errors(new_lint, {"model": "wan2.6-video-4k", "prompt": "x", "duration": 5})
    assert RENAMED[1] in models and RENAMED[0] not in models
    veo = (spec_dir / "families" / "veo.yaml").read_text()
    assert RENAMED[0] not in veo
    assert any(RENAMED[1] in r.applies_to.models for r in new_spec.rules)


def test_a_new_page_is_listed_by_the_family_of_its_folder(new_spec: m.Spec) -> None:
    assert "site-docs/models/video/veo-3-2.md" in new_spec.family("veo").pages


def test_comments_and_untouched_lines_are_kept(applied: tuple[Path, str, str]) -> None:
    spec_dir = applied[0]
    before = (ROOT / "spec/families/wan.yaml").read_text().splitlines()
    after = (spec_dir / "families" / "wan.yaml").read_text().splitlines()
    comments = [line for line in before if line.lstrip().startswith("#")]
    assert all(c in after for c in comments)
    # The wrapped flow lists of other rules keep their line breaks.
    wrapped = [line for line in before if line.startswith("               wan2.6-")]
    assert wrapped and all(line in after for line in wrapped)


def test_every_touched_rule_has_a_rule_case_in_the_new_linter(
    applied: tuple[Path, str, str], new_spec: m.Spec, new_lint: ModuleType
) -> None:
    _, docs, _ = applied
    touched = [
        r
        for r in new_spec.rules
        if r.id
        in (
            "seedance.duration-range",
            "seedance.duration-range-4-to-12",
            "seedance.duration-range-string-4-to-12",
            "wan.duration-video",
            "wan.duration-video-wan2-6-video-1080p",
            "seedance.aspect-ratio-enum-seedance2-0-480p",
            "grok.v15-size-enum",
        )
    ]
    assert len(touched) == 7
    bases = valid_bases(new_spec, new_lint, examples(parse_snapshot(Path(docs).read_text(encoding="utf-8"))))
    manual = manual_cases()
    missing = []
    for rule in touched:
        case = manual.get(rule.id) or find_case(rule, new_spec, new_lint, bases.get(rule.family, []))
        if case is None:
            missing.append(rule.id)
            continue
        found = sorted((v.rule, v.pointer) for v in new_lint.lint_request(case.body, case.endpoint).errors)
        assert found == sorted([(rule.id, case.pointer), *case.also]), case.origin
    assert missing == []


# ---- harmless edits, a removed page ------------------------------------------------------------------


@pytest.fixture(scope="module")
def baseline() -> d.Baseline:
    return d.load_lock(ROOT / "spec" / "sources" / d.LOCK_NAME)


def proposal_for(text: str, baseline: d.Baseline, spec: m.Spec, spec_dir: Path) -> tuple[list[d.DriftItem], str]:
    snapshot = parse_snapshot(text)
    items = d.compare(baseline, d.current_against(snapshot, text, baseline))
    annotate(items, spec, snapshot, spec_dir)
    return items, suggest(items, spec, spec_dir, snapshot).diff()


@pytest.mark.parametrize(
    "name, text",
    [
        ("whitespace", PINNED.replace(" | ", " |  ").replace(" ## ", "\n\n## ")),
        (
            "reordered rows",
            _edit(
                PINNED,
                "| `wan2.6-r2v-720p`| reference video | Required |`5`, `10` | "
                "| `wan2.6-r2v-1080p`| reference video | Required |`5`, `10` |",
                "| `wan2.6-r2v-1080p`| reference video | Required |`5`, `10` | "
                "| `wan2.6-r2v-720p`| reference video | Required |`5`, `10` |",
            ),
        ),
    ],
)
def test_harmless_edits_give_no_suggestion(name: str, text: str, baseline: d.Baseline, spec: m.Spec) -> None:
    items, patch = proposal_for(text, baseline, spec, ROOT / "spec")
    assert all(i.review for i in items)
    assert patch == ""


def _drop_page(text: str, locale: str, url: str) -> str:
    head = text.index(f"Locale: {locale} URL: {url} ")
    start = text.rindex(" --- # ", 0, head)
    end = text.find(" --- # ", head)
    return text[:start] + (text[end:] if end != -1 else "")


def test_a_removed_page_leaves_exactly_its_citations_for_a_human(
    baseline: d.Baseline, spec: m.Spec, tmp_path: Path
) -> None:
    page = "site-docs/models/video/veo-3-1/query-task.md"
    text = _drop_page(PINNED, "en", "https://docs.uniall.ai/models/video/veo-3-1/query-task")
    text = _drop_page(text, "zh-CN", "https://docs.uniall.ai/zh-CN/models/video/veo-3-1/query-task")
    spec_dir = spec_copy(tmp_path)
    items, _ = proposal_for(text, baseline, spec, spec_dir)
    proposal = suggest(items, spec, spec_dir, parse_snapshot(text))
    assert any(f"page {page} removed from pages:" in line for line in proposal.done)
    assert any("cite the removed page" in line for line in proposal.todo)
    proposal.apply()
    after = load_spec(spec_dir)
    assert page not in after.family("veo").pages
    problems = [str(p) for p in docs_problems(spec_dir, after, parse_snapshot(text))]
    assert problems and all(page in p for p in problems), "\n".join(problems)


# ---- the YAML editing underneath ---------------------------------------------------------------------


def test_int_range_pattern_accepts_exactly_the_range() -> None:
    assert pattern_int_range(int_range_pattern(4, 12)) == (4, 12)
    assert pattern_int_range("^(?:[4-9]|1[0-5])$") == (4, 15)
    assert pattern_int_range("^[a-z]+$") is None


@pytest.mark.parametrize("name", ["common.yaml", "families/seedance.yaml", "families/wan.yaml", "families/vidu.yaml"])
def test_an_unchanged_round_trip_is_byte_identical(name: str) -> None:
    """The files with anchors, aliases and wrapped flow lists come back byte for byte."""
    for path in [ROOT / "spec" / name]:
        loaded = YamlFile.load(path)
        loaded.changed = True
        assert loaded.text() == loaded.original, path


def test_merge_keeps_original_lines_around_an_edit() -> None:
    original = ["a: [1,\n", "    2]\n", "b: 1\n", "c: 2\n"]
    base = ["a: [1, 2]\n", "b: 1\n", "c: 2\n"]
    edited = ["a: [1, 2]\n", "b: 5\n", "c: 2\n"]
    assert merge_lines(original, base, edited) == ["a: [1,\n", "    2]\n", "b: 5\n", "c: 2\n"]
    inserted = ["a: [1, 2]\n", "x: 0\n", "b: 1\n", "c: 2\n"]
    assert merge_lines(original, base, inserted) == ["a: [1,\n", "    2]\n", "x: 0\n", "b: 1\n", "c: 2\n"]
    # An edit of the re-flowed line itself takes ruamel's rendering of that line.
    assert merge_lines(original, base, ["a: [1, 3]\n", "b: 1\n", "c: 2\n"]) == ["a: [1, 3]\n", "b: 1\n", "c: 2\n"]
    assert YAML(typ="safe").load("".join(merge_lines(original, base, edited))) == {"a": [1, 2], "b": 5, "c": 2}


def test_a_model_gone_from_the_docs_is_removed_and_what_quoted_it_is_named(
    baseline: d.Baseline, spec: m.Spec, tmp_path: Path
) -> None:
    model = "sora2-pro-true-1080p"
    text = PINNED.replace(model, "")
    spec_dir = spec_copy(tmp_path)
    items, _ = proposal_for(text, baseline, spec, spec_dir)
    proposal = suggest(items, spec, spec_dir, parse_snapshot(text))
    assert f"spec/families/sora.yaml: model {model} removed" in proposal.done
    assert any(line.startswith("spec/families/sora.yaml sora.create-model-list:") for line in proposal.todo)
    proposal.apply()
    after = load_spec(spec_dir)
    assert model not in {md.id for md in after.models}
    assert not [r.id for r in after.rules if model in r.applies_to.models]
    problems = [str(p) for p in docs_problems(spec_dir, after, parse_snapshot(text))]
    assert len(problems) == 1 and "[conflict sora.create-model-list]" in problems[0], problems
