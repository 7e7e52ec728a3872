"""The generated request linter's command line, run as a subprocess the way users and CI run it.

Each test states one promise of ``generated/lint/uniall_lint.py`` (and of ``uniall-spec lint``,
which must behave identically): what it reads, what it prints in each format, and its exit codes
(0 no errors, 1 errors, 2 usage error or unreadable input). Every run starts in a fresh temporary
directory so the repository's own pyproject.toml never configures it by accident, and every run is
checked for a Python traceback: the linter must explain bad input, never crash on it.

Fixture requests live in tests/fixtures/lint_cli/requests; big or pathological inputs are written
into tmp_path at test time. Each scenario spends one subprocess and asserts everything about it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT

LINTER = ROOT / "generated" / "lint" / "uniall_lint.py"
UNIALL_SPEC = Path(sys.executable).parent / "uniall-spec"
FIXTURES = ROOT / "tests" / "fixtures" / "lint_cli" / "requests"

VALID_BODY = {"model": "seedance2.0-720p", "prompt": "a city at night", "duration": 5}
OUT_OF_RANGE_BODY = {"model": "seedance2.0-720p", "prompt": "a city at night", "duration": 99}

# The fixture tree: file -> (requests in it, errors, warnings), as the linter must judge it.
FIXTURE_VERDICTS = {
    "batch.jsonl": (2, 1, 0),
    "valid_bare.json": (1, 0, 0),
    "valid_envelope.json": (1, 0, 0),
    "invalid/duration_out_of_range.json": (1, 1, 0),
    "invalid/nested/model_typo.json": (1, 1, 0),
    "warnings/undocumented_field.json": (1, 0, 1),
    "warnings/duration_below_5.json": (1, 0, 1),
}
WARNING_RULES = ("seedance.duration-below-5", "common.unknown-field")


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def _finish(proc: subprocess.CompletedProcess[bytes]) -> Run:
    run = Run(
        proc.returncode,
        proc.stdout.decode("utf-8", errors="replace"),
        proc.stderr.decode("utf-8", errors="replace"),
    )
    assert "Traceback" not in run.stdout + run.stderr, run.stdout + run.stderr
    return run


def _env(**extra: str) -> dict[str, str]:
    # No bytecode: `uniall-spec lint` imports the linter from generated/lint, and a __pycache__
    # there would be reported as a stale generated file by test_generate.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update({"PYTHONIOENCODING": "utf-8", "PYTHONDONTWRITEBYTECODE": "1", "NO_COLOR": "1"}, **extra)
    return env


def lint(*args: str | Path, cwd: Path, stdin: bytes = b"", env: dict[str, str] | None = None) -> Run:
    """Run the standalone script as ``python3 uniall_lint.py ARGS`` from ``cwd``."""
    proc = subprocess.run(
        [sys.executable, str(LINTER), *map(str, args)],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        env=env or _env(),
        timeout=60,
        check=False,
    )
    return _finish(proc)


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A scratch working directory holding a copy of the fixture tree under ``requests/``."""
    shutil.copytree(FIXTURES, tmp_path / "requests")
    return tmp_path


def write(path: Path, content: bytes | str | dict[str, Any]) -> Path:
    if isinstance(content, dict):
        content = json.dumps(content)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


# ---- inputs: directories, JSONL, stdin ----------------------------------------------------------


def test_directory_is_walked_recursively_for_json_and_jsonl_skipping_hidden_dirs_and_other_files(work: Path) -> None:
    """A directory argument lints every *.json / *.jsonl below it, nested ones included; hidden
    directories (.git, .venv, ...) and other files are skipped. One error anywhere exits 1, and the
    text report names each file (with the line for JSONL), its verdict and a summary line."""
    run = lint("requests", cwd=work)
    assert run.returncode == 1, run.stdout
    for name in FIXTURE_VERDICTS:
        assert f"requests/{name}" in run.stdout
    assert "skipped.json" not in run.stdout and "notes.md" not in run.stdout
    assert "requests/valid_bare.json: ok (seedance2.0-720p -> POST /v1/video/generations)" in run.stdout
    assert "requests/batch.jsonl:1: ok" in run.stdout
    assert "requests/batch.jsonl:3: error [seedance.duration-range] at /duration:" in run.stdout
    assert "requests/invalid/nested/model_typo.json: error [common.unknown-model] at /model:" in run.stdout
    assert "requests/warnings/duration_below_5.json: warning [seedance.duration-below-5]" in run.stdout
    assert "      see https://docs.uniall.ai/" in run.stdout
    assert run.stdout.splitlines()[-1] == "8 request(s) in 7 file(s): 3 error(s), 2 warning(s)"


def test_jsonl_reports_each_request_by_line_number_and_an_unreadable_line_does_not_stop_the_rest(
    tmp_path: Path,
) -> None:
    """JSONL is one request per line; blank lines are skipped but still counted, so reported line
    numbers match the editor's. A malformed line is reported on its own (exit 2) while the other
    lines are linted. Records end only at "\\n": a prompt holding U+2028 or U+0085 (legal raw in a
    JSON string) stays one request."""
    lines = [
        json.dumps(VALID_BODY),
        "",
        json.dumps(OUT_OF_RANGE_BODY),
        '{"model": ',
        "[1, 2]",
        json.dumps({**VALID_BODY, "prompt": "line\u2028separator and next\x85line"}, ensure_ascii=False),
    ]
    write(tmp_path / "batch.jsonl", "\r\n".join(lines) + "\r\n")
    run = lint("--format", "json", "batch.jsonl", cwd=tmp_path)
    assert run.returncode == 2, run.stdout
    results = {r["line"]: r for r in run.json()["results"]}
    assert sorted(results) == [1, 3, 4, 5, 6]
    assert all(r["file"] == "batch.jsonl" for r in results.values())
    assert results[1]["valid"] and results[6]["valid"], results[6]
    assert [e["rule"] for e in results[3]["errors"]] == ["seedance.duration-range"]
    assert "not valid JSON" in results[4]["input_error"] and not results[4]["valid"]
    assert [e["rule"] for e in results[5]["errors"]] == ["common.body-not-object"]
    assert run.json()["summary"] == {"files": 1, "requests": 4, "errors": 2, "warnings": 0, "unreadable": 1}


def test_stdin_is_read_for_dash_alongside_files_and_reported_as_stdin(tmp_path: Path) -> None:
    """``-`` reads one request from standard input, reported as <stdin>, next to ordinary files."""
    write(tmp_path / "good.json", VALID_BODY)
    run = lint("-", "good.json", cwd=tmp_path, stdin=json.dumps(OUT_OF_RANGE_BODY).encode())
    assert run.returncode == 1, run.stdout
    assert "<stdin>: error [seedance.duration-range] at /duration" in run.stdout
    assert "good.json: ok" in run.stdout


def test_stdin_that_is_not_json_is_an_unreadable_input_named_stdin(tmp_path: Path) -> None:
    """Garbage on standard input is a clear per-input error (exit 2), not a crash."""
    write(tmp_path / "good.json", VALID_BODY)
    run = lint("good.json", "-", cwd=tmp_path, stdin=b"this is not json")
    assert run.returncode == 2
    assert "<stdin>: unreadable: not valid JSON" in run.stdout
    assert "good.json: ok" in run.stdout


