"""``--incremental``: fetch only what is new or due for a re-check, judged by the catalog.

An article URL already captured is fetched again only while it is young: at each point of the
re-check schedule (``--recheck-after 1h,6h,24h,72h`` by default, measured from when it was first
seen) it becomes due once. Discovery sources (feeds, sitemaps, section pages), robots.txt and
pages that never gave an article are always fetched: they are how new articles are found.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import IgnoreRequest, NotConfigured

from archive.records import parse_warc_date
from scraper.crawl.catalog_extension import CatalogExtension, catalog_of
from scraper.errors import UsageError
from scraper.store.catalog import LastCapture

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request

#: Request meta: fetch whatever the catalog says (discovery sources set it).
ALWAYS_FETCH = "always_fetch"


class NotDue(IgnoreRequest):
    """An archived article skipped because its re-check is not due (not a lost capture)."""


#: Request meta set by this middleware: "new" or "recheck".
DECISION = "incremental"

_DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*([smhdw])$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_schedule(value: str) -> list[timedelta]:
    """``"1h,6h,24h,72h"`` -> durations, sorted."""
    steps = []
    for part in (p.strip().lower() for p in value.split(",") if p.strip()):
        match = _DURATION.match(part)
        if not match:
            raise UsageError(f"--recheck-after {value!r}: use durations like 1h,6h,24h,72h")
        steps.append(timedelta(seconds=float(match.group(1)) * _SECONDS[match.group(2)]))
    return sorted(steps)


def is_due(last: LastCapture, schedule: list[timedelta], now: datetime) -> bool:
    """Due when a point of the schedule has passed since the last fetch."""
    first = _parse(last.first_seen)
    fetched = _parse(last.fetched_at)
    return any(fetched < first + step <= now for step in schedule)


def _parse(value: str) -> datetime:
    moment = parse_warc_date(value)
    if moment is None:
        raise ValueError(f"not a WARC date in the catalog: {value!r} (run `scraper reindex`)")
    return moment


def due_rechecks(catalog: CatalogExtension, schedule: list[timedelta], now: datetime,
                 belongs: Callable[[str], bool]) -> list[str]:
    """Article URLs of this crawl that are due for a re-check, from the catalog.

    Discovery may no longer list an article (taken down, moved off the front page); it is
    re-checked all the same, which is how a 404 or 410 for a removed article gets recorded.
    """
    due = []
    for url in catalog.article_urls():
        last = catalog.last_capture(url)
        if last is not None and belongs(url) and is_due(last, schedule, now):
            due.append(url)
    return due


class RecheckStartMiddleware:
    """Spider middleware: after the spider's own start requests, the articles due a re-check.

    The spider says which URLs are its own (``owns_url(url)``) and how to fetch one again
    (``recheck_request(url)``, None to skip); spiders never open the catalog themselves.
    """

    def __init__(self, crawler: Crawler) -> None:
        if not crawler.settings.getbool("SCRAPER_INCREMENTAL"):
            raise NotConfigured
        self.crawler = crawler
        self.schedule = parse_schedule(crawler.settings.get("SCRAPER_RECHECK_AFTER"))

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RecheckStartMiddleware:
        return cls(crawler)

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for item_or_request in start:
            yield item_or_request
        spider: Any = self.crawler.spider
        catalog = catalog_of(self.crawler)
        if catalog is None or not hasattr(spider, "recheck_request"):
            return
        for url in due_rechecks(catalog, self.schedule, datetime.now(timezone.utc),
                                spider.owns_url):
            request = spider.recheck_request(url)
            if request is not None:
                yield request


class IncrementalMiddleware:
    """Downloader middleware: drops requests for article URLs that are neither new nor due."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("SCRAPER_INCREMENTAL"):
            raise NotConfigured
        self.stats = crawler.stats
        self.schedule = parse_schedule(settings.get("SCRAPER_RECHECK_AFTER"))
        catalog = catalog_of(crawler)
        if catalog is None:
            raise NotConfigured("--incremental needs the catalog (SCRAPER_CATALOG_ENABLED)")
        self.store = catalog

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalMiddleware:
        return cls(crawler)

    def process_request(self, request: Request, spider: Any = None) -> None:
        if request.meta.get(ALWAYS_FETCH) or request.meta.get("dont_obey_robotstxt") or \
                DECISION in request.meta:
            return
        last = self.store.last_capture(request.url)
        if last is None:
            request.meta[DECISION] = "new"
            self.stats.inc_value("incremental/new")
            return
        if not self.store.is_article_url(request.url):
            return  # a page that never gave an article: a hub, fetched every run
        if is_due(last, self.schedule, datetime.now(timezone.utc)):
            request.meta[DECISION] = "recheck"
            self.stats.inc_value("incremental/recheck")
            return
        self.stats.inc_value("incremental/not_due")
        raise NotDue("already archived and not due for a re-check")
