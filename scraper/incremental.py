"""``--incremental``: fetch only what is new or due for a re-check, judged by the catalog.

An article URL already captured is fetched again only while it is young: at each point of the
re-check schedule (``--recheck-after 1h,6h,24h,72h`` by default, measured from when it was first
seen) it becomes due once. Discovery sources (feeds, sitemaps, section pages), robots.txt and
pages that never gave an article are always fetched: they are how new articles are found.
"""

from __future__ import annotations

import re
from pathlib import Path
from datetime import datetime, timedelta, timezone
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import IgnoreRequest, NotConfigured

from scraper.catalog import CATALOG_NAME, LastCapture
from scraper.catalog_extension import shared_store
from scraper.errors import UsageError

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request

#: Request meta: fetch whatever the catalog says (discovery sources set it).
ALWAYS_FETCH = "always_fetch"
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
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def due_rechecks(settings: Any, belongs: Callable[[str], bool]) -> list[str]:
    """Article URLs of this crawl that are due for a re-check, from the catalog.

    Discovery may no longer list an article (taken down, moved off the front page); it is
    re-checked all the same, which is how a 404 or 410 for a removed article gets recorded.
    """
    if not settings.getbool("SCRAPER_INCREMENTAL"):
        return []
    store = shared_store(Path(settings.get("SCRAPER_DATA_DIR")) / CATALOG_NAME)
    schedule = parse_schedule(settings.get("SCRAPER_RECHECK_AFTER"))
    now = datetime.now(timezone.utc)
    due = []
    for url in sorted(store.article_urls()):
        last = store.last_capture(url)
        if last is not None and belongs(url) and is_due(last, schedule, now):
            due.append(url)
    return due


class IncrementalMiddleware:
    """Downloader middleware: drops requests for article URLs that are neither new nor due."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("SCRAPER_INCREMENTAL"):
            raise NotConfigured
        self.stats = crawler.stats
        self.schedule = parse_schedule(settings.get("SCRAPER_RECHECK_AFTER"))
        self.store = shared_store(Path(settings.get("SCRAPER_DATA_DIR")) / CATALOG_NAME)

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
        raise IgnoreRequest("already archived and not due for a re-check")
