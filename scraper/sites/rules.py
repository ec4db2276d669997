"""A site's rules over time, and which URLs a site owns (host plus optional path prefix).

Rules versioned by date, as fundus keeps parser versions valid until a date: when a publisher
is redesigned, the rules of the old template are kept with the date they stopped applying, and a
capture is extracted with the rules of its capture date. Re-extracting an old WARC (our own, the
Internet Archive's, Common Crawl's) then gives what it gave before the redesign.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from scraper.extract.cruft import CruftRules


@dataclass(frozen=True)
class RulesVersion:
    """The article pattern, deny rules and cruft rules of a site, as they were until a date.

    Args:
        until: ISO date (``2021-06-01``); captures made *before* it use these rules.
        article_pattern: regex on the URL path of an article page in that period.
        deny: regexes on path (+ ``?query``) never followed in that period.
        cruft: site cruft rules of that template (added to the cross-site ones).
        evidence: where the old shape and template are known from, with a date.
    """

    until: str
    article_pattern: str | None = None
    deny: tuple[str, ...] = ()
    cruft: CruftRules = field(default_factory=CruftRules)
    evidence: str = ""
    _until: date = field(default=date.min, compare=False, repr=False)

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "_until", date.fromisoformat(self.until))
        except ValueError as error:
            raise ValueError(f"RulesVersion until={self.until!r}: not an ISO date") from error

    def applies_at(self, moment: datetime) -> bool:
        return moment.date() < self._until


@dataclass(frozen=True)
class SiteRules:
    """The rules in force for one capture: article pattern, deny list, cruft, since when."""

    article_pattern: str | None
    deny: tuple[str, ...]
    cruft: CruftRules
    #: ``current`` or ``until <date>`` of the version chosen.
    period: str = "current"
    _article: re.Pattern[str] | None = field(default=None, compare=False, repr=False)
    _deny: tuple[re.Pattern[str], ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_article",
                           re.compile(self.article_pattern) if self.article_pattern else None)
        object.__setattr__(self, "_deny", tuple(re.compile(p) for p in self.deny))

    def is_article(self, path: str) -> bool:
        return bool(self._article and self._article.search(path))

    def denied_by(self, target: str) -> str | None:
        """The first deny regex matching ``path[?query]``, None when none does."""
        return next((p.pattern for p in self._deny if p.search(target)), None)


@dataclass(frozen=True)
class Owned:
    """One ``host[/path-prefix]`` a site owns: ``rudaw.net/english`` or ``aljazeera.com``."""

    domain: str
    prefix: str = ""

    @classmethod
    def parse(cls, spec: str) -> Owned:
        host, slash, path = spec.lower().partition("/")
        if not host or (slash and not path.strip("/")):
            raise ValueError(f"domain {spec!r}: give a host, or a host and a path prefix")
        return cls(host.rstrip("."), f"/{path.strip('/')}" if slash else "")

    def owns_host(self, host: str) -> bool:
        """Whether ``host`` is the domain or under it (whatever the path prefix)."""
        host = host.lower().rstrip(".")
        return host == self.domain or host.endswith("." + self.domain)

    def specificity(self, host: str, path: str) -> int | None:
        """How specifically this owns ``host`` + ``path`` (longer wins), None if it does not."""
        if not self.owns_host(host):
            return None
        path = path.lower()
        if self.prefix and not (path == self.prefix or path.startswith(self.prefix + "/")):
            return None
        # Host length first, then prefix length: english.x.com beats x.com/english.
        return len(self.domain) * 1000 + len(self.prefix)
