"""The generated ``uniall`` command, run as users run it (a subprocess), against the mock (tests/mock_api.py).

Specified here (issue #13): ``uniall lint`` takes every option of ``uniall_lint.py``; ``--version``;
``uniall run`` shows linter warnings, names the file in every input problem and never shows a
traceback, and offers ``--overwrite`` instead of a Python keyword; downloads follow the umask.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from .mock_api import KEY, calls, mock_api
from .support import ROOT

PACKAGE_DIR = ROOT / "generated" / "python"
LINTER = ROOT / "generated" / "lint" / "uniall_lint.py"
CREATE = ("POST", "/v1/video/generations")


def uniall(
    *args: str, base_url: str = "http://127.0.0.1:9", stdin: bytes | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(PACKAGE_DIR), "UNIALL_API_KEY": KEY, "UNIALL_BASE_URL": base_url}
    run = subprocess.run(
        [sys.executable, "-m", "uniall._cli", *args],
        input=stdin.decode("latin-1") if stdin is not None else None,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert "Traceback" not in run.stderr, run.stderr
    return run


def write(path: Path, data: str | bytes) -> Path:
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


# ---- uniall lint and uniall-spec lint: exactly uniall_lint.py -------------------------------------


def _lint_command(command: str) -> list[str]:
    if command == "uniall":
        return [sys.executable, "-m", "uniall._cli", "lint"]
    return [sys.executable, "-m", "generator.cli", "lint"]


@pytest.mark.parametrize("command", ["uniall", "uniall-spec"])
@pytest.mark.parametrize(
    "options",
    [["--format", "json"], ["--strict"], ["--ignore", "common.unknown-field", "--strict"], ["--help"]],
    ids=["format-json", "strict", "ignore", "help"],
)
def test_lint_commands_take_every_option_of_the_standalone_linter(
    tmp_path: Path, command: str, options: list[str]
) -> None:
    request = write(tmp_path / "r.json", '{"model": "seedance2.0-720p", "prompt": "x", "duration": 5, "duraton": 5}')
    args = [*options, str(request)] if options != ["--help"] else options
    # A wide terminal keeps the usage on one line whatever the command's name, so the outputs
    # differ only in that name.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(PACKAGE_DIR), str(ROOT)]), "COLUMNS": "1000"}

    def run(argv: list[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60, check=False, cwd=tmp_path)

    script = run([sys.executable, str(LINTER), *args])
    ours = run([*_lint_command(command), *args])
    assert "unrecognized arguments" not in ours.stderr
    name = f"{command} lint"
    if options == ["--help"]:  # the usage names the command the user ran
        assert script.stdout.startswith("usage: uniall_lint.py ")
        assert ours.stdout.startswith(f"usage: {name} "), ours.stdout[:80]
    expected = script.stdout.replace("usage: uniall_lint.py ", f"usage: {name} ", 1)
    assert (ours.returncode, ours.stdout, ours.stderr) == (script.returncode, expected, script.stderr)
    assert script.stdout  # each form prints a report or the help


@pytest.mark.parametrize("command", ["uniall", "uniall-spec"])
def test_lint_usage_errors_name_the_command_the_user_ran(command: str) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(PACKAGE_DIR), str(ROOT)])}
    run = subprocess.run(
        [*_lint_command(command), "--format", "xml", "r.json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
        cwd=ROOT,
    )
    assert run.returncode == 2
    assert f"{command} lint: error: argument --format" in run.stderr, run.stderr
    assert "uniall_lint.py" not in run.stderr


# ---- versions -------------------------------------------------------------------------------------


def test_uniall_version_matches_the_package_metadata() -> None:
    version = tomllib.loads((PACKAGE_DIR / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    run = uniall("--version")
    assert run.returncode == 0
    assert run.stdout.startswith(f"uniall {version} (spec ")
    code = "import uniall; print(uniall.__version__)"
    env = {**os.environ, "PYTHONPATH": str(PACKAGE_DIR)}
    printed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert printed.stdout.strip() == version


def test_the_package_metadata_names_its_licence_readme_and_docs() -> None:
    project = tomllib.loads((PACKAGE_DIR / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == {"text": "MIT"}
    assert (PACKAGE_DIR / project["readme"]).is_file()
    assert project["urls"]["Documentation"].startswith("https://")
    assert "Typing :: Typed" in project["classifiers"]


# ---- uniall run: what it says about the request ---------------------------------------------------


def test_run_shows_linter_warnings_on_stderr_and_still_submits(tmp_path: Path) -> None:
    request = write(tmp_path / "r.json", '{"model": "seedance2.0-720p", "prompt": "x", "duration": 5, "colour": "red"}')
    with mock_api() as mock:
        run = uniall("run", str(request), base_url=mock.base_url)
        sent = [call["body"] for call in calls(mock, *CREATE)]
    assert run.returncode == 0, run.stderr
    assert f"{request}: warning [common.unknown-field] at /colour" in run.stderr
    assert sent == [{"model": "seedance2.0-720p", "prompt": "x", "duration": 5, "colour": "red"}]


def test_run_with_lint_errors_sends_nothing_and_names_the_file(tmp_path: Path) -> None:
    request = write(tmp_path / "r.json", '{"model": "seedance2.0-720p", "prompt": "x", "duration": 99}')
    with mock_api() as mock:
        run = uniall("run", str(request), base_url=mock.base_url)
        received = calls(mock)
    assert run.returncode == 1
    assert f"{request}: error [seedance.duration-range] at /duration" in run.stderr
    assert received == []


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b'{"model": "seedance2.0-720p", "prompt": "caf\xf4"}', "not UTF-8 text (byte 0xf4 at offset 44)"),
        (b'{"model": "seedance2.0-720p",\n "prompt": }', "not valid JSON: Expecting value at line 2, column 12"),
        (b"", "empty file"),
        (b"[1, 2]", "a request must be a JSON object, not an array"),
        (b'{"method": "POST", "path": "/v1/video/generations", "body": [1]}', '"body" must be a JSON object'),
        (b'{"path": "/v1/video/generations", "body": "text"}', '"body" must be a JSON object, not a string'),
        (b'{"path": 7, "body": {}}', '"method" and "path" must be strings'),
    ],
    ids=["latin-1", "bad-json", "empty", "array", "envelope-array-body", "envelope-string-body", "envelope-path"],
)
def test_run_names_the_file_and_the_problem_for_unusable_input(tmp_path: Path, content: bytes, says: str) -> None:
    request = write(tmp_path / "request.json", content)
    run = uniall("run", str(request))
    assert run.returncode == 2
    assert run.stderr.startswith(f"error: {request}: "), run.stderr
    assert says in run.stderr
    assert "codec" not in run.stderr


def test_run_reads_stdin_and_calls_it_stdin_in_messages() -> None:
    run = uniall("run", "-", stdin=b"not json")
    assert run.returncode == 2
    assert run.stderr.startswith("error: <stdin>: not valid JSON"), run.stderr


def test_run_of_a_missing_file_says_so() -> None:
    run = uniall("run", "no-such-request.json")
    assert (run.returncode, run.stderr.strip()) == (
        2,
        "error: no-such-request.json: cannot read: No such file or directory",
    )


# ---- uniall run: downloads ------------------------------------------------------------------------


def _only_task(mock: object) -> str:
    """The ID of the one task the mock holds."""
    (task_id,) = mock.emulator.state.tasks  # type: ignore[attr-defined]
    return str(task_id)


def test_run_does_not_replace_an_existing_download_unless_told_to_overwrite(tmp_path: Path) -> None:
    request = write(tmp_path / "r.json", '{"model": "seedance2.0-720p", "prompt": "x", "duration": 5}')
    out = tmp_path / "out"
    out.mkdir()
    with mock_api(seed=7) as mock:  # the same seed gives the same task ID in both runs
        refused_first = uniall("run", str(request), "--out", str(out), base_url=mock.base_url)
        task_id = _only_task(mock)
    assert refused_first.returncode == 0, refused_first.stderr
    kept = write(out / f"{task_id}-0.mp4", b"earlier result")
    with mock_api(seed=7) as mock:
        refused = uniall("run", str(request), "--out", str(out), base_url=mock.base_url)
        assert _only_task(mock) == task_id
    assert refused.returncode == 2
    assert kept.read_bytes() == b"earlier result"
    assert "overwrite=True" not in refused.stderr
    assert f"{kept} exists; nothing downloaded" in refused.stderr
    assert f"uniall wait {task_id} --model seedance2.0-720p" in refused.stderr and "--overwrite" in refused.stderr
    with mock_api(seed=7) as mock:
        replaced = uniall("run", str(request), "--out", str(out), "--overwrite", base_url=mock.base_url)
    assert replaced.returncode == 0, replaced.stderr
    assert kept.read_bytes()[4:8] == b"ftyp"  # the mock's MP4 replaced it


@pytest.mark.parametrize("umask", [0o022, 0o002])
def test_downloads_are_created_with_the_users_umask(tmp_path: Path, umask: int) -> None:
    request = write(tmp_path / "r.json", '{"model": "seedance2.0-720p", "prompt": "x", "duration": 5}')
    out = tmp_path / "out"
    with mock_api() as mock:
        env = {**os.environ, "PYTHONPATH": str(PACKAGE_DIR), "UNIALL_API_KEY": KEY, "UNIALL_BASE_URL": mock.base_url}
        code = f"import os, sys; os.umask({umask}); from uniall._cli import main; sys.exit(main(sys.argv[1:]))"
        run = subprocess.run(
            [sys.executable, "-c", code, "run", str(request), "--out", str(out)],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )
        task_id = _only_task(mock)
    assert run.returncode == 0, run.stderr
    assert (out / f"{task_id}-0.mp4").stat().st_mode & 0o777 == 0o666 & ~umask
