"""Where a job lives in Redis, who this worker is, and the one Redis link of this process.

``scraper:jobs`` is the set of job names; a job's keys all start ``scraper:job:<name>:``:
``info`` (hash: created, seeded spiders), ``spiders`` (set), ``seeder:<spider>`` (the worker
seeding it, with a TTL it renews), ``seeded:<spider>``, and one group of queue keys per spider
(:mod:`scraper.distributed.scripts`). Host politeness is shared by every job of a Redis
database: ``scraper:host:<netloc>`` and ``scraper:robots:<netloc>``.
"""

from __future__ import annotations

import os
import re
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from scraper.distributed.connection import RedisAddress, RedisLink
from scraper.errors import UsageError

PREFIX = "scraper"
JOBS_KEY = f"{PREFIX}:jobs"
_JOB_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")

_LINKS: dict[RedisAddress, RedisLink] = {}


def check_job_name(name: str) -> str:
    if not _JOB_NAME.match(name):
        raise UsageError(f"--job {name!r}: use letters, digits, '.', '_' and '-' (at most 64)")
    return name


def new_worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


def shared_link(settings: Any) -> RedisLink:
    """The process' RedisLink to ``DISTRIBUTED_REDIS`` (one connection pool for all crawlers)."""
    address = settings.get("DISTRIBUTED_REDIS")
    if not isinstance(address, RedisAddress):
        raise UsageError("distributed mode needs DISTRIBUTED_REDIS (scraper crawl --redis URL)")
    if address not in _LINKS:
        _LINKS[address] = RedisLink(address, settings.getfloat("DISTRIBUTED_REDIS_WAIT"))
    return _LINKS[address]


def catalog_key(settings: Any, name: str) -> str:
    """A hash of the catalog shared by every job naming the same ``DISTRIBUTED_CATALOG``:
    ``captures`` (URL -> newest capture) or ``articles`` (URL -> newest article version)."""
    return f"{PREFIX}:catalog:{settings.get('DISTRIBUTED_CATALOG') or 'default'}:{name}"


@dataclass(frozen=True)
class JobKeys:
    job: str
    worker: str

    @classmethod
    def from_settings(cls, settings: Any) -> JobKeys:
        return cls(settings.get("DISTRIBUTED_JOB"), settings.get("DISTRIBUTED_WORKER_ID"))

    @property
    def base(self) -> str:
        return f"{PREFIX}:job:{self.job}"

    def spider_key(self, spider: str) -> str:
        return f"{self.base}:{spider}"

    def register_spider(self, link: RedisLink, spider: str) -> None:
        def register(client: Any) -> None:
            pipe = client.pipeline(transaction=False)
            pipe.sadd(JOBS_KEY, self.job)
            pipe.sadd(f"{self.base}:spiders", spider)
            pipe.hsetnx(f"{self.base}:info", "created",
                        datetime.now(timezone.utc).isoformat(timespec="seconds"))
            pipe.execute()

        link.call(register)

    def claim_seeding(self, link: RedisLink, spider: str, ttl: float) -> bool:
        """True for the one worker that seeds ``spider`` (unless already seeded)."""
        if self.is_seeded(link, spider):
            return False
        claimed = link.call(lambda r: r.set(f"{self.base}:seeder:{spider}", self.worker,
                                            nx=True, px=int(ttl * 1000)))
        return bool(claimed) and not self.is_seeded(link, spider)

    def renew_seeding(self, link: RedisLink, spider: str, ttl: float) -> None:
        key = f"{self.base}:seeder:{spider}"
        if link.call(lambda r: r.get(key)) == self.worker.encode():
            link.call(lambda r: r.pexpire(key, int(ttl * 1000)))

    def mark_seeded(self, link: RedisLink, spider: str) -> None:
        link.call(lambda r: r.set(f"{self.base}:seeded:{spider}", self.worker))

    def is_seeded(self, link: RedisLink, spider: str) -> bool:
        return bool(link.call(lambda r: r.exists(f"{self.base}:seeded:{spider}")))

    def seeder_alive(self, link: RedisLink, spider: str) -> bool:
        return bool(link.call(lambda r: r.exists(f"{self.base}:seeder:{spider}")))
