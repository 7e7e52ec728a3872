"""``uniall-spec``: load the capability spec, list what it knows, and generate artifacts."""

from __future__ import annotations

import difflib
import json
import shutil
import sys
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import catalog
from . import model as m
from .emit import GENERATED_DIR, render_cached, stale_files, write_tree
from .loader import SPEC_DIR, SpecError, load_spec

FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for tools.",
)
SPEC_OPTION = click.option(
    "--spec",
    "spec_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=SPEC_DIR,
    show_default="the repository's spec/",
    help="The spec directory to load.",
)


def _load(spec_dir: Path) -> m.Spec:
    try:
        return load_spec(spec_dir)
    except SpecError as exc:
        click.echo(f"error: the spec in {spec_dir} does not load ({len(exc.problems)} problem(s)):", err=True)
        for problem in exc.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(2)


def _print_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False))


def _terminal_width() -> int | None:
    """The terminal's width ($COLUMNS first) when stdout is a terminal; None for a pipe or a file,
    where each row stays on one line so `grep` finds it whole."""
    return shutil.get_terminal_size().columns if sys.stdout.isatty() else None


def _cells(text: str) -> int:
    """How many terminal cells ``text`` takes: East Asian wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` terminal cells, broken at spaces (inside a word only if it must)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if _cells(candidate) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = ""
            for ch in word:
                if _cells(line + ch) > width:
                    lines.append(line)
                    line = ""
                line += ch
        lines.append(line)
    return lines


def _fit(widths: list[int], room: int, shrinkable: tuple[int, ...]) -> list[int]:
    """Narrow the widest shrinkable column, a character at a time, until the row fits ``room``."""
    widths = list(widths)
    floor = 14
    while sum(widths) > room and shrinkable:
        widest = max(shrinkable, key=lambda i: widths[i])
        if widths[widest] <= floor:
            break
        widths[widest] -= 1
    return widths


def _table(rows: list[list[str]], shrinkable: tuple[int, ...] = (), below: int | None = None) -> None:
    """Columns padded to their widest line; a cell may hold several lines.

    On a terminal narrower than the table, the columns from ``below`` on move under their row,
    indented, and the ``shrinkable`` columns wrap so each line fits; IDs in the others stay whole.
    """
    gap, indent = "  ", "    "
    width = _terminal_width()
    natural = [max(_cells(line) for r in rows for line in r[i].split("\n")) for i in range(len(rows[0]))]
    fits = width is None or sum(natural) + len(gap) * (len(natural) - 1) <= width
    under: list[str] = []
    if width is not None and not fits and below is not None:
        under = [" · ".join(c for c in r[below:] if c) for r in rows]
        rows = [r[:below] for r in rows]
        natural = natural[:below]
    widths = natural
    if width is not None and not fits:
        widths = _fit(natural, width - len(gap) * (len(natural) - 1), tuple(i for i in shrinkable if i < len(natural)))
    for n, row in enumerate(rows):
        cells = [_wrap(cell, widths[i]) for i, cell in enumerate(row)]
        for line in range(max(len(c) for c in cells)):
            parts = [c[line] if line < len(c) else "" for c in cells]
            padded = [part + " " * (widths[i] - _cells(part)) for i, part in enumerate(parts)]
            click.echo(gap.join(padded).rstrip())
        if under and n > 0:  # the header row keeps its own column names only
            for part in _wrap(under[n], max((width or 80) - len(indent), 20)):
                click.echo(indent + part)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="uniall-spec", prog_name="uniall-spec")
def main() -> None:
    """The UniAll capability spec: models, fields and rules from the docs, with their sources."""


@main.command()
@SPEC_OPTION
@click.option(
    "--docs",
    "docs",
    default=None,
    help="The docs to check sources against (file or URL)  [default: <spec>/sources/uniall-llms-full.txt]",
)
def check(spec_dir: Path, docs: str | None) -> None:
    """Load the spec and check every doc source against the docs; report every problem (exit 2 on any)."""
    from .source_check import check_against_docs

    spec = _load(spec_dir)
    problems = check_against_docs(spec_dir, spec, docs)
    if problems:
        click.echo(f"error: the spec in {spec_dir} disagrees with the docs ({len(problems)} problem(s)):", err=True)
        for problem in problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(2)
    counts = catalog.summary(spec)
    click.echo(
        f"spec ok: {counts['families']} families, {counts['models']} models, {counts['endpoints']} endpoints, "
        f"{counts['rules']} rules, {counts['conflicts']} conflicts; every doc source checked against the docs"
    )


@main.command()
@FORMAT
@SPEC_OPTION
@click.argument("model_id", required=False, metavar="[MODEL]")
def models(fmt: str, spec_dir: Path, model_id: str | None) -> None:
    """Every model with its family, status, modes and endpoints; or one MODEL with the values it allows.

    With MODEL: its durations, aspect ratios, sizes, formats and count limits as the docs give them.
    """
    spec = _load(spec_dir)
    if model_id is not None:
        _model_detail(spec, model_id, fmt)
        return
    view = catalog.models_view(spec)
    if fmt == "json":
        _print_json(view)
        return
    rows = [["MODEL", "FAMILY", "STATUS", "MODES", "ENDPOINTS"]]
    for item in view:
        endpoints = ", ".join(f"{e['endpoint']} ({e['status']})" for e in item["endpoints"])
        rows.append([item["id"], item["family"], item["status"], ", ".join(item["modes"]), endpoints])
    _table(rows, shrinkable=(3,), below=4)


def _model_detail(spec: m.Spec, model_id: str, fmt: str) -> None:
    try:
        detail = catalog.model_detail(spec, model_id)
    except KeyError:
        known = [md.id for md in spec.models]
        close = [k for k in known if k.startswith(model_id)][:5] or difflib.get_close_matches(model_id, known, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; `uniall-spec models` lists them"
        click.echo(f"error: no model {model_id!r}{hint}", err=True)
        sys.exit(2)
    if fmt == "json":
        _print_json(detail)
        return
    endpoints = "\n".join(f"{e['endpoint']} ({e['status']})" for e in detail["endpoints"])
    rows = [
        ["model", detail["id"]],
        ["family", detail["family"]],
        ["status", detail["status"]],
        ["modes", ", ".join(detail["modes"])],
        ["endpoints", endpoints],
        *([key, str(value)] for key, value in detail["attributes"].items()),
        ["source", f"{detail['source']['url']} § {detail['source']['section']}"],
    ]
    titles = catalog.allowed_titles()
    for key, entries in detail["allowed"].items():
        lines = []
        for entry in entries:
            text = f"{entry['field']} {entry['text']}" if key == "count_limits" else entry["text"]
            notes = [f"only {', '.join(entry['only'])}"] if entry["only"] else []
            notes += ["warning"] if entry["severity"] == "warning" else []
            lines.append(text + (f" ({'; '.join(notes)})" if notes else ""))
        if lines:
            rows.append([titles[key], "\n".join(lines)])
    _table(rows, shrinkable=(1,))
    click.echo(f"\nEvery rule for this family: uniall-spec rules --family {detail['family']}")


@main.command()
@FORMAT
@SPEC_OPTION
@click.option("--family", default=None, help="Only this family's rules.")
def rules(fmt: str, spec_dir: Path, family: str | None) -> None:
    """Every rule with its ID, kind, severity, models and doc source."""
    spec = _load(spec_dir)
    families = sorted(f.id for f in spec.all_families)
    if family is not None and family not in families:
        click.echo(f"error: no family {family!r}; known families: {', '.join(families)}", err=True)
        sys.exit(2)
    view = [r for r in catalog.rules_view(spec) if family in (None, r["family"])]
    if fmt == "json":
        _print_json(view)
        return
    rows = [["RULE", "KIND", "SEVERITY", "TARGET", "SOURCE"]]
    for item in view:
        rows.append(
            [
                item["id"],
                item["kind"],
                item["severity"],
                item["target"],
                f"{item['source']['url']} § {item['source']['section']}",
            ]
        )
    _table(rows, shrinkable=(3,), below=3)


@main.command()
@FORMAT
@SPEC_OPTION
def conflicts(fmt: str, spec_dir: Path) -> None:
    """Where the docs disagree with themselves, and the reading the spec takes."""
    view = catalog.conflicts_view(_load(spec_dir))
    if fmt == "json":
        _print_json(view)
        return
    for item in view:
        click.echo(f"{item['id']}: {item['topic']}")
        for claim in item["claims"]:
            locale = f" [{claim['source']['locale']}]" if claim["source"].get("locale") else ""
            click.echo(f"  - {claim['source']['page']} § {claim['source']['section']}{locale}: {claim['quote']!r}")
        click.echo(f"  reading: {item['reading']}")
        click.echo(f"  because: {item['reason']}\n")


@main.command()
@FORMAT
@SPEC_OPTION
def stats(fmt: str, spec_dir: Path) -> None:
    """Counts of models, endpoints, modes, rules by kind and severity, and conflicts."""
    counts = catalog.summary(_load(spec_dir))
    if fmt == "json":
        _print_json(counts)
        return
    for key, value in counts.items():
        click.echo(f"{key}: {value}")


def _generation(spec_dir: Path, out_dir: Path, action: Callable[[dict[str, str], Path], int]) -> None:
    sys.exit(action(render_cached(spec_dir, _load), out_dir))


@main.command()
@SPEC_OPTION
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=GENERATED_DIR,
    show_default="the repository's generated/",
    help="Where to write.",
)
@click.option("--check", "check_only", is_flag=True, help="Write nothing; exit 1 with a diff if the output is stale.")
def generate(spec_dir: Path, out_dir: Path, check_only: bool) -> None:
    """Render every artifact from the spec into generated/ (deterministic)."""

    def write(files: dict[str, str], target: Path) -> int:
        changed = write_tree(files, target)
        if changed:
            click.echo(f"wrote {len(changed)} of {len(files)} file(s) to {target}")
        else:
            click.echo(f"{target} is up to date ({len(files)} file(s)); nothing written")
        return 0

    def compare(files: dict[str, str], target: Path) -> int:
        # Render into a scratch tree too, so a template error shows here and not at the next write.
        with tempfile.TemporaryDirectory() as scratch:
            write_tree(files, Path(scratch) / "generated")
        diffs = stale_files(files, target)
        if not diffs:
            click.echo(f"{target} is up to date ({len(files)} file(s))")
            return 0
        click.echo(f"{target} is stale in {len(diffs)} file(s); run `make generate` and commit:", err=True)
        for diff in diffs:
            click.echo(diff, err=True)
        return 1

    _generation(spec_dir, out_dir, compare if check_only else write)


PINNED_DOCS = SPEC_DIR / "sources" / "uniall-llms-full.txt"
DOCS_OPTION = click.option(
    "--docs",
    "docs",
    default=str(PINNED_DOCS),
    show_default="the pinned snapshot spec/sources/uniall-llms-full.txt",
    help="The docs to read: a file (folded capture or newline llms-full.txt) or an http(s) URL.",
)
REPORT_FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="text for people, json for tools, markdown for issues and pull requests.",
)


@main.command()
@click.option(
    "--docs",
    "docs",
    default=None,
    help="The docs to read: a file (folded capture or newline llms-full.txt) or an http(s) URL  "
    "[default: <spec>/sources/uniall-llms-full.txt, the pinned snapshot]",
)
@REPORT_FORMAT
@click.option(
    "--update-lock",
    is_flag=True,
    help="After reporting, record these docs' facts and page hashes as the new baseline (exit 0); "
    "warns about what the spec does not cover.",
)
@click.option(
    "--lock",
    "lock_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The baseline file  [default: <spec>/sources/facts.lock.json]",
)
@click.option(
    "--suggest",
    "suggest_patch",
    is_flag=True,
    help="Print the spec edit for the mechanical drift as a unified diff (edits and TODOs on stderr).",
)
@click.option(
    "--apply",
    is_flag=True,
    help="Make the suggested edit in place (each file backed up to *.bak), then check the spec against the docs.",
)
@SPEC_OPTION
def drift(
    docs: str | None,
    fmt: str,
    update_lock: bool,
    lock_path: Path | None,
    suggest_patch: bool,
    apply: bool,
    spec_dir: Path,
) -> None:
    """Compare the docs' facts with the locked baseline; name each drift and the spec lines it touches.

    Exit 0 no drift, 1 drift (including pages to review), 2 docs, lock or spec unreadable. With
    --apply: 0 when the edited spec checks against the docs, 1 when something is left (named).
    """
    from .drift_cli import run_drift
    from .source_check import pinned_docs

    if update_lock and (suggest_patch or apply):
        raise click.UsageError("--update-lock records a baseline; run it after --suggest/--apply, not with them")
    location = docs if docs is not None else str(pinned_docs(spec_dir))
    sys.exit(run_drift(location, fmt, update_lock, lock_path, spec_dir, suggest_patch, apply))


@main.group()
def snapshot() -> None:
    """The pinned docs snapshot in spec/sources/."""


@snapshot.command("update")
@click.option(
    "--docs",
    "docs",
    required=True,
    help="The new docs: a file (folded capture or newline llms-full.txt) or an http(s) URL.",
)
@click.option("--force", is_flag=True, help="Pin the docs even when the spec does not cover them (warns).")
@SPEC_OPTION
def snapshot_update(docs: str, force: bool, spec_dir: Path) -> None:
    """Replace the pinned snapshot, its sha256 and provenance, and the facts lock in one step.

    Prints what changed; refuses (exit 1, nothing written) when the spec does not cover the new
    docs (a source, quote or model the new docs lack, a changed value the rules still state the old
    way), unless --force. Exit 2 when the docs or the spec are unreadable.
    """
    from .drift_cli import snapshot_update as update

    sys.exit(update(docs, spec_dir, force))


@main.command()
@DOCS_OPTION
@REPORT_FORMAT
@SPEC_OPTION
def examples(docs: str, fmt: str, spec_dir: Path) -> None:
    """Lint every request example in the docs: valid, invalid with the violations, or not valid JSON.

    Exit 0 when the report is made (whatever the verdicts), 2 when the docs are unreadable.
    """
    from . import drift as d
    from . import example_lint as x

    try:
        _, snapshot = d.read_docs(docs)
    except d.DocsError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    found = x.scan(snapshot)
    verdicts = x.lint_examples(found, x.compile_linter(_load(spec_dir)))
    if fmt == "json":
        _print_json({"counts": x.counts(verdicts), "examples": x.to_json(verdicts)})
    elif fmt == "markdown":
        click.echo(x.render_markdown(verdicts, found, docs), nl=False)
    else:
        click.echo(x.render_text(verdicts), nl=False)


LINTER_PATH = GENERATED_DIR / "lint" / "uniall_lint.py"


@main.command(
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": []},
    add_help_option=False,
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def lint(args: tuple[str, ...]) -> None:
    """Lint request files with the generated linter (same options: run `uniall-spec lint --help`)."""
    import importlib.util

    module_spec = importlib.util.spec_from_file_location("uniall_lint", LINTER_PATH)
    if module_spec is None or module_spec.loader is None or not LINTER_PATH.is_file():
        click.echo(f"error: the generated linter is missing at {LINTER_PATH}; run `make generate`", err=True)
        sys.exit(2)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    sys.exit(module.main(list(args), prog="uniall-spec lint"))


@main.command(
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": []},
    add_help_option=False,
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def mock(args: tuple[str, ...]) -> None:
    """Run the generated stateful mock of the API (same options as `uniall mock`: run `uniall-spec mock --help`)."""
    package_dir = GENERATED_DIR / "python"
    if not (package_dir / "uniall" / "_mock.py").is_file():
        click.echo(f"error: the generated mock is missing under {package_dir}; run `make generate`", err=True)
        sys.exit(2)
    sys.path.insert(0, str(package_dir))
    from uniall._mock import main as mock_main  # the generated package, not an installed one

    sys.exit(mock_main(list(args)))


if __name__ == "__main__":
    main(prog_name="uniall-spec")
