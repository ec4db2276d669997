"""Redis addresses without leaking passwords, connecting with clear errors, and riding out outages.

The address is kept in a :class:`RedisAddress` whose ``str``/``repr`` hide the password, so it can
sit in Scrapy settings (which Scrapy logs) and in manifests. Every Redis call of a worker goes
through :meth:`RedisLink.call`: when the server goes away the worker says so once, waits and
retries (``DISTRIBUTED_REDIS_WAIT`` seconds at most), then says when it is back.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import redis

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
    """A client plus the patience to wait for a Redis that restarts mid-job."""

    def __init__(self, address: RedisAddress, max_wait: float = 300.0,
                 client: redis.Redis | None = None) -> None:
        self.address = address
        self.max_wait = max_wait
        self.client = client if client is not None else connect(address)
        self.outages = 0

    def call(self, operation: Callable[[redis.Redis], T]) -> T:
        """Run ``operation(client)``; while Redis is unreachable, wait and retry."""
        started: float | None = None
        pause = 0.2
        while True:
            try:
                result = operation(self.client)
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

    def script(self, source: str) -> Callable[..., Any]:
        """A Lua script run through :meth:`call` (reloaded by redis-py after a restart)."""
        registered = self.client.register_script(source)

        def run(keys: list[str], args: list[Any]) -> Any:
            return self.call(lambda client: registered(keys=keys, args=args, client=client))

        return run

    def script_many(self, source: str) -> Callable[[list[str], list[list[Any]]], list[Any]]:
        """A Lua script run once per argument list, all in one pipeline (one round trip plus
        redis-py's script check), through :meth:`call`: after an outage the whole batch runs
        again, so the script must be safe to repeat."""
        registered = self.client.register_script(source)

        def run_many(keys: list[str], batch: list[list[Any]]) -> list[Any]:
            def send(client: redis.Redis) -> list[Any]:
                pipe = client.pipeline(transaction=False)
                for args in batch:
                    registered(keys=keys, args=args, client=pipe)
                return list(pipe.execute())

            return self.call(send)

        return run_many