def test_closed_stdin_is_an_unreadable_input_not_a_crash(tmp_path: Path) -> None:
    """``uniall_lint.py - <&-`` (no standard input at all, as under some CI runners) says so."""
    proc = subprocess.run(
        ["sh", "-c", 'exec "$0" "$@" <&-', sys.executable, str(LINTER), "-"],
        cwd=tmp_path,
        capture_output=True,
        env=_env(),
        timeout=60,
        check=False,
    )
    run = _finish(proc)
    assert run.returncode == 2
    assert "<stdin>: unreadable: cannot read: standard input is closed" in run.stdout


def test_jsonl_on_stdin_is_detected_and_each_line_reported_while_one_request_stays_one(tmp_path: Path) -> None:
    """Standard input holding one request per line is JSONL (reported per line, like a .jsonl file),
    not a bare "Extra data" error; a single request, on one line or pretty-printed, is one request
    reported as <stdin>. ``--jsonl`` reads a file of any extension as JSONL."""
    lines = [json.dumps(VALID_BODY), "", json.dumps(OUT_OF_RANGE_BODY)]
    many = lint("-", cwd=tmp_path, stdin=("\n".join(lines) + "\n").encode())
    assert many.returncode == 1, many.stdout
    assert "<stdin>:1: ok" in many.stdout and "<stdin>:3: error [seedance.duration-range]" in many.stdout
    assert "Extra data" not in many.stdout
    one_line = lint("-", cwd=tmp_path, stdin=(json.dumps(OUT_OF_RANGE_BODY) + "\n\n").encode())
    pretty = lint("-", cwd=tmp_path, stdin=json.dumps(OUT_OF_RANGE_BODY, indent=2).encode())
    for single in (one_line, pretty):
        assert single.returncode == 1 and "  <stdin>: error [seedance.duration-range]" in single.stdout, single.stdout
    write(tmp_path / "requests.log", "\n".join(lines) + "\n")
    forced = lint("--jsonl", "requests.log", cwd=tmp_path)
    assert forced.returncode == 1 and "requests.log:3: error [seedance.duration-range]" in forced.stdout


def test_a_json_file_holding_jsonl_says_to_name_it_jsonl(tmp_path: Path) -> None:
    """A .json file with one request per line is unreadable as one request; the message says what it
    looks like and what to do, instead of a bare "Extra data"."""
    write(tmp_path / "log.json", "\n".join([json.dumps(VALID_BODY)] * 2) + "\n")
    run = lint("log.json", cwd=tmp_path)
    assert run.returncode == 2
    assert "Extra data" in run.stdout
    assert "it looks like JSONL (one request per line): name the file .jsonl or pass --jsonl" in run.stdout


def test_a_jsonl_file_over_the_old_16_mb_file_cap_is_linted_line_by_line(tmp_path: Path) -> None:
    """The cap is per request, not per file: a 17 MB JSONL (mostly blank lines here, to stay quick)
    is read in blocks and every request in it is linted, with the editor's line numbers."""
    with (tmp_path / "big.jsonl").open("wb") as handle:
        handle.write(json.dumps(VALID_BODY).encode() + b"\n")
        handle.write(b"\n" * (17 * 1024 * 1024))
        handle.write(json.dumps(OUT_OF_RANGE_BODY).encode() + b"\n")
    run = lint("big.jsonl", cwd=tmp_path)
    assert run.returncode == 1, run.stdout
    assert "big.jsonl:1: ok" in run.stdout
    assert f"big.jsonl:{17 * 1024 * 1024 + 2}: error [seedance.duration-range]" in run.stdout


def test_directory_walks_skip_node_modules_and_exclude_globs_but_named_files_are_always_linted(work: Path) -> None:
    """A walk skips node_modules (and hidden directories such as .git and .venv); --exclude GLOB
    (repeatable or comma-separated) skips what matches a file or directory name or its path; a file
    named on the command line is linted even inside an excluded directory."""
    for folder in ("node_modules/pkg", ".venv", "old"):
        (work / "requests" / folder).mkdir(parents=True)
        write(work / "requests" / folder / "bad.json", OUT_OF_RANGE_BODY)
    walked = lint("--format", "json", "requests", cwd=work)
    files = {r["file"] for r in walked.json()["results"]}
    assert "requests/old/bad.json" in files
    assert not any("node_modules" in f or ".venv" in f for f in files)
    excluded = lint(
        "--format", "json", "--exclude", "old,*_bare.json", "--exclude", "requests/invalid/*", "requests", cwd=work
    )
    files = {r["file"] for r in excluded.json()["results"]}
    assert files == {
        "requests/batch.jsonl",
        "requests/valid_envelope.json",
        "requests/warnings/undocumented_field.json",
        "requests/warnings/duration_below_5.json",
    }
    named = lint("--exclude", "bad.json", "requests/node_modules/pkg/bad.json", cwd=work)
    assert named.returncode == 1 and "error [seedance.duration-range]" in named.stdout


# ---- envelopes, bare bodies and --endpoint ------------------------------------------------------


def test_envelope_names_the_endpoint_and_bare_body_gets_the_models_recommended_endpoint(tmp_path: Path) -> None:
    """A {"method", "path", "body"} envelope is linted against its own endpoint (method case-folded);
    a bare body against the model's recommended create endpoint. An envelope sending the model to an
    endpoint it is not documented on is an error."""
    write(tmp_path / "bare.json", VALID_BODY)
    write(tmp_path / "envelope.json", {"method": "post", "path": "/v1/videos/generations", "body": VALID_BODY})
    write(tmp_path / "wrong.json", {"method": "POST", "path": "/v1/images/generations", "body": VALID_BODY})
    run = lint("--format", "json", "bare.json", "envelope.json", "wrong.json", cwd=tmp_path)
    assert run.returncode == 1
    bare, envelope, wrong = run.json()["results"]
    assert (bare["endpoint"], bare["valid"]) == ("POST /v1/video/generations", True)
    assert (envelope["endpoint"], envelope["valid"]) == ("POST /v1/videos/generations", True)
    assert wrong["endpoint"] == "POST /v1/images/generations"
    assert [e["rule"] for e in wrong["errors"]] == ["common.endpoint-not-accepted"]


def test_endpoint_option_applies_to_bare_bodies_but_an_envelope_keeps_its_own_path(tmp_path: Path) -> None:
    """``--endpoint "METHOD /path"`` says where bare bodies go; envelopes already say so themselves."""
    write(tmp_path / "bare.json", VALID_BODY)
    write(tmp_path / "envelope.json", {"method": "POST", "path": "/v1/video/generations", "body": VALID_BODY})
    endpoint = ("--endpoint", "POST /v1/images/generations")
    run = lint("--format", "json", *endpoint, "bare.json", "envelope.json", cwd=tmp_path)
    assert run.returncode == 1
    bare, envelope = run.json()["results"]
    assert bare["endpoint"] == "POST /v1/images/generations"
    assert [e["rule"] for e in bare["errors"]] == ["common.endpoint-not-accepted"]
    assert (envelope["endpoint"], envelope["valid"]) == ("POST /v1/video/generations", True)


@pytest.mark.parametrize(
    ("args", "stderr_says"),
    [
        pytest.param(["--endpoint", "POST /v1/no-such-thing", "x.json"], "unknown --endpoint", id="unknown-endpoint"),
        pytest.param(["--format", "xml", "x.json"], "invalid choice", id="unknown-format"),
        pytest.param([], "PATH", id="no-paths"),
    ],
)
def test_usage_errors_exit_2_with_a_message_on_stderr(tmp_path: Path, args: list[str], stderr_says: str) -> None:
    """A bad command line is a usage error: exit 2, explained on stderr, nothing linted."""
    run = lint(*args, cwd=tmp_path)
    assert run.returncode == 2
    assert stderr_says in run.stderr
    assert run.stdout == ""


