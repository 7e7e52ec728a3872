"""``make bench``: the generated linter against JSON Schema validators and pydantic (issue #7).

Run with ``python -m bench`` from the repository root; it writes ``bench/results.md`` and
``bench/results.json``. Not part of ``make test``.
"""
