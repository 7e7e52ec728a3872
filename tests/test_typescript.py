"""The TypeScript client (``generated/typescript``): its types under ``tsc --strict``, its behaviour over HTTP.

Node and the pinned TypeScript compiler come from ``package-lock.json`` (``npm ci``, run by the
Makefile); generating the package never needs them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from generator import model as m
from generator.scope import client_resource, voice_operation

from .support import ROOT

sys.path.insert(0, str(ROOT / "generated" / "python"))

from uniall import _spec as python_spec
from uniall._mock import MockServer

PACKAGE = ROOT / "generated" / "typescript"
TESTS = ROOT / "tests" / "typescript"
TSC = ROOT / "node_modules" / ".bin" / "tsc"
NODE = shutil.which("node")


def _tsc(project: Path) -> subprocess.CompletedProcess[str]:
    assert TSC.is_file(), f"{TSC} is missing: `make test` installs it with `npm ci`"
    return subprocess.run([str(TSC), "-p", str(project)], capture_output=True, text=True, timeout=300)


def test_correct_calls_compile_and_every_marked_wrong_call_is_an_error() -> None:
    """`@ts-expect-error` fails the build when its line compiles, so a clean build proves each is an error."""
    result = _tsc(TESTS / "tsconfig.json")
    assert result.returncode == 0, result.stdout + result.stderr


def test_each_wrong_call_fails_on_its_own_line_naming_what_is_wrong(tmp_path: Path) -> None:
    """Without the markers, tsc reports exactly one error per wrong call, on that call's line, in one line."""
    source = (TESTS / "usage_bad.ts").read_text(encoding="utf-8")
    lines = source.splitlines()
    marked = [i + 2 for i, line in enumerate(lines) if line.strip().startswith("// @ts-expect-error")]  # 1-based
    probe = TESTS / f"_probe_{os.getpid()}.ts"
    probe.write_text(re.sub(r"^(\s*)// @ts-expect-error.*$", r"\1", source, flags=re.M), encoding="utf-8")
    config = tmp_path / "tsconfig.json"
    config.write_text(json.dumps({"extends": str(TESTS / "tsconfig.json"), "files": [str(probe)]}), encoding="utf-8")
    try:
        result = _tsc(config)
    finally:
        probe.unlink()
    errors = [line for line in result.stdout.splitlines() if "error TS" in line]
    assert sorted(int(re.search(r"\((\d+),", e).group(1)) for e in errors) == marked, result.stdout  # type: ignore[union-attr]
    assert any("'duraton' does not exist" in e and "Did you mean to write 'duration'" in e for e in errors)


def _node_test_count(report: str, kind: str) -> int:
    """The number on node --test's summary line `# pass N` / `# fail N`; a report without it is a failure."""
    found = re.search(rf"^# {kind} (\d+)$", report, re.M)
    assert found, f"node --test printed no '# {kind} N' summary line:\n{report[-4000:]}"
    return int(found.group(1))


def test_node_test_count_reads_the_summary_line_and_rejects_an_empty_run() -> None:
    """A run that ran nothing (`# pass 0`) must not count as a passing run of the client tests."""
    assert _node_test_count("# tests 3\n# pass 3\n# fail 0\n", "pass") == 3
    assert _node_test_count("# pass 0\n# fail 0\n", "pass") == 0
    assert _node_test_count("# pass 2\n# fail 10\n", "fail") == 10


def test_the_client_behaves_over_http_against_the_mock() -> None:
    assert NODE is not None, "Node 18+ is needed to test the TypeScript client"
    with MockServer(keys=("sk-test",), speed=50) as mock:
        result = subprocess.run(
            [str(NODE), "--test", str(TESTS / "client.test.mjs")],
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "UNIALL_BASE_URL": mock.base_url},
        )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert _node_test_count(result.stdout, "pass") > 0, result.stdout[-4000:]
    assert _node_test_count(result.stdout, "fail") == 0, result.stdout[-4000:]