# ---- output formats -----------------------------------------------------------------------------


def test_json_format_has_one_result_per_request_and_a_summary_with_full_counts(work: Path) -> None:
    """--format json: {"results": [...], "summary": {...}}; each result names file, line (JSONL only),
    endpoint, model, validity, and errors / warnings carrying rule, severity, JSON pointer, message,
    doc source and line (the JSONL line, or the line of the value in a .json file)."""
    run = lint("--format", "json", "requests", cwd=work)
    assert run.returncode == 1
    report = run.json()
    assert set(report) == {"results", "summary"}
    assert report["summary"] == {"files": 7, "requests": 8, "errors": 3, "warnings": 2, "unreadable": 0}
    per_file: dict[str, list[int]] = {}
    for result in report["results"]:
        assert set(result) == {"file", "line", "endpoint", "model", "valid", "errors", "warnings"}
        assert result["valid"] is (not result["errors"])
        counts = per_file.setdefault(result["file"].removeprefix("requests/"), [0, 0, 0])
        counts[0] += 1
        counts[1] += len(result["errors"])
        counts[2] += len(result["warnings"])
        assert (result["line"] is not None) == result["file"].endswith(".jsonl")
        for violation in result["errors"] + result["warnings"]:
            assert set(violation) == {"rule", "severity", "pointer", "message", "source", "line"}
            assert violation["source"].startswith("https://docs.uniall.ai")
            assert violation["line"] == (result["line"] or violation["line"]) and violation["line"] >= 1
    assert {k: tuple(v) for k, v in per_file.items()} == FIXTURE_VERDICTS
    [range_error] = next(r for r in report["results"] if r["file"].endswith("duration_out_of_range.json"))["errors"]
    assert range_error["rule"] == "seedance.duration-range"
    assert (range_error["severity"], range_error["pointer"]) == ("error", "/duration")


def test_jsonl_format_prints_one_result_per_line_with_the_json_formats_fields(tmp_path: Path) -> None:
    """--format jsonl: one compact JSON object per request or unreadable input, in input order, with
    the same fields as a result of --format json; no summary line (the exit code carries it)."""
    write(tmp_path / "batch.jsonl", "\n".join([json.dumps(VALID_BODY), "{", json.dumps(OUT_OF_RANGE_BODY)]) + "\n")
    write(tmp_path / "good.json", VALID_BODY)
    run = lint("--format", "jsonl", "batch.jsonl", "good.json", cwd=tmp_path)
    as_json = lint("--format", "json", "batch.jsonl", "good.json", cwd=tmp_path)
    assert run.returncode == as_json.returncode == 2
    lines = run.stdout.splitlines()
    assert len(lines) == 4
    assert [json.loads(line) for line in lines] == as_json.json()["results"]
    assert [(r["file"], r["line"]) for r in map(json.loads, lines)] == [
        ("batch.jsonl", 1),
        ("batch.jsonl", 2),
        ("batch.jsonl", 3),
        ("good.json", None),
    ]


MULTI_LINE_REQUEST = """{
  "model": "seedance2.0-720p",
  "prompt": "a city at night",
  "duration": 99,
  "webhook": "https://example.com/hook"
}
"""


def test_findings_in_json_files_carry_the_line_of_the_value_in_json_sarif_and_github_output(tmp_path: Path) -> None:
    """A finding in a .json file points at the line of the offending value (the nearest enclosing
    value for a missing one; inside an envelope, the body's value), in JSON (``line`` per finding),
    SARIF (region startLine) and GitHub (line=) output."""
    write(tmp_path / "request.json", MULTI_LINE_REQUEST)
    envelope = (
        '{"method": "POST",\n "path": "/v1/video/generations",\n'
        ' "body": {\n  "model": "seedance2.0-720p",\n  "prompt": "x",\n\n  "duration": 99}}'
    )
    write(tmp_path / "envelope.json", envelope)
    files = ("request.json", "envelope.json")
    as_json = lint("--format", "json", *files, cwd=tmp_path)
    request, wrapped = as_json.json()["results"]
    assert [(v["pointer"], v["line"]) for v in request["errors"] + request["warnings"]] == [
        ("/duration", 4),
        ("/webhook", 5),
    ]
    assert [(v["pointer"], v["line"]) for v in wrapped["errors"]] == [("/duration", 7)]
    sarif = lint("--format", "sarif", *files, cwd=tmp_path).json()
    located = [
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for r in sarif["runs"][0]["results"]
    ]
    assert located == [("request.json", 4), ("request.json", 5), ("envelope.json", 7)]
    github = lint("--format", "github", *files, cwd=tmp_path).stdout
    assert "::error file=request.json,line=4,title=seedance.duration-range::" in github
    assert "::warning file=request.json,line=5,title=common.unknown-field::" in github
    assert "::error file=envelope.json,line=7,title=seedance.duration-range::" in github


def test_repeated_json_keys_are_a_warning_naming_the_key_since_the_api_sees_only_the_last(tmp_path: Path) -> None:
    """A key given twice in one object is a common.duplicate-key warning at that key's pointer (the
    request is judged on the last value, as the API's JSON reader keeps it), in .json files and
    JSONL lines alike; --ignore drops it like any rule."""
    repeated = '{"model": "seedance2.0-720p", "prompt": "a", "duration": 99,\n "duration": 5}'
    write(tmp_path / "twice.json", repeated)
    write(tmp_path / "twice.jsonl", json.dumps(VALID_BODY) + "\n" + repeated.replace("\n", "") + "\n")
    run = lint("--format", "json", "twice.json", "twice.jsonl", cwd=tmp_path)
    assert run.returncode == 0, run.stdout
    document, clean, line = run.json()["results"]
    assert not clean["warnings"]
    for result, at in ((document, 1), (line, 2)):
        [warning] = result["warnings"]
        assert (warning["rule"], warning["pointer"], warning["line"]) == ("common.duplicate-key", "/duration", at)
        assert "Key `duration`" in warning["message"] and result["valid"]
    ignored = lint("--strict", "--ignore", "common.duplicate-key", "twice.json", cwd=tmp_path)
    assert ignored.returncode == 0, ignored.stdout


def _read_until(stream: Any, wanted: bytes, timeout: float) -> bytes:
    """Bytes from a pipe until ``wanted`` shows up, the pipe closes or ``timeout`` passes."""
    import select

    data = b""
    deadline = time.monotonic() + timeout
    while wanted not in data and time.monotonic() < deadline:
        ready, _, _ = select.select([stream], [], [], 0.5)
        if ready:
            chunk = os.read(stream.fileno(), 65536)
            if not chunk:
                break
            data += chunk
    return data


@pytest.mark.parametrize(
    ("output_format", "first_result"),
    [("json", b'{\n  "results": [\n    {\n      "file": "<stdin>"'), ("sarif", b'"ruleId": "seedance.duration-range"')],
)
def test_json_and_sarif_output_stream_while_input_is_still_arriving(
    tmp_path: Path, output_format: str, first_result: bytes
) -> None:
    """Results are printed as requests are linted, not held until the end: with stdin still open after
    1.5 MB of JSONL, the first results are already on stdout (so memory stays flat on any input)."""
    proc = subprocess.Popen(
        [sys.executable, str(LINTER), "--format", output_format, "-"],
        cwd=tmp_path,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(),
    )
    assert proc.stdin is not None and proc.stdout is not None
    line = (json.dumps({**OUT_OF_RANGE_BODY, "prompt": "p" * 1000}) + "\n").encode()
    count = 1536 * 1024 // len(line)
    stdin = proc.stdin
    release = threading.Event()

    def feed() -> None:  # from a thread: output fills the stdout pipe while input is still going in
        stdin.write(line * count)
        stdin.flush()
        release.wait(120)
        stdin.close()

    writer = threading.Thread(target=feed)
    writer.start()
    try:
        early = _read_until(proc.stdout, first_result, timeout=60)
        assert first_result in early, early[:300]
        assert not proc.stdin.closed  # the results came while the input was still open
    finally:
        release.set()
        rest = proc.stdout.read()
        writer.join(60)
        assert proc.wait(timeout=60) == 1
    document = json.loads(early + rest)
    results = document["results"] if output_format == "json" else document["runs"][0]["results"]
    assert len(results) == count


