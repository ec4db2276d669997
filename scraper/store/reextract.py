"""``scraper extract``: article records from WARC files alone, no network, in WARC order."""

from __future__ import annotations

import logging
from collections import Counter, deque
from collections.abc import Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive.reader import (
    DEFAULT_MAX_PAYLOAD,
    ReadStats,
    ResponseReader,
    StoredResponse,
    archive_files,
)
from archive.records import parse_warc_date
from scraper.errors import WarcError
from scraper.extract.extractor import ExtractionOptions, PageInput, config_sha256
from scraper.extract.outcomes import outcome_of
from scraper.extract.page_input import hints_from_metadata, page_input, skip_reason
from scraper.extract.record import CaptureRef, extractor_info
from scraper.extract.site_rules import SiteContext
from scraper.extract.workers import DEFAULT_BATCH_PAGES, ExtractionPool
from scraper.progress import ProgressLine, quiet_progress
from scraper.sites.blocking import stored_block_sign
from scraper.sites.context import context_for
from scraper.store.jsonl import JsonlWriter
from scraper.store.versions import InMemoryVersions, apply_version

logger = logging.getLogger(__name__)

#: A page sent to a worker, waiting for its turn to be written.
Pending = tuple["Future[Any]", StoredResponse, SiteContext]
#: A page read, waiting for its batch to be sent.
Unsent = tuple[PageInput, StoredResponse, SiteContext]

#: Pages in flight per worker. Records are written in WARC order, so a slow page holds back the
#: writing (never the workers) until this many pages wait behind it.
WINDOW_PER_WORKER = 32


@dataclass
class ExtractSummary:
    counts: Counter[str] = field(default_factory=Counter)
    damaged: list[WarcError] = field(default_factory=list)
    read: ReadStats = field(default_factory=ReadStats)

    @property
    def articles(self) -> int:
        return self.counts["article"]

    @property
    def failures(self) -> int:
        return sum(n for k, n in self.counts.items() if k.startswith("failed/"))


def warc_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given; a folder stands for the closed WARC and ARC files in it, sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += archive_files(path)
        else:
            found.append(path)
    return found


def collection_relative(path: Path) -> str:
    """``warc/<name>`` for a file in a collection's warc/ folder, else the bare file name."""
    return f"warc/{path.name}" if path.parent.name == "warc" else path.name


def _is_blocked(stored: StoredResponse) -> bool:
    return stored_block_sign(stored.status, stored.headers, stored.payload) is not None


def page_input_from_stored(stored: StoredResponse, context: SiteContext) -> PageInput:
    fetched_at = parse_warc_date(stored.date)
    if fetched_at is None:
        raise WarcError(f"WARC-Date {stored.date!r} is not a date", path=stored.path,
                        offset=stored.offset)
    headers = stored.headers
    if stored.header("transfer-encoding"):
        # a transfer coding other than chunked (gzip, br) was applied over any content coding
        codings = [headers.get("content-encoding"), stored.header("transfer-encoding")]
        headers = {**headers, "content-encoding": ", ".join(c for c in codings if c)}
    return page_input(stored.url, stored.payload, headers, fetched_at, context,
                      hints_from_metadata(stored.metadata))


def extract_warcs(paths: Iterable[Path], output: JsonlWriter, options: ExtractionOptions,
                  workers: int = 2, timeout: float = 30.0, memory_mb: int = 2048,
                  site_rules: bool = True, versions: InMemoryVersions | None = None,
                  progress: ProgressLine | None = None) -> ExtractSummary:
    """Extract every article candidate of the files into ``output``, in WARC order.

    ``versions`` says which versions already exist (``scraper import`` passes the catalog's);
    by default only what this call writes counts.
    """
    summary = ExtractSummary()
    versions = versions or InMemoryVersions()
    progress = progress or quiet_progress()
    pool = ExtractionPool(options, workers, timeout, memory_mb)
    window: deque[Pending] = deque()
    batch: list[Unsent] = []
    reader = ResponseReader(summary.read)
    try:
        for path in warc_paths(paths):
            try:
                for stored in reader.responses_in(path):
                    progress.add(position=stored.offset + stored.length)
                    context = _candidate(stored, summary, site_rules)
                    if context is None:
                        continue
                    batch.append((page_input_from_stored(stored, context), stored, context))
                    if len(batch) < DEFAULT_BATCH_PAGES:
                        continue
                    _send(pool, batch, window)
                    while len(window) > workers * WINDOW_PER_WORKER:
                        _write_next(window, output, options, timeout, summary, versions)
            except WarcError as error:
                summary.damaged.append(error)
            progress.file_done(_file_size(path))
        _send(pool, batch, window)
        while window:
            _write_next(window, output, options, timeout, summary, versions)
        if summary.read.revisits_unresolved:
            summary.counts["skipped/revisit-of-payload-not-in-input"] += \
                summary.read.revisits_unresolved
    finally:
        pool.close()
    return summary


def _candidate(stored: StoredResponse, summary: ExtractSummary, site_rules: bool
               ) -> SiteContext | None:
    """The site context of a response to extract; None (counted) for one skipped."""
    reason = skip_reason(stored.status, stored.header("content-type"), stored.truncated)
    if not reason and _is_blocked(stored):
        reason = "blocked"  # a challenge page answering 200 is no article
    if reason:
        summary.counts[f"skipped/{reason}"] += 1
        return None
    if stored.payload_over_limit:
        _over_limit(stored, summary)
        return None
    return context_for(stored.url, stored.metadata, site_rules, parse_warc_date(stored.date))


def _send(pool: ExtractionPool, batch: list[Unsent], window: deque[Pending]) -> None:
    """The pages of ``batch`` to a worker as one task; their futures join the window."""
    if not batch:
        return
    futures = pool.submit_batch([page for page, _, _ in batch])
    window.extend((future, stored, context) for future, (_, stored, context) in zip(futures, batch))
    batch.clear()


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def total_size(paths: Iterable[Path]) -> int:
    """Bytes of the files, for a progress line's time left."""
    return sum(_file_size(path) for path in paths)


def _over_limit(stored: StoredResponse, summary: ExtractSummary) -> None:
    """A stored payload too large to read into memory is a failed page, counted and logged."""
    summary.counts["failed/limit"] += 1
    logger.warning("Extraction failed for %s: its stored payload is over %s bytes, the most "
                   "read back from a WARC (%s at byte %d)", stored.url,
                   f"{DEFAULT_MAX_PAYLOAD:,}", stored.path, stored.offset)


def _write_next(window: deque[Pending], output: JsonlWriter, options: ExtractionOptions,
                timeout: float, summary: ExtractSummary, versions: InMemoryVersions) -> None:
    future, stored, context = window.popleft()
    ref = CaptureRef(collection_relative(stored.path), stored.offset, stored.length,
                     stored.record_id, stored.date, stored.status, stored.payload_digest)
    extractor = extractor_info(config_sha256(context.rules, options))
    outcome = outcome_of(future, stored.url, context.name, ref, extractor, timeout)
    summary.counts[outcome.category] += 1
    record = apply_version(outcome.record, versions) if outcome.record else None
    if outcome.record is not None and record is None:
        summary.counts["unchanged"] += 1
    if record is not None:
        output.write(record)
        versions.remember(record)
    elif outcome.failed:
        logger.warning("Extraction failed for %s: %s", stored.url, outcome.message)
