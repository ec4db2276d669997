"""Which site a URL belongs to, and that site's extraction rules.

Site definitions live in ``spiders/`` (one module per publisher); this module only looks them up
by domain, so the core never names a site. A URL of no known site gets its registrable domain as
site name and the cross-site rules alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scraper.cruft import CROSS_SITE, CruftRules
from scraper.domains import registrable_domain

if TYPE_CHECKING:
    from spiders.site import SiteDefinition


@dataclass(frozen=True)
class SiteContext:
    name: str
    rules: CruftRules = CROSS_SITE
    article_pattern: str | None = None
    #: IANA zone for dates the site writes without an offset (None: UTC).
    timezone: str | None = None


def context_of(site: SiteDefinition) -> SiteContext:
    return SiteContext(site.name, CROSS_SITE.plus(site.cruft), site.article_pattern,
                       site.timezone)


def site_context(url: str, name: str | None = None) -> SiteContext:
    """The context of the site called ``name``, else of the site owning the URL's host."""
    from spiders.registry import all_sites, site_for_url

    site = all_sites().get(name) if name else None
    site = site or site_for_url(url)
    if site is not None:
        return context_of(site)
    host = urlsplit(url).hostname or ""
    return SiteContext(name=name or (registrable_domain(host) if host else "unknown"))
