"""Check request bodies in Python before sending them: no network, no API key.

    python examples/lint_requests.py

Needs the client package (`pip install generated/python`); the same checks run in the standalone
`generated/lint/uniall_lint.py`, which needs nothing but Python.
"""

import uniall

requests = {
    "documented": {"model": "seedance2.0-720p", "prompt": "a lighthouse at dusk", "duration": 8},
    "duration out of range": {"model": "seedance2.0-720p", "prompt": "a lighthouse at dusk", "duration": 99},
    "misspelt field": {
        "model": "seedance2.0-720p",
        "prompt": "a lighthouse at dusk",
        "duration": 8,
        "aspect_ratoi": "16:9",
    },
}

for name, body in requests.items():
    result = uniall.lint_request(body)
    verdict = "valid" if result.valid else "invalid"
    print(f"{name}: {verdict} ({result.model} -> {result.endpoint})")
    for finding in [*result.errors, *result.warnings]:
        print(f"  {finding.severity} [{finding.rule}] at {finding.pointer}: {finding.message}")
