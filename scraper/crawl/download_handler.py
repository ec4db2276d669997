"""An HTTP/1.1 download handler that records each exchange exactly as it crossed the wire.

Scrapy's handler (built on twisted.web's client) parses the response and throws away what a
faithful WARC record needs: the raw status line with its reason phrase, the header block as sent
(repeated and connection headers included) and the request as written. It also drops the whole
response when ``DOWNLOAD_MAXSIZE`` is exceeded. This handler keeps Scrapy's behaviour and adds:

* the raw request bytes and raw response head, recorded at the socket;
* oversized bodies cut at ``DOWNLOAD_MAXSIZE`` and delivered flagged ``truncated`` instead of
  being discarded, so the capture still holds what was received;
* a body still arriving when ``DOWNLOAD_TIMEOUT`` fires (headers came, then the server stalled)
  is delivered as received, flagged ``WARC-Truncated: time``, instead of a timeout error;
* an :class:`~archive.exchange.Exchange` left in ``request.meta[EXCHANGE_META_KEY]`` for the WARC
  capture extension, which writes it on the ``response_downloaded`` signal.

It relies on private classes of Scrapy's ``http11`` module, all reached through
:mod:`scraper.crawl.scrapy_compat`.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from scrapy import signals
from scrapy.core.downloader.handlers import http11
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred

from archive.exchange import TRUNCATED_DISCONNECT, TRUNCATED_LENGTH, TRUNCATED_TIME, Exchange
from scraper.crawl.blocking import host_gate
from scraper.crawl.limits import limits_of
from scraper.crawl.scrapy_compat import (
    HTTP11ClientFactory,
    HTTP11ClientProtocol,
    ResponseReader,
    ScrapyAgent,
    check_stop_download,
    handler_logger,
    set_protocol_factory,
    wrap_twisted_exceptions,
)
from scraper.crawl.signals import TIMED_OUT_FLAG, TRUNCATED_FLAG

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

EXCHANGE_META_KEY = "_warc_exchange"


class _WriteRecorder:
    """Transport stand-in that copies every write into a buffer."""

    def __init__(self, transport: Any, buffer: bytearray) -> None:
        self._transport = transport
        self._buffer = buffer

    def write(self, data: bytes) -> None:
        self._buffer += data
        self._transport.write(data)

    def writeSequence(self, data: list[bytes]) -> None:  # noqa: N802 - Twisted's name
        for chunk in data:
            self.write(chunk)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


def _end_of_head(buffer: bytes) -> int:
    """Index just past the blank line that ends an HTTP header block, or -1."""
    crlf = buffer.find(b"\r\n\r\n")
    lf = buffer.find(b"\n\n")
    ends = [i + 4 for i in [crlf] if i >= 0] + [i + 2 for i in [lf] if i >= 0]
    return min(ends) if ends else -1


#: What a status line must look like for twisted to parse the answer (RFC 9112 section 4).
_STATUS_LINE = re.compile(rb"HTTP/\d\.\d \d{3}(?: |\r?$)")
#: Bytes to look at before deciding that an answer has no valid status line.
_STATUS_LINE_MAX = 256
#: Handed to twisted in place of an invalid status line: read the rest as a body until close.
_STAND_IN_HEAD = b"HTTP/1.0 200 Not HTTP\r\n\r\n"


class _CapturingProtocol(HTTP11ClientProtocol):
    """Client protocol that records the request it writes and the response head it reads.

    A response head longer than ``max_head_bytes`` (SCRAPER_MAX_HEADER_BYTES) drops the
    connection: Twisted caps one header line at 16 KiB but not how many lines come.

    An answer whose first line is not an HTTP/1.x status line (``abc``, ``HTTP/1.1 GARBAGE``,
    an HTTP/0.9 body with no head at all) would make twisted fail the request and lose what
    came. Instead twisted is handed a stand-in head and every byte the server sent becomes
    the body, read until the server closes; the exchange is marked ``invalid_response``.
    """

    _head_buffer: bytes | None = None
    max_head_bytes = 256 * 1024
    on_limit: Any = None  # called with (url, message) when the head is over the limit
    _held: bytes | None = None  # the start of an answer, until its first line can be judged
    _invalid: str | None = None

    def request(self, request: Any) -> Deferred[Any]:
        self._uri = request.uri.decode("latin-1", "replace")
        sent = bytearray()
        write_to = request.writeTo
        request.writeTo = lambda transport: write_to(_WriteRecorder(transport, sent))
        self._head_buffer = b""
        self._held = b""
        self._raw_head = b""
        self._invalid = None
        d = super().request(request)

        def attach(response: Any) -> Any:
            response._capture_raw_request = bytes(sent)
            response._capture_raw_head = self._raw_head
            response._capture_invalid = self._invalid
            return response

        d.addCallback(attach)
        return d

    def dataReceived(self, data: bytes) -> None:  # noqa: N802 - Twisted's name
        if self._held is not None:
            self._held += data
            if data and b"\n" not in self._held and len(self._held) < _STATUS_LINE_MAX:
                return  # not enough to judge the status line yet
            data = self._judged()
        if self._head_buffer is not None:
            self._head_buffer += data
            end = _end_of_head(self._head_buffer)
            if end >= 0:
                self._raw_head = self._head_buffer[:end]
                self._head_buffer = None
            elif len(self._head_buffer) > self.max_head_bytes:
                self._head_over_limit()
                return
        super().dataReceived(data)  # type: ignore[no-untyped-call]

    def _head_over_limit(self) -> None:
        self._head_buffer = None
        message = (f"the response head is larger than the limit (SCRAPER_MAX_HEADER_BYTES = "
                   f"{self.max_head_bytes:,}); the connection was dropped")
        if self.on_limit is not None:
            self.on_limit(self._uri, message)
        else:
            handler_logger.warning("%s: %s", self._uri, message)
        transport: Any = self.transport
        transport.abortConnection()

    def connectionLost(self, reason: Any = None) -> None:  # noqa: N802 - Twisted's name
        if self._held:  # a short answer with no line end, e.g. an HTTP/0.9 "hi"
            self.dataReceived(b"")
        super().connectionLost(reason)  # type: ignore[no-untyped-call]

    def _judged(self) -> bytes:
        """What twisted gets of the held bytes: them, or a stand-in head and them as body."""
        held, self._held = self._held or b"", None
        first_line = held.split(b"\n", 1)[0]
        if _STATUS_LINE.match(first_line) or not held:
            return held
        self._invalid = (f"the answer starts with {first_line.rstrip()[:60]!r}, not an HTTP/1.x "
                         "status line")
        self._head_buffer = None  # nothing of it is a valid head
        return _STAND_IN_HEAD + held


class _CapturingFactory(HTTP11ClientFactory):
    max_head_bytes = _CapturingProtocol.max_head_bytes
    on_limit: Any = None

    def buildProtocol(self, addr: Any) -> _CapturingProtocol:  # noqa: N802 - Twisted's name
        protocol = _CapturingProtocol(self._quiescentCallback)  # type: ignore[no-untyped-call]
        protocol.max_head_bytes, protocol.on_limit = self.max_head_bytes, self.on_limit
        return protocol


class _TruncatingResponseReader(ResponseReader):
    """Body reader that stops at ``maxsize`` and delivers what it has, flagged truncated."""

    def dataReceived(self, data: bytes) -> None:  # noqa: N802 - Twisted's name
        if self._finished.called:
            return
        room = self._maxsize - self._bytes_received if self._maxsize else len(data)
        if room < len(data):
            self._bodybuf.write(data[: max(room, 0)])
            self._bytes_received += max(room, 0)
            handler_logger.warning(
                "Truncated %s at DOWNLOAD_MAXSIZE (%d bytes); stored as WARC-Truncated: length",
                self._request.url,
                self._maxsize,
            )
            self._finish_response(flags=[TRUNCATED_FLAG])
            self._txresponse._transport._producer.abortConnection()
            return
        super().dataReceived(data)


class _CapturingAgent(ScrapyAgent):
    def _cb_bodyready(self, txresponse: Any, request: Request) -> Any:
        # Unlike Scrapy's: never abort on a large Content-Length, read up to the limit instead,
        # and never fail on data loss: a cut body is still evidence, stored as truncated.
        if stop_download := check_stop_download(
            signals.headers_received,
            self._crawler,
            request,
            headers=self._headers_from_twisted_response(txresponse),
            body_length=txresponse.length,
        ):
            txresponse._transport.stopProducing()
            txresponse._transport.loseConnection()
            return {"txresponse": txresponse, "stop_download": stop_download}
        if cast("int", txresponse.length) == 0:
            return super()._cb_bodyready(txresponse, request)
        warnsize = request.meta.get("download_warnsize", self._warnsize)
        readers: list[_TruncatingResponseReader] = []
        d: Deferred[Any] = Deferred(partial(self._keep_on_timeout, readers=readers,
                                            txresponse=txresponse))
        reader = _TruncatingResponseReader(
            finished=d,
            txresponse=txresponse,
            request=request,
            maxsize=request.meta.get("download_maxsize", self._maxsize),
            warnsize=warnsize,
            fail_on_dataloss=False,
            crawler=self._crawler,
            tls_verbose_logging=self._tls_verbose_logging,
        )
        readers.append(reader)
        txresponse.deliverBody(reader)
        self._txresponse = txresponse
        return d

    @staticmethod
    def _keep_on_timeout(_: Any, readers: list[_TruncatingResponseReader],
                         txresponse: Any) -> None:
        """Canceller of the body read (DOWNLOAD_TIMEOUT): end it with what came, flagged."""
        if readers and not readers[0]._finished.called:
            readers[0]._finish_response(flags=[TIMED_OUT_FLAG])
        txresponse._transport._producer.abortConnection()

    def _cb_timeout(self, result: Any, request: Request, url: str, timeout: float) -> Any:
        from scrapy.http import Response

        # Only the timeout's cancel sets the flag, so the timer has fired: nothing to stop.
        if isinstance(result, Response) and TIMED_OUT_FLAG in result.flags:
            handler_logger.warning(
                "Stopped reading %s after DOWNLOAD_TIMEOUT (%.0f s): %d bytes of the body came; "
                "stored as WARC-Truncated: time", url, timeout, len(result.body))
            return result
        return super()._cb_timeout(result, request, url, timeout)

    def _cb_bodydone(self, result: Any, url: str) -> Response:
        response = super()._cb_bodydone(result, url)
        txresponse = result["txresponse"]
        raw_request = getattr(txresponse, "_capture_raw_request", b"")
        raw_head = getattr(txresponse, "_capture_raw_head", b"")
        flags = result.get("flags") or []
        truncated = None
        if TIMED_OUT_FLAG in flags:
            truncated = TRUNCATED_TIME
        elif TRUNCATED_FLAG in flags:
            truncated = TRUNCATED_LENGTH
        elif "dataloss" in flags:
            truncated = TRUNCATED_DISCONNECT
        ip = result.get("ip_address") or getattr(txresponse, "_scrapy_ip_address", None)
        invalid = getattr(txresponse, "_capture_invalid", None)
        if invalid is not None:
            handler_logger.warning("%s: %s; stored what came as a resource record", url, invalid)
            truncated = None if truncated == TRUNCATED_DISCONNECT else truncated  # read to close
        self._exchange = Exchange(
            url=url,
            started_at=self._started_at,
            raw_request=raw_request,
            raw_response_head=raw_head,
            body=response.body,
            ip_address=str(ip) if ip else None,
            truncated=truncated,
            invalid_response=invalid,
        )
        return response

    def download_request(self, request: Request) -> Deferred[Any]:
        self._started_at = datetime.now(timezone.utc)
        d = super().download_request(request)

        def remember(response: Response) -> Response:
            request.meta[EXCHANGE_META_KEY] = self._exchange
            return response

        d.addCallback(remember)
        return d


class CapturingHTTP11DownloadHandler(http11.HTTP11DownloadHandler):
    """``DOWNLOAD_HANDLERS`` entry for http and https that records exchanges for the WARC."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        report = limits_of(crawler)
        limits = {"max_head_bytes": crawler.settings.getint("SCRAPER_MAX_HEADER_BYTES"),
                  # The failed download is counted by Scrapy; the report quotes the limit.
                  "on_limit": staticmethod(lambda url, message: report.exceeded(
                      url, message, counted_elsewhere=True)) if report else None}
        set_protocol_factory(self, type("_BoundedCapturingFactory", (_CapturingFactory,),
                                        limits))

    async def download_request(self, request: Request) -> Response:
        # A request queued in its host's slot before the host was given up as blocked.
        gate = host_gate(self._crawler)
        gate.refuse_if_given_up(request)
        agent = _CapturingAgent(
            contextFactory=self._contextFactory,
            bindAddress=self._bind_address,
            pool=self._pool,
            maxsize=self._default_maxsize,
            warnsize=self._default_warnsize,
            fail_on_dataloss=self._fail_on_dataloss,
            crawler=self._crawler,
            tls_verbose_logging=self._tls_verbose_logging,
        )
        with wrap_twisted_exceptions():
            response: Response = await maybe_deferred_to_future(agent.download_request(request))
        gate.judge(request, response)  # before the slot lets the host's next request out
        return response
