"""During a crawl: recognise bot walls, back off a host that shows them, give it up in the end.

A challenge page (Cloudflare's "Just a moment...", ``cf-mitigated``, JavaScript and cookie walls)
or a refusal of a home page or feed is counted ``blocked/*`` in the site's stats and never
reaches a callback: the request fails with :class:`BlockedResponse` (an ``IgnoreRequest``), so
it is neither retried nor parsed, and the spider records its URL as discovered, not captured.
The exchange itself is still in the WARC (evidence of what the site answered).

Back-off: after a block, the host's next request waits ``BLOCKED_BACKOFF_START`` seconds, then
twice as long after each further block (up to ``BLOCKED_BACKOFF_MAX``); after
``BLOCKED_HOST_GIVE_UP`` blocks the host is given up for the rest of the run: its remaining
requests fail at once, without reaching the network.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached

from scraper.sites.blocking import BlockSign, block_sign

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

logger = logging.getLogger(__name__)

#: Request meta key set on discovery requests (home pages, feeds, sitemaps): a refusal status
#: there is a block, where on an article it may be a paywall or a removed page.
DISCOVERY_REQUEST = "scraper_discovery"
#: Evidence of the first blocks of a crawl, kept in its stats for ``sites --check``.
MAX_EVIDENCE = 3


class BlockedResponse(IgnoreRequest):
    """A request whose answer was a bot wall, or whose host has been given up."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class HostState:
    blocks: int = 0
    backoff: float = 0.0
    next_allowed: float = 0.0
    given_up: bool = False
    evidence: str = ""


class BlockedHostMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("BLOCKED_DETECTION_ENABLED"):
            raise NotConfigured
        self.crawler = crawler
        self.start = settings.getfloat("BLOCKED_BACKOFF_START")
        self.maximum = settings.getfloat("BLOCKED_BACKOFF_MAX")
        self.give_up = max(settings.getint("BLOCKED_HOST_GIVE_UP"), 1)
        self.hosts: dict[str, HostState] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BlockedHostMiddleware:
        return cls(crawler)

    async def process_request(self, request: Request, spider: Any = None) -> None:
        state = self.hosts.get(urlparse_cached(request).netloc)
        if state is None:
            return
        if not state.given_up:
            # Backed off: requests to the host go one at a time, ``backoff`` seconds apart.
            now = time.monotonic()
            turn = max(state.next_allowed, now)
            state.next_allowed = turn + state.backoff
            if turn > now:
                self.crawler.stats.inc_value("blocked/backoff_waits")
                await _sleep(turn - now)
        if state.given_up:
            self.crawler.stats.inc_value("blocked/skipped")
            raise BlockedResponse(f"host blocked: {state.evidence}")

    def process_response(self, request: Request, response: Response,
                         spider: Any = None) -> Response:
        headers = {k.decode("latin-1").lower(): b", ".join(v).decode("latin-1")
                   for k, v in response.headers.items()}
        discovery = bool(request.meta.get(DISCOVERY_REQUEST)) or \
            urlparse_cached(request).path in ("", "/")
        sign = block_sign(response.status, headers, response.body, discovery)
        if sign is None:
            return response
        self._blocked(request, sign)
        raise BlockedResponse(f"blocked: {sign}")

    def _blocked(self, request: Request, sign: BlockSign) -> None:
        stats = self.crawler.stats
        stats.inc_value("blocked/responses")
        stats.inc_value(f"blocked/reason/{sign.reason}")
        evidence = stats.get_value("blocked/evidence") or []
        if len(evidence) < MAX_EVIDENCE:
            stats.set_value("blocked/evidence", [*evidence, f"{request.url}: {sign.evidence}"])
        host = urlparse_cached(request).netloc
        state = self.hosts.setdefault(host, HostState())
        state.blocks += 1
        state.evidence = f"{sign.evidence} at {request.url}"
        state.backoff = min(max(state.backoff * 2, self.start), self.maximum)
        state.next_allowed = time.monotonic() + state.backoff
        if state.blocks >= self.give_up and not state.given_up:
            state.given_up = True
            stats.inc_value("blocked/hosts_given_up")
            logger.warning("Giving up %s for this run after %d blocked responses (last: %s)",
                           host, state.blocks, state.evidence)
        else:
            logger.warning("Blocked by %s: %s; backing off %.0fs", host, state.evidence,
                           state.backoff)


async def _sleep(seconds: float) -> None:
    from twisted.internet import reactor, task

    await maybe_deferred_to_future(task.deferLater(reactor, seconds))
