"""Redirects that lead nowhere are failures: a loop or a chain past ``REDIRECT_MAX_TIMES``.

Scrapy drops both quietly: a redirect back to a URL of the same chain is removed by the
duplicate filter, and a chain past the limit is discarded with a DEBUG line. The page is then
neither fetched nor failed, and a run that reached nothing exits 0. Here both are counted
(``redirect/failed/loop``, ``redirect/failed/too_many``: failed pages in the manifest, exit 1)
and logged with the URL. Every hop stays in the WARC as before.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.exceptions import IgnoreRequest

logger = logging.getLogger(__name__)


class CountedRedirectMiddleware(RedirectMiddleware):
    """Scrapy's redirect middleware, with loops and over-long chains counted as failed."""

    def process_response(self, request: Request, response: Any, spider: Any = None) -> Any:
        try:
            result = super().process_response(request, response)
        except IgnoreRequest:
            hops = request.meta.get("redirect_times", 0)
            if hops >= self.max_redirect_times or request.meta.get("redirect_ttl", 1) <= 0:
                self._fail(request, "too_many", f"more than {self.max_redirect_times} "
                                                "redirects (REDIRECT_MAX_TIMES)")
            raise
        if isinstance(result, Request) and result is not request:
            chain = [*request.meta.get("redirect_urls", []), request.url]
            if result.url in chain:
                self._fail(request, "loop", f"redirect loop back to {result.url} after "
                                            f"{len(chain)} hop(s)")
                raise IgnoreRequest(f"redirect loop at {request.url}")
        return result

    def _fail(self, request: Request, kind: str, why: str) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"redirect/failed/{kind}")
        first = (request.meta.get("redirect_urls") or [request.url])[0]
        logger.warning("Gave up on %s: %s", first, why)
