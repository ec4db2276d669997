"""Redis addresses without leaking passwords, connecting with clear errors, and riding out outages.

The address is kept in a :class:`RedisAddress` whose ``str``/``repr`` hide the password, so it can
sit in Scrapy settings (which Scrapy logs) and in manifests. Every Redis call of a worker goes
through :meth:`RedisLink.call`: when the server goes away the worker says so once, waits and
retries (``DISTRIBUTED_REDIS_WAIT`` seconds at most), then says when it is back.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import redis
from redis.client import Pipeline
from redis.commands.core import Script

from scraper.errors import ScraperError, UsageError

logger = logging.getLogger(__name__)

T = TypeVar("T")

SCHEMES = ("redis", "rediss", "unix")


class RedisUnavailableError(ScraperError):
    """Redis stayed unreachable longer than the worker may wait (the job itself is intact)."""

    exit_code = 3


class RedisAddress:
    """A Redis URL; ``str()`` and ``repr()`` show it with the password replaced by ``***``."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in SCHEMES:
            raise UsageError(f"--redis {redact_url(url)!r}: use redis://HOST:PORT/DB, "
                             "rediss://HOST:PORT/DB (TLS) or unix:///path/to/redis.sock")
        if parts.scheme != "unix" and not parts.hostname:
            raise UsageError(f"--redis {redact_url(url)!r}: no host (redis://HOST:PORT/DB)")
        self._url = url

    @property
    def secret_url(self) -> str:
        """The URL with its password: for the Redis client only, never for display."""
        return self._url

    def __str__(self) -> str:
        return redact_url(self._url)

    def __repr__(self) -> str:
        return f"RedisAddress({redact_url(self._url)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RedisAddress) and other._url == self._url

    def __hash__(self) -> int:
        return hash(self._url)


def redact_url(url: str) -> str:
    """``redis://user:secret@host/0`` -> ``redis://user:***@host/0``; other URLs unchanged."""
    parts = urlsplit(url)
    if parts.password is None and "password=" not in parts.query:
        return url
    netloc = parts.netloc
    if parts.password is not None:
        userinfo, _, hostport = netloc.rpartition("@")
        user = userinfo.split(":", 1)[0]
        netloc = f"{user}:***@{hostport}"
    query = "&".join("password=***" if p.startswith("password=") else p
                     for p in parts.query.split("&")) if parts.query else ""
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def connect(address: RedisAddress) -> redis.Redis:
    """A client for ``address``; UsageError (exit 2) when it is unreachable or refuses us."""
    client = redis.Redis.from_url(address.secret_url, socket_timeout=30,
                                  socket_connect_timeout=10, health_check_interval=30)
    try:
        client.ping()
    except redis.AuthenticationError as error:
        if "required" in str(error).lower():
            raise UsageError(f"Redis at {address} needs a password (redis://:PASSWORD@HOST:"
                             f"PORT/DB): {error}") from None
        raise UsageError(f"Redis at {address} refused the credentials: {error}") from None
    except redis.ResponseError as error:
        if "NOAUTH" in str(error) or "WRONGPASS" in str(error):
            raise UsageError(f"Redis at {address} needs a password: {error}") from None
        raise UsageError(f"Redis at {address} answered an error: {error}") from None
    except (redis.ConnectionError, redis.TimeoutError, OSError) as error:
        raise UsageError(f"cannot reach Redis at {address}: {_reason(error)}") from None
    return client


def _reason(error: Exception) -> str:
    return " ".join(str(error).split()) or type(error).__name__


