"""During a crawl: extract every archived article page and append its record to the run's JSONL.

Listens to :data:`scraper.crawl.signals.exchange_archived`, so a page is only sent to
extraction once its WARC record is on disk, and a record is only written after that. Pages go
to worker processes; results come back on the reactor thread. A page that fails or times out
is counted (``extract/failed/<kind>``) and logged with its URL; its capture stays in the WARC, so
``scraper extract`` can retry it later.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future
from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import defer

from archive.capture import ArchivedExchange
from archive.http_message import split_head
from archive.records import parse_warc_date, warc_date
from scraper.crawl.blocking import BLOCK_SIGN
from scraper.crawl.catalog_extension import CatalogExtension, catalog_of
from scraper.crawl.limits import limits_of
from scraper.crawl.scrapy_compat import wake_engine
from scraper.crawl.signals import exchange_archived
from scraper.crawl.warc_capture import WarcCaptureExtension
from scraper.errors import StorageError
from scraper.extract.extractor import (
    ExtractionLimits,
    ExtractionOptions,
    PageInput,
    config_sha256,
)
from scraper.extract.outcomes import Outcome, outcome_of
from scraper.extract.page_input import hints_from_metadata, page_input, skip_reason
from scraper.extract.record import ArticleRecord, CaptureRef, ExtractorInfo, extractor_info
from scraper.extract.workers import ExtractionPool
from scraper.sites.blocking import stored_block_sign
from scraper.sites.context import context_for
from scraper.store.catalog import PENDING
from scraper.store.jsonl import JsonlWriter
from scraper.store.versions import InMemoryVersions, apply_version

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

logger = logging.getLogger(__name__)

#: Write errors quoted in the run manifest; the rest are only counted.
MAX_REPORTED_WRITE_ERRORS = 20


def extraction_limits(settings: Any) -> ExtractionLimits:
    return ExtractionLimits(max_decoded_bytes=settings.getint("EXTRACT_MAX_DECODED_BYTES"),
                            max_json_ld_bytes=settings.getint("EXTRACT_MAX_JSON_LD_BYTES"))


def extraction_options(settings: Any) -> ExtractionOptions:
    return ExtractionOptions(fast=settings.getbool("EXTRACT_FAST"),
                             favor_precision=settings.getbool("EXTRACT_FAVOR_PRECISION"))


class ArticleExtractionExtension:
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("EXTRACT_ENABLED") or not settings.getbool("WARC_ENABLED"):
            raise NotConfigured
        self.crawler = crawler
        self.options = extraction_options(settings)
        self.limits = extraction_limits(settings)
        self.workers = settings.getint("EXTRACT_WORKERS")
        self.timeout = settings.getfloat("EXTRACT_TIMEOUT")
        self.memory_mb = settings.getint("EXTRACT_MEMORY_MB")
        self.data_dir = Path(settings.get("SCRAPER_DATA_DIR"))
        run = settings.get("SCRAPER_RUN_ID") or \
            datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S%f")[:17]
        self.jsonl_name = f"articles/{settings.get('WARC_PREFIX')}-{run}.jsonl"
        self.output = JsonlWriter(self.data_dir / self.jsonl_name)
        self.versions: Any = InMemoryVersions()
        self.catalog: CatalogExtension | None = None
        #: Article records that could not be stored: the run fails with these messages.
        self.write_errors: list[str] = []
        self.pool: ExtractionPool | None = None
        self.max_pending = max(settings.getint("EXTRACT_MAX_PENDING"), 1)
        self.batch_pages = max(settings.getint("EXTRACT_BATCH_PAGES"), 1)
        self.batch_wait = settings.getfloat("EXTRACT_BATCH_WAIT")
        #: Pages waiting to go to a worker in one batch, and the call that sends them late.
        self.batch: list[tuple[PageInput, str | None, CaptureRef, ExtractorInfo]] = []
        self.batch_call: Any = None
        self.paused = False
        self.pending = 0
        self.idle: defer.Deferred[None] | None = None
        #: Capture record ids sent to a worker and not back yet.
        self.in_flight: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArticleExtractionExtension:
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.archived, signal=exchange_archived)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Any) -> None:
        self.pool = ExtractionPool(self.options, self.workers, self.timeout, self.memory_mb,
                                   self.limits)
        self.catalog = catalog_of(self.crawler)
        if self.catalog is not None:
            self.versions = self.catalog

    def archived(self, request: Request, response: Response, capture: ArchivedExchange) -> None:
        status_line, headers = split_head(capture.exchange.raw_response_head)
        http = {n.decode("latin-1").lower(): v.decode("latin-1") for n, v in headers}
        status = response.status
        ref: CaptureRef | None
        if capture.revisit:
            ref = self._unextracted_target(capture)
            reason = None if ref is not None else "revisit"
        else:
            reason = skip_reason(status, http.get("content-type"), capture.exchange.truncated)
            ref = CaptureRef(f"warc/{capture.response.warc_file}", capture.response.offset,
                             capture.response.length, capture.response_id,
                             warc_date(capture.exchange.started_at), status,
                             capture.payload_digest)
        if not reason and self._blocked(request, status, http, capture.exchange.body):
            reason = "blocked"  # a challenge page answering 200 is never an article
        if reason or ref is None:
            self.crawler.stats.inc_value(f"extract/skipped/{reason}")
            return
        context = context_for(capture.exchange.url, capture.metadata,
                              captured_at=capture.exchange.started_at)
        page = page_input(capture.exchange.url, capture.exchange.body, http,
                          parse_warc_date(ref.fetched_at) or capture.exchange.started_at,
                          context, hints_from_metadata(capture.metadata))
        self.pending += 1
        self.in_flight.add(ref.record_id)
        if self.pending >= self.max_pending and not self.paused:
            # Fetching outruns extraction on heavy pages: hold the crawl, or every page
            # waiting for a worker stays in memory (measured: +22 MB per 1,000 pages).
            self.paused = True
            self.crawler.engine.pause()
            self.crawler.stats.inc_value("extract/backpressure_pauses")
        extractor = extractor_info(config_sha256(context.rules, self.options))
        self.batch.append((page, context.name, ref, extractor))
        if len(self.batch) >= self.batch_pages:
            self._send_batch()
        elif self.batch_call is None:
            from twisted.internet import reactor

            self.batch_call = reactor.callLater(self.batch_wait,  # type: ignore[arg-type]
                                                self._send_batch)

    def _send_batch(self) -> None:
        """The pages waiting go to a worker; each one's outcome comes back on the reactor."""
        if self.batch_call is not None and self.batch_call.active():
            self.batch_call.cancel()
        self.batch_call = None
        batch, self.batch = self.batch, []
        if not batch:
            return
        assert self.pool is not None
        futures = self.pool.submit_batch([page for page, _, _, _ in batch])
        for future, (page, site, ref, extractor) in zip(futures, batch):
            future.add_done_callback(partial(self._outcome, page.url, site, ref, extractor))

    def _outcome(self, url: str, site: str | None, ref: CaptureRef, extractor: ExtractorInfo,
                 future: Future[Any]) -> None:
        """On a pool thread: the page's outcome, handed to the reactor."""
        from twisted.internet import reactor

        reactor.callFromThread(self._finished,
                               outcome_of(future, url, site, ref, extractor, self.timeout),
                               url, ref.record_id)

    def _unextracted_target(self, capture: ArchivedExchange) -> CaptureRef | None:
        """The revisited capture when it has no article record yet (a crash before its
        extraction, or a failed one): the revisit's payload is its payload."""
        if self.catalog is None or not capture.refers_to or capture.refers_to in self.in_flight:
            return None
        target = self.catalog.store.capture(capture.refers_to)
        if target is None or not (target["extraction"] == PENDING or
                                  str(target["extraction"]).startswith("failed/")):
            return None
        self.crawler.stats.inc_value("extract/from_revisited_capture")
        return CaptureRef(target["warc_file"], target["offset"], target["length"],
                          target["record_id"], target["fetched_at"], target["status"],
                          target["payload_digest"])

    def _finished(self, outcome: Outcome, url: str, capture_id: str) -> None:
        self.pending -= 1
        self.in_flight.discard(capture_id)
        if self.paused and self.pending <= self.max_pending // 2:
            self.paused = False
            self.crawler.engine.unpause()
            wake_engine(self.crawler.engine)  # resume now, not at the next heartbeat
        self.crawler.stats.inc_value(f"extract/{outcome.category}")
        self._note_limits(outcome, url)
        record = apply_version(outcome.record, self.versions) if outcome.record else None
        state = outcome.category
        if outcome.record is not None and record is None:
            self.crawler.stats.inc_value("extract/unchanged")
            state = "unchanged"
        if record is not None:
            try:
                self.output.write(record)
                self._remember(record)
            except StorageError as error:
                self._write_failed(url, error)
                state = PENDING  # the next run extracts it again
        elif outcome.failed:
            logger.warning("Extraction failed for %s: %s (its capture is in the WARC; "
                           "`scraper extract` can retry it)", url, outcome.message)
        self._set_state(capture_id, state, url)
        if self.pending == 0 and self.idle is not None:
            idle, self.idle = self.idle, None
            idle.callback(None)

    def _note_limits(self, outcome: Outcome, url: str) -> None:
        if outcome.json_ld_skipped:
            self.crawler.stats.inc_value("extract/json_ld_skipped", outcome.json_ld_skipped)
            logger.info("Skipped %d JSON-LD block(s) of %s over EXTRACT_MAX_JSON_LD_BYTES",
                        outcome.json_ld_skipped, url)
        report = limits_of(self.crawler)
        if outcome.category == "failed/limit" and report is not None:
            # Counted as extract/failed/limit already; quoted in the manifest from here.
            report.exceeded(url, outcome.message or "over a limit", counted_elsewhere=True)

    @staticmethod
    def _blocked(request: Request, status: int, http: dict[str, str], body: bytes) -> bool:
        """The host gate's verdict on this response, judged here only when no gate ran."""
        if BLOCK_SIGN in request.meta:
            return request.meta[BLOCK_SIGN] is not None
        return stored_block_sign(status, http, body) is not None

    def _set_state(self, capture_id: str, state: str, url: str) -> None:
        if self.catalog is None:
            return
        try:
            self.catalog.store.set_extraction(capture_id, state)
        except StorageError as error:  # it stays "pending": extracted again, found unchanged
            self.crawler.stats.inc_value("extract/state_write_errors")
            logger.error("Could not record the extraction of %s in the catalog: %s", url, error)

    def _write_failed(self, url: str, error: StorageError) -> None:
        """A record lost is a failed run: counted, logged, and kept for the manifest."""
        self.crawler.stats.inc_value("extract/write_errors")
        if len(self.write_errors) < MAX_REPORTED_WRITE_ERRORS:
            self.write_errors.append(f"article record of {url} not stored: {error}")
        logger.error("Could not store the article record of %s: %s (its capture is in the "
                     "WARC; `scraper extract` or `scraper reindex` can redo it)", url, error)

    def _remember(self, record: ArticleRecord) -> None:
        if record["version"] > 1:
            self.crawler.stats.inc_value("extract/changed")
        if self.catalog is not None:
            self.catalog.article_written(record, self.jsonl_name, self.output.count)
        else:
            self.versions.remember(record)

    async def spider_closed(self, spider: Any, reason: str) -> None:
        capture = self.crawler.get_extension(WarcCaptureExtension)
        try:
            if capture is not None:
                await maybe_deferred_to_future(capture.when_drained())
            self._send_batch()
            if self.pending:
                self.idle = defer.Deferred()
                await maybe_deferred_to_future(self.idle)
        finally:
            if self.pool is not None:
                self.pool.close()
            self.output.close()