@pytest.mark.parametrize("output_format", ["json", "jsonl"])
@pytest.mark.parametrize("ascii_only", [False, True])
def test_clean_results_written_directly_match_json_dumps_byte_for_byte(output_format: str, ascii_only: bool) -> None:
    """A result with no findings is written without json.dumps (whose indented form runs in pure
    Python); the bytes must be exactly what json.dumps gives for the same item, with odd file names,
    a missing line or model, and with or without ASCII escapes."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("uniall_lint_for_layout", LINTER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    options = {
        "format": output_format,
        "endpoint": None,
        "limit": 1 << 20,
        "colour": False,
        "ascii_only": ascii_only,
        "indent": "\n    ",
    }
    cases = [
        ("requests/a.json", None, module.LintResult("seedance2.0-720p", "POST /v1/video/generations", None, [], [])),
        ('dir/"q\\uote\u6a21\U0001f600.jsonl', 12, module.LintResult(None, None, None, [], [])),
    ]
    for file, line, result in cases:
        direct, generic = module._Job(options, None), module._Job(options, None)
        direct.result(file, line, result, None)
        generic._item(
            {
                "file": file,
                "line": line,
                "endpoint": result.endpoint,
                "model": result.model,
                "valid": result.valid,
                "errors": [],
                "warnings": [],
            }
        )
        assert direct.parts == generic.parts and direct.parts


def test_github_format_prints_at_most_ten_annotations_then_a_summary_with_the_full_counts(tmp_path: Path) -> None:
    """GitHub silently drops annotations past ten per step, so --format github prints the first ten,
    errors before warnings, then one summary line that still counts every finding."""
    lines = [json.dumps(OUT_OF_RANGE_BODY)] * 12 + [json.dumps({**VALID_BODY, "duration": 4})] * 3
    write(tmp_path / "many.jsonl", "\n".join(lines) + "\n")
    run = lint("--format", "github", "many.jsonl", cwd=tmp_path)
    assert run.returncode == 1
    *annotations, summary = run.stdout.splitlines()
    assert len(annotations) == 10
    assert all(a.startswith("::error file=many.jsonl,line=") for a in annotations)
    assert "title=seedance.duration-range::/duration:" in annotations[0]
    assert summary == (
        "uniall-lint: 12 error(s), 3 warning(s), 0 unreadable input(s) in 15 request(s) "
        "(first 10 of 15 shown as annotations)"
    )


def test_github_format_under_the_limit_shows_every_finding_and_no_truncation_note(work: Path) -> None:
    """With few findings every one is an annotation (warnings as ::warning) and the summary is plain."""
    run = lint("--format", "github", "requests", cwd=work)
    assert run.returncode == 1
    *annotations, summary = run.stdout.splitlines()
    assert [a.split(" ", 1)[0] for a in annotations] == ["::error"] * 3 + ["::warning"] * 2
    assert "::error file=requests/batch.jsonl,line=3,title=seedance.duration-range::" in annotations[0]
    assert summary == "uniall-lint: 3 error(s), 2 warning(s), 0 unreadable input(s) in 8 request(s)"


def test_sarif_is_valid_2_1_0_with_stable_rule_ids_relative_uris_and_identical_across_runs(work: Path) -> None:
    """--format sarif feeds code scanning: SARIF 2.1.0, one result per finding whose ruleId is the
    spec's rule ID and is declared in the driver's rules, artifact URIs relative to the working
    directory (percent-encoded), line regions for JSONL, and byte-identical output on a rerun so
    uploads do not churn."""
    write(work / "requests" / "with space.json", OUT_OF_RANGE_BODY)
    args = ("--format", "sarif", "requests", str(work / "requests" / "valid_bare.json"))
    first, second = lint(*args, cwd=work), lint(*args, cwd=work)
    assert first.returncode == second.returncode == 1
    assert first.stdout == second.stdout
    sarif = first.json()
    assert sarif["version"] == "2.1.0" and "sarif-2.1.0" in sarif["$schema"]
    [sarif_run] = sarif["runs"]
    driver = sarif_run["tool"]["driver"]
    assert driver["name"] == "uniall-lint"
    declared = [rule["id"] for rule in driver["rules"]]
    assert declared == sorted(declared)
    assert set(declared) == {
        "seedance.duration-range",
        "common.unknown-model",
        "common.unknown-field",
        "seedance.duration-below-5",
    }
    assert all(rule["helpUri"].startswith("https://docs.uniall.ai") for rule in driver["rules"])
    assert all(rule["fullDescription"]["text"] and rule["help"]["text"] for rule in driver["rules"])
    located = set()
    for result in sarif_run["results"]:
        assert result["ruleId"] in declared
        assert result["level"] in ("error", "warning") and result["message"]["text"]
        [location] = result["locations"]
        uri = location["physicalLocation"]["artifactLocation"]["uri"]
        assert not uri.startswith(("/", "file:")) and " " not in uri, uri
        located.add((uri, location["physicalLocation"]["region"]["startLine"], result["ruleId"]))
    assert ("requests/batch.jsonl", 3, "seedance.duration-range") in located
    assert ("requests/with%20space.json", 1, "seedance.duration-range") in located
    assert ("requests/invalid/nested/model_typo.json", 1, "common.unknown-model") in located
    assert len(sarif_run["results"]) == 6


# ---- severity: --strict, --ignore, pyproject.toml -----------------------------------------------


def test_warnings_pass_by_default_and_fail_under_strict(work: Path) -> None:
    """Warnings alone exit 0; --strict makes them fail (exit 1) and the summary says why."""
    relaxed = lint("requests/warnings", cwd=work)
    strict = lint("--strict", "requests/warnings", cwd=work)
    assert relaxed.returncode == 0, relaxed.stdout
    assert relaxed.stdout.splitlines()[-1] == "2 request(s) in 2 file(s): 0 error(s), 2 warning(s)"
    assert strict.returncode == 1
    assert strict.stdout.splitlines()[-1].endswith("2 warning(s) (--strict: warnings fail)")


def test_ignore_option_drops_a_rule_from_the_report_and_the_exit_code(work: Path) -> None:
    """--ignore RULE_ID (repeatable) removes that rule's findings everywhere, errors included."""
    args = ["--ignore", "seedance.duration-range"] + [a for rule in WARNING_RULES for a in ("--ignore", rule)]
    files = ("requests/warnings", "requests/invalid/duration_out_of_range.json")
    run = lint("--strict", "--format", "json", *args, *files, cwd=work)
    assert run.returncode == 0, run.stdout
    assert all(r["valid"] and not r["warnings"] for r in run.json()["results"])
    assert run.json()["summary"]["errors"] == run.json()["summary"]["warnings"] == 0


