"""Extraction in worker processes, off the crawl's event loop, with a time and memory limit.

pebble's ProcessPool kills a worker whose task runs past its timeout and starts a new one, so a
pathological page costs one timeout, never a stalled crawl. Each worker caps its own address
space (``RLIMIT_AS``): a page that needs more fails with MemoryError in that worker alone.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import resource
import time
from collections.abc import Sequence
from concurrent.futures import Future
from functools import partial
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
#: Pages per :meth:`ExtractionPool.submit_batch` task where no setting says otherwise (the
#: crawl's is EXTRACT_BATCH_PAGES).
DEFAULT_BATCH_PAGES = 8


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


#: A page's result as a batch sends it back: (True, result) or (False, the exception raised).
PageResult = tuple[bool, Any]


def _run_batch(pages: Sequence[PageInput], options: ExtractionOptions,
               limits: ExtractionLimits, timeout: float) -> list[PageResult]:
    """Each page's result; a page that took over ``timeout`` fails as it would alone."""
    results: list[PageResult] = []
    for page in pages:
        started = time.monotonic()
        try:
            result: PageResult = (True, extract_page(page, options, limits))
        except Exception as error:  # MemoryError included: it fails this page, not the batch
            result = (False, error)
        if time.monotonic() - started > timeout:
            result = (False, concurrent.futures.TimeoutError())
        results.append(result)
    return results


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
        """The page's future; failed with :class:`ExtractionPoolBroken` when no worker can run."""
        try:
            return self._pool.schedule(_run, args=(page, self.options, self.limits),
                                       timeout=self.timeout)
        except RuntimeError as error:  # pebble: "Unexpected error within the Pool", "not running"
            return _failed(ExtractionPoolBroken(f"no extraction worker can run ({error}): every "
                                                f"one died at start; check EXTRACT_MEMORY_MB"))

    def submit_batch(self, pages: Sequence[PageInput]) -> list[Future[Any]]:
        """One task for several pages, one future per page.

        A task costs the feeding process ~0.5 ms (pickling, pebble's threads, a future): a
        third of what `scraper extract` spent per page besides extraction. A page that takes
        over ``timeout`` fails with TimeoutError, as alone. The batch as a whole is stopped
        after ``timeout`` per page (a page that would never end); a batch stopped so, or whose
        worker dies, is run again page by page, so only the page at fault fails.
        """
        if len(pages) == 1:
            return [self.submit(pages[0])]
        futures: list[Future[Any]] = [Future() for _ in pages]
        try:
            batch = self._pool.schedule(_run_batch, args=(list(pages), self.options, self.limits,
                                                          self.timeout),
                                        timeout=self.timeout * len(pages))
        except RuntimeError:  # each page alone says why (submit)
            return [self.submit(page) for page in pages]
        batch.add_done_callback(partial(self._settle, list(pages), futures))
        return futures

    def _settle(self, pages: list[PageInput], futures: list[Future[Any]],
                batch: Future[Any]) -> None:
        try:
            results = batch.result()
        except Exception:  # timed out, or the worker died: each page alone, with its own limit
            for page, future in zip(pages, futures):
                self.submit(page).add_done_callback(partial(_pass_on, future))
            return
        for future, (ok, value) in zip(futures, results):
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)

    def close(self) -> None:
        self._pool.close()  # type: ignore[no-untyped-call]
        self._pool.join()


class ExtractionPoolBroken(RuntimeError):
    """No worker can take a page: each one died before its first (pebble: "All workers
    expired"), as when EXTRACT_MEMORY_MB is below what a worker needs to start."""


def _failed(error: BaseException) -> Future[Any]:
    future: Future[Any] = Future()
    future.set_exception(error)
    return future


def _pass_on(target: Future[Any], source: Future[Any]) -> None:
    if source.cancelled():
        target.cancel()
        return
    error = source.exception()
    if error is not None:
        target.set_exception(error)
    else:
        target.set_result(source.result())
