"""Where a request names its model: the body's ``model``, a path parameter, or the endpoint itself.

The linter, the JSON Schemas and the OpenAPI document must agree on this, so it is decided here once.
``POST /v1beta/models/{modeName}:generateContent`` takes the model from the path; an endpoint only one
model serves (voice clone, voice design) implies it; every other endpoint needs ``model`` in the body.

It also holds the one pattern of an endpoint path's ``{parameter}``, which the linter, the schemas
and the OpenAPI document all read.
"""

from __future__ import annotations

import re

from . import model as m

PATH_PARAMETER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
"""A ``{name}`` path parameter of an endpoint's path; group 1 is the name."""


def path_parameters(endpoint: m.Endpoint) -> list[str]:
    """The names of the endpoint path's ``{parameter}`` parts, in order."""
    return PATH_PARAMETER.findall(endpoint.path)


def model_path_parameter(endpoint: m.Endpoint) -> str | None:
    """The path parameter that names the model: the one right after ``/models/``, if any."""
    for match in PATH_PARAMETER.finditer(endpoint.path):
        if endpoint.path[: match.start()].endswith("/models/"):
            return match.group(1)
    return None


def serving_models(spec: m.Spec, endpoint: m.Endpoint) -> list[str]:
    """Model IDs that accept ``endpoint``, sorted."""
    return sorted(md.id for md in spec.models if endpoint.id in md.endpoint_ids)


def implied_model(spec: m.Spec, endpoint: m.Endpoint) -> str | None:
    """The model a body-taking endpoint implies because only that model serves it."""
    accepting = serving_models(spec, endpoint)
    return accepting[0] if len(accepting) == 1 and endpoint.kind in ("create", "chat") else None


def body_names_model(spec: m.Spec, endpoint: m.Endpoint) -> bool:
    """True when a request body must carry ``model`` (neither the path nor the endpoint gives it)."""
    return model_path_parameter(endpoint) is None and implied_model(spec, endpoint) is None
