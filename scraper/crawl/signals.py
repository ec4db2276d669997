"""Signals of our own crawl components, sent on the reactor thread like Scrapy's."""

from __future__ import annotations

#: Sent once an exchange is flushed to its WARC file:
#: ``handler(request, response, capture=archive.capture.ArchivedExchange)``.
exchange_archived = object()
