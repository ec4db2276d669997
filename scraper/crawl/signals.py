"""Signals and response flags of our own crawl components (no imports: every crawl module
may use them)."""

from __future__ import annotations

#: Sent once an exchange is flushed to its WARC file:
#: ``handler(request, response, capture=archive.capture.ArchivedExchange)``.
exchange_archived = object()

#: Response flag: the body was cut at DOWNLOAD_MAXSIZE (stored as WARC-Truncated: length).
TRUNCATED_FLAG = "truncated"
#: Response flag: the body stopped at DOWNLOAD_TIMEOUT (stored as WARC-Truncated: time).
TIMED_OUT_FLAG = "timed-out"
