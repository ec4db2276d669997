"""Which site a URL belongs to, and that site's extraction rules.

A URL of no known site gets its registrable domain as site name and the cross-site rules alone.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from scraper.extract.cruft import CROSS_SITE
from scraper.extract.site_rules import SiteContext
from scraper.sites.definition import SiteDefinition
from scraper.sites.domains import registrable_domain
from scraper.sites.registry import all_sites, site_for_url


def context_of(site: SiteDefinition) -> SiteContext:
    return SiteContext(site.name, CROSS_SITE.plus(site.cruft), site.article_pattern,
                       site.timezone, site.title)


def site_context(url: str, name: str | None = None) -> SiteContext:
    """The context of the site called ``name``, else of the site owning the URL's host."""
    site = all_sites().get(name) if name else None
    site = site or site_for_url(url)
    if site is not None:
        return context_of(site)
    host = urlsplit(url).hostname or ""
    return SiteContext(name=name or (registrable_domain(host) if host else "unknown"))


def context_for(url: str, metadata: dict[str, str] | None,
                site_rules: bool = True) -> SiteContext:
    """The site named in the capture's metadata record, else the one owning the URL's host.

    With ``site_rules`` off the page gets the cross-site rules only (to measure what a site's
    rules add, see bench/extraction_quality.py).
    """
    context = site_context(url, (metadata or {}).get("site"))
    return context if site_rules else SiteContext(context.name)


def site_of_capture(url: str, metadata: dict[str, str] | None) -> str:
    """The site name a capture is cataloged under: the same one its article record carries."""
    return context_for(url, metadata).name
