"""Which site a URL belongs to, and that site's extraction rules for a capture's date.

A URL of no known site gets its registrable domain as site name and the cross-site rules alone.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from urllib.parse import urlsplit

from scraper.extract.cruft import CROSS_SITE, CruftRules
from scraper.extract.site_rules import SiteContext
from scraper.sites.definition import ARTICLE_LISTS, SiteDefinition
from scraper.sites.domains import registrable_domain
from scraper.sites.registry import all_sites, site_for_url


def context_of(site: SiteDefinition, captured_at: datetime | None = None,
               listed: bool = False) -> SiteContext:
    """The site's context with the rules of the capture date (None: the current rules).

    ``listed``: a feed or news sitemap listed the URL, which is evidence enough that it is an
    article: the URL pattern does not get to reject it.
    """
    rules = site.rules_at(captured_at)
    return SiteContext(site.name, _with_cross_site(rules.cruft),
                       None if listed else rules.article_pattern, site.timezone, site.title)


@lru_cache(maxsize=256)
def _with_cross_site(cruft: CruftRules) -> CruftRules:
    """The cross-site rules plus a site's, built (and their patterns compiled) once per site
    and rules period, not once per page."""
    return CROSS_SITE.plus(cruft)


def site_context(url: str, name: str | None = None,
                 captured_at: datetime | None = None, listed: bool = False) -> SiteContext:
    """The context of the site called ``name``, else of the site owning the URL."""
    site = all_sites().get(name) if name else None
    site = site or site_for_url(url)
    if site is not None:
        return context_of(site, captured_at, listed)
    host = urlsplit(url).hostname or ""
    return SiteContext(name=name or (registrable_domain(host) if host else "unknown"))


def listed_by_discovery(metadata: dict[str, str] | None) -> bool:
    """Whether the capture's metadata says a feed or news sitemap listed its URL (or that it
    was an article already, re-checked)."""
    # A re-check fetches a URL the catalog already holds as an article: evidence as good.
    return (metadata or {}).get("discovered-by", "") in ARTICLE_LISTS | {"recheck"}


def context_for(url: str, metadata: dict[str, str] | None, site_rules: bool = True,
                captured_at: datetime | None = None) -> SiteContext:
    """The site named in the capture's metadata record, else the one owning the URL, with the
    rules of the capture date.

    With ``site_rules`` off the page gets the cross-site rules only (to measure what a site's
    rules add, see bench/extraction_quality.py).
    """
    context = site_context(url, (metadata or {}).get("site"), captured_at,
                           listed_by_discovery(metadata))
    return context if site_rules else SiteContext(context.name)


def site_of_capture(url: str, metadata: dict[str, str] | None) -> str:
    """The site name a capture is cataloged under: the same one its article record carries."""
    return context_for(url, metadata).name