class RedisLink:
    """A client plus the patience to wait for a Redis that restarts mid-job.

    Writes that nothing waits for (a gate slot handed back, a capture shared with the other
    machines) are queued with :meth:`later` and travel in the same round trip as this worker's
    next call, in front of it: they cost no round trip of their own. Every write queued that
    way must be safe to repeat (after an outage the round trip runs again). The WARC
    writer's thread reads through the link too: the waiting writes are taken under a lock, so
    each is sent once.
    """

    def __init__(self, address: RedisAddress, max_wait: float = 300.0,
                 client: redis.Redis | None = None) -> None:
        self.address = address
        self.max_wait = max_wait
        self.client = client if client is not None else connect(address)
        self.outages = 0
        self._later: list[tuple[Callable[[Pipeline], Any], Callable[[list[Any]], Any] | None]] = []
        self._later_lock = threading.Lock()
        self._scripts: list[LinkScript] = []

    def call(self, operation: Callable[[redis.Redis], T]) -> T:
        """Run ``operation(client)`` after the writes queued by :meth:`later`; while Redis is
        unreachable, wait and retry."""
        if self._later:
            self.send_later()
        return self._patiently(lambda: operation(self.client))

    @property
    def has_later(self) -> bool:
        """Whether writes queued by :meth:`later` wait for the next call."""
        return bool(self._later)

    def later(self, queue_write: Callable[[Pipeline], Any],
              on_results: Callable[[list[Any]], Any] | None = None) -> None:
        """Queue a write (``queue_write(pipeline)`` adds its commands) for the next call;
        ``on_results`` gets the results of its commands once sent (on the sending thread)."""
        with self._later_lock:
            self._later.append((queue_write, on_results))

    def send_later(self) -> None:
        """Send the writes queued by :meth:`later` now (idle, or closing)."""
        self.pipelined(lambda pipe: None)

    def pipelined(self, queue_commands: Callable[[Pipeline], Any]) -> list[Any]:
        """The writes queued by :meth:`later`, then the commands ``queue_commands(pipeline)``
        adds, in one round trip; returns the results of the latter."""
        with self._later_lock:
            writes, self._later = self._later, []

        def send() -> list[Any]:
            try:
                return self._execute(writes, queue_commands)
            except redis.exceptions.NoScriptError:
                self._load_scripts()  # Redis restarted: its script cache is empty
                return self._execute(writes, queue_commands)

        try:
            return self._patiently(send)
        except RedisUnavailableError:
            with self._later_lock:  # not sent: they go with the next call, if any
                self._later[:0] = writes
            raise

    def _execute(self, writes: list[tuple[Callable[[Pipeline], Any],
                                          Callable[[list[Any]], Any] | None]],
                 queue_commands: Callable[[Pipeline], Any]) -> list[Any]:
        pipe = self.client.pipeline(transaction=False)
        spans = []
        for queue_write, on_results in writes:
            start = len(pipe)
            queue_write(pipe)
            spans.append((start, len(pipe), on_results))
        first = len(pipe)
        queue_commands(pipe)
        results = list(pipe.execute()) if len(pipe) else []
        for start, end, on_results in spans:
            if on_results is not None:
                on_results(results[start:end])
        return results[first:]

    def _load_scripts(self) -> None:
        for script in self._scripts:
            script.registered.sha = self.client.script_load(script.registered.script)

    def _patiently(self, operation: Callable[[], T]) -> T:
        started: float | None = None
        pause = 0.2
        while True:
            try:
                result = operation()
            except (redis.ConnectionError, redis.TimeoutError) as error:
                now = time.monotonic()
                if started is None:
                    started = now
                    self.outages += 1
                    logger.warning("Redis at %s is unreachable (%s); waiting and retrying for up "
                                   "to %.0fs, nothing is lost meanwhile", self.address,
                                   _reason(error), self.max_wait)
                if now - started > self.max_wait:
                    raise RedisUnavailableError(
                        f"Redis at {self.address} unreachable for {now - started:.0f}s "
                        f"({_reason(error)}); the job's state is in Redis: start the worker "
                        "again once Redis is back") from None
                time.sleep(pause)
                pause = min(pause * 2, 2.0)
                continue
            if started is not None:
                logger.warning("Redis at %s is back after %.1fs; carrying on", self.address,
                               time.monotonic() - started)
            return result

    def script(self, source: str) -> LinkScript:
        """A Lua script run through this link, loaded into Redis now (and again after a
        restart of Redis)."""
        script = LinkScript(self, self.client.register_script(source))
        self._patiently(lambda: self.client.script_load(source))
        self._scripts.append(script)
        return script


class LinkScript:
    """A Lua script of a :class:`RedisLink`: ``script(keys, args)`` runs it (after the writes
    queued by :meth:`RedisLink.later`, in the same round trip); :meth:`queue` adds it to a
    pipeline. redis-py's own scripts in a pipeline cost one more round trip each time (it asks
    Redis whether it knows them); here a missing script is loaded only when Redis says so."""

    def __init__(self, link: RedisLink, registered: Script) -> None:
        self.link = link
        self.registered = registered

    def __call__(self, keys: list[str], args: list[Any]) -> Any:
        if self.link.has_later:
            return self.link.pipelined(lambda pipe: self.queue(pipe, keys, args))[0]
        return self.link.call(
            lambda client: self.registered(keys=keys, args=args, client=client))

    def queue(self, pipe: Pipeline, keys: list[str], args: list[Any]) -> None:
        pipe.evalsha(self.registered.sha, len(keys), *keys, *args)
