"""During a crawl: index every capture and article in the catalog, and answer lookups from it.

The one component of a crawler that holds the catalog. Others reach it through Scrapy's
``crawler.get_extension()`` with the class named by ``SCRAPER_CATALOG_COMPONENT``: the WARC
capture asks it for revisits, extraction for article versions, incremental runs for what is
due. The storage class is ``SCRAPER_CATALOG_STORE`` (like Scrapy's ``HTTPCACHE_STORAGE``).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.misc import load_object

from archive.capture import ArchivedExchange
from archive.http_message import split_head
from archive.records import RevisitTarget, warc_date
from scraper.crawl.signals import exchange_archived
from scraper.errors import StorageError
from scraper.extract.page_input import skip_reason
from scraper.extract.record import ArticleRecord
from scraper.sites.context import site_of_capture
from scraper.store.catalog import (
    CATALOG_NAME,
    PENDING,
    CatalogStore,
    LastCapture,
    LatestVersion,
    article_row,
)

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class CatalogExtension:
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("SCRAPER_CATALOG_ENABLED"):
            raise NotConfigured
        self.crawler = crawler
        self.run_id = settings.get("SCRAPER_RUN_ID")
        self.tracks_extraction = settings.getbool("EXTRACT_ENABLED")
        store_class = load_object(settings.get("SCRAPER_CATALOG_STORE"))
        self.store: CatalogStore = store_class(
            Path(settings.get("SCRAPER_DATA_DIR")) / CATALOG_NAME)
        #: The first catalog write that failed (a full disk): the run then fails with it.
        self.failure: StorageError | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CatalogExtension:
        extension = cls(crawler)
        crawler.signals.connect(extension.archived, signal=exchange_archived)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def engine_stopped(self) -> None:
        self.store.close()

    def earlier_identical(self, url: str, payload_digest: str) -> RevisitTarget | None:
        last = self.store.last_capture(url, full_only=True)
        if last is None or last.payload_digest != payload_digest or last.status != 200:
            return None
        return RevisitTarget(last.record_id, url, last.fetched_at)

    def archived(self, request: Any, response: Any, capture: ArchivedExchange) -> None:
        try:
            self._add_capture(response, capture)
        except StorageError as error:
            # the capture is in the WARC (reindex or the next run's recovery indexes it), but a
            # catalog that cannot be written means a full disk: stop, and fail the run
            self.crawler.stats.inc_value("catalog/write_errors")
            if self.failure is None:
                self.failure = error
                logger.error("Stopping the crawl: %s (capture of %s)", error, request.url)
                deferred_from_coro(
                    self.crawler.engine.close_spider_async(reason="catalog_write_failed"))

    def _add_capture(self, response: Any, capture: ArchivedExchange) -> None:
        self.store.add_capture(
            extraction=extraction_state_at_capture(capture, response.status)
            if self.tracks_extraction else None,
            record_id=capture.response_id, record_type="revisit" if capture.revisit else
            "response", url=capture.exchange.url,
            site=site_of_capture(capture.exchange.url, capture.metadata),
            fetched_at=warc_date(capture.exchange.started_at), status=response.status,
            payload_digest=capture.payload_digest,
            warc_file=f"warc/{capture.response.warc_file}", offset=capture.response.offset,
            length=capture.response.length, refers_to=capture.refers_to, run_id=self.run_id)

    def last_capture(self, url: str) -> LastCapture | None:
        return self.store.last_capture(url)

    def is_article_url(self, url: str) -> bool:
        return self.store.is_article_url(url)

    def article_urls(self) -> list[str]:
        return sorted(self.store.article_urls())

    def latest_version(self, url: str) -> LatestVersion | None:
        return self.store.latest_version(url)

    def article_written(self, record: ArticleRecord, jsonl_file: str, line: int) -> None:
        self.store.add_article(**article_row(record, jsonl_file, line, self.run_id))


def extraction_state_at_capture(capture: ArchivedExchange, status: int) -> str | None:
    """"pending" for an article candidate, so a crash before its extraction is known."""
    if capture.revisit:
        return None
    _, headers = split_head(capture.exchange.raw_response_head)
    content_type = {n.lower(): v for n, v in headers}.get(b"content-type")  # last one wins
    reason = skip_reason(status, content_type.decode("latin-1") if content_type else None,
                         capture.exchange.truncated)
    return None if reason else PENDING


def catalog_of(crawler: Crawler) -> CatalogExtension | None:
    """The crawler's catalog component (``SCRAPER_CATALOG_COMPONENT``), None when it is off."""
    name = crawler.settings.get("SCRAPER_CATALOG_COMPONENT")
    return crawler.get_extension(load_object(name)) if name else None
