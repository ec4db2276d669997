"""``scraper crawl ... --workers N``: N worker processes of one job on this machine.

Each worker is ``python -m scraper crawl`` with the same arguments and ``--job NAME``; the
Redis URL reaches it in the environment (``SCRAPER_REDIS``), never on a command line that
``ps`` shows. Without ``--redis`` a private redis-server runs for the job's duration. When the
workers are done, WARC files a killed worker left open are recovered.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import FrameType
from typing import Any

from scraper.crawl.process import CrawlOptions
from scraper.distributed.connection import RedisAddress, RedisLink
from scraper.distributed.jobkeys import check_job_name, new_worker_id
from scraper.distributed.jobs import summarize
from scraper.distributed.server import LocalRedisServer
from scraper.distributed.settings import worker_settings
from scraper.project import project_settings

#: Options the parent handles itself (with the number of values each takes).
PARENT_OPTIONS = {"--workers": 1, "--redis": 1, "--job": 1, "--json": 0}

EXIT_SEVERITY = (3, 2, 5, 1, 0, 4)  # worst first: combining the workers' exit codes


def default_job_name(sites: tuple[str, ...], url: str | None) -> str:
    """The same on every machine given the same sites (or URL)."""
    what = url or ",".join(sorted(sites))
    return f"crawl-{hashlib.sha1(what.encode('utf-8')).hexdigest()[:10]}"


def child_arguments(argv: list[str], job: str) -> list[str]:
    """A worker's ``scraper`` arguments: the parent's, minus what the parent handles."""
    kept: list[str] = []
    skip = 0
    for arg in argv:
        if skip:
            skip -= 1
            continue
        name = arg.split("=", 1)[0]
        if name in PARENT_OPTIONS:
            skip = PARENT_OPTIONS[name] if "=" not in arg else 0
            continue
        kept.append(arg)
    return [*kept, "--job", job, "--json"]


def worst_exit_code(codes: list[int]) -> int:
    normalized = [1 if code < 0 else code for code in codes]  # killed by a signal: partial
    for code in EXIT_SEVERITY:
        if code in normalized:
            return code
    return max(normalized, default=0)


def run_workers(count: int, argv: list[str], job: str, address: RedisAddress | None,
                data_dir: Path, recover: Callable[[Path], object]) -> dict[str, Any]:
    """Run ``count`` workers to the end; returns the job report (``exit_code`` included)."""
    if address is None:
        with LocalRedisServer(data_dir) as local:
            return _run(count, argv, job, local, data_dir, recover)
    return _run(count, argv, job, address, data_dir, recover)


def _run(count: int, argv: list[str], job: str, address: RedisAddress, data_dir: Path,
         recover: Callable[[Path], object]) -> dict[str, Any]:
    link = RedisLink(address)  # unreachable or refused: a usage error before any worker starts
    env = {**os.environ, "SCRAPER_REDIS": address.secret_url}
    command = [sys.executable, "-m", "scraper", *child_arguments(argv, job)]
    children = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE)
                for _ in range(count)]
    previous = _forward_signals(children)
    try:
        outputs = [child.communicate()[0] for child in children]
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    recover(data_dir)
    manifests = [_manifest(output) for output in outputs]
    summary = summarize(link, job)
    return {"job": job, "redis": str(address), "state": summary.state, **summary.counts,
            "workers": [{"pid": child.pid, "exit_code": child.returncode, "manifest": manifest}
                        for child, manifest in zip(children, manifests)],
            "exit_code": worst_exit_code([child.returncode for child in children])}


def _forward_signals(children: list[subprocess.Popen[bytes]]) -> dict[int, Any]:
    def forward(signum: int, frame: FrameType | None) -> None:
        for child in children:
            if child.poll() is None:
                child.send_signal(signum)

    return {signum: signal.signal(signum, forward) for signum in (signal.SIGTERM, signal.SIGINT)}


def _manifest(output: bytes) -> Any:
    try:
        return json.loads(output)
    except ValueError:
        return None  # the worker died before printing its manifest


def job_line(report: dict[str, Any]) -> str:
    return (f"job {report['job']}: {len(report['workers'])} workers, {report['state']}; "
            f"{report['done']} done, {report['failed']} failed, {report['queued']} queued, "
            f"{report['in_flight']} in flight; exit {report['exit_code']}")


def join_job(options: CrawlOptions, redis_url: str, job: str | None) -> CrawlOptions:
    """``options`` turned into one worker of ``job`` on ``redis_url`` (checked reachable)."""
    address = RedisAddress(redis_url)
    name = check_job_name(job or default_job_name(options.sites, options.url))
    RedisLink(address)  # unreachable or refused: a usage error now, not mid-crawl
    return replace(options, shared_lock=True, settings={
        **options.settings,
        **worker_settings(project_settings(), address, name, new_worker_id())})
