"""``scraper crawl ... --workers N``: N worker processes of one job on this machine.

Each worker is ``python -m scraper crawl`` with the same arguments, started before the parent
checks them (:class:`WorkerGroup`): a worker's start-up (0.4 s of CPU, mostly imports) runs
while the parent checks the options once. Each waits on its stdin for the parent's go line:
the job's name and Redis URL (never on a command line that ``ps`` shows), or the end of its
stdin when the options were wrong (it then exits 2 without a word; the parent says why).
Without ``--redis`` a private redis-server runs for the job's duration. When the workers are
done, WARC files a killed worker left open are recovered.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the parent starts its workers before it loads Scrapy or redis-py
    from scraper.crawl.options import CrawlOptions
    from scraper.distributed.connection import RedisAddress

#: Set in the environment of a worker that a parent started: wait for its go line on stdin.
GATED_ENV = "SCRAPER_WAIT_FOR_PARENT"

#: Options the parent handles itself (with the number of values each takes).
PARENT_OPTIONS = {"--workers": 1, "--redis": 1, "--job": 1, "--json": 0}

EXIT_SEVERITY = (3, 2, 5, 1, 0, 4)  # worst first: combining the workers' exit codes


def default_job_name(sites: tuple[str, ...], url: str | None) -> str:
    """The same on every machine given the same sites (or URL)."""
    what = url or ",".join(sorted(sites))
    return f"crawl-{hashlib.sha1(what.encode('utf-8')).hexdigest()[:10]}"


def child_arguments(argv: list[str]) -> list[str]:
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
    return [*kept, "--json"]


@dataclass
class WorkerGroup:
    """The workers of ``--workers N``, started at once and held until :meth:`go`."""

    children: list[subprocess.Popen[bytes]]

    @classmethod
    def start(cls, count: int, argv: list[str]) -> WorkerGroup:
        command = [sys.executable, "-m", "scraper", *child_arguments(argv)]
        env = {**os.environ, GATED_ENV: "1"}
        return cls([subprocess.Popen(command, env=env, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE) for _ in range(count)])

    def go(self, address: RedisAddress, job: str) -> None:
        """Every worker joins ``job`` on ``address`` (their stdin closes as they are waited for)."""
        line = json.dumps({"redis": address.secret_url, "job": job}).encode() + b"\n"
        for child in self.children:
            assert child.stdin is not None
            try:
                child.stdin.write(line)
                child.stdin.flush()
            except BrokenPipeError:
                pass  # that worker is gone already: its exit code says so

    def cancel(self) -> None:
        """The options were wrong: every worker sees its stdin end and exits 2 without a word,
        before it does anything."""
        for child in self.children:
            child.communicate()


def wait_for_parent() -> tuple[str, str] | None:
    """In a worker a parent started: (Redis URL, job) once the parent says go; None when the
    parent cancelled (or died)."""
    os.environ.pop(GATED_ENV, None)  # not for this worker's own children
    line = sys.stdin.buffer.readline()
    if not line:
        return None
    go = json.loads(line)
    return str(go["redis"]), str(go["job"])


def worst_exit_code(codes: list[int]) -> int:
    normalized = [1 if code < 0 else code for code in codes]  # killed by a signal: partial
    for code in EXIT_SEVERITY:
        if code in normalized:
            return code
    return max(normalized, default=0)


def run_workers(group: WorkerGroup, job: str, address: RedisAddress | None, data_dir: Path,
                recover: Callable[[Path], object]) -> dict[str, Any]:
    """Let the workers of ``group`` run ``job`` to the end; returns the job report
    (``exit_code`` included). A Redis that cannot be started or reached cancels them."""
    from scraper.distributed.server import LocalRedisServer

    try:
        if address is None:
            with LocalRedisServer(data_dir) as local:
                return _run(group, job, local, data_dir, recover)
        return _run(group, job, address, data_dir, recover)
    except BaseException:
        group.cancel()
        raise


def _run(group: WorkerGroup, job: str, address: RedisAddress, data_dir: Path,
         recover: Callable[[Path], object]) -> dict[str, Any]:
    from scraper.distributed.connection import RedisLink
    from scraper.distributed.jobs import summarize

    link = RedisLink(address)  # unreachable or refused: a usage error before any worker starts
    children = group.children
    previous = _forward_signals(children)
    group.go(address, job)
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
    from scraper.distributed.connection import RedisAddress, RedisLink
    from scraper.distributed.jobkeys import check_job_name, new_worker_id
    from scraper.distributed.settings import worker_settings
    from scraper.project import project_settings

    address = RedisAddress(redis_url)
    name = check_job_name(job or default_job_name(options.sites, options.url))
    RedisLink(address)  # unreachable or refused: a usage error now, not mid-crawl
    return replace(options, shared_lock=True, settings={
        **options.settings,
        **worker_settings(project_settings(), address, name, new_worker_id())})
