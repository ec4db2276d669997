"""Network failures in one line: "Error downloading <GET url>: DownloadTimeoutError: ...".

Scrapy logs every download error with its Python traceback, which for a timeout, a refused
connection or a DNS failure says nothing the exception's message does not; on a terminal it
reads as a crash. ``LOG_FORMATTER`` points here: the message gets the error's type and text,
and the traceback of these expected network errors is dropped (programming errors keep theirs).
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import exceptions
from scrapy.logformatter import LogFormatter, LogFormatterResult
from twisted.internet import error as twisted_errors
from twisted.web import _newclient

#: Errors a remote server or the network causes: their traceback shows no bug of ours.
NETWORK_ERRORS: tuple[type[BaseException], ...] = (
    exceptions.DownloadConnectionRefusedError, exceptions.CannotResolveHostError,
    exceptions.DownloadTimeoutError, exceptions.DownloadCancelledError,
    exceptions.DownloadFailedError, exceptions.ResponseDataLossError,
    twisted_errors.TimeoutError, twisted_errors.DNSLookupError,
    twisted_errors.ConnectionRefusedError, twisted_errors.ConnectionLost,
    twisted_errors.ConnectionDone, _newclient.ResponseNeverReceived, _newclient.ResponseFailed,
)
#: Scrapy's loggers that attach a traceback to a download error (a page's, robots.txt's).
_LOGGERS = ("scrapy.core.scraper", "scrapy.downloadermiddlewares.robotstxt")


class _DropNetworkTracebacks(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[0] and \
                issubclass(record.exc_info[0], NETWORK_ERRORS):
            record.exc_info, record.exc_text = None, None
        return True


_FILTER = _DropNetworkTracebacks()


class OneLineDownloadErrors(LogFormatter):
    """Scrapy's log formatter with network errors named in the message, without traceback."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> OneLineDownloadErrors:
        for name in _LOGGERS:
            logger = logging.getLogger(name)
            if _FILTER not in logger.filters:
                logger.addFilter(_FILTER)
        return cls()

    def download_error(self, failure: Any, request: Any, spider: Any,
                       errmsg: str | None = None) -> LogFormatterResult:
        if errmsg is None and failure.check(*NETWORK_ERRORS):
            errmsg = f"{type(failure.value).__name__}: {str(failure.value)[:200]}"
        return super().download_error(failure, request, spider, errmsg)
