# The two commands of the README: `make generate` (main job) and `make test` (the tests).
# Both create .venv and install the pinned dependencies when missing; nothing else is needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: generate check-generated test lint typecheck check-spec clean-venv

$(STAMP): requirements.lock pyproject.toml
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
	$(BIN)/ruff check generator tests generated/lint generated/python
	$(BIN)/ruff format --check generator tests

typecheck: $(STAMP)
	$(BIN)/mypy

test: $(STAMP) check-spec check-generated lint typecheck
	$(BIN)/pytest

clean-venv:
	rm -rf $(VENV)
