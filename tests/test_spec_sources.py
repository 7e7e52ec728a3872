"""Every fact in the spec points at a real page and heading, and every quote is on its page.

This is what keeps "every rule carries its doc source" honest: a typo'd section, a page that moved,
or a paraphrase passed off as a quote fails here.
"""

from __future__ import annotations

from generator import catalog
from generator import model as m
from generator.docs_snapshot import Snapshot


def _problems(spec: m.Spec, snapshot: Snapshot) -> list[str]:
    problems = []
    for where, source in catalog.all_sources(spec):
        locale = source.locale or "en"
        page = snapshot.find(source.page, locale)
        if page is None:
            problems.append(f"{where}: no {locale} page {source.page}")
            continue
        if not page.has_heading(source.section):
            # An English-less source may still cite the other locale's heading by mistake.
            problems.append(f"{where}: {source.page} [{locale}] has no heading {source.section!r}")
        if source.quote and not page.contains(source.quote):
            problems.append(f"{where}: quote not on {source.page} [{locale}]: {source.quote!r}")
    return problems


def test_every_source_names_a_real_page_heading_and_quote(spec: m.Spec, snapshot: Snapshot) -> None:
    problems = _problems(spec, snapshot)
    assert not problems, "\n".join(problems)


def test_every_cited_page_is_listed_in_its_file_pages(spec: m.Spec) -> None:
    """``pages:`` is the drift check's map from doc pages to spec files, so it must be complete."""
    problems = [
        f"{family.file}: {where} cites {source.page}, missing from pages:"
        for family in spec.all_families
        for where, source in catalog.family_sources(family)
        if source.page not in family.pages
    ]
    assert not problems, "\n".join(problems)


def test_every_doc_page_belongs_to_some_spec_file(spec: m.Spec, snapshot: Snapshot) -> None:
    covered = {page for family in spec.all_families for page in family.pages}
    missing = sorted({p.page for p in snapshot.pages} - covered)
    assert not missing, f"doc pages no spec file reads: {missing}"


def test_the_checker_itself_rejects_a_bad_heading_and_quote(spec: m.Spec, snapshot: Snapshot) -> None:
    family = spec.common
    bad = m.Source(page="site-docs/balance.md", section="No Such Heading", quote="words that are not there")
    broken = m.Spec(
        common=m.Family(**{**family.__dict__, "task": m.TaskLifecycle(source=bad)}),
        families=(),
        endpoints=(),
        mode_catalog=(),
        vocabularies=(),
    )
    problems = _problems(broken, snapshot)
    assert any("no heading 'No Such Heading'" in p for p in problems)
    assert any("quote not on" in p for p in problems)
