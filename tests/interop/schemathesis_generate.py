"""Run by the interop virtualenv's Python: can schemathesis generate a request for every operation?

Prints {"operations": N, "failures": {"METHOD /path": "error"}} as JSON. A few derandomised
examples per operation are enough to show a strategy exists; this is not a fuzzing run.
"""

from __future__ import annotations

import json
import sys

import schemathesis
from hypothesis import HealthCheck, given, settings


def main(path: str) -> None:
    schema = schemathesis.openapi.from_path(path)
    operations = 0
    failures: dict[str, str] = {}
    for result in schema.get_all_operations():
        operations += 1
        try:
            operation = result.ok()
        except Exception as error:  # reported, not hidden: the test fails on any entry
            failures[f"operation {operations}"] = f"{type(error).__name__}: {error}"
            continue

        @settings(
            max_examples=2, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
        )
        @given(operation.as_strategy())
        def draw(case: object) -> None:
            assert case is not None

        try:
            draw()
        except Exception as error:  # as above
            failures[operation.label] = f"{type(error).__name__}: {str(error)[:300]}"
    json.dump({"operations": operations, "failures": failures}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
