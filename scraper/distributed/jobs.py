"""``scraper jobs``: what each job in a Redis holds, and removing a finished job's keys."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scraper.distributed.connection import RedisLink
from scraper.distributed.jobkeys import JOBS_KEY, JobKeys
from scraper.distributed.queue import job_counts
from scraper.errors import UsageError


@dataclass
class JobSummary:
    name: str
    created: str | None
    spiders: list[str]
    seeded: list[str]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def finished(self) -> bool:
        return bool(self.spiders) and set(self.seeded) == set(self.spiders) and \
            self.counts.get("queued", 0) == 0 and self.counts.get("in_flight", 0) == 0

    @property
    def state(self) -> str:
        if self.finished:
            return "finished"
        return "running" if set(self.seeded) == set(self.spiders) else "seeding"

    def as_json(self) -> dict[str, Any]:
        return {"job": self.name, "state": self.state, "created": self.created,
                "sites": self.spiders, **self.counts}


def job_names(link: RedisLink) -> list[str]:
    return sorted(_text(n) for n in link.call(lambda r: r.smembers(JOBS_KEY)))


def summarize(link: RedisLink, name: str) -> JobSummary:
    keys = JobKeys(name, "")
    spiders = sorted(_text(s) for s in link.call(lambda r: r.smembers(f"{keys.base}:spiders")))
    created = link.call(lambda r: r.hget(f"{keys.base}:info", "created"))
    totals = {"queued": 0, "in_flight": 0, "done": 0, "failed": 0}
    for spider in spiders:
        for key, value in job_counts(link, keys.spider_key(spider)).items():
            totals[key] += value
    seeded = [s for s in spiders if keys.is_seeded(link, s)]
    return JobSummary(name, _text(created) if created else None, spiders, seeded, totals)


def failed_requests(link: RedisLink, name: str, limit: int = 100) -> list[str]:
    """The failed list's entries (JSON strings), newest first."""
    keys = JobKeys(name, "")
    spiders = [_text(s) for s in link.call(lambda r: r.smembers(f"{keys.base}:spiders"))]
    found: list[str] = []
    for spider in spiders:
        found += [_text(e) for e in _first(link, f"{keys.spider_key(spider)}:failed", limit)]
    return found


def finish_job(link: RedisLink, name: str, force: bool = False) -> int:
    """Delete every key of a finished job; returns how many. UsageError while it runs."""
    if name not in job_names(link):
        raise UsageError(f"no job {name!r} in this Redis (`scraper jobs` lists them)")
    summary = summarize(link, name)
    if not summary.finished and not force:
        raise UsageError(f"job {name!r} is {summary.state} ({summary.counts['queued']} queued, "
                         f"{summary.counts['in_flight']} in flight); wait for its workers, or "
                         "--force to remove it anyway")
    pattern = f"{JobKeys(name, '').base}:*"
    keys = list(link.call(lambda r: list(r.scan_iter(match=pattern, count=1000))))
    for start in range(0, len(keys), 500):
        _delete(link, keys[start:start + 500])
    link.call(lambda r: r.srem(JOBS_KEY, name))
    return len(keys)


def _first(link: RedisLink, key: str, limit: int) -> list[Any]:
    return list(link.call(lambda r: r.lrange(key, 0, limit - 1)))


def _delete(link: RedisLink, keys: list[Any]) -> None:
    link.call(lambda r: r.delete(*keys))


def _text(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
