"""Extraction in worker processes, off the crawl's event loop, with a time and memory limit.

pebble's ProcessPool kills a worker whose task runs past its timeout and starts a new one, so a
pathological page costs one timeout, never a stalled crawl. Each worker caps its own address
space (``RLIMIT_AS``): a page that needs more fails with MemoryError in that worker alone.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
from concurrent.futures import Future
from typing import Any

from pebble import ProcessPool

from scraper.extract.extractor import (
    Extracted,
    ExtractionLimits,
    ExtractionOptions,
    NotArticle,
    PageInput,
    extract_page,
)

#: A worker is replaced after this many pages, so slow leaks in parsers cannot add up.
TASKS_PER_WORKER = 2000


#: Workers run this much nicer than the process that feeds them. During a crawl the feeder is
#: one event loop on one core: with equal shares, three busy processes on two cores left the
#: crawl two thirds of a core and the workers waiting for pages (bench/pipeline_speed.py).
WORKER_NICENESS = 10


def _start_worker(megabytes: int) -> None:
    """Each worker: below its feeder's priority, and its address space capped."""
    try:
        os.nice(WORKER_NICENESS)
    except OSError:
        pass  # not allowed here: the worker runs at its feeder's priority
    if megabytes > 0:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _run(page: PageInput, options: ExtractionOptions,
         limits: ExtractionLimits) -> Extracted | NotArticle:
    return extract_page(page, options, limits)


def _worker_context() -> multiprocessing.context.BaseContext:
    """Workers fork from a fork server that has imported the extractor once.

    Not plain fork: the crawl process runs threads (Twisted's pool, the WARC writer), and a
    fork of a threaded process can inherit a held lock. Not spawn: each spawned worker imported
    trafilatura, lxml and htmldate again (~1 s of CPU per worker, and again every
    TASKS_PER_WORKER pages); a worker forked from the server starts in milliseconds.
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["scraper.extract.extractor"])
    return context


class ExtractionPool:
    """Args: workers (processes), timeout (seconds per page), memory_mb (per worker, 0: none),
    limits (bounds on one page's decoding, see settings.py "Limits")."""

    def __init__(self, options: ExtractionOptions, workers: int = 2, timeout: float = 30.0,
                 memory_mb: int = 2048, limits: ExtractionLimits | None = None) -> None:
        self.options = options
        self.limits = limits or ExtractionLimits()
        self.timeout = timeout
        self._pool = ProcessPool(max_workers=max(workers, 1), max_tasks=TASKS_PER_WORKER,
                                 initializer=_start_worker, initargs=(memory_mb,),
                                 context=_worker_context())

    def submit(self, page: PageInput) -> Future[Any]:
        return self._pool.schedule(_run, args=(page, self.options, self.limits),
                                   timeout=self.timeout)

    def close(self) -> None:
        self._pool.close()  # type: ignore[no-untyped-call]
        self._pool.join()