def test_the_package_is_esm_with_types_and_no_runtime_dependency() -> None:
    package = json.loads((PACKAGE / "package.json").read_text(encoding="utf-8"))
    assert package["type"] == "module"
    assert "dependencies" not in package
    for name in package["files"]:
        assert (PACKAGE / name).is_file(), name
    assert NODE is not None
    for script in (name for name in package["files"] if name.endswith(".mjs")):
        checked = subprocess.run([NODE, "--check", str(PACKAGE / script)], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr


def test_every_model_of_the_spec_has_a_request_interface(spec: m.Spec) -> None:
    declarations = (PACKAGE / "index.d.mts").read_text(encoding="utf-8")
    declared = set(re.findall(r'^  model: "([^"]+)";$', declarations, flags=re.M))
    assert declared == {md.id for md in spec.models}


def test_every_response_shape_is_exported_and_every_model_has_its_answers(spec: m.Spec) -> None:
    """The types tests/typescript/responses_ok.ts reads exist for every shape and model, not just those it names."""
    declarations = (PACKAGE / "index.d.mts").read_text(encoding="utf-8")
    exported = set(re.findall(r"^export (?:interface|type) (\w+)", declarations, flags=re.M))
    assert {s.name for s in spec.response_shapes} <= exported
    block = declarations.split("export interface ModelResponses {", 1)[1].split("\n}\n", 1)[0]
    answers = dict(re.findall(r'^  "([^"]+)": \{ create: ([^;]+); query: [^;]+ \};$', block, flags=re.M))
    assert set(answers) == {md.id for md in spec.models}
    assert answers["seedance2.0-720p"] == "VideoTask"
    assert answers["gpt-image-2-auto"] == "ImageResult"


def _readme_block(language: str, after: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(rf"{re.escape(after)}.*?```{language}\n(.*?)```", text, flags=re.S)
    assert found, f"README has no ```{language} block after {after!r}"
    return found.group(1)


def test_the_readme_typescript_quick_start_compiles_and_runs_against_the_mock(tmp_path: Path) -> None:
    """The README's TypeScript quick start, as printed: `tsc --strict` accepts it and Node runs it to a saved file."""
    snippet = _readme_block("ts", "### Quick start")
    modules = tmp_path / "node_modules"
    modules.mkdir()
    (modules / "uniall").symlink_to(PACKAGE, target_is_directory=True)
    (tmp_path / "package.json").write_text('{"type": "module"}', encoding="utf-8")
    (tmp_path / "quickstart.mts").write_text(snippet, encoding="utf-8")
    (tmp_path / "quickstart.mjs").write_text(snippet, encoding="utf-8")
    config = {
        "compilerOptions": {
            "strict": True,
            "noEmit": True,
            "target": "ES2022",
            "module": "NodeNext",
            "moduleResolution": "NodeNext",
            "lib": ["ES2022", "DOM"],
            "types": [],
        },
        "files": ["quickstart.mts"],
    }
    (tmp_path / "tsconfig.json").write_text(json.dumps(config), encoding="utf-8")
    typed = _tsc(tmp_path / "tsconfig.json")
    assert typed.returncode == 0, typed.stdout + typed.stderr
    assert NODE is not None
    with MockServer(keys=("sk-test",), speed=50) as mock:
        env = {**os.environ, "UNIALL_BASE_URL": mock.base_url, "UNIALL_API_KEY": "sk-test"}
        ran = subprocess.run(
            [NODE, "quickstart.mjs"], cwd=tmp_path, capture_output=True, text=True, timeout=120, env=env
        )
    assert ran.returncode == 0, ran.stderr
    saved = list((tmp_path / "out").iterdir())
    assert len(saved) == 1 and saved[0].read_bytes()[4:8] == b"ftyp"


def test_the_package_ships_the_same_javascript_linter_as_generated_lint() -> None:
    """One linter: the client's pre-flight checks are generated/lint/uniall_lint.mjs, byte for byte."""
    shipped = (PACKAGE / "uniall_lint.mjs").read_bytes()
    assert shipped == (ROOT / "generated" / "lint" / "uniall_lint.mjs").read_bytes()
    assert 'from "./uniall_lint.mjs"' in (PACKAGE / "index.mjs").read_text(encoding="utf-8")


def test_both_clients_put_every_model_on_the_resource_scope_gives(spec: m.Spec) -> None:
    """One rule places a model in both clients; models that share a create endpoint share a resource."""
    source = (PACKAGE / "spec.mjs").read_text(encoding="utf-8")
    found = re.search(r"^export const MODELS = (\{.*?^\});$", source, flags=re.M | re.S)
    assert found, "spec.mjs exports no MODELS table"
    typescript_models = json.loads(found.group(1))
    by_create: dict[str, set[str]] = {}
    for md in spec.models:
        resource = client_resource(md)
        assert typescript_models[md.id]["resource"] == resource == python_spec.MODELS[md.id].resource, md.id
        assert typescript_models[md.id]["voice"] == voice_operation(md), md.id
        assert (resource == "voices") == (voice_operation(md) is not None), md.id
        by_create.setdefault(python_spec.MODELS[md.id].create, set()).add(resource)
    assert {e: r for e, r in by_create.items() if len(r) > 1} == {}
    assert {"images", "videos", "audio", "voices"} <= {r for rs in by_create.values() for r in rs}
