"""``python -m generator.check_file FILE...``: schema-check spec files (a quick aid while editing)."""

from __future__ import annotations

import sys
from pathlib import Path

from .schema_check import schema_errors
from .yaml_source import SpecFileError, read_yaml


def main(argv: list[str]) -> int:
    status = 0
    for name in argv:
        try:
            problems = schema_errors(read_yaml(Path(name)))
        except SpecFileError as exc:
            problems = [exc]
        for problem in problems:
            print(problem)
            status = 1
        if not problems:
            print(f"{name}: ok")
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
