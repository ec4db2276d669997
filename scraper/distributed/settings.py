"""The settings that turn a crawl into one worker of a distributed job.

Everything else about a crawl stays as it is (WARC capture, extraction, catalog, incremental
runs); only the scheduler, the politeness components and the job's lifecycle are swapped for
the shared ones. Their own settings (``DISTRIBUTED_*``) are documented in ``settings.py``.
"""

from __future__ import annotations

from typing import Any

from scraper.distributed.connection import RedisAddress

SCHEDULER = "scraper.distributed.scheduler.JobScheduler"
QUEUE = "scraper.distributed.queue.LeasedQueue"
DUPEFILTER = "scraper.distributed.scheduler.FingerprintDupeFilter"
SERIALIZER = "scraper.distributed.serializer"
CATALOG = "scraper.distributed.catalog.SharedCatalogExtension"

#: Downloader middlewares replaced (None) or added, by order.
DOWNLOADER_CHANGES: dict[str, int | None] = {
    # Outermost: sees every download error no retry took up, and IgnoreRequest.
    "scraper.distributed.lifecycle.LeaseFailureMiddleware": 10,
    "scraper.crawl.politeness.FailClosedRobotsTxtMiddleware": None,
    "scraper.distributed.robots.SharedRobotsTxtMiddleware": 100,
    "scraper.crawl.politeness.RetryAfterMiddleware": None,
    "scraper.distributed.gate.SharedRetryAfterMiddleware": 550,
    # Innermost: takes the host's slot just before the download and frees it on the answer,
    # before a retry or redirect middleware can end the chain.
    "scraper.distributed.gate.SharedHostGateMiddleware": 960,
}
SPIDER_CHANGES: dict[str, int | None] = {
    "scraper.distributed.lifecycle.LeaseAckMiddleware": 10,
    # Around the spider's start and the re-checks of incremental runs (900).
    "scraper.distributed.lifecycle.SeedOnceMiddleware": 50,
}
EXTENSION_CHANGES: dict[str, int | None] = {
    "scraper.distributed.lifecycle.JobLifecycle": 50,
    # Per process, AutoThrottle would only see this worker's share of a host.
    "scraper.crawl.politeness.CrawlDelayAutoThrottle": None,
    # Incremental decisions see the captures of every machine, not only this folder's.
    "scraper.crawl.catalog_extension.CatalogExtension": None,
    CATALOG: 105,
}


def worker_settings(base: Any, address: RedisAddress, job: str, worker: str) -> dict[str, Any]:
    """Settings (to apply over ``base``, the project settings) of one worker of ``job``."""
    return {
        "SCHEDULER": SCHEDULER,
        "SCHEDULER_QUEUE_CLASS": QUEUE,
        "DUPEFILTER_CLASS": DUPEFILTER,
        "SCHEDULER_SERIALIZER": SERIALIZER,
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_FLUSH_ON_START": False,
        "DISTRIBUTED_REDIS": address,
        "DISTRIBUTED_JOB": job,
        "DISTRIBUTED_WORKER_ID": worker,
        "AUTOTHROTTLE_ENABLED": False,
        # The job's frontier is the shared Redis queue (it survives a worker); the catalog's
        # own frontier is per folder, and a worker that finishes would clear it for all.
        "SCRAPER_FRONTIER_ENABLED": False,
        "SCRAPER_CATALOG_COMPONENT": CATALOG,
        "DOWNLOADER_MIDDLEWARES": {**base.getdict("DOWNLOADER_MIDDLEWARES"),
                                   **DOWNLOADER_CHANGES},
        "SPIDER_MIDDLEWARES": {**base.getdict("SPIDER_MIDDLEWARES"), **SPIDER_CHANGES},
        "EXTENSIONS": {**base.getdict("EXTENSIONS"), **EXTENSION_CHANGES},
    }