def test_pyproject_ignore_list_is_found_from_each_linted_files_folder_upward_not_from_the_cwd(work: Path) -> None:
    """``ignore = [...]`` under [tool.uniall-lint] acts like --ignore for the files below that
    pyproject.toml: the nearest one above each linted file's folder that has the table (a
    pyproject.toml without it is passed over, as ruff does), whatever the working directory; files
    outside it keep every rule."""
    rules = ", ".join(f'"{rule}"' for rule in WARNING_RULES)
    write(work / "requests" / "pyproject.toml", f'[project]\nname = "x"\n\n[tool.uniall-lint]\nignore = [{rules}]\n')
    write(work / "requests" / "warnings" / "pyproject.toml", '[project]\nname = "no table for us"\n')
    shutil.copytree(work / "requests" / "warnings", work / "elsewhere")
    (work / "elsewhere" / "pyproject.toml").unlink()
    run = lint("--strict", "--format", "json", "requests/warnings", "elsewhere", cwd=work)
    assert run.returncode == 1, run.stdout
    warned = {r["file"]: [w["rule"] for w in r["warnings"]] for r in run.json()["results"]}
    assert warned == {
        "requests/warnings/undocumented_field.json": [],
        "requests/warnings/duration_below_5.json": [],
        "elsewhere/undocumented_field.json": ["common.unknown-field"],
        "elsewhere/duration_below_5.json": ["seedance.duration-below-5"],
    }


def test_ignore_takes_comma_separated_lists_and_refuses_unknown_rule_ids_naming_the_closest(work: Path) -> None:
    """``--ignore a,b`` skips both rules; a misspelt rule ID (on the command line or in the
    pyproject.toml table) is not silently accepted: exit 2, naming the closest real ID, nothing linted."""
    listed = lint("--strict", "--ignore", ",".join(WARNING_RULES), "requests/warnings", cwd=work)
    assert listed.returncode == 0, listed.stdout
    assert listed.stdout.splitlines()[-1] == "2 request(s) in 2 file(s): 0 error(s), 0 warning(s)"
    misspelt = lint("--ignore", "seedance.duration-rang", "requests", cwd=work)
    assert misspelt.returncode == 2 and misspelt.stdout == ""
    assert "unknown rule ID 'seedance.duration-rang'; did you mean 'seedance.duration-range'?" in misspelt.stderr
    write(work / "pyproject.toml", '[tool.uniall-lint]\nignore = ["common.unknown-feild"]\n')
    configured = lint("requests/valid_bare.json", cwd=work)
    assert configured.returncode == 2
    assert "did you mean 'common.unknown-field'?" in configured.stderr and "pyproject.toml" in configured.stderr
    assert "requests/valid_bare.json: unreadable: not linted: " in configured.stdout


@pytest.mark.parametrize(
    ("pyproject", "stderr_says"),
    [
        pytest.param(b'[tool.uniall-lint]\nignore = "common.unknown-field"\n', "must be a list", id="ignore-not-list"),
        pytest.param(b"[tool]\nuniall-lint = 3\n", "must be a table", id="uniall-lint-not-a-table"),
        pytest.param(b"[tool.uniall-lint\n", "cannot read", id="bad-toml"),
        pytest.param(b'[tool.uniall-lint]\nignore = ["\xff"]\n', "cannot read", id="not-utf8"),
        pytest.param(
            b'[tool.uniall-lint]\nignroe = ["common.unknown-field"]\n', "unknown key 'ignroe'", id="unknown-key"
        ),
    ],
)
def test_broken_pyproject_configuration_is_a_usage_error_naming_the_file(
    tmp_path: Path, pyproject: bytes, stderr_says: str
) -> None:
    """A pyproject.toml the linter cannot take its configuration from stops the run (exit 2) with a
    message naming that file, rather than silently linting without the intended ignores."""
    write(tmp_path / "pyproject.toml", pyproject)
    write(tmp_path / "good.json", VALID_BODY)
    run = lint("good.json", cwd=tmp_path)
    assert run.returncode == 2
    assert str(tmp_path / "pyproject.toml") in run.stderr and stderr_says in run.stderr


# ---- bad input: every file gets its own clear error, the rest is still linted -------------------


def _deep(depth: int) -> bytes:
    return b'{"model": ' + b"[" * depth + b"]" * depth + b"}"


BAD_INPUTS = [
    pytest.param("bad.json", b'{"model": "seedance2.0-720p", ', "not valid JSON", id="malformed-json"),
    pytest.param("bad.json", b'{"model": "seed\xffance"}', "not UTF-8 text (byte 15)", id="not-utf8"),
    pytest.param("bad.json", b"", "empty file", id="empty-file"),
    pytest.param("bad.json", b" \n\t\n", "empty file", id="whitespace-only-file"),
    pytest.param("bad.json", _deep(10_000), "nested too deeply", id="nested-10000-deep"),
    pytest.param("bad.json", b'{"model": "seedance2.0-720p", "duration": NaN}', "NaN is not valid JSON", id="nan"),
    pytest.param("bad.json", b'{"model": "seedance2.0-720p", "duration": 1e400}', "too large for a 64-bit", id="1e400"),
    pytest.param(
        "bad.json",
        b'{"model": "seedream-4.0", "prompt": "a cat", "n": 1' + b"0" * 400 + b"}",
        "too large for a 64-bit",
        id="integer-beyond-double-range",
    ),
    pytest.param("bad.json", b"\xff\xfe{\x00}\x00", "not UTF-8 text", id="utf16-file"),
    pytest.param("missing.json", None, "cannot read: No such file or directory", id="missing-file"),
]


@pytest.mark.parametrize(("name", "content", "says"), BAD_INPUTS)
def test_unreadable_input_is_a_per_file_error_exit_2_and_the_good_file_is_still_linted(
    tmp_path: Path, name: str, content: bytes | None, says: str
) -> None:
    """Bad input is the user's to fix, so it gets a one-line explanation naming the file (no
    traceback, no giving up): exit 2, and the good file next to it is still linted and reported."""
    if content is not None:
        write(tmp_path / name, content)
    write(tmp_path / "good.json", VALID_BODY)
    run = lint(name, "good.json", cwd=tmp_path)
    assert run.returncode == 2, run.stdout
    [problem] = [line for line in run.stdout.splitlines() if f"{name}: unreadable: " in line]
    assert says in problem and len(problem) < 200, problem
    assert "good.json: ok (seedance2.0-720p -> POST /v1/video/generations)" in run.stdout
    summary = "1 request(s) in 2 file(s): 0 error(s), 0 warning(s), 1 unreadable input(s)"
    assert run.stdout.splitlines()[-1] == summary


def test_a_request_over_the_per_request_cap_is_refused_unread_naming_the_cap_and_how_to_raise_it(
    tmp_path: Path,
) -> None:
    """Each request (a .json file, a JSONL line, standard input) is capped at 16 MB by default: a 50 MB
    file is refused without being read whole or parsed (well under a few seconds), the message names
    the cap and the option that raises it (not "split it into smaller files"), and the good file next
    to it is still linted. In a JSONL file only the overlong line is refused; the lines around it
    are linted. --max-request-mb raises the cap."""
    with (tmp_path / "huge.json").open("wb") as handle:
        handle.write(b'{"model": "seedance2.0-720p", "prompt": "')
        handle.write(b"a" * (50 * 1024 * 1024))
        handle.write(b'", "duration": 5}')
    big_line = json.dumps({**VALID_BODY, "prompt": "a" * (17 * 1024 * 1024)})
    write(tmp_path / "log.jsonl", "\n".join([json.dumps(VALID_BODY), big_line, json.dumps(OUT_OF_RANGE_BODY)]) + "\n")
    write(tmp_path / "good.json", VALID_BODY)
    started = time.monotonic()
    run = lint("huge.json", "log.jsonl", "good.json", cwd=tmp_path)
    elapsed = time.monotonic() - started
    assert run.returncode == 2
    cap = "is larger than the 16 MB per-request limit; raise it with --max-request-mb"
    assert f"huge.json: unreadable: file {cap}" in run.stdout
    assert f"log.jsonl:2: unreadable: line {cap}" in run.stdout
    assert "log.jsonl:1: ok" in run.stdout and "log.jsonl:3: error [seedance.duration-range]" in run.stdout
    assert "good.json: ok" in run.stdout and "split" not in run.stdout
    assert elapsed < 10, f"took {elapsed:.1f}s"
    raised = lint("--max-request-mb", "18", "log.jsonl", cwd=tmp_path)
    assert raised.returncode == 1 and "log.jsonl:2: ok" in raised.stdout, raised.stdout


