"""Per-host politeness shared by every worker: delay, concurrency, Crawl-delay, Retry-After.

Scrapy's delay and concurrency per host live in each process, so N workers would hit a host N
times as often as one. Here each request first takes a slot from the host's gate in Redis
(``scraper:host:<netloc>``): one atomic script, on Redis' clock, grants it only when the host's
next start time has come (its delay: ``DOWNLOAD_DELAY``, raised by robots.txt ``Crawl-delay``;
its pause: ``Retry-After``) and fewer than ``CONCURRENT_REQUESTS_PER_DOMAIN`` requests to it are
running across all workers. A slot is a lease too: a worker that dies frees it after
``DOWNLOAD_TIMEOUT``. The process' own per-host delay is set to 0 (the gate does the spacing)
and AutoThrottle is off in distributed mode: it only sees one worker's share.
"""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet import reactor
from twisted.internet.task import deferLater

from scraper.crawl.politeness import RetryAfterMiddleware, retry_after_seconds
from scraper.crawl.scrapy_compat import downloader_slot
from scraper.distributed.connection import RedisLink
from scraper.distributed.jobkeys import PREFIX, shared_link

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

#: Request meta key: (netloc, token) of the gate slot this request holds.
GATE_META_KEY = "distributed_gate"

_NOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
"""

#: KEYS: host hash, host slots zset. ARGV: token, delay ms, limit, slot lease ms, margin.
#: Returns how many ms to wait before asking again, or when granted 0 (the host has no delay)
#: or -1 (it has one: SENT must move its next start once the request leaves).
ACQUIRE = _NOW + """
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local floor = tonumber(redis.call('HGET', KEYS[1], 'crawl_delay_ms') or 0)
local delay = math.floor(math.max(tonumber(ARGV[2]), floor) * (1 + tonumber(ARGV[5])))
local ready = math.max(tonumber(redis.call('HGET', KEYS[1], 'next_ms') or 0),
                       tonumber(redis.call('HGET', KEYS[1], 'paused_until_ms') or 0))
if ready > now then return ready - now end
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[3]) then return 25 end
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[4]), ARGV[1])
redis.call('HSET', KEYS[1], 'next_ms', now + delay)
redis.call('PEXPIRE', KEYS[1], 86400000); redis.call('PEXPIRE', KEYS[2], 86400000)
if delay > 0 then return -1 end
return 0
"""

#: KEYS: host hash. ARGV: delay ms, margin. A granted request leaves: next start >= now+delay.
SENT = _NOW + """
local floor = tonumber(redis.call('HGET', KEYS[1], 'crawl_delay_ms') or 0)
local delay = math.floor(math.max(tonumber(ARGV[1]), floor) * (1 + tonumber(ARGV[2])))
if delay > 0 and now + delay > tonumber(redis.call('HGET', KEYS[1], 'next_ms') or 0) then
  redis.call('HSET', KEYS[1], 'next_ms', now + delay)
end
return delay
"""

#: KEYS: host hash. ARGV: field, ms from now. Raises a pause (never shortens one).
PAUSE = _NOW + """
local until_ms = now + tonumber(ARGV[2])
if until_ms > tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or 0) then
  redis.call('HSET', KEYS[1], ARGV[1], until_ms)
end
redis.call('PEXPIRE', KEYS[1], 86400000)
return until_ms
"""


class HostGate:
    """The shared gates of every host, through one Redis link."""

    def __init__(self, link: RedisLink) -> None:
        self.link = link
        self._acquire = link.script(ACQUIRE)
        self._pause = link.script(PAUSE)
        self._sent = link.script(SENT)

    @staticmethod
    def key(netloc: str) -> str:
        return f"{PREFIX}:host:{netloc}"

    def acquire(self, netloc: str, token: str, delay: float, limit: int, hold: float,
                margin: float = 0.0) -> float:
        """Seconds to wait before asking again; when the slot is ours, 0 if the host has no
        delay, -1 if it has one (then :meth:`sent` is due when the request leaves)."""
        key = self.key(netloc)
        wait = int(self._acquire([key, key + ":slots"], [token, int(delay * 1000),
                                                         max(limit, 1), int(hold * 1000),
                                                         margin]))
        return wait / 1000 if wait > 0 else float(wait)

    def release(self, netloc: str, token: str) -> None:
        """Hand the slot back with this worker's next Redis call (for the next request it
        asks the gate for, in front of that request's own ask)."""
        slots = self.key(netloc) + ":slots"
        self.link.later(lambda pipe: pipe.zrem(slots, token))

    def pause(self, netloc: str, seconds: float) -> None:
        self._pause([self.key(netloc)], ["paused_until_ms", int(seconds * 1000)])

    def sent(self, netloc: str, delay: float, margin: float = 0.0) -> None:
        """A granted request leaves now: the host's next start is at least a delay from now."""
        self._sent([self.key(netloc)], [int(delay * 1000), margin])

    def set_crawl_delay(self, netloc: str, seconds: float) -> None:
        self.link.call(lambda r: r.hset(self.key(netloc), "crawl_delay_ms", int(seconds * 1000)))


