"""``scraper sites --match``: which site owns a URL, and what its rules say about it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from scraper.errors import UsageError
from scraper.sites.registry import site_for_url


@dataclass(frozen=True)
class UrlMatch:
    url: str
    site: str | None
    verdict: str  # "article", "denied", "not article", "no site"
    rule: str = ""  # the deny regex, or the period of the rules used
    period: str = "current"

    def line(self) -> str:
        return "\t".join((self.url, self.site or "-", self.verdict, self.rule, self.period))


def match_url(url: str, at: datetime | None = None) -> UrlMatch:
    """The owning site and the verdict of its rules (of the date ``at``; None: current)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"--match {url!r}: give absolute http(s) URLs")
    site = site_for_url(url)
    if site is None:
        return UrlMatch(url, None, "no site")
    rules = site.rules_at(at)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    denied = rules.denied_by(target)
    if denied is not None:
        return UrlMatch(url, site.name, "denied", denied, rules.period)
    verdict = "article" if rules.is_article(parts.path or "/") else "not article"
    return UrlMatch(url, site.name, verdict, "", rules.period)
