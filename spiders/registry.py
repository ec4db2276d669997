"""Every built-in site: the ``SITE`` of each module in this package, found at import time."""

from __future__ import annotations

import difflib
import importlib
import pkgutil
from functools import lru_cache
from urllib.parse import urlsplit

import spiders
from scraper.errors import UsageError
from spiders.site import SiteDefinition


@lru_cache(maxsize=1)
def _modules() -> dict[str, str]:
    """Site name -> the module that defines it."""
    found: dict[str, str] = {}
    for module_info in pkgutil.iter_modules(spiders.__path__):
        name = f"spiders.{module_info.name}"
        site = getattr(importlib.import_module(name), "SITE", None)
        if isinstance(site, SiteDefinition):
            if site.name in found:
                raise RuntimeError(f"{found[site.name]} and {name} both define {site.name!r}")
            found[site.name] = name
    return dict(sorted(found.items()))


@lru_cache(maxsize=1)
def all_sites() -> dict[str, SiteDefinition]:
    """Site name -> definition, sorted by name."""
    return {name: importlib.import_module(module).SITE for name, module in _modules().items()}


def get_site(name: str) -> SiteDefinition:
    """The site called ``name``; UsageError listing close matches when there is none."""
    sites = all_sites()
    if name in sites:
        return sites[name]
    close = difflib.get_close_matches(name, list(sites), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise UsageError(f"unknown site {name!r}{hint} (`scraper sites` lists them)")


def spider_class(site: SiteDefinition) -> type:
    """The spider class of the module that defines ``site``."""
    from spiders.base import NewsSiteSpider

    module = importlib.import_module(_modules()[site.name])
    for value in vars(module).values():
        if isinstance(value, type) and issubclass(value, NewsSiteSpider) and \
                getattr(value, "site", None) is site:
            return value
    raise RuntimeError(f"{module.__name__} defines SITE but no spider with site = SITE")


def site_for_url(url: str) -> SiteDefinition | None:
    """The site owning the URL's host; the most specific domain wins (english.x.com over x.com)."""
    host = urlsplit(url).hostname or ""
    owners = [(max(len(d) for d in s.domains if s.owns_host_via(host, d)), s)
              for s in all_sites().values() if s.owns_host(host)]
    return max(owners, key=lambda pair: pair[0])[1] if owners else None