class SharedHostGateMiddleware:
    """Downloader middleware: wait for the host's shared gate before each download."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.get("DISTRIBUTED_JOB"):
            raise NotConfigured
        self.crawler = crawler
        self.gate = HostGate(shared_link(settings))
        # Grants are not arrivals: a busy worker sends a granted request some ms late, which
        # shortens the gap the host sees before the next one. The margin keeps that gap >= delay.
        self.delay = settings.getfloat("DOWNLOAD_DELAY")
        self.margin = settings.getfloat("DISTRIBUTED_GATE_MARGIN")
        self.limit = settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
        self.hold = settings.getfloat("DOWNLOAD_TIMEOUT") + 30

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedHostGateMiddleware:
        middleware = cls(crawler)
        crawler.signals.connect(middleware.reached_downloader,
                                signal=signals.request_reached_downloader)
        crawler.signals.connect(middleware.answered, signal=signals.headers_received)
        return middleware

    def reached_downloader(self, request: Request, spider: Any = None) -> None:
        """Measure the delay from when the request leaves, not from when it was granted.

        A busy worker may hand a granted request to the downloader some ms late; counted from
        the grant, the host would see a shorter gap before the next request.
        """
        self._space_from_now(request)

    def answered(self, request: Request, **kwargs: Any) -> None:
        """And from when its answer began to arrive: by then the host has surely seen it.

        A request that leaves on a new connection reaches the host only once the connection
        is made: up to 0.1 s later on a busy worker (measured: a host's first sitemap after its
        robots.txt), more than the margin, so the host saw the next request, sent at once on a
        connection another worker had open, too soon after it.
        """
        self._space_from_now(request)

    def _space_from_now(self, request: Request) -> None:
        held = request.meta.get(GATE_META_KEY)
        if held and held[2]:  # without a delay nothing is spaced: one Redis call saved
            self.gate.sent(held[0], self.delay, self.margin)

    async def process_request(self, request: Request, spider: Any = None) -> None:
        netloc = urlparse_cached(request).netloc
        downloader_slot(self.crawler, request)[1].delay = 0.0  # the gate spaces requests
        token = uuid.uuid4().hex
        waited = 0.0
        while True:
            wait = self.gate.acquire(netloc, token, self.delay, self.limit, self.hold,
                                     self.margin)
            if wait <= 0:
                break
            waited += wait
            await maybe_deferred_to_future(deferLater(reactor, wait, lambda: None))
        request.meta[GATE_META_KEY] = (netloc, token, wait < 0)
        self.crawler.stats.inc_value("distributed/gate_waits_ms", int(waited * 1000))

    def process_response(self, request: Request, response: Response,
                         spider: Any = None) -> Response:
        self._release(request)
        return response

    def process_exception(self, request: Request, exception: Exception,
                          spider: Any = None) -> None:
        self._release(request)

    def _release(self, request: Request) -> None:
        held = request.meta.pop(GATE_META_KEY, None)
        if held:
            self.gate.release(held[0], held[1])


class SharedRetryAfterMiddleware(RetryAfterMiddleware):
    """Retry-After pauses the host for every worker, not only for the one that was told."""

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.gate: HostGate | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedRetryAfterMiddleware:
        middleware = super().from_crawler(crawler)
        if crawler.settings.get("DISTRIBUTED_JOB"):
            middleware.gate = HostGate(shared_link(crawler.settings))
        return middleware

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Any:
        if self.gate is not None and response.status in (429, 503):
            wait = retry_after_seconds(response.headers.get(b"Retry-After"))
            if wait is not None:
                self.gate.pause(urlparse_cached(request).netloc, min(wait, self.max_wait))
        return super().process_response(request, response, spider)
