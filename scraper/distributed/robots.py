"""robots.txt fetched once per host per TTL for the whole job, its fail-closed state shared.

The first worker that needs a host's robots.txt claims it (``scraper:robots:<netloc>:fetching``),
fetches it (captured to its WARC like every exchange) and publishes what it got under
``scraper:robots:<netloc>`` for ``DISTRIBUTED_ROBOTS_TTL`` seconds: the body, or "disallow"
(5xx, 429, unreachable: RFC 9309 fail-closed) for ``ROBOTSTXT_ERROR_RETRY_AFTER`` seconds.
Every other worker waits for that and parses the same body; a robots.txt Crawl-delay becomes
the host's shared delay floor (:mod:`scraper.distributed.gate`).
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler
from twisted.internet import defer, reactor
from twisted.internet.task import deferLater

from scraper.crawl.politeness import DisallowAll, FailClosedRobotsTxtMiddleware, rules_body
from scraper.crawl.scrapy_compat import robots_parser_class, robots_parsers
from scraper.distributed.gate import HostGate
from scraper.distributed.jobkeys import PREFIX, shared_link

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

CLAIM_SECONDS = 90.0
POLL_SECONDS = 0.2


class SharedRobotsTxtMiddleware(FailClosedRobotsTxtMiddleware):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        settings = crawler.settings
        self.shared = bool(settings.get("DISTRIBUTED_JOB"))
        if self.shared:
            self.link = shared_link(settings)
            self.gate = HostGate(self.link)
            self.ttl = settings.getfloat("DISTRIBUTED_ROBOTS_TTL")
            self.worker = settings.get("DISTRIBUTED_WORKER_ID")

    async def robot_parser(self, request: Request) -> Any:
        netloc = urlparse_cached(request).netloc
        parsers = robots_parsers(self)
        current = parsers.get(netloc)
        if isinstance(current, DisallowAll) and current.until <= time.monotonic():
            del parsers[netloc]
        if not self.shared or netloc in parsers:
            return await super().robot_parser(request)
        waiting: defer.Deferred[Any] = defer.Deferred()
        parsers[netloc] = waiting  # this worker's other requests for the host wait on it
        state = await self._published_or_claim(netloc)
        if state is None:  # ours to fetch: Scrapy's code fetches, _parse_robots publishes
            del parsers[netloc]
            parser = await super().robot_parser(request)
        else:
            parser = self._adopt(netloc, state, request)
            self._stats.inc_value("robotstxt/shared")
        waiting.callback(parser)
        return parser

    def _key(self, netloc: str) -> str:
        return f"{PREFIX}:robots:{netloc}"

    async def _published_or_claim(self, netloc: str) -> dict[bytes, bytes] | None:
        """What another worker published, or None once this worker holds the claim."""
        key = self._key(netloc)
        while True:
            state = self.link.call(lambda r: r.hgetall(key))
            if state:
                return {_raw(k): _raw(v) for k, v in state.items()}
            claimed = self.link.call(lambda r: r.set(key + ":fetching", self.worker, nx=True,
                                                     px=int(CLAIM_SECONDS * 1000)))
            if claimed:
                return None
            await maybe_deferred_to_future(
                deferLater(reactor, POLL_SECONDS, lambda: None))

    def _adopt(self, netloc: str, state: dict[bytes, bytes], request: Request) -> Any:
        parsers = robots_parsers(self)
        if state.get(b"kind") == b"disallow":
            remaining = self.link.call(lambda r: r.pttl(self._key(netloc))) / 1000
            parsers[netloc] = DisallowAll(time.monotonic() + max(remaining, 1.0),
                                          state.get(b"reason", b"").decode())
        else:
            parser = build_from_crawler(robots_parser_class(self), self.crawler,
                                        state.get(b"body", b""))
            parsers[netloc] = parser
            self._apply_crawl_delay(parser, request)
        return parsers[netloc]

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        await super()._parse_robots(response, netloc, request)
        if self.shared and not isinstance(robots_parsers(self).get(netloc), DisallowAll):
            self._publish(netloc, {"kind": "parsed", "body": rules_body(response)}, self.ttl)

    def _disallow(self, netloc: str, reason: str) -> None:
        super()._disallow(netloc, reason)
        if self.shared:
            self._publish(netloc, {"kind": "disallow", "reason": reason}, self.retry_after)

    def _publish(self, netloc: str, fields: dict[str, Any], ttl: float) -> None:
        key = self._key(netloc)

        def publish(client: Any) -> None:
            pipe = client.pipeline()
            pipe.delete(key)
            pipe.hset(key, mapping=fields)
            pipe.pexpire(key, int(max(ttl, 1) * 1000))
            pipe.delete(key + ":fetching")
            pipe.execute()

        self.link.call(publish)

    def _apply_crawl_delay(self, parser: Any, request: Request) -> None:
        super()._apply_crawl_delay(parser, request)
        robots = getattr(parser, "rp", None)
        delay = robots.crawl_delay(self._robotstxt_useragent or self._default_useragent) \
            if robots is not None else None
        if self.shared and delay:
            self.gate.set_crawl_delay(urlparse_cached(request).netloc,
                                      min(float(delay), self.max_crawl_delay))


def _raw(value: bytes | str) -> bytes:
    return value if isinstance(value, bytes) else value.encode("utf-8")
