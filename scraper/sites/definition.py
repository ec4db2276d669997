"""A publisher, declared as data: domains, discovery sources, article URLs, cruft rules.

One module per publisher in ``spiders/`` defines ``SITE = SiteDefinition(...)`` and a thin
spider (``class Spider(NewsSiteSpider): site = SITE``). Everything a site needs that the core
would otherwise have to special-case lives here, so ``scraper/`` and ``archive/`` never name a site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal
from urllib.parse import urlsplit

from scraper.extract.cruft import CruftRules
from scraper.sites.rules import Owned, RulesVersion, SiteRules

SourceKind = Literal["rss", "atom", "sitemap", "news-sitemap", "sitemap-index", "section",
                     "google-news"]
Paywall = Literal["none", "metered", "hard", "partial", "unknown"]
#: Kinds that list articles only: a URL they list is fetched even outside the article pattern.
ARTICLE_LISTS = frozenset({"rss", "atom", "news-sitemap", "google-news"})


@dataclass(frozen=True)
class Source:
    """One discovery URL and the evidence for it (source and date).

    ``provenance`` says where the URL comes from and when it was last seen answering (a public
    feed-health audit, fundus' publisher definitions, robots.txt copies, the site's pages in
    ../shared/corpus). ``verified`` stays False until ``scraper sites --check`` has seen it
    answer from the live site on this machine.

    ``group``: sources sharing a group are candidates for one feed, tried in the order given
    until one answers with items (public configs disagree on many feed paths); a source
    without a group is always fetched.
    """

    url: str
    kind: SourceKind
    provenance: str
    verified: bool = False
    language: str | None = None
    group: str | None = None


def google_news_source(domain: str, language: str = "en", country: str = "US",
                       group: str | None = "feed") -> Source:
    """Google News' RSS search for ``site:domain``: the fallback when the site's own feeds are
    dead or blocked (its links are resolved to the publisher's URLs before fetching)."""
    url = (f"https://news.google.com/rss/search?q=site:{domain}&hl={language}-{country}"
           f"&gl={country}&ceid={country}:{language}")
    return Source(url, "google-news", "Google News RSS search for the site: the fallback when "
                  "its own feed is dead or blocked (links resolved to the publisher's URLs)",
                  language=language, group=group)


@dataclass(frozen=True)
class SiteDefinition:
    """Everything that differs between publishers.

    Args:
        name: the CLI name, lower-case with hyphens (``al-monitor``).
        title: the publisher's own name.
        domains: what the site owns: hosts and registrable domains (``aljazeera.com``), or a
            host with a path prefix (``rudaw.net/english``) for an edition living under a path
            of a host another edition owns. The most specific owner of a URL wins.
        languages: ISO 639-1 codes of the editions this definition covers.
        sources: feeds, sitemaps and section pages, in the order they are tried.
        article_pattern: regex on the URL *path* that marks an article page (current rules).
        deny: regexes on the URL path (with ``?query`` when there is one) never followed:
            calendars, tag pages with endless pagination, search, print and amp duplicates.
        cruft: site rules added to the cross-site ones for extraction (current rules).
        earlier: the rules of earlier templates, each valid until a date (see RulesVersion).
        drop_params: query parameters of this site that only say where a link came from
            (``src`` of ``?src=rss``): dropped before deduplication, like utm_*.
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
    earlier: tuple[RulesVersion, ...] = ()
    drop_params: tuple[str, ...] = ()
    paywall: Paywall = "unknown"
    politeness: dict[str, Any] = field(default_factory=dict)
    notes: str = ""
    timezone: str | None = None
    _current: SiteRules | None = field(default=None, compare=False, repr=False)
    _owned: tuple[Owned, ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", self.name):
            raise ValueError(f"site name {self.name!r}: lower-case words joined by hyphens")
        object.__setattr__(self, "_current",
                           SiteRules(self.article_pattern, self.deny, self.cruft))
        object.__setattr__(self, "_owned", tuple(Owned.parse(d) for d in self.domains))
        object.__setattr__(self, "earlier", tuple(sorted(self.earlier, key=lambda v: v.until)))

    @property
    def rules(self) -> SiteRules:
        """The rules in force now (what the crawl uses)."""
        assert self._current is not None
        return self._current

    def rules_at(self, moment: datetime | None) -> SiteRules:
        """The rules of the period a capture made at ``moment`` falls in (None: current)."""
        if moment is not None:
            for version in self.earlier:  # sorted: the oldest period that still applies
                if version.applies_at(moment):
                    return SiteRules(version.article_pattern, version.deny, version.cruft,
                                     f"until {version.until}")
        return self.rules

    def is_article(self, path: str) -> bool:
        return self.rules.is_article(path)

    def is_denied(self, path: str) -> bool:
        return self.rules.denied_by(path) is not None

    def ownership(self, url: str) -> int | None:
        """How specifically the site owns the URL (larger wins), None when it does not."""
        parts = urlsplit(url)
        found = [s for o in self._owned
                 if (s := o.specificity(parts.hostname or "", parts.path or "/")) is not None]
        return max(found) if found else None

    def owns_host(self, host: str) -> bool:
        """Whether some URL of the host may be the site's (a path prefix decides which)."""
        return any(owned.owns_host(host) for owned in self._owned)

    def owns_url(self, url: str) -> bool:
        return self.ownership(url) is not None

    def discovery_slots(self) -> int:
        """Sources fetched when every one works: ungrouped ones plus one per group."""
        groups = {s.group for s in self.sources if s.group is not None}
        return len(groups) + sum(1 for s in self.sources if s.group is None)

    def source_kinds(self) -> list[str]:
        return sorted({s.kind for s in self.sources})

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name, "title": self.title, "domains": list(self.domains),
            "languages": list(self.languages), "paywall": self.paywall,
            "article_pattern": self.article_pattern, "deny": list(self.deny),
            "earlier_rules": [{"until": v.until, "article_pattern": v.article_pattern,
                               "deny": list(v.deny), "evidence": v.evidence}
                              for v in self.earlier],
            "sources": [{"url": s.url, "kind": s.kind, "provenance": s.provenance,
                         "verified": s.verified, "language": s.language, "group": s.group}
                        for s in self.sources],
            "politeness": dict(self.politeness), "notes": self.notes,
            "timezone": self.timezone,
        }
