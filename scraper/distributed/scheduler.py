"""The job's scheduler (``SCHEDULER``) and dupefilter (``DUPEFILTER_CLASS``), on scrapy-redis.

scrapy-redis' own defaults lose data in a shared job: ``SCHEDULER_PERSIST=False`` makes the
first worker that closes delete everyone's queue and seen-set, ``SCHEDULER_FLUSH_ON_START``
wipes the job when a worker joins late, and its dupefilter deletes its key on close and
fingerprints requests its own way. Here nothing is ever flushed (a job's keys go only with
``scraper jobs finish``), fingerprints are Scrapy's ``crawler.request_fingerprinter``, and
"seen" and "queued" are one atomic step, so a request is never seen without being queued.
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

from scrapy.utils.misc import load_object
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler

from scraper.crawl.catalog_extension import catalog_of
from scraper.distributed.catalog import SharedCatalogExtension
from scraper.distributed.connection import RedisLink
from scraper.distributed.jobkeys import JobKeys, shared_link
from scraper.distributed.lifecycle import JobLifecycle
from scraper.distributed.queue import LeasedQueue
from scraper.distributed.serializer import SerializationError

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class FingerprintDupeFilter(RFPDupeFilter):  # type: ignore[misc]  # untyped scrapy-redis
    """Seen-set in Redis, fingerprints from Scrapy; never cleared by a worker."""

    def __init__(self, crawler: Crawler, link: RedisLink, key: str) -> None:
        super().__init__(link.client, key=key, debug=crawler.settings.getbool("DUPEFILTER_DEBUG"))
        self.crawler = crawler
        self.link = link

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FingerprintDupeFilter:
        keys = JobKeys.from_settings(crawler.settings)
        link = shared_link(crawler.settings)
        return cls(crawler, link, keys.spider_key(crawler.spidercls.name) + ":seen")

    def request_fingerprint(self, request: Request) -> str:
        return str(self.crawler.request_fingerprinter.fingerprint(request).hex())

    def request_seen(self, request: Request) -> bool:
        """Whether queued before (read-only: the queue adds it atomically with the request)."""
        fingerprint = self.request_fingerprint(request)
        return bool(self.link.call(lambda r: r.sismember(self.key, fingerprint)))

    def close(self, reason: str = "") -> None:
        """scrapy-redis deletes the seen-set here; other workers still need it."""

    def clear(self) -> None:
        """Never: the seen-set belongs to the job, not to this worker."""


class JobScheduler(Scheduler):  # type: ignore[misc]  # untyped scrapy-redis
    """scrapy-redis' scheduler on the leased queue; persistent whatever the settings say."""

    crawler: Crawler
    queue: LeasedQueue

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> JobScheduler:
        settings = crawler.settings
        if not settings.getbool("SCHEDULER_PERSIST") or settings.getbool(
                "SCHEDULER_FLUSH_ON_START"):
            logger.warning("Ignoring SCHEDULER_PERSIST=False / SCHEDULER_FLUSH_ON_START=True: a "
                           "worker never deletes a shared job (use `scraper jobs finish`)")
        link = shared_link(settings)
        keys = JobKeys.from_settings(settings)
        dupefilter = load_object(settings["DUPEFILTER_CLASS"]).from_crawler(crawler)
        instance = cls(server=link.client, persist=True, flush_on_start=False,
                       queue_key=keys.spider_key("%(spider)s"),
                       queue_cls=settings["SCHEDULER_QUEUE_CLASS"], dupefilter=dupefilter,
                       serializer=importlib.import_module(settings["SCHEDULER_SERIALIZER"]))
        instance.stats = crawler.stats
        instance.crawler = crawler
        instance.link = link
        instance.keys = keys
        return instance

    def open(self, spider: Any) -> None:
        self.spider = spider
        settings = self.crawler.settings
        catalog = catalog_of(self.crawler)
        shared = catalog if isinstance(catalog, SharedCatalogExtension) and catalog.link else None
        self.queue = load_object(self.queue_cls)(
            server=self.server, spider=spider, key=self.queue_key % {"spider": spider.name},
            serializer=self.serializer, link=self.link, worker=self.keys.worker,
            lease_seconds=settings.getfloat("DISTRIBUTED_LEASE_SECONDS"),
            max_tries=settings.getint("DISTRIBUTED_MAX_TRIES"),
            lease_batch=settings.getint("DISTRIBUTED_LEASE_BATCH"),
            # each leased URL's shared capture comes with it: no catalog read per page
            captures_key=shared.captures_key if shared else None,
            capture_known=shared.shared_entry_known if shared else None)
        self.keys.register_spider(self.link, spider.name)
        lifecycle = self.crawler.get_extension(JobLifecycle)
        if lifecycle is not None:
            lifecycle.attach(self.queue)
        queued = len(self.queue)
        if queued:
            logger.info("Joining job %s: %d requests already queued", self.keys.job, queued)

    def close(self, reason: str) -> None:
        released = self.queue.release_all()
        self.stats.set_value("scheduler/enqueued/redis", self.queue.queued)
        self.stats.set_value("distributed/duplicates", self.queue.duplicates)
        if released:
            logger.warning("Handed %d in-flight requests back to job %s (%s)", released,
                           self.keys.job, reason)
            self.stats.inc_value("distributed/leases_released", released)

    def flush(self) -> None:
        """Never flush a shared job from a worker."""

    def enqueue_request(self, request: Request) -> bool:
        """Queue in batches (LeasedQueue.push_later): True unless the request cannot be
        serialized; duplicates are counted when their batch reaches Redis."""
        fingerprint = self.df.request_fingerprint(request)
        try:
            self.queue.push_later(request, fingerprint)
        except SerializationError as error:
            logger.error("Not queueing %s: %s", request.url, error)
            self.stats.inc_value("distributed/unserializable")
            return False
        return True

    def next_request(self) -> Request | None:
        request = self.queue.pop()
        if request is not None:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self) -> bool:
        return len(self.queue) > 0
