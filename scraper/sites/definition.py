"""A publisher, declared as data: domains, discovery sources, article URLs, cruft rules.

One module per publisher in ``spiders/`` defines ``SITE = SiteDefinition(...)`` and a thin
spider (``class Spider(NewsSiteSpider): site = SITE``). Everything a site needs that the core
would otherwise have to special-case lives here, so ``scraper/`` and ``archive/`` never name a site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from scraper.extract.cruft import CruftRules

SourceKind = Literal["rss", "atom", "sitemap", "news-sitemap", "sitemap-index", "section"]
Paywall = Literal["none", "metered", "hard", "partial", "unknown"]


@dataclass(frozen=True)
class Source:
    """One discovery URL and where we know it from.

    ``provenance`` says where the URL comes from (the site's robots.txt or sitemap index as
    documented publicly, a link in a page of ../shared/corpus, public documentation); this
    machine has no internet, so ``verified`` stays False until ``scraper sites --check`` has
    seen it answer from the live site.
    """

    url: str
    kind: SourceKind
    provenance: str
    verified: bool = False
    language: str | None = None


@dataclass(frozen=True)
class SiteDefinition:
    """Everything that differs between publishers.

    Args:
        name: the CLI name, lower-case with hyphens (``al-monitor``).
        title: the publisher's own name.
        domains: hosts and registrable domains whose URLs belong to the site.
        languages: ISO 639-1 codes of the editions this definition covers.
        sources: feeds, sitemaps and section pages, in the order they are tried.
        article_pattern: regex on the URL *path* that marks an article page.
        deny: regexes on the URL path (with ``?query`` when there is one) never followed:
            calendars, tag pages with endless pagination, search, print and amp duplicates.
        cruft: site rules added to the cross-site ones for extraction.
        paywall: what readers meet: none, metered, hard, partial, unknown.
        politeness: Scrapy settings for this site only (delays, concurrency).
        timezone: IANA zone of dates the site writes without an offset (e.g. Europe/Istanbul).
        notes: what is covered, what is not, what is unverified.
    """

    name: str
    title: str
    domains: tuple[str, ...]
    languages: tuple[str, ...]
    sources: tuple[Source, ...]
    article_pattern: str | None = None
    deny: tuple[str, ...] = ()
    cruft: CruftRules = field(default_factory=CruftRules)
    paywall: Paywall = "unknown"
    politeness: dict[str, Any] = field(default_factory=dict)
    notes: str = ""
    timezone: str | None = None
    _article: re.Pattern[str] | None = field(default=None, compare=False, repr=False)
    _deny: tuple[re.Pattern[str], ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", self.name):
            raise ValueError(f"site name {self.name!r}: lower-case words joined by hyphens")
        object.__setattr__(self, "_article",
                           re.compile(self.article_pattern) if self.article_pattern else None)
        object.__setattr__(self, "_deny", tuple(re.compile(p) for p in self.deny))

    def is_article(self, path: str) -> bool:
        return bool(self._article and self._article.search(path))

    def is_denied(self, path: str) -> bool:
        return any(p.search(path) for p in self._deny)

    def owns_host(self, host: str) -> bool:
        return any(self.owns_host_via(host, d) for d in self.domains)

    @staticmethod
    def owns_host_via(host: str, domain: str) -> bool:
        host = host.lower().rstrip(".")
        return host == domain or host.endswith("." + domain)

    def source_kinds(self) -> list[str]:
        return sorted({s.kind for s in self.sources})

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name, "title": self.title, "domains": list(self.domains),
            "languages": list(self.languages), "paywall": self.paywall,
            "article_pattern": self.article_pattern, "deny": list(self.deny),
            "sources": [{"url": s.url, "kind": s.kind, "provenance": s.provenance,
                         "verified": s.verified, "language": s.language}
                        for s in self.sources],
            "politeness": dict(self.politeness), "notes": self.notes,
            "timezone": self.timezone,
        }
