"""One test per conflict-registry entry: the disagreement is real, quoted, and resolved by rules.

For each place where two pages (or the two locales of one page) disagree, the registry must quote
both sides verbatim, and every rule it says implements the chosen reading must exist and cite one
of the quoted pages, so a reading cannot silently drift away from the evidence.
"""

from __future__ import annotations

import pytest

from generator import model as m
from generator.docs_snapshot import Snapshot
from generator.loader import load_spec

from .conftest import ROOT

CONFLICTS = load_spec(ROOT / "spec").conflicts


def test_the_registry_is_not_empty() -> None:
    assert len(CONFLICTS) >= 10


@pytest.mark.parametrize("conflict", CONFLICTS, ids=[c.id for c in CONFLICTS])
def test_conflict_entry(conflict: m.Conflict, spec: m.Spec, snapshot: Snapshot) -> None:
    sides = {(c.source.page, c.source.locale or "en", " ".join(c.quote.split())) for c in conflict.claims}
    assert len(sides) >= 2, "a conflict needs two different claims"
    for claim in conflict.claims:
        page = snapshot.find(claim.source.page, claim.source.locale or "en")
        assert page is not None, claim.source.page
        assert page.contains(claim.quote), f"not verbatim on {claim.source.page}: {claim.quote!r}"
    rules = {r.id: r for r in spec.rules}
    family_pages = set(spec.family(conflict.family).pages)
    for rule_id in conflict.rules:
        assert rule_id in rules, rule_id
        # The rule implementing a reading may cite a third page that agrees with one side, but it
        # must be a page of the family whose conflict this is.
        assert rules[rule_id].source.page in family_pages, (
            f"{rule_id} cites {rules[rule_id].source.page}, not a page of family {conflict.family}"
        )