def test_non_object_bodies_are_lint_errors_under_their_rule_not_unreadable_input(tmp_path: Path) -> None:
    """A file that parses as JSON but is not an object (array, string, null, an envelope whose body
    is an array) is a request the API would reject: an *error* under the spec's rule
    common.body-not-object (exit 1, --ignore-able, in SARIF as that rule), not an unreadable input,
    and it names the file while the good one is still linted."""
    write(tmp_path / "array.json", b"[1, 2]")
    write(tmp_path / "string.json", b'"a city"')
    write(tmp_path / "null.json", b"null")
    write(tmp_path / "envelope.json", {"method": "POST", "path": "/v1/video/generations", "body": [VALID_BODY]})
    write(tmp_path / "good.json", VALID_BODY)
    run = lint("array.json", "string.json", "null.json", "envelope.json", "good.json", cwd=tmp_path)
    assert run.returncode == 1, run.stdout
    for name in ("array.json", "string.json", "null.json", "envelope.json"):
        assert f"{name}: error [common.body-not-object] at /: A request body must be a JSON object." in run.stdout
    assert "good.json: ok" in run.stdout


def test_unreadable_inputs_appear_in_json_github_and_sarif_output_too(tmp_path: Path) -> None:
    """Machine formats carry unreadable inputs as well: an ``input_error`` result in JSON, an
    ::error annotation in github, an ``input.unreadable`` result in SARIF; all exit 2."""
    write(tmp_path / "empty.json", b"")
    write(tmp_path / "nan.json", b'{"duration": NaN}')
    write(tmp_path / "good.json", VALID_BODY)
    files = ("empty.json", "nan.json", "good.json")
    as_json = lint("--format", "json", *files, cwd=tmp_path)
    as_github = lint("--format", "github", *files, cwd=tmp_path)
    as_sarif = lint("--format", "sarif", *files, cwd=tmp_path)
    assert as_json.returncode == as_github.returncode == as_sarif.returncode == 2
    empty, nan, good = as_json.json()["results"]
    assert "empty file" in empty["input_error"] and "NaN" in nan["input_error"]
    assert not empty["valid"] and good["valid"] and "input_error" not in good
    assert as_json.json()["summary"]["unreadable"] == 2
    assert as_github.stdout.count("::error file=") == 2 and "title=unreadable input::empty file" in as_github.stdout
    results = as_sarif.json()["runs"][0]["results"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for r in results] == [
        ("input.unreadable", "empty.json"),
        ("input.unreadable", "nan.json"),
    ]


# ---- messages that help -------------------------------------------------------------------------


def test_typos_in_model_ids_and_field_names_get_did_you_mean_suggestions(work: Path) -> None:
    """Model IDs must be exact and unknown fields are silently dropped upstream, so the linter
    suggests the documented spelling: `seedance-2.0-720p` -> `seedance2.0-720p`. A field name that
    is almost a documented one (`aspectRatio`, `duraton`) is an error of its own, common.misspelt-field
    (#13: the request would run with that field's default); a name not close to any stays a warning."""
    write(work / "field_typos.json", {**VALID_BODY, "aspectRatio": "16:9", "duraton": 5})
    run = lint(
        "--format",
        "json",
        "requests/invalid/nested/model_typo.json",
        "field_typos.json",
        "requests/warnings/undocumented_field.json",
        cwd=work,
    )
    assert run.returncode == 1
    model_typo, field_typos, undocumented = run.json()["results"]
    [unknown_model] = model_typo["errors"]
    assert unknown_model["rule"] == "common.unknown-model"
    assert unknown_model["message"].endswith('Got "seedance-2.0-720p"; did you mean `seedance2.0-720p`?')
    assert [(v["rule"], v["pointer"]) for v in field_typos["errors"]] == [
        ("common.misspelt-field", "/aspectRatio"),
        ("common.misspelt-field", "/duraton"),
    ]
    assert field_typos["warnings"] == []
    assert field_typos["errors"][0]["message"].endswith("Unknown field `aspectRatio`; did you mean `aspect_ratio`?")
    assert field_typos["errors"][1]["message"].endswith("Unknown field `duraton`; did you mean `duration`?")
    [unknown_field] = undocumented["warnings"]
    assert (unknown_field["rule"], unknown_field["pointer"]) == ("common.unknown-field", "/webhook")
    assert unknown_field["message"].endswith("Unknown field `webhook`.")
    assert undocumented["errors"] == []


def test_a_wrong_mode_or_endpoint_names_what_the_model_offers(tmp_path: Path) -> None:
    """common.mode-unsupported lists the model's modes and common.endpoint-not-accepted the model's
    endpoints, so the message says what to change (#13 item 8)."""
    body = {"model": "seedance2.0-720p", "prompt": "a city at night", "duration": 5}
    write(tmp_path / "wrong_endpoint.json", {"method": "POST", "path": "/v1/images/generations", "body": body})
    run = lint("--format", "json", "wrong_endpoint.json", cwd=tmp_path)
    assert run.returncode == 1
    [finding] = run.json()["results"][0]["errors"]
    assert finding["rule"] == "common.endpoint-not-accepted"
    assert finding["message"].endswith(
        '(got "POST /v1/images/generations"; `seedance2.0-720p` endpoints: GET /v1/videos/generations/{task_id}, '
        "GET /v1/videos/{task_id}, POST /v1/video/generations, POST /v1/videos/generations)"
    )


# ---- robustness of output -----------------------------------------------------------------------


def test_output_survives_a_stdout_that_cannot_encode_the_cjk_doc_sources(work: Path) -> None:
    """Doc sources quote Chinese section titles; on an ASCII or legacy-codepage stdout the text
    report escapes them and JSON uses \\u escapes, so it still parses to the same content."""
    target = "requests/invalid/duration_out_of_range.json"
    text = lint(target, cwd=work, env=_env(PYTHONIOENCODING="ascii"))
    as_json = lint("--format", "json", target, cwd=work, env=_env(PYTHONIOENCODING="cp1252"))
    assert text.returncode == as_json.returncode == 1
    assert "error [seedance.duration-range]" in text.stdout and "\\u6a21" in text.stdout
    [error] = as_json.json()["results"][0]["errors"]
    assert "§ 3. 模型与允许值" in error["source"]


