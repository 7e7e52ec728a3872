# The two commands of the README: `make generate` (main job) and `make test` (the tests).
# Both create .venv and install the pinned dependencies when missing; nothing else is needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: generate check-generated test lint typecheck check-spec clean-venv bench test-property test-thorough test-interop

# The Python version a command reports ("3.10.12"), or nothing when it does not run.
version_of = $$($(1) -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null)
# Succeeds when the version in $$v is at least MIN_PYTHON (sort -V orders version numbers).
MIN_PYTHON := 3.11
at_least_min = [ -n "$$v" ] && printf '%s\n%s\n' $(MIN_PYTHON) "$$v" | sort -V -C

$(STAMP): requirements.lock pyproject.toml
	@v=$(call version_of,$(PYTHON)); $(at_least_min) || { \
	  echo "error: uniall-spec needs Python $(MIN_PYTHON)+ (found $${v:-no working '$(PYTHON)'});" \
	    "run with a newer one, e.g. make PYTHON=python$(MIN_PYTHON) $(or $(MAKECMDGOALS),generate)" >&2; exit 1; }
	@if [ -e $(VENV) ]; then v=$(call version_of,$(BIN)/python); $(at_least_min) || { \
	  echo "rebuilding $(VENV): it was made by Python $${v:-that no longer runs}"; rm -rf $(VENV); }; fi
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

generate: $(STAMP)
	$(BIN)/uniall-spec generate

check-generated: $(STAMP)
	$(BIN)/uniall-spec generate --check

check-spec: $(STAMP)
	$(BIN)/uniall-spec check

lint: $(STAMP)
	$(BIN)/ruff check generator tests examples generated/lint generated/python
	$(BIN)/ruff format --check generator tests examples

typecheck: $(STAMP)
	$(BIN)/mypy

test: $(STAMP) node_modules/.installed check-spec check-generated lint typecheck test-interop
	$(BIN)/pytest --ignore=tests/interop

# `make test-interop`: the ecosystem's own tools on generated/ (ajv, Prism, Spectral, Redocly,
# openapi-typescript + tsc, openapi-python-client, schemathesis, SARIF Multitool). Generating never
# needs them. Node tools: package-lock.json via `npm ci`; Python tools: requirements-interop.lock in
# their own virtualenv (schemathesis pins a jsonschema-rs older than requirements.lock's).
NODE_STAMP := node_modules/.installed
INTEROP_VENV := .venv-interop
INTEROP_STAMP := $(INTEROP_VENV)/.installed

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

$(INTEROP_STAMP): requirements-interop.lock
	test -x $(INTEROP_VENV)/bin/python || $(PYTHON) -m venv $(INTEROP_VENV)
	$(INTEROP_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-interop.lock
	touch $(INTEROP_STAMP)

test-interop: $(STAMP) $(NODE_STAMP) $(INTEROP_STAMP)
	$(BIN)/pytest tests/interop

# The Hypothesis property tests alone (tests/test_properties.py): `ci` profile (derandomised, the
# one `make test` runs), or the `thorough` profile with many more examples per property.
test-property: $(STAMP)
	$(BIN)/pytest tests/test_properties.py

test-thorough: $(STAMP)
	HYPOTHESIS_PROFILE=thorough $(BIN)/pytest tests/test_properties.py

# `make bench` (not part of `make test`): the generated linter against JSON Schema validators and
# pydantic, and issue #16's goal table. Writes bench/latest/results.{md,json} (untracked); with
# BENCH_WRITE=1 the committed bench/results.{md,json}. Installs requirements-bench.lock first.
# Then the mock under load and `import uniall`'s cost (bench/out/mock_load.md, client_import.md).
BENCH_STAMP := $(VENV)/.bench-installed

$(BENCH_STAMP): $(STAMP) requirements-bench.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-bench.lock
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python -m bench $(if $(BENCH_WRITE),--write)
	$(BIN)/python -m bench.mock_load
	$(BIN)/python -m bench.client_import

clean-venv:
	rm -rf $(VENV)
