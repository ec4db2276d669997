"""A job's life in a worker: seed once, renew leases, acknowledge, close only when all are done.

* :class:`SeedOnceMiddleware`: the first worker of a job runs the spider's start (feeds,
  sitemaps, sections, and with ``--incremental`` the re-checks due); every other worker skips it
  and fetches from the shared frontier.
* :class:`LeaseAckMiddleware` (spider side): a request is acknowledged when its callback has
  finished (its output queued, its capture on disk), or failed with the callback's error.
* :class:`LeaseFailureMiddleware` (downloader side): a download error that no retry took up is
  the end of a request: failed for good (``IgnoreRequest``, e.g. robots.txt: done).
* :class:`JobLifecycle` (extension): renews this worker's leases; keeps the worker open while the
  job is unseeded or any worker still has requests queued or in flight.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import CloseSpider, DontCloseSpider, IgnoreRequest, NotConfigured
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.asyncio import call_later
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.task import LoopingCall

from scraper.crawl.scrapy_compat import wake_engine
from scraper.crawl.warc_capture import WarcCaptureExtension
from scraper.distributed.jobkeys import JobKeys, shared_link
from scraper.distributed.queue import LEASE_META_KEY, LeasedQueue

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

#: How often a worker with nothing to do asks whether the job is finished (one round trip): the
#: last page of a job is followed by at most this long of waiting before the workers close.
IDLE_POLL_SECONDS = 0.2


class JobLifecycle:
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.get("DISTRIBUTED_JOB"):
            raise NotConfigured
        self.crawler = crawler
        self.link = shared_link(settings)
        self.keys = JobKeys.from_settings(settings)
        self.lease_seconds = settings.getfloat("DISTRIBUTED_LEASE_SECONDS")
        self.queue: LeasedQueue | None = None
        self.seeding = False
        self.orphaned_since: float | None = None
        self.renewal = LoopingCall(self.renew)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> JobLifecycle:
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    @property
    def spider_name(self) -> str:
        return str(self.crawler.spidercls.name)

    def attach(self, queue: LeasedQueue) -> None:
        """The scheduler hands over its queue when it opens."""
        self.queue = queue

    def spider_opened(self, spider: Any) -> None:
        self.renewal.start(max(self.lease_seconds / 3, 0.5), now=False)

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.renewal.running:
            self.renewal.stop()

    def renew(self) -> None:
        if self.queue is not None:
            lost = self.queue.renew()
            if lost:
                self.crawler.stats.inc_value("distributed/leases_lost", lost)
                logger.warning("%d leases ran out before renewal (this worker was too slow or "
                               "Redis was away); another worker may fetch them again", lost)
        if self.seeding:
            self.keys.renew_seeding(self.link, self.spider_name, self.lease_seconds)
        if self.link.has_later:  # a worker with nothing else to say still sends them
            self.link.send_later()

    def job_finished(self) -> bool:
        if self.queue is None:
            return True
        if not self.keys.is_seeded(self.link, self.spider_name):
            self._check_seeder()
            return False
        counts = self.queue.counts()
        return counts["queued"] == 0 and counts["in_flight"] == 0

    def _check_seeder(self) -> None:
        if self.keys.seeder_alive(self.link, self.spider_name):
            self.orphaned_since = None
            return
        now = time.monotonic()
        self.orphaned_since = self.orphaned_since or now
        if now - self.orphaned_since > 2 * self.lease_seconds:
            logger.error("Job %s: the worker seeding %s stopped before it finished; start a "
                         "worker again with the same --job to seed it", self.keys.job,
                         self.spider_name)
            raise CloseSpider("seeder_lost")

    def spider_idle(self, spider: Any) -> None:
        if self.job_finished():
            logger.info("Job %s: nothing queued or in flight for %s; this worker is done",
                        self.keys.job, self.spider_name)
            return
        # Others still work (their links may come to us, their leases may expire): poll soon.
        call_later(IDLE_POLL_SECONDS, wake_engine, self.crawler.engine)
        raise DontCloseSpider


def lifecycle_of(crawler: Crawler) -> JobLifecycle | None:
    return crawler.get_extension(JobLifecycle)


class SeedOnceMiddleware:
    """Spider middleware: only the worker that claims the job runs the spider's start."""

    def __init__(self, crawler: Crawler) -> None:
        if not crawler.settings.get("DISTRIBUTED_JOB"):
            raise NotConfigured
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SeedOnceMiddleware:
        return cls(crawler)

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        lifecycle = lifecycle_of(self.crawler)
        if lifecycle is None:
            raise NotConfigured("SeedOnceMiddleware needs the JobLifecycle extension")
        name, link, keys = lifecycle.spider_name, lifecycle.link, lifecycle.keys
        if not keys.claim_seeding(link, name, lifecycle.lease_seconds):
            logger.info("Job %s: %s is seeded by another worker; fetching from the shared "
                        "frontier", keys.job, name)
            return
        lifecycle.seeding = True
        logger.info("Job %s: this worker seeds %s", keys.job, name)
        async for item_or_request in start:
            yield item_or_request
        if lifecycle.queue is not None:
            lifecycle.queue.flush()  # every seed in Redis before the job says it is seeded
        keys.mark_seeded(link, name)
        lifecycle.seeding = False
        self.crawler.stats.set_value("distributed/seeded", 1)


