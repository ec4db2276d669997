"""The frontier in the catalog: URLs discovered and not yet done survive a crash.

Every filterable request the spider schedules is written to the catalog's ``frontier`` table. A
URL leaves it once its exchange is archived *and* its callback's output (the links it found)
has been scheduled: a page archived but killed before its links were scheduled would otherwise
be "done" while its links are known nowhere (an incremental run does not fetch an archived
article again). A run that finishes normally clears its site's frontier; an interrupted one
(``kill -9``, SIGTERM) leaves it, and the next run of the same site seeds it after the
spider's own start requests, through ``spider.recheck_request(url)``.

Requests with ``dont_filter`` (feeds, sitemaps) are left out: every run fetches them anyway.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from archive.records import warc_date
from scraper.crawl.catalog_extension import CatalogExtension, catalog_of
from scraper.crawl.signals import exchange_archived
from scraper.errors import StorageError

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

logger = logging.getLogger(__name__)


class FrontierMiddleware:
    """Spider middleware (closest to the engine, so it sees what is really scheduled)."""

    def __init__(self, crawler: Crawler) -> None:
        if not crawler.settings.getbool("SCRAPER_FRONTIER_ENABLED"):
            raise NotConfigured
        self.crawler = crawler
        self.run_id = crawler.settings.get("SCRAPER_RUN_ID")
        self.catalog: CatalogExtension | None = None
        #: URLs with one of the two conditions for leaving the frontier met, waiting the other.
        self.archived: set[str] = set()
        self.parsed: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FrontierMiddleware:
        middleware = cls(crawler)
        crawler.signals.connect(middleware.request_scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(middleware.exchange_archived, signal=exchange_archived)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    @property
    def site(self) -> str | None:
        spider = self.crawler.spider
        return getattr(spider, "site_name", None) or getattr(spider, "name", None)

    def _catalog(self) -> CatalogExtension | None:
        if self.catalog is None:
            self.catalog = catalog_of(self.crawler)
        return self.catalog

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for item_or_request in start:
            yield item_or_request
        catalog = self._catalog()
        spider: Any = self.crawler.spider
        if catalog is None or not hasattr(spider, "recheck_request"):
            return
        left = catalog.store.frontier(self.site)
        if left:
            logger.info("Resuming %d URLs left in the frontier by an interrupted run", len(left))
            self.crawler.stats.set_value("frontier/resumed", len(left))
        for url in left:
            request = spider.recheck_request(url)
            if request is not None:
                yield request

    def request_scheduled(self, request: Request, spider: Any = None) -> None:
        catalog = self._catalog()
        if catalog is None or request.dont_filter:
            return
        try:
            catalog.store.add_to_frontier(request.url, self.site,
                                          warc_date(datetime.now(timezone.utc)), self.run_id)
        except StorageError as error:
            self._write_failed(request.url, error)

    def exchange_archived(self, request: Request, response: Any, capture: Any) -> None:
        if 300 <= response.status < 400:  # a redirect hop: its callback never runs
            self.parsed.add(request.url)
        self._done(request.url, self.archived, self.parsed)

    def process_spider_output(self, response: Response, result: Iterable[Any],
                              spider: Any = None) -> Iterator[Any]:
        yield from result
        self._done(response.request.url if response.request else response.url,
                   self.parsed, self.archived)

    async def process_spider_output_async(self, response: Response, result: AsyncIterator[Any],
                                          spider: Any = None) -> AsyncIterator[Any]:
        async for item_or_request in result:
            yield item_or_request
        self._done(response.request.url if response.request else response.url,
                   self.parsed, self.archived)

    def process_spider_exception(self, response: Response, exception: BaseException,
                                 spider: Any = None) -> None:
        # an error page (HttpError) or a failed callback: nothing more will come of this URL
        self._done(response.request.url if response.request else response.url,
                   self.parsed, self.archived)

    def _done(self, url: str, this: set[str], other: set[str]) -> None:
        if url in other:
            other.discard(url)
            catalog = self._catalog()
            if catalog is None:
                return
            try:
                catalog.store.remove_from_frontier(url)
            except StorageError as error:
                self._write_failed(url, error)
        else:
            this.add(url)

    def _write_failed(self, url: str, error: StorageError) -> None:
        """The catalog failing is the catalog's failure (it stops the run); count it here."""
        self.crawler.stats.inc_value("frontier/write_errors")
        logger.error("Frontier not updated for %s: %s", url, error)

    def spider_closed(self, spider: Any, reason: str) -> None:
        catalog = self._catalog()
        if catalog is not None and reason == "finished":
            try:
                catalog.store.clear_frontier(self.site)
            except StorageError as error:
                self._write_failed("(all)", error)
