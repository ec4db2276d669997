"""Politeness beyond Scrapy's defaults: fail-closed robots.txt, Crawl-delay and Retry-After.

* RFC 9309 section 2.3.1.4: when robots.txt is unreachable (5xx, 429, network error) the crawler
  must assume complete disallow. Scrapy allows everything instead. Here the host is disallowed for
  ``ROBOTSTXT_ERROR_RETRY_AFTER`` seconds, then robots.txt is fetched again.
* ``Crawl-delay`` from robots.txt becomes the host's minimum delay, capped at
  ``ROBOTSTXT_CRAWL_DELAY_MAX``; AutoThrottle may slow down further but never below it.
* ``Retry-After`` on 429 and 503 pauses the host (capped at ``RETRY_AFTER_MAX``) before the retry.
"""

from __future__ import annotations

import logging
import time
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.extensions.throttle import AutoThrottle
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

from scraper.crawl.robots_lint import robots_warnings
from scraper.crawl.scrapy_compat import downloader_slot, robots_parsers
from scraper.crawl.signals import TIMED_OUT_FLAG

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

logger = logging.getLogger(__name__)

#: Per crawler: downloader slot key -> the robots.txt Crawl-delay floor for that host.
_FLOORS: WeakKeyDictionary[Any, dict[str, float]] = WeakKeyDictionary()


def crawl_delay_floors(crawler: Crawler) -> dict[str, float]:
    return _FLOORS.setdefault(crawler, {})


class DisallowAll:
    """Robot parser standing for an unreachable robots.txt: nothing is allowed until it expires."""

    def __init__(self, until: float, reason: str) -> None:
        self.until = until
        self.reason = reason

    def allowed(self, url: str, user_agent: Any) -> bool:
        return False


class FailClosedRobotsTxtMiddleware(RobotsTxtMiddleware):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.retry_after = crawler.settings.getfloat("ROBOTSTXT_ERROR_RETRY_AFTER")
        self.max_crawl_delay = crawler.settings.getfloat("ROBOTSTXT_CRAWL_DELAY_MAX")

    async def robot_parser(self, request: Request) -> Any:
        netloc = urlparse_cached(request).netloc
        parser = robots_parsers(self).get(netloc)
        if isinstance(parser, DisallowAll) and parser.until <= time.monotonic():
            del robots_parsers(self)[netloc]
        parser = await super().robot_parser(request)
        # Scrapy hands every request waiting for a host's robots.txt the same Deferred; turned
        # into a future for the first waiter it yields None ("allow all") to the others. The
        # parser the fetch stored is the answer for all of them.
        stored = robots_parsers(self).get(netloc)
        return stored if stored is not None and not isinstance(stored, Deferred) else parser

    def process_request_2(self, rp: Any, request: Request) -> None:
        if isinstance(rp, DisallowAll):
            self._stats.inc_value("robotstxt/forbidden_unreachable")
        super().process_request_2(rp, request)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status >= 500 or response.status == 429:
            self._stats.inc_value(f"robotstxt/response_status_count/{response.status}")
            self._disallow(netloc, f"robots.txt answered {response.status}")
            return
        if TIMED_OUT_FLAG in response.flags:  # a cut robots.txt may have lost its Disallow lines
            self._disallow(netloc, "robots.txt stalled mid-body (DOWNLOAD_TIMEOUT)")
            return
        rules = rules_body(response)
        if rules is not response.body:
            response = response.replace(body=rules)
        elif _looks_like_html(rules):
            self._stats.inc_value("robotstxt/html")
            logger.warning("robots.txt of %s is an HTML page (an error page answered 200?); "
                           "only its lines that are rules count", netloc)
        else:
            for warning in robots_warnings(response.body):
                self._stats.inc_value("robotstxt/malformed_lines")
                logger.warning("robots.txt of %s %s", netloc, warning)
        await super()._parse_robots(response, netloc, request)
        self._apply_crawl_delay(robots_parsers(self)[netloc], request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        # Not super(): Scrapy resolves the waiting requests with "no parser", i.e. allow all.
        self._stats.inc_value(f"robotstxt/exception_count/{type(exc).__name__}")
        self._disallow(netloc, f"robots.txt unreachable ({type(exc).__name__})")

    def _disallow(self, netloc: str, reason: str) -> None:
        logger.warning("Not crawling %s for %ds: %s (RFC 9309: unreachable means disallow)",
                       netloc, self.retry_after, reason)
        waiting = robots_parsers(self).get(netloc)
        parser = DisallowAll(time.monotonic() + self.retry_after, reason)
        robots_parsers(self)[netloc] = parser
        if waiting is not None and hasattr(waiting, "callback") and not waiting.called:
            waiting.callback(parser)

    def _apply_crawl_delay(self, parser: Any, request: Request) -> None:
        robots = getattr(parser, "rp", None)
        user_agent = self._robotstxt_useragent or self._default_useragent
        delay = robots.crawl_delay(user_agent) if robots is not None else None
        if not delay:
            return
        floor = min(float(delay), self.max_crawl_delay)
        key, slot = downloader_slot(self.crawler, request)
        crawl_delay_floors(self.crawler)[key] = floor
        slot.delay = max(slot.delay, floor)
        # Scrapy spreads delays over 0.5x-1.5x; a Crawl-delay is a minimum, so no spreading.
        slot.jitter = 0.0
        logger.info("Crawl-delay %.1fs for %s (robots.txt says %s)", floor,
                    urlparse_cached(request).netloc, delay)


class CrawlDelayAutoThrottle(AutoThrottle):
    """AutoThrottle that never goes below a host's robots.txt Crawl-delay."""

    def _response_downloaded(self, response: Response, request: Request, spider: Any) -> None:
        super()._response_downloaded(response, request, spider)
        key, slot = self._get_slot(request, spider)
        floor = crawl_delay_floors(self.crawler).get(key or "", 0.0)
        if slot is not None and slot.delay < floor:
            slot.delay = floor


class RetryAfterMiddleware(RetryMiddleware):
    """Retry 429/503 like Scrapy, but first pause the host for as long as Retry-After asks."""

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.max_wait = settings.getfloat("RETRY_AFTER_MAX")

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Any:
        if response.status in (429, 503):
            wait = retry_after_seconds(response.headers.get(b"Retry-After"))
            if wait is not None:
                wait = min(wait, self.max_wait)
                slot = _slot_for(self.crawler, request)
                slot.delay = max(slot.delay, 0.001)
                # The downloader measures lastseen on the monotonic clock.
                slot.lastseen = max(slot.lastseen, time.monotonic() + wait - slot.delay)
                self.crawler.stats.inc_value("retry_after/paused")
                logger.info("%s asked to wait %.0fs (Retry-After)", request.url, wait)
        return super().process_response(request, response)


def retry_after_seconds(value: bytes | None) -> float | None:
    """Seconds to wait from a Retry-After value (delta-seconds or an HTTP date)."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        return max(0.0, parsedate_to_datetime(text).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _slot_for(crawler: Crawler, request: Request) -> Any:
    return downloader_slot(crawler, request)[1]


def rules_body(response: Response) -> bytes:
    """What of a robots.txt answer is read as rules: none of a 4xx (RFC 9309 2.3.1.3: the
    file is unavailable, the site may be crawled; the body is an error page, which Scrapy
    would read as rules)."""
    return b"" if 400 <= response.status < 500 else response.body


def _looks_like_html(body: bytes) -> bool:
    head = body[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<?xml"))