def test_a_reader_that_stops_early_does_not_produce_a_broken_pipe_traceback(tmp_path: Path) -> None:
    """``uniall_lint.py big.jsonl | head`` closes the pipe mid-report; the linter just stops."""
    write(tmp_path / "big.jsonl", (json.dumps(OUT_OF_RANGE_BODY) + "\n") * 2000)
    proc = subprocess.Popen(
        [sys.executable, str(LINTER), "--format", "json", "big.jsonl"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(),
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    stderr = proc.stderr.read().decode("utf-8", errors="replace")
    assert proc.wait(timeout=60) == 1
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr, stderr


# ---- --jobs, progress, older Pythons -------------------------------------------------------------


@pytest.fixture(scope="module")
def mixed_inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Several megabytes of JSONL (valid, invalid, unreadable lines, repeated keys) and .json files:
    more than one job, so --jobs 2 really runs in two processes."""
    root = tmp_path_factory.mktemp("mixed")
    bodies = [
        json.dumps({**VALID_BODY, "prompt": "v" * 2000}),
        json.dumps({**OUT_OF_RANGE_BODY, "prompt": "e" * 2000}),
        json.dumps({**VALID_BODY, "prompt": "w" * 2000, "duration": 4, "aspectRatio": "16:9"}),
        '{"model": "seedance2.0-720p", "prompt": "twice", "prompt": "d"}',
        '{"model": ',
        "",
    ]
    write(root / "log.jsonl", "\n".join(bodies[i % len(bodies)] for i in range(4000)) + "\n")
    write(root / "request.json", MULTI_LINE_REQUEST)
    write(root / "ok.json", VALID_BODY)
    return root


@pytest.mark.parametrize("output_format", ["text", "json", "jsonl", "github", "sarif"])
def test_jobs_2_prints_byte_for_byte_what_jobs_1_prints(mixed_inputs: Path, output_format: str) -> None:
    """--jobs N lints in N processes; the output (every format) and exit code are identical to
    --jobs 1, in input order."""
    args = ("--format", output_format, "log.jsonl", "request.json", "ok.json")
    serial = lint("--jobs", "1", *args, cwd=mixed_inputs)
    parallel = lint("--jobs", "2", *args, cwd=mixed_inputs)
    assert serial.returncode == parallel.returncode == 2
    assert serial.stdout and parallel.stdout == serial.stdout
    assert parallel.stderr == serial.stderr == ""


def test_jobs_2_reads_blocks_from_the_file_exactly_where_jobs_1_reads_them(tmp_path: Path) -> None:
    """With --jobs, workers read each JSONL block from the file at an offset the main process
    computed: after a byte-order mark, after more than a block of blank lines, after an overlong line
    that is skipped, and in a file of blank lines only, the output must still be --jobs 1's."""
    valid, wrong = json.dumps(VALID_BODY), json.dumps(OUT_OF_RANGE_BODY)
    block = 1024 * 1024  # the linter's read size
    write(tmp_path / "bom.jsonl", b"\xef\xbb\xbf" + f"{wrong}\n{valid}\n".encode() * 2000)
    write(tmp_path / "blank-first.jsonl", "\n" * (block + 17) + f"{valid}\n{wrong}\n" * 3)
    overlong = json.dumps({**VALID_BODY, "prompt": "p" * (block + 100)})
    write(tmp_path / "overlong.jsonl", f"{wrong}\n{overlong}\n{valid}\n" + f"{wrong}\n" * 2000)
    write(tmp_path / "blank-only.jsonl", " \n" * (block // 2 + 9))
    args = ("--max-request-mb", "1", *sorted(p.name for p in tmp_path.iterdir()))
    serial = lint("--jobs", "1", *args, cwd=tmp_path)
    parallel = lint("--jobs", "2", *args, cwd=tmp_path)
    assert serial.returncode == 2 and "empty file" in serial.stdout and "larger than" in serial.stdout
    assert (parallel.returncode, parallel.stdout, parallel.stderr) == (2, serial.stdout, serial.stderr)


def test_jobs_falls_back_to_one_process_when_workers_cannot_be_started(
    mixed_inputs: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Where processes are spawned (Windows, macOS) a worker must import the linter again, which a
    linter loaded from a file path (as `uniall-spec lint` loads it) cannot do: the run says so on
    stderr and lints in one process, with the same output. Simulated here by offering only spawn."""
    import importlib.util
    import multiprocessing

    spec = importlib.util.spec_from_file_location("uniall_lint_loaded_by_path", LINTER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.chdir(mixed_inputs)
    assert module.main(["--format", "jsonl", "log.jsonl"]) == 2
    serial = capsys.readouterr()
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert module.main(["--jobs", "2", "--format", "jsonl", "log.jsonl"]) == 2
    fallback = capsys.readouterr()
    assert fallback.out == serial.out and serial.out
    assert "uniall_lint: --jobs: cannot start worker processes" in fallback.err
    assert "linting in this one" in fallback.err


def test_jobs_0_means_one_per_cpu_and_a_negative_count_is_a_usage_error(mixed_inputs: Path) -> None:
    """--jobs 0 picks the CPU count (same output again); --jobs -1 is refused with exit 2."""
    auto = lint("--jobs", "0", "--format", "jsonl", "log.jsonl", cwd=mixed_inputs)
    serial = lint("--format", "jsonl", "log.jsonl", cwd=mixed_inputs)
    assert auto.returncode == serial.returncode == 2 and auto.stdout == serial.stdout
    negative = lint("--jobs", "-1", "log.jsonl", cwd=mixed_inputs)
    assert negative.returncode == 2 and "--jobs" in negative.stderr and negative.stdout == ""


def test_progress_line_goes_to_a_terminal_stderr_only_and_is_cleared(tmp_path: Path) -> None:
    """On a terminal stderr, a long run shows a progress line (here from the start, by setting the
    delay to 0) and erases it at the end; with stderr a pipe or file (CI logs) nothing is written."""
    import pty

    write(tmp_path / "batch.jsonl", "\n".join([json.dumps(VALID_BODY)] * 3) + "\n")
    env = _env(UNIALL_LINT_PROGRESS_AFTER="0")
    piped = lint("batch.jsonl", cwd=tmp_path, env=env)
    assert piped.returncode == 0 and piped.stderr == ""
    controller, terminal = pty.openpty()
    try:
        proc = subprocess.run(
            [sys.executable, str(LINTER), "batch.jsonl"],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=terminal,
            env=env,
            timeout=60,
            check=False,
        )
        os.close(terminal)
        shown = b""
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # the terminal side is closed: everything is read
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(controller)
    assert proc.returncode == 0
    text = shown.decode()
    assert "uniall-lint: 3 request(s) from 1 input(s)" in text, text
    assert text.endswith("\r") and text.rstrip("\r").endswith(" "), repr(text)
    assert proc.stdout.decode().splitlines()[-1] == "3 request(s) in 1 file(s): 0 error(s), 0 warning(s)"


PYPROJECT_FOR_OLD_PYTHONS = f"""[project]
name = "x"

[tool.uniall-lint]  # the linter's table
ignore = [
    "{WARNING_RULES[0]}",  # a comment
    '{WARNING_RULES[1]}',
]
"""

# Runs the script as `python3 uniall_lint.py ARGS` would, with `import tomllib` failing as before 3.11.
WITHOUT_TOMLLIB = (
    "import runpy, sys; sys.modules['tomllib'] = None; sys.argv = sys.argv[1:]; "
    "runpy.run_path(sys.argv[0], run_name='__main__')"
)


def test_configuration_is_read_without_tomllib_and_other_forms_are_refused_clearly(work: Path) -> None:
    """Where tomllib is missing (Python before 3.11; simulated here), the [tool.uniall-lint] table is
    still read and applied; a form the small reader does not take is refused with the line, the
    Python version and what to write instead (exit 2, no traceback)."""
    write(work / "pyproject.toml", PYPROJECT_FOR_OLD_PYTHONS)

    def run(*args: str) -> Run:
        command = [sys.executable, "-c", WITHOUT_TOMLLIB, str(LINTER), *args]
        return _finish(subprocess.run(command, cwd=work, capture_output=True, env=_env(), timeout=60, check=False))

    applied = run("--strict", "requests/warnings")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert applied.stdout.splitlines()[-1] == "2 request(s) in 2 file(s): 0 error(s), 0 warning(s)"
    write(work / "pyproject.toml", '[tool]\nuniall-lint = {ignore = ["common.unknown-field"]}\n')
    refused = run("requests/warnings")
    assert refused.returncode == 2
    assert "line 2: cannot read 'uniall-lint = {ignore" in refused.stderr
    assert "has no tomllib: write a [tool.uniall-lint] table" in refused.stderr


TOML_CASES = [
    '[tool.uniall-lint]\nignore = ["a.b", "c.d"]\n',
    "[tool.uniall-lint]\nignore = []\n",
    '[ tool . "uniall-lint" ]   # ours\r\nignore = [  # why\r\n  "a.b" , # one\r\n  \'c\\d\',\r\n]\r\n[other]\nx = 1\n',
    '[project]\nname = "uniall-lint"\n[tool.uniall-lint]\nignore = ["a\\u00e9\\n"]\n[tool.other]\nignore = ["x"]\n',
    "[tool.ruff]\nline-length = 1\n",
    "# uniall-lint is not configured here\n[tool.black]\n",
    '[tool.uniall-lint]\nignore = "a.b"\n',
]


@pytest.mark.parametrize("toml", TOML_CASES)
def test_the_small_toml_reader_agrees_with_tomllib_on_what_it_reads(toml: str) -> None:
    """The reader used without tomllib gives tomllib's [tool.uniall-lint] table on the forms it takes
    (None when the file has no such table)."""
    import importlib.util
    import tomllib

    spec = importlib.util.spec_from_file_location("uniall_lint_for_toml", LINTER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    expected = tomllib.loads(toml).get("tool", {}).get("uniall-lint")
    assert module._toml_table_without_tomllib(toml) == expected


def _older_pythons() -> list[str]:
    """Working Python 3.8-3.10 interpreters on PATH or under pyenv (a pyenv shim may not run)."""
    import glob

    found = [shutil.which(f"python3.{minor}") for minor in (8, 9, 10)]
    found += sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.[89].*/bin/python")))
    found += sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.10.*/bin/python")))
    check = "import sys; sys.exit(not (3, 8) <= sys.version_info < (3, 11))"
    working = []
    for path in filter(None, found):
        if subprocess.run([path, "-c", check], capture_output=True, timeout=30, check=False).returncode == 0:
            working.append(path)
    return working


def test_the_linter_runs_on_python_3_8_with_a_pyproject_table_and_prints_what_3_11_prints(work: Path) -> None:
    """On a real Python 3.8-3.10 (when one is installed), the standalone linter reads the
    [tool.uniall-lint] table and its report is byte for byte the one this Python prints."""
    pythons = _older_pythons()
    if not pythons:
        pytest.skip("no Python 3.8-3.10 installed here; the tomllib-free path is tested by simulation above")
    write(work / "pyproject.toml", PYPROJECT_FOR_OLD_PYTHONS)
    args = [str(LINTER), "--format", "json", "requests"]
    expected = lint(*args[1:], cwd=work)
    assert expected.returncode == 1 and '"common.unknown-field"' not in expected.stdout
    old = _finish(
        subprocess.run([pythons[0], *args], cwd=work, capture_output=True, env=_env(), timeout=120, check=False)
    )
    assert (old.returncode, old.stdout, old.stderr) == (expected.returncode, expected.stdout, expected.stderr), pythons[
        0
    ]


# ---- the console script -------------------------------------------------------------------------


@pytest.mark.parametrize("output_format", ["text", "sarif"])
def test_uniall_spec_lint_prints_the_same_report_and_exit_code_as_the_script(work: Path, output_format: str) -> None:
    """``uniall-spec lint ARGS`` runs the generated linter itself, so it is a drop-in for the script."""
    if not UNIALL_SPEC.exists():
        pytest.skip(f"console script not installed at {UNIALL_SPEC}")
    args = ["--format", output_format, "--ignore", "common.unknown-field", "requests"]
    script = lint(*args, cwd=work)
    command = [str(UNIALL_SPEC), "lint", *args]
    console = _finish(subprocess.run(command, cwd=work, capture_output=True, env=_env(), timeout=60, check=False))
    assert (console.returncode, console.stdout, console.stderr) == (script.returncode, script.stdout, script.stderr)
    assert script.returncode == 1 and script.stdout


# ---- the command line without argparse -----------------------------------------------------------


@pytest.fixture(scope="module")
def script_module() -> Any:
    """The standalone script imported as a module (it defines ``_arguments`` like the package does)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("uniall_lint_under_test", LINTER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    "argv",
    [["r.json"], ["-"], ["a.json", "dir", "-", "log.jsonl"], ["x y.json", "dir/"]],
    ids=["one-file", "stdin", "several", "spaces"],
)
def test_a_command_line_of_paths_only_reads_as_argparse_reads_it(argv: list[str], script_module: Any) -> None:
    """Paths alone skip building the argparse parser (start-up time, issue #16); the result must be
    exactly what argparse gives for them, every option at its default."""
    _lint = script_module
    shortcut = vars(_lint._arguments(argv, None))
    parsed = vars(_lint._arguments(argv, None, only_paths_shortcut=False))
    assert shortcut == parsed
    assert shortcut["paths"] == argv and shortcut["format"] == "text" and shortcut["jobs"] == 1


@pytest.mark.parametrize("argv", [["--strict", "r.json"], ["r.json", "--jobs", "2"], ["--", "r.json"], ["-h"], []])
def test_anything_like_an_option_goes_to_argparse(
    argv: list[str], capsys: pytest.CaptureFixture[str], script_module: Any
) -> None:
    _lint = script_module
    try:
        parsed = vars(_lint._arguments(argv, "uniall_lint.py"))
    except SystemExit:  # --help, or no path at all: argparse's own usage
        assert capsys.readouterr()[0 if argv else 1].startswith("usage: uniall_lint.py")
        return
    assert parsed == vars(_lint._arguments(argv, None, only_paths_shortcut=False))
    assert parsed["paths"] == ["r.json"]


def test_findings_are_laid_out_exactly_as_json_dumps_with_an_indent(script_module: Any) -> None:
    """``--format json``/``sarif`` items are written without json.dumps's pure-Python indenting
    (issue #16's end-to-end time); the text must stay byte for byte what json.dumps(indent=2) gives."""
    import json as json_module

    finding = {"rule": "seedance.duration-range", "severity": "error", "message": 'say "模型" \\ \n\t\x00 😀'}
    items: list[Any] = [
        {},
        [],
        {"file": "a.jsonl", "line": None, "valid": False, "errors": [], "warnings": [finding, dict(finding, line=3)]},
        {"runs": [{"results": [{"locations": [{"region": {"startLine": 1}}]}], "tool": {"name": "x", "rules": []}}]},
        {"nested": [[1, [True, None]], {"a": {}}], "big": 10**30, "negative": -7, "float": 0.5},
    ]
    for ascii_only in (False, True):
        quote = json_module.encoder.encode_basestring_ascii if ascii_only else json_module.encoder.encode_basestring
        for newline in ("\n", "\n    ", "\n        "):
            for item in items:
                expected = json_module.dumps(item, indent=2, ensure_ascii=ascii_only).replace("\n", newline)
                assert script_module._indented(item, quote, newline) == expected
