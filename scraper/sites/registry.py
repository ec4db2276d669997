"""Every built-in site: the ``site`` of each spider in Scrapy's ``SPIDER_MODULES``.

Sites are found the way ``scrapy list`` finds spiders (Scrapy's SpiderLoader over the
project's ``SPIDER_MODULES``), so the core never imports a publisher module by name and a new
publisher is one module in ``spiders/``.
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from urllib.parse import urlsplit

from scrapy.spiderloader import SpiderLoader

from scraper.errors import UsageError
from scraper.project import project_settings
from scraper.sites.definition import SiteDefinition


@lru_cache(maxsize=1)
def all_sites() -> dict[str, SiteDefinition]:
    """Site name -> definition, sorted by name."""
    settings = project_settings()
    loader = SpiderLoader.from_settings(settings)
    found: dict[str, SiteDefinition] = {}
    for spider_name in loader.list():
        site = getattr(loader.load(spider_name), "site", None)
        if isinstance(site, SiteDefinition):
            if site.name != spider_name:
                raise RuntimeError(f"spider {spider_name!r} declares site {site.name!r}: "
                                   "a site's spider must carry the site's name")
            found[site.name] = site
    return dict(sorted(found.items()))


def get_site(name: str) -> SiteDefinition:
    """The site called ``name``; UsageError listing close matches when there is none."""
    sites = all_sites()
    if name in sites:
        return sites[name]
    close = difflib.get_close_matches(name, list(sites), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise UsageError(f"unknown site {name!r}{hint} (`scraper sites` lists them)")


def site_for_url(url: str) -> SiteDefinition | None:
    """The site owning the URL; the most specific owner wins.

    A longer host beats a shorter one (english.x.com over x.com), then a longer path prefix
    (x.com/english over x.com): an edition under a path of another edition's host is its own.
    """
    owners = [(found, site) for site in _sites_of_host(urlsplit(url).hostname or "")
              if (found := site.ownership(url)) is not None]
    return max(owners, key=lambda pair: pair[0])[1] if owners else None


@lru_cache(maxsize=4096)
def _sites_of_host(host: str) -> tuple[SiteDefinition, ...]:
    """The sites owning some URL of the host: only these are asked about each URL (re-extracting
    a collection asks for every capture)."""
    return tuple(site for site in all_sites().values() if site.owns_host(host))