class LeaseAckMiddleware:
    """Spider middleware: acknowledge a request once its callback's output is all queued."""

    def __init__(self, crawler: Crawler) -> None:
        if not crawler.settings.get("DISTRIBUTED_JOB"):
            raise NotConfigured
        self.crawler = crawler
        self.gave_up_codes = {int(c) for c in crawler.settings.getlist("RETRY_HTTP_CODES")}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LeaseAckMiddleware:
        return cls(crawler)

    async def process_spider_output(self, response: Response, result: AsyncIterator[Any],
                                          spider: Any = None) -> AsyncIterator[Any]:
        async for item_or_request in result:
            yield item_or_request
        await self._captured()
        self._answered(response)

    def _answered(self, response: Response) -> None:
        """Done, unless the answer is one Scrapy retried until it gave up (a 500, a 503)."""
        failed = response.status in self.gave_up_codes
        acknowledge(self.crawler, response.request, "failed" if failed else "done",
                    f"HTTP {response.status} after retries" if failed else "")

    def process_spider_exception(self, response: Response, exception: Exception,
                                 spider: Any = None) -> None:
        if isinstance(exception, HttpError):
            self._answered(response)  # captured: a 404 is an answer too
        else:
            acknowledge(self.crawler, response.request, "failed",
                        f"callback raised {type(exception).__name__}: {exception}")

    async def _captured(self) -> None:
        capture = self.crawler.get_extension(WarcCaptureExtension)
        if capture is not None and capture.pending:
            await maybe_deferred_to_future(capture.when_drained())


class LeaseFailureMiddleware:
    """Downloader middleware (outermost): a download error nobody retried ends the request."""

    def __init__(self, crawler: Crawler) -> None:
        if not crawler.settings.get("DISTRIBUTED_JOB"):
            raise NotConfigured
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LeaseFailureMiddleware:
        return cls(crawler)

    def process_exception(self, request: Request, exception: Exception,
                          spider: Any = None) -> None:
        if isinstance(exception, IgnoreRequest):
            acknowledge(self.crawler, request, "done")  # decided: robots.txt, not due, refused
        else:
            acknowledge(self.crawler, request, "failed",
                        f"{type(exception).__name__}: {exception}")


def acknowledge(crawler: Crawler, request: Request | None, outcome: str,
                reason: str = "") -> None:
    """Finish a leased request (no-op for requests without a lease, e.g. robots.txt)."""
    if request is None or LEASE_META_KEY not in request.meta:
        return
    lifecycle = lifecycle_of(crawler)
    if lifecycle is None or lifecycle.queue is None:
        return
    if lifecycle.queue.ack(request, outcome, reason):
        crawler.stats.inc_value(f"distributed/{outcome}")
        if outcome == "failed":
            logger.error("Gave up on %s: %s", request.url, reason)
