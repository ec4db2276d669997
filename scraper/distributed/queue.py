"""The leased queue (``SCHEDULER_QUEUE_CLASS``): scrapy-redis' queue with a lease per request.

scrapy-redis deletes a request from Redis when a worker pops it, so a ``kill -9`` loses every
request the worker had in flight. Here a popped request stays in Redis, leased to the worker
until a deadline that the worker renews while it works; it is acknowledged (done or failed)
when its callback has finished or it failed for good. A lease that runs out (the worker died)
puts the request back in the queue; after ``DISTRIBUTED_MAX_TRIES`` tries it goes to the failed
list. The scripts are in :mod:`scraper.distributed.scripts`.

Round trips: one pop leases ``DISTRIBUTED_LEASE_BATCH`` requests (with each one's shared
catalog entry); a page's acknowledgement, behind its new links, waits on the link
(:meth:`RedisLink.later`) and goes with the worker's next call.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from redis.client import Pipeline
from scrapy import Request
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.request import request_from_dict
from scrapy_redis.queue import Base

from scraper.distributed import scripts
from scraper.distributed.connection import RedisLink, RedisUnavailableError
from scraper.distributed.serializer import SerializationError

logger = logging.getLogger(__name__)

#: Request meta key: the queue entry id of a leased request (removed before it is queued).
LEASE_META_KEY = "distributed_lease"
#: New requests the scheduler buffers before it sends them anyway (see LeasedQueue.push_later).
PUSH_BATCH = 200

#: Request classes a queued JSON request may name in ``_class`` (Scrapy would load any object).
ALLOWED_REQUEST_CLASSES = frozenset({
    "scrapy.Request", "scrapy.http.Request", "scrapy.http.request.Request",
    "scrapy.FormRequest", "scrapy.http.FormRequest", "scrapy.http.request.form.FormRequest",
    "scrapy.http.JsonRequest", "scrapy.http.request.json_request.JsonRequest",
})


#: Most fingerprints a worker remembers as seen (~100 bytes each).
KNOWN_SEEN_MAX = 1_000_000


@dataclass
class Lease:
    entry_id: str
    fingerprint: str


class LeasedQueue(Base):  # type: ignore[misc]  # scrapy-redis has no type information
    """Args (beyond scrapy-redis' Base): the RedisLink, this worker's id, lease, tries and how
    many requests one round trip leases (``DISTRIBUTED_LEASE_BATCH``); with ``captures_key``
    (the shared catalog's captures hash) each leased request's capture entry comes in the same
    round trip and goes to ``capture_known(url, raw entry or None)``."""

    def __init__(self, server: Any, spider: Any, key: str, serializer: Any = None, *,
                 link: RedisLink, worker: str, lease_seconds: float, max_tries: int,
                 lease_batch: int = 1, captures_key: str | None = None,
                 capture_known: Callable[[str, Any], None] | None = None) -> None:
        super().__init__(server, spider, key, serializer)
        self.link = link
        self.worker = worker
        self.lease_ms = int(lease_seconds * 1000)
        self.max_tries = max_tries
        self.lease_batch = max(lease_batch, 1)
        self.keys = [f"{self.key}:{name}" for name in scripts.KEY_NAMES]
        self.held: dict[str, Lease] = {}
        #: Leased in Redis (and in :attr:`held`), not yet handed to Scrapy: (id, entry, tries,
        #: shared capture entry: None for none, False when not read).
        self.leased_ahead: deque[tuple[str, str, str, Any]] = deque()
        self.capture_known = capture_known if captures_key else None
        self.pop_keys = [*self.keys, captures_key] if captures_key and capture_known \
            else self.keys
        # Fingerprints known to be in the job's seen-set (it only grows during a job): a page's
        # hundred links cost one Redis call each the first time only. Bounded, then restarted.
        self.known_seen: set[str] = set()
        #: New requests waiting for the next flush: (request, the PUSH script's arguments).
        self.buffered: list[tuple[Request, list[Any]]] = []
        self.queued = 0  # requests this worker added to the queue
        self.duplicates = 0  # requests the job had seen before (buffered ones counted at flush)
        self._push = link.script(scripts.PUSH)
        self._pop = link.script(scripts.POP)
        self._renew = link.script(scripts.RENEW)
        self._ack = link.script(scripts.ACK)
        self._retry = link.script(scripts.RETRY)
        self._release = link.script(scripts.RELEASE)

    def key_of(self, name: str) -> str:
        return self.keys[scripts.KEY_NAMES.index(name)]

    def __len__(self) -> int:
        self.flush()
        return len(self.leased_ahead) + int(self.link.call(
            lambda r: r.zcard(self.key_of("queue"))))

    def push_later(self, request: Request, fingerprint: str) -> None:
        """:meth:`push_unseen` in batches, for the scheduler: a page's hundred links go to
        Redis in one round trip, not a hundred.

        A new request waits in :attr:`buffered` until the next :meth:`flush`, which comes
        before anything else this worker asks of the queue (pop, acknowledge, retry, release,
        counts) and when seeding ends. So a page's links are in Redis before the page is
        acknowledged, and a worker killed before that loses only links its unacknowledged
        leases bring back. Retries, redirects and ``dont_filter`` requests go at once.
        """
        if LEASE_META_KEY in request.meta or request.dont_filter:
            self.push_unseen(request, fingerprint)
            return
        if fingerprint in self.known_seen:
            self.duplicates += 1
            return
        self.buffered.append((request, self._push_args(request, fingerprint)))
        self._remember(fingerprint)
        if len(self.buffered) >= PUSH_BATCH:
            self.flush()

    def flush(self) -> int:
        """Send the buffered requests; returns how many Redis queued (the rest it had seen)."""
        if not self.buffered:
            return 0
        queued = self.queued
        self._after_buffered(lambda pipe: None)
        return self.queued - queued

    def _take_buffered(self, queue_command: Callable[[Pipeline], Any]
                       ) -> tuple[list[tuple[Request, list[Any]]], Callable[[Pipeline], None]]:
        """The buffered requests, taken, and what queues them and then ``queue_command``."""
        batch, self.buffered = self.buffered, []

        def queue(pipe: Pipeline) -> None:
            for _, args in batch:
                self._push.queue(pipe, self.keys, args)
            queue_command(pipe)

        return batch, queue

    def _after_buffered(self, queue_command: Callable[[Pipeline], Any]) -> Any:
        """The buffered requests, then the command ``queue_command(pipeline)`` adds, in one
        round trip (behind the link's waiting writes); returns that command's result."""
        batch, queue = self._take_buffered(queue_command)
        try:
            results = self.link.pipelined(queue)
        except RedisUnavailableError:
            self.buffered = batch + self.buffered  # not sent: they go with the next call, if any
            raise
        self._count_pushed(results[:len(batch)])
        return results[len(batch)] if len(results) > len(batch) else None

    def _count_pushed(self, results: list[Any]) -> None:
        added = sum(1 for result in results if result is not None)
        self.queued += added
        self.duplicates += len(results) - added

    def push_unseen(self, request: Request, fingerprint: str) -> bool:
        """Queue ``request`` unless its fingerprint was queued before (or dont_filter); atomic."""
        self.flush()
        lease = self.held.get(request.meta.get(LEASE_META_KEY, ""))
        if lease is not None and lease.fingerprint == fingerprint:
            return self._push_retry(request, lease)
        if lease is not None:  # a redirect: the hop is answered, its target is a new request
            self._finish(lease, "done", request.meta.get("redirect_urls", [""])[-1])
        if not request.dont_filter and fingerprint in self.known_seen:
            return False
        added = self._push(self.keys, self._push_args(request, fingerprint))
        self._remember(fingerprint)
        self.queued += added is not None
        return added is not None

    def _push_args(self, request: Request, fingerprint: str) -> list[Any]:
        """The PUSH script's ARGV: fingerprint, entry, priority, dont_filter, host."""
        return [fingerprint, self._encode_request(request), request.priority,
                int(request.dont_filter), urlparse_cached(request).netloc]

    def _remember(self, fingerprint: str) -> None:
        if len(self.known_seen) >= KNOWN_SEEN_MAX:
            self.known_seen.clear()
        self.known_seen.add(fingerprint)

    def push(self, request: Request) -> None:  # scrapy-redis' interface
        self.push_unseen(request, self.spider.crawler.request_fingerprinter.fingerprint(
            request).hex())

    def _push_retry(self, request: Request, lease: Lease) -> bool:
        """A leased request coming back (Scrapy's retry): same entry, one more try."""
        del self.held[lease.entry_id]
        result = self._retry(self.keys, [lease.entry_id, self._encode_request(request),
                                         self.max_tries, "retries exhausted"])
        return bool(result and int(result) > 0)

    def pop(self, timeout: int = 0) -> Request | None:
        while True:
            if not self.leased_ahead and not self._lease_more():
                return None
            entry_id, data, tries, capture = self.leased_ahead.popleft()
            request = self._decode_or_reject(entry_id, data)
            if request is None:
                continue
            if self.capture_known is not None and capture is not False:
                self.capture_known(request.url, capture)
            request.meta[LEASE_META_KEY] = entry_id
            if int(tries):
                request.meta["distributed_tries"] = int(tries)
            return request

    def _lease_more(self) -> int:
        """Lease up to ``lease_batch`` requests in one round trip (with the buffered new ones
        in front); returns how many. The leases are renewed and handed back like any other."""
        popped = self._after_buffered(lambda pipe: self._pop.queue(
            pipe, self.pop_keys, [self.worker, self.lease_ms, self.max_tries, self.lease_batch]))
        values = list(popped or [])
        step = 4 if self.capture_known else 3
        for i in range(0, len(values) - step + 1, step):
            entry_id, data, tries = (_text(v) for v in values[i:i + 3])
            capture = _shared_capture(values[i + 3]) if step == 4 else False
            self.held[entry_id] = Lease(entry_id, entry_id.split("#", 1)[0])
            self.leased_ahead.append((entry_id, data, tries, capture))
        return len(values) // step

    def _decode_or_reject(self, entry_id: str, data: str) -> Request | None:
        try:
            request = self._decode_request(data)
        except (SerializationError, ValueError, TypeError, KeyError, AttributeError) as error:
            self.held.pop(entry_id, None)
            logger.error("Queue entry %s of %s is not a request we wrote; set aside in the "
                         "failed list, never executed: %s", entry_id[:40], self.key, error)
            self.spider.crawler.stats.inc_value("distributed/rejected_entries")
            self._ack(self.keys, [entry_id, "", "failed", f"rejected: {error}"])
            return None
        return request

    def _encode_request(self, request: Request) -> str:
        obj = request.to_dict(spider=self.spider)
        obj.get("meta", {}).pop(LEASE_META_KEY, None)
        obj.get("meta", {}).pop("distributed_tries", None)
        encoded = self.serializer.dumps(obj)
        return encoded.decode("utf-8") if isinstance(encoded, bytes) else str(encoded)

    def _decode_request(self, encoded_request: str) -> Request:
        obj = self.serializer.loads(encoded_request)
        request_class = obj.get("_class")
        if request_class is not None and request_class not in ALLOWED_REQUEST_CLASSES:
            raise SerializationError(f"request class {request_class!r} is not allowed")
        request: Request = request_from_dict(obj, spider=self.spider)
        return request

    def ack(self, request: Request, outcome: str = "done", reason: str = "") -> bool:
        """The request is finished (``done``) or failed for good (``failed``)."""
        entry_id = request.meta.get(LEASE_META_KEY)
        lease = self.held.get(entry_id) if entry_id else None
        if lease is None:
            return False
        return self._finish(lease, outcome, f"{reason} ({request.url})" if reason else "")

    def _finish(self, lease: Lease, outcome: str, reason: str) -> bool:
        """The acknowledgement, behind the page's links, waits on the link for this worker's
        next call (the next request's gate grant, a lease, a count): no round trip of its own.
        Killed before that, the worker loses nothing: the lease runs out and the page is
        fetched again, as for any lease it held. True: the lease was ours when acknowledged."""
        self.held.pop(lease.entry_id, None)
        args = [lease.entry_id, lease.fingerprint, outcome, reason]
        batch, queue = self._take_buffered(lambda pipe: self._ack.queue(pipe, self.keys, args))
        self.link.later(queue, lambda results: self._count_pushed(results[:len(batch)]))
        return True

    def renew(self) -> int:
        """Push back the deadline of every lease held; returns how many were lost."""
        if not self.held:
            return 0
        return int(self._renew(self.keys, [self.worker, self.lease_ms, *self.held]))

    def release_all(self) -> int:
        """Hand every held lease back to the queue (shutting down); returns how many."""
        self.flush()
        if not self.held:
            return 0
        released = int(self._release(self.keys, [self.worker, *self.held]))
        self.held.clear()
        self.leased_ahead.clear()
        return released

    def counts(self) -> dict[str, int]:
        self.flush()
        return job_counts(self.link, self.key)

    def clear(self) -> None:
        """scrapy-redis flushes on close by default; a job's keys go only with `jobs finish`."""


def job_counts(link: RedisLink, base: str) -> dict[str, int]:
    """Queued, in flight, done and failed requests under one spider's keys."""
    def read(client: Any) -> list[Any]:
        pipe = client.pipeline(transaction=False)
        pipe.zcard(f"{base}:queue")
        pipe.zcard(f"{base}:leases")
        pipe.scard(f"{base}:done")
        pipe.llen(f"{base}:failed")
        return list(pipe.execute())

    queued, in_flight, done, failed = link.call(read)
    return {"queued": int(queued), "in_flight": int(in_flight), "done": int(done),
            "failed": int(failed)}


def _shared_capture(value: Any) -> Any:
    """POP's capture value: Redis nil -> not read (False), '' -> no entry (None), else raw."""
    if value is None:
        return False
    return value or None


def _text(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
