"""What extraction needs to know about the site a page belongs to."""

from __future__ import annotations

from dataclasses import dataclass

from scraper.extract.cruft import CROSS_SITE, CruftRules


@dataclass(frozen=True)
class SiteContext:
    """A site's name and extraction rules (a URL of no known site gets the cross-site rules)."""

    name: str
    rules: CruftRules = CROSS_SITE
    article_pattern: str | None = None
    #: IANA zone for dates the site writes without an offset (None: UTC).
    timezone: str | None = None
    #: The site's display name ("The Jerusalem Post"): a title that is only this is no title.
    title: str | None = None
