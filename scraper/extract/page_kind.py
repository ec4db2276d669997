"""Is a captured page an article? Judged from the page itself, the URL pattern only helping.

A site's article URL pattern steers the crawl, but old captures carry URLs of older schemes
(query-string CMS URLs, editions under another edition's host), so at extraction the pattern
alone never throws a page away: a page outside it that has article evidence (JSON-LD article
type, ``og:type=article``, one dominant ``<article>`` with a headline, a declared publication
date) is extracted. The other way round, a home page, section front or tag page (JSON-LD
``CollectionPage``, teaser cards, a page made of links) is never an article, however many words
its teasers have. The judgement and its evidence go into the record (``page_kind``,
``page_evidence``), the reason for a non-article into the run's counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import html as lxml_html

from scraper.extract.cruft import text_length
from scraper.extract.structured import PageSignals

LISTING_TYPES = frozenset({"collectionpage", "itemlist", "searchresultspage", "profilepage"})
#: <article> cards or headline links from which a page without article markup is a listing.
MIN_TEASERS = 6
#: Share of the text of all <article> elements the largest one must hold to be "the" article.
DOMINANT_SHARE = 0.6
_DATE_META = ("article:published_time", "og:published_time", "datepublished", "pubdate",
              "publish-date", "date")


@dataclass(frozen=True)
class PageFacts:
    """What the markup says about the page's kind, read before any pruning."""

    json_ld_type: str | None  # the article type declared in JSON-LD, e.g. "NewsArticle"
    listing_type: bool  # JSON-LD CollectionPage / ItemList / ... and no article type
    og_article: bool
    dominant_article: bool  # one <article> with a headline and enough text
    declared_date: bool  # datePublished in JSON-LD or a publication-date meta tag
    og_website: bool
    teasers: int  # <article> cards, or links wrapping or inside h2-h4


    @property
    def any_evidence(self) -> bool:
        """Some markup says "article" (worth a second extraction when the text is thin)."""
        return bool(self.json_ld_type or self.og_article or self.dominant_article
                    or self.declared_date)


@dataclass(frozen=True)
class PageJudgement:
    kind: str  # "article" or "listing" / "other" (then ``reason`` says why)
    evidence: tuple[str, ...]
    reason: str | None = None


def read_facts(tree: lxml_html.HtmlElement, signals: PageSignals,
               min_chars: int) -> PageFacts:
    """The page-kind facts of a parsed page (call before pruning: cards and links count)."""
    articles = [text_length(a) for a in tree.iter("article")]
    og_type = (signals.first("og:type") or "").lower()
    biggest = max(articles, default=0)
    has_headline = bool(tree.xpath("//h1")) or bool(signals.json_ld.get("headline"))
    dominant = (has_headline and biggest >= min_chars
                and biggest >= DOMINANT_SHARE * sum(articles))
    headline_links = len(tree.xpath("//h2//a | //h3//a | //h4//a | //a[.//h2 or .//h3]"))
    return PageFacts(
        json_ld_type=_declared_type(signals),
        listing_type=bool(signals.json_ld_types & LISTING_TYPES) and not signals.json_ld,
        og_article=og_type == "article",
        og_website=og_type == "website",
        dominant_article=dominant,
        declared_date=bool(signals.json_ld.get("datePublished") or signals.first(*_DATE_META)),
        teasers=max(len(articles), headline_links),
    )


def judge_page(facts: PageFacts, path: str, pattern_match: bool | None, text_chars: int,
               min_chars: int) -> PageJudgement:
    """Article or not, and why.

    Args:
        facts: from :func:`read_facts`.
        path: the URL's path (a front page's is short: "/", "/news/", "/tag/iran").
        pattern_match: whether the URL path matches the site's article pattern (None: the
            site has none).
        text_chars: characters of the extracted text.
        min_chars: text enough for a page with no other evidence.
    """
    evidence = _evidence(facts, pattern_match)
    if text_chars == 0:
        return PageJudgement("other", evidence, "no-text")
    if facts.json_ld_type or facts.dominant_article:
        return PageJudgement("article", evidence)
    if facts.listing_type or _looks_like_listing(facts, path):
        return PageJudgement("listing", evidence, "listing")
    if facts.og_article or pattern_match:
        return PageJudgement("article", evidence)
    if pattern_match is False:
        if facts.declared_date and text_chars >= min_chars:
            return PageJudgement("article", evidence)
        return PageJudgement("other", evidence, "url-pattern")
    if facts.declared_date or text_chars >= min_chars:
        return PageJudgement("article", evidence + ("text-length",) * (text_chars >= min_chars))
    return PageJudgement("other", evidence, "too-short")


def _looks_like_listing(facts: PageFacts, path: str) -> bool:
    """Teaser cards or headline links in numbers, no publication date, and the page says it is
    a website (og:type) or sits at a front page's path. Article pages have teaser lists too
    (related stories), so the teasers alone decide nothing."""
    if facts.declared_date or facts.teasers < MIN_TEASERS:
        return False
    return facts.og_website or front_path(path)


def front_path(path: str) -> bool:
    """"/", "/news/", "/tag/iran": at most two short segments, no digits, no long slug."""
    segments = [s for s in path.split("/") if s]
    return len(segments) <= 2 and all(
        len(s) <= 30 and not any(c.isdigit() for c in s) and s.count("-") <= 2
        for s in segments)


def _evidence(facts: PageFacts, pattern_match: bool | None) -> tuple[str, ...]:
    found = []
    if facts.json_ld_type:
        found.append(f"json-ld:{facts.json_ld_type}")
    if facts.og_article:
        found.append("og:type=article")
    if facts.dominant_article:
        found.append("article-element")
    if facts.declared_date:
        found.append("published-date")
    if pattern_match is not None:
        found.append("url-pattern" if pattern_match else "outside-url-pattern")
    return tuple(found)


def _declared_type(signals: PageSignals) -> str | None:
    value = signals.json_ld.get("@type")
    values = value if isinstance(value, list) else [value]
    return next((str(v) for v in values if v), None) if signals.json_ld else None

