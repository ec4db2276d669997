"""The Scrapy extension that writes every downloaded exchange to rolling WARC files.

It listens to ``response_downloaded``, which the downloader sends before any downloader
middleware sees the response (``HttpCompressionMiddleware`` rewrites headers in place), and takes
the :class:`~archive.exchange.Exchange` that :mod:`archive.download_handler` recorded at the
socket. Building records (digests) and gzip compression run on one dedicated thread, in arrival
order, so they never block the crawl's event loop; hashlib and zlib release the GIL.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from twisted.internet import defer, threads
from twisted.python.threadpool import ThreadPool

from archive.download_handler import EXCHANGE_META_KEY
from archive.exchange import Exchange
from archive.index import write_cdxj
from archive.records import RevisitLookup, exchange_records, metadata_record
from archive.warcinfo import warcinfo_fields
from archive.writer import RecordLocation, RollingWarcWriter

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

logger = logging.getLogger(__name__)

#: Request meta key: fields for a WARC ``metadata`` record written with the exchange.
WARC_METADATA_KEY = "warc_metadata"

#: Sent on the reactor thread once an exchange is flushed to disk:
#: ``handler(request, response, capture=ArchivedExchange)``.
exchange_archived = object()


@dataclass(frozen=True)
class ArchivedExchange:
    """Where one exchange's records are: the response record is what article records cite."""

    response_id: str
    request_id: str
    response: RecordLocation
    request: RecordLocation
    exchange: Exchange
    payload_digest: str
    metadata: dict[str, str] | None = None
    refers_to: str | None = None  # a revisit record: the earlier record with the same payload

    @property
    def revisit(self) -> bool:
        return self.refers_to is not None


class WarcCaptureExtension:
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("WARC_ENABLED"):
            raise NotConfigured
        self.crawler = crawler
        self.redact_secrets = settings.getbool("WARC_REDACT_SECRETS")
        data_dir = Path(settings.get("SCRAPER_DATA_DIR"))
        self.index_dir = data_dir / "indexes"
        self.writer = RollingWarcWriter(
            directory=data_dir / "warc",
            prefix=settings.get("WARC_PREFIX"),
            max_size=settings.getint("WARC_MAX_SIZE"),
            warcinfo_fields=warcinfo_fields(settings),
            gzip_level=settings.getint("WARC_GZIP_LEVEL"),
            on_close=self._index,
        )
        self.threaded = settings.getbool("WARC_WRITER_THREAD")
        #: Set by the catalog when a run is incremental: finds earlier identical payloads.
        self.revisit_lookup: RevisitLookup | None = None
        self.pool = ThreadPool(minthreads=1, maxthreads=1, name="warc-writer")
        self.pending: set[defer.Deferred] = set()
        self.failure: BaseException | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcCaptureExtension:
        extension = cls(crawler)
        crawler.signals.connect(extension.engine_started, signal=signals.engine_started)
        crawler.signals.connect(extension.response_downloaded,
                                signal=signals.response_downloaded)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def engine_started(self) -> None:
        if self.threaded:
            self.pool.start()

    def response_downloaded(self, response: Response, request: Request, spider: Any) -> None:
        exchange = request.meta.pop(EXCHANGE_META_KEY, None)
        if exchange is None:
            self.crawler.stats.inc_value("warc/not_captured")
            return
        d = self._run(self._archive, exchange, request.meta.get(WARC_METADATA_KEY))
        self.pending.add(d)
        self.crawler.stats.max_value("warc/pending_max", len(self.pending))
        d.addBoth(self._settled, d)
        d.addCallbacks(self._archived, self._failed, callbackArgs=(request, response),
                       errbackArgs=(request,))

    async def spider_closed(self, spider: Any, reason: str) -> None:
        """Finish every record in hand, then close (and index) the current file."""
        try:
            await maybe_deferred_to_future(self.when_drained())
            await maybe_deferred_to_future(self._run(self.writer.close))
        finally:
            if self.pool.started:
                self.pool.stop()

    def _run(self, function: Any, *args: Any) -> defer.Deferred:
        """Run on the writer thread when there is one, else right here (in order either way)."""
        if not self.threaded:
            return defer.maybeDeferred(function, *args)
        from twisted.internet import reactor

        return threads.deferToThreadPool(reactor, self.pool, function, *args)

    def _archive(self, exchange: Exchange, metadata: dict[str, str] | None) -> ArchivedExchange:
        self.writer.ensure_open()
        built = exchange_records(exchange, self.redact_secrets, self.writer.warcinfo_id,
                                 revisit_lookup=self.revisit_lookup)
        records = [built.request, built.response]
        if metadata:
            records.append(metadata_record(metadata, exchange, built.response_id,
                                           self.writer.warcinfo_id))
        request_at, response_at = self.writer.write(*records)[:2]
        return ArchivedExchange(built.response_id, built.request_id, response_at, request_at,
                                exchange, built.payload_digest, metadata, built.refers_to)

    def when_drained(self) -> defer.Deferred:
        """Fires once every exchange received so far is on disk."""
        return defer.DeferredList(list(self.pending), consumeErrors=True)

    def _settled(self, result: Any, d: defer.Deferred) -> Any:
        self.pending.discard(d)
        return result

    def _archived(self, capture: ArchivedExchange, request: Request, response: Response) -> None:
        stats = self.crawler.stats
        stats.inc_value("warc/exchanges")
        stats.inc_value("warc/bytes", capture.request.length + capture.response.length)
        if capture.exchange.truncated:
            stats.inc_value(f"warc/truncated/{capture.exchange.truncated}")
        if capture.revisit:
            stats.inc_value("warc/revisits")
        self.crawler.signals.send_catch_log(exchange_archived, request=request,
                                            response=response, capture=capture)

    def _failed(self, failure: Any, request: Request) -> None:
        self.crawler.stats.inc_value("warc/write_errors")
        if self.failure is None:
            self.failure = failure.value
            logger.error("Stopping the crawl: WARC writing failed for %s: %s",
                         request.url, failure.value)
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="warc_write_failed"))

    def _index(self, path: Path) -> None:
        self.crawler.stats.inc_value("warc/files")
        try:
            write_cdxj(path, self.index_dir)
        except Exception as error:  # an index can always be rebuilt; never lose the WARC for it
            self.crawler.stats.inc_value("warc/index_errors")
            logger.error("Could not index %s (run `scraper index`): %s", path, error)
