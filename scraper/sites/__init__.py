"""Publishers as data: definitions, the registry of built-in sites, and site lookup by URL."""

from __future__ import annotations

from scraper.sites.definition import SiteDefinition, Source
from scraper.sites.registry import all_sites, get_site, site_for_url

__all__ = ["SiteDefinition", "Source", "all_sites", "get_site", "site_for_url"]
