"""The Scrapy extension that writes every downloaded exchange to rolling WARC files.

It listens to ``response_downloaded``, which the downloader sends before any downloader
middleware sees the response (``HttpCompressionMiddleware`` rewrites headers in place), and takes
the :class:`~archive.exchange.Exchange` that :mod:`scraper.crawl.download_handler` recorded at the
socket. :class:`archive.capture.WarcCapture` builds and writes the records, on the event loop by
default or on one dedicated thread (``WARC_WRITER_THREAD``), in arrival order either way.

Revisit records: the component named by ``SCRAPER_CATALOG_COMPONENT`` (an extension with an
``earlier_identical(url, payload_digest)`` method) is asked for an earlier identical capture.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from twisted.internet import defer, threads
from twisted.python.threadpool import ThreadPool

from archive.capture import ArchivedExchange, WarcCapture
from archive.exchange import Exchange
from archive.index import write_cdxj
from archive.warcinfo import warcinfo_fields
from archive.writer import RollingWarcWriter
from scraper.crawl.catalog_extension import catalog_of
from scraper.crawl.download_handler import EXCHANGE_META_KEY
from scraper.crawl.signals import exchange_archived

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

logger = logging.getLogger(__name__)

#: Request meta key: fields for a WARC ``metadata`` record written with the exchange.
WARC_METADATA_KEY = "warc_metadata"



class WarcCaptureExtension:
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("WARC_ENABLED"):
            raise NotConfigured
        self.crawler = crawler
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
        self.capture = WarcCapture(self.writer, settings.getbool("WARC_REDACT_SECRETS"),
                                   index_dir=self.index_dir)
        self.threaded = settings.getbool("WARC_WRITER_THREAD")
        self.pool = ThreadPool(minthreads=1, maxthreads=1, name="warc-writer")
        self.pending: set[defer.Deferred[Any]] = set()
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
        catalog = catalog_of(self.crawler)
        if catalog is not None:
            self.capture.revisit_lookup = catalog.earlier_identical
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
            self.capture.discard_indexes()  # of a file left .open: `scraper recover` indexes it
            if self.pool.started:
                self.pool.stop()

    def _run(self, function: Any, *args: Any) -> defer.Deferred[Any]:
        """Run on the writer thread when there is one, else right here (in order either way)."""
        if not self.threaded:
            return defer.maybeDeferred(function, *args)
        from twisted.internet import reactor

        return threads.deferToThreadPool(reactor, self.pool, function, *args)

    def _archive(self, exchange: Exchange, metadata: dict[str, str] | None) -> ArchivedExchange:
        return self.capture.archive(exchange, metadata)

    def when_drained(self) -> defer.Deferred[Any]:
        """Fires once every exchange received so far is on disk."""
        return defer.DeferredList(list(self.pending), consumeErrors=True)

    def _settled(self, result: Any, d: defer.Deferred[Any]) -> Any:
        self.pending.discard(d)
        return result

    def _archived(self, capture: ArchivedExchange, request: Request, response: Response) -> None:
        stats = self.crawler.stats
        stats.inc_value("warc/exchanges")
        stats.inc_value("warc/bytes", capture.request.length + capture.response.length)
        if capture.exchange.truncated:
            stats.inc_value(f"warc/truncated/{capture.exchange.truncated}")
        if capture.exchange.invalid_response:
            stats.inc_value("warc/invalid_response")  # archived, but the page was not HTTP
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
        running = self.capture.take_index(path.name)
        try:
            if running is not None:
                running.write(path)
            else:
                write_cdxj(path, self.index_dir)  # read back: no index was made while writing
        except Exception as error:  # an index can always be rebuilt; never lose the WARC for it
            self.crawler.stats.inc_value("warc/index_errors")
            logger.error("Could not index %s (run `scraper index`): %s", path, error)
