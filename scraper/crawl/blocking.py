"""During a crawl: recognise bot walls, back off a host that shows them, give it up in the end.

A challenge page (Cloudflare's "Just a moment...", ``cf-mitigated``, JavaScript and cookie walls)
or a refusal of a home page or feed is counted ``blocked/*`` in the site's stats and never
reaches a callback: the request fails with :class:`BlockedResponse` (an ``IgnoreRequest``), so
it is neither retried nor parsed, and the spider records its URL as discovered, not captured.
The exchange itself is still in the WARC (evidence of what the site answered).

Back-off: after a block, the host's downloader slot waits ``BLOCKED_BACKOFF_START`` seconds
between requests, twice as long after each further block (up to ``BLOCKED_BACKOFF_MAX``); after
``BLOCKED_HOST_GIVE_UP`` blocks the host is given up for the rest of the run: its remaining
requests, queued or not, fail without reaching the network (the download handler checks too).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.httpobj import urlparse_cached

from scraper.crawl.politeness import crawl_delay_floors
from scraper.crawl.scrapy_compat import downloader_slot
from scraper.sites.blocking import BlockSign, stored_block_sign

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
    given_up: bool = False
    evidence: str = ""


#: Request meta key: the BlockSign the download handler found on the response (None: judged
#: and not a block; absent: not judged, detection off).
BLOCK_SIGN = "scraper_block_sign"


class HostGate:
    """Per crawler: which hosts showed bot walls, how long to back off, which are given up.

    Judged in the download handler, as soon as a response is read: the downloader sends the
    host's next queued request when this one leaves its slot, before any middleware sees the
    response, so a verdict reached later would come after the next requests went out.
    """

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.enabled = settings.getbool("BLOCKED_DETECTION_ENABLED")
        self.start = settings.getfloat("BLOCKED_BACKOFF_START")
        self.maximum = settings.getfloat("BLOCKED_BACKOFF_MAX")
        self.give_up = max(settings.getint("BLOCKED_HOST_GIVE_UP"), 1)
        self.hosts: dict[str, HostState] = {}

    def refuse_if_given_up(self, request: Request) -> None:
        """Raise BlockedResponse for a request to a host given up."""
        state = self.hosts.get(urlparse_cached(request).netloc)
        if state is not None and state.given_up:
            self.crawler.stats.inc_value("blocked/skipped")
            raise BlockedResponse(f"host blocked: {state.evidence}")

    def judge(self, request: Request, response: Response) -> None:
        """Note a bot wall in ``request.meta[BLOCK_SIGN]``, count it, back off its host."""
        if not self.enabled:
            return
        headers = {k.decode("latin-1").lower(): b", ".join(v).decode("latin-1")
                   for k, v in response.headers.items()}
        discovery = bool(request.meta.get(DISCOVERY_REQUEST)) or \
            urlparse_cached(request).path in ("", "/")
        sign = stored_block_sign(response.status, headers, response.body, discovery)
        request.meta[BLOCK_SIGN] = sign  # None: judged, not a block (extraction reads it)
        if sign is not None:
            self._blocked(request, sign)

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
        self._slow_down(request, state.backoff)
        if state.blocks >= self.give_up and not state.given_up:
            state.given_up = True
            stats.inc_value("blocked/hosts_given_up")
            logger.warning("Giving up %s for this run after %d blocked responses (last: %s)",
                           host, state.blocks, state.evidence)
        elif not state.given_up:
            logger.warning("Blocked by %s: %s; backing off %.1fs", host, state.evidence,
                           state.backoff)

    def _slow_down(self, request: Request, backoff: float) -> None:
        """The host's downloader slot waits ``backoff`` between requests from now on; the
        Crawl-delay floor keeps AutoThrottle from lowering it again."""
        key, slot = downloader_slot(self.crawler, request)
        floors = crawl_delay_floors(self.crawler)
        floors[key] = max(floors.get(key, 0.0), backoff)
        slot.delay = max(slot.delay, backoff)
        slot.lastseen = max(slot.lastseen, time.monotonic())


_GATES: WeakKeyDictionary[Any, HostGate] = WeakKeyDictionary()


def host_gate(crawler: Crawler) -> HostGate:
    gate = _GATES.get(crawler)
    if gate is None:
        gate = _GATES[crawler] = HostGate(crawler)
    return gate


class BlockedHostMiddleware:
    """Fails requests to given-up hosts, and responses the download handler found walled."""

    def __init__(self, crawler: Crawler) -> None:
        if not crawler.settings.getbool("BLOCKED_DETECTION_ENABLED"):
            raise NotConfigured
        self.gate = host_gate(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BlockedHostMiddleware:
        return cls(crawler)

    def process_request(self, request: Request, spider: Any = None) -> None:
        self.gate.refuse_if_given_up(request)

    def process_response(self, request: Request, response: Response,
                         spider: Any = None) -> Response:
        sign = request.meta.get(BLOCK_SIGN)
        if sign is None:
            return response
        raise BlockedResponse(f"blocked: {sign}")
