"""Crawl one site from a start URL, following links within its registrable domain."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse

from scraper.crawl.incremental import ALWAYS_FETCH
from scraper.crawl.limits import limits_of
from scraper.sites.context import site_context
from scraper.sites.domains import registrable_domain, same_site
from spiders.links import extract_links
from spiders.urls import is_section_url


class GenericSpider(scrapy.Spider):
    """``scraper crawl --url URL``: breadth-first through one site, at most ``limit`` pages.

    ``limit`` counts distinct page URLs scheduled (the start URL included); robots.txt fetches
    and redirect hops are captured too but do not count. 0 means no limit.
    """

    name = "generic"

    def __init__(self, url: str = "", limit: int | str = 0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not url:
            raise ValueError("the generic spider needs a start URL: -a url=https://...")
        self.start_url = url
        self.limit = int(limit)
        self.site_domain = registrable_domain(urlsplit(url).hostname or "")
        #: What the catalog and the article records call this site.
        self.site_name = site_context(url).name
        self.seen: set[str] = set()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        # The entry page is how new pages are found: an incremental run always fetches it.
        for request in self._schedule([self.start_url], always=True):
            yield request

    def owns_url(self, url: str) -> bool:
        return same_site(url, self.site_domain)

    def recheck_request(self, url: str) -> scrapy.Request | None:
        return next(self._schedule([url]), None)

    def parse(self, response: Response) -> Iterator[scrapy.Request]:
        if not isinstance(response, TextResponse) or "truncated" in response.flags:
            return
        if self.limit and len(self.seen) >= self.limit:
            return  # nothing more will be scheduled: skip link discovery
        origin = "/".join(response.url.split("/", 3)[:3]) + "/"
        urls = extract_links(response.body, response.url, response.encoding)
        most = self.crawler.settings.getint("SCRAPER_SOURCE_MAX_URLS")
        if len(urls) > most:
            self._limit_reached(response.url, f"links to more than the limit of {most:,} URLs; "
                                f"the first {most:,} were kept (SCRAPER_SOURCE_MAX_URLS = "
                                f"{most:,})")
            urls = urls[:most]
        yield from self._schedule(u for u in urls if u.startswith(origin)
                                  or same_site(u, self.site_domain))

    def _limit_reached(self, url: str, message: str) -> None:
        report = limits_of(self.crawler)
        if report is not None:
            report.exceeded(url, message)
        else:
            self.crawler.stats.inc_value("limits/failed")
            self.logger.warning("Limit reached, %s failed: %s", url, message)

    def _schedule(self, urls: Any, always: bool = False) -> Iterator[scrapy.Request]:
        site_max = self.crawler.settings.getint("SCRAPER_SITE_MAX_URLS") \
            if hasattr(self, "crawler") else 0
        for url in urls:
            if self.limit and len(self.seen) >= self.limit:
                return
            if site_max and len(self.seen) >= site_max:
                if not getattr(self, "site_full_reported", False):
                    self.site_full_reported = True
                    self._limit_reached(url, f"the site links to more than the limit of "
                                        f"{site_max:,} pages; the first were scheduled "
                                        f"(SCRAPER_SITE_MAX_URLS = {site_max:,})")
                return
            key = url.split("#", 1)[0]
            if key in self.seen:
                continue
            self.seen.add(key)
            # Section pages list new articles: fetched every run, like a site's feeds.
            meta = {ALWAYS_FETCH: True} if always or is_section_url(key) else {}
            yield scrapy.Request(key, callback=self.parse, meta=meta)
