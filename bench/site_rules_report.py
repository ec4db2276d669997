"""Site rules vs generic extraction, page by page, on the corpus pages of built-in sites.

Both sides are `scraper extract` on the same WARC: with the rules of the site owning each URL
(``scraper.sites.registry.site_for_url``: cruft pruning, drop patterns, article URL pattern, time
zone), and with `--no-site-rules` (cross-site rules only). A page is *lowered* by its site's rules
when its body F1 drops by more than :data:`TOLERANCE`, when a field that was right turns wrong,
or when it has a record without the site's rules and none with them (the article URL pattern
made it a non-article, or the pruning left no text).

Pages without a body truth get no F1; for them the share of the generic text's shingles the
site rules cut (and added) is shown, with the first line cut, for a reader to judge.
"""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit

from bench.corpus_pages import CorpusPage, ManifestEntry
from bench.field_accuracy import judge
from bench.quality_report import Results
from bench.shingle_metric import page_counts, shingles
from scraper.sites.registry import site_for_url

TOLERANCE = 0.001  # body F1 drops up to this are noise, not a lowering
HINT_CHARS = 90
MARKS = {"correct": "ok", "partial": "part", "wrong": "no"}


@dataclass
class SitePage:
    """One page of a built-in site: with site rules first, generic second in every pair."""

    site: str
    page_id: str
    url: str
    page_type: str  # from the manifest, "" when it says nothing
    records: tuple[bool, bool]
    article_pattern_rejects: bool
    f1: tuple[float, float] | None  # None: no body truth
    cut: float  # share of the generic text's shingles missing with site rules
    added: float  # share of the site-rules text's shingles missing in the generic text
    fields: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> verdicts
    lowered: list[str] = field(default_factory=list)  # why, empty when not lowered
    notes: list[str] = field(default_factory=list)  # worth knowing, not a lowering
    first_cut: str = ""  # first generic line gone with site rules (report only, not JSON)

    @property
    def delta(self) -> float | None:
        return None if self.f1 is None else self.f1[0] - self.f1[1]


def site_pages(results: Results, with_rules: str, generic: str) -> list[SitePage]:
    """Every corpus page whose URL belongs to a built-in site, sorted by site and page id."""
    entries: dict[str, list[ManifestEntry]] = {}
    for entry in results.corpus.manifest:
        entries.setdefault(entry.page_key, []).append(entry)
    pages = []
    for page in results.corpus.pages:
        site = site_for_url(page.url)
        if site is not None:
            pages.append(
                _site_page(results, page, site, entries.get(page.key, []), (with_rules, generic))
            )
    return sorted(pages, key=lambda p: (p.site, p.page_id))


def _site_page(
    results: Results, page: CorpusPage, site: Any, entries: list[ManifestEntry], pair: Any
) -> SitePage:
    texts = [results.text(x, page.key) for x in pair]
    listing = any(e.is_listing for e in entries)
    truth = None if listing else _body_truth(results, page.key, entries)  # see listing_rows
    f1 = None if truth is None else (
        page_counts(truth, texts[0]).f1, page_counts(truth, texts[1]).f1
    )
    result = SitePage(
        site=site.name,
        page_id=entries[0].id if entries else page.key,
        url=page.url,
        page_type=next((e.page_type for e in entries if e.page_type), ""),
        records=(page.key in results.texts[pair[0]], page.key in results.texts[pair[1]]),
        article_pattern_rejects=bool(site.article_pattern)
        and not site.is_article(urlsplit(page.url).path),
        f1=f1,
        cut=_missing_share(texts[1], texts[0]),
        added=_missing_share(texts[0], texts[1]),
        fields=_field_verdicts(results, page.key, entries, pair),
        first_cut=_first_cut(texts[1], texts[0]),
    )
    result.lowered = _lowering_reasons(result)
    if not any(result.records):
        result.notes.append("judged not an article from the page itself, with and without "
                            "site rules" + (" (a listing page)" if listing else ""))
    return result


def articles_without_record(results: Results, with_rules: str) -> list[str]:
    """Corpus article pages (every page but the manifest's listing pages and the challenge
    pages that hold no article) that get no record
    with site rules: each is a page a researcher would lose."""
    listings = {e.page_key for e in results.corpus.manifest
                if e.is_listing or e.holds_no_article}
    ids = {e.page_key: e.id for e in results.corpus.manifest}
    return [ids.get(p.key, p.key) for p in results.corpus.pages
            if p.key not in listings and p.key not in results.texts[with_rules]]


def _body_truth(results: Results, key: str, entries: list[ManifestEntry]) -> str | None:
    if key in results.corpus.aeb_bodies:
        return results.corpus.aeb_bodies[key]
    return next((e.body for e in entries if e.body is not None), None)


def _field_verdicts(
    results: Results, key: str, entries: list[ManifestEntry], pair: Any
) -> dict[str, tuple[str, str]]:
    verdicts = {}
    for entry in entries:
        for name, truth in entry.fields.items():
            got = [results.metadata[x].get(key, {}).get(name) for x in pair]
            verdicts[name] = (judge(name, truth, got[0]), judge(name, truth, got[1]))
    return verdicts


def _missing_share(text: str, other: str) -> float:
    """Share of ``text``'s shingles that ``other`` does not have."""
    own = shingles(text)
    total = sum(own.values())
    return sum((own - shingles(other)).values()) / total if total else 0.0


def _first_cut(generic: str, with_rules: str) -> str:
    flat = " ".join(with_rules.split())
    for line in filter(str.strip, generic.split("\n")):
        if " ".join(line.split()) not in flat:
            line = " ".join(line.split())
            return line if len(line) <= HINT_CHARS else line[: HINT_CHARS - 3] + "..."
    return ""


def _lowering_reasons(page: SitePage) -> list[str]:
    reasons = []
    if page.page_type.startswith("listing"):
        return []  # a section front is rightly no article
    if page.records[1] and not page.records[0]:
        reasons.append(
            "the site's article pattern makes it a non-article (no record)"
            if page.article_pattern_rejects
            else "no record with site rules (no text left)"
        )
        if page.page_type:
            reasons[-1] += f" [manifest page_type: {page.page_type}]"
    if page.delta is not None and page.delta < -TOLERANCE:
        reasons.append(f"body F1 {page.delta:+.3f}")
    for name, (mine, generic) in page.fields.items():
        if generic == "correct" and mine != "correct":
            reasons.append(f"{name} right -> {mine}")
    return reasons


def site_means(pages: list[SitePage]) -> dict[str, dict[str, Any]]:
    """Per site: pages, pages scored, mean page F1 with / without site rules, lowered pages."""
    means: dict[str, dict[str, Any]] = {}
    for name in sorted({p.site for p in pages}):
        own = [p for p in pages if p.site == name]
        scored = [p.f1 for p in own if p.f1 is not None]
        means[name] = {
            "pages": len(own),
            "with_body_truth": len(scored),
            "f1_site_rules": statistics.mean(f[0] for f in scored) if scored else None,
            "f1_generic": statistics.mean(f[1] for f in scored) if scored else None,
            "lowered": [p.page_id for p in own if p.lowered],
        }
    return means


def verdict(pages: list[SitePage]) -> str:
    lowered = [p for p in pages if p.lowered]
    if not lowered:
        return "site rules lower no page"
    listed = "; ".join(f"{p.page_id} ({', '.join(p.lowered)})" for p in lowered)
    return f"site rules lower {len(lowered)} pages: {listed}"


def print_site_rules(results: Results, with_rules: str, generic: str) -> None:
    pages = site_pages(results, with_rules, generic)
    print(
        f"\n== Site rules vs generic extraction ({with_rules!r} vs {generic!r}: "
        "corpus pages of built-in sites, page F1) =="
    )
    print(
        f"{'site':<13} {'page id':<31} {'record':>6} {'F1 site':>7} {'generic':>7} "
        f"{'delta':>7} {'cut':>5} {'added':>5}  fields (site rules/generic)"
    )
    for page in pages:
        _print_page(page)
    print("per site, mean page F1 over the pages with a body truth:")
    for name, mean in site_means(pages).items():
        _print_mean(name, mean)
    print(
        "  cut/added: share of the generic text's shingles gone with site rules / of the "
        f"site-rules text's shingles not in the generic text; LOWER: F1 down > {TOLERANCE}, "
        "a right field wrong, or no record"
    )
    print(verdict(pages))
    missing = articles_without_record(results, with_rules)
    print("corpus article pages without a record with site rules: "
          + (", ".join(missing) if missing else "none"))


def _print_page(page: SitePage) -> None:
    records = "/".join("y" if r else "n" for r in page.records)
    if page.f1 is None:
        scores = f"{'-':>7} {'-':>7} {'-':>7}"
    else:
        scores = f"{page.f1[0]:>7.3f} {page.f1[1]:>7.3f} {page.delta:>+7.3f}"
    fields = " ".join(f"{n} {MARKS[a]}/{MARKS[b]}" for n, (a, b) in page.fields.items())
    mark = f"  << LOWER: {', '.join(page.lowered)}" if page.lowered else ""
    mark += "".join(f"  [{note}]" for note in page.notes)
    print(
        f"{page.site:<13} {page.page_id:<31} {records:>6} {scores} {page.cut:>5.0%} "
        f"{page.added:>5.0%}  {fields or '-'}{mark}"
    )
    if page.first_cut and (page.lowered or page.f1 is None):
        print(f"{'':<14} first line cut: {page.first_cut!r}")


def _print_mean(name: str, mean: dict[str, Any]) -> None:
    if mean["f1_site_rules"] is None:
        scores = "no page with a body truth"
    else:
        rules, generic = mean["f1_site_rules"], mean["f1_generic"]
        scores = f"F1 site {rules:.3f} generic {generic:.3f} delta {rules - generic:+.3f}"
    lowered = ", ".join(mean["lowered"]) or "none"
    print(
        f"  {name:<13} {mean['pages']:>2} page{'s' if mean['pages'] != 1 else ' '}, "
        f"{mean['with_body_truth']:>2} with body truth: {scores}; lowered: {lowered}"
    )


def site_rules_json(results: Results, with_rules: str, generic: str) -> dict[str, Any]:
    """The section's figures, without page text."""
    pages = site_pages(results, with_rules, generic)
    rows = [
        {**{k: v for k, v in asdict(p).items() if k != "first_cut"}, "delta": p.delta}
        for p in pages
    ]
    return {
        "extractors": [with_rules, generic],
        "tolerance": TOLERANCE,
        "pages": rows,
        "sites": site_means(pages),
        "lowered": [p.page_id for p in pages if p.lowered],
        "verdict": verdict(pages),
        "articles_without_record": articles_without_record(results, with_rules),
    }
