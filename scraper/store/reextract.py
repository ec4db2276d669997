"""``scraper extract``: article records from WARC files alone, no network, in WARC order."""

from __future__ import annotations

import logging
from collections import Counter, deque
from collections.abc import Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive.reader import StoredResponse, iter_responses
from archive.records import parse_warc_date
from scraper.errors import WarcError
from scraper.extract.cruft import rules_sha256
from scraper.extract.extractor import ExtractionOptions, PageInput
from scraper.extract.outcomes import outcome_of
from scraper.extract.page_input import hints_from_metadata, page_input, skip_reason
from scraper.extract.record import CaptureRef, extractor_info
from scraper.extract.site_rules import SiteContext
from scraper.extract.workers import ExtractionPool
from scraper.sites.blocking import stored_block_sign
from scraper.sites.context import context_for
from scraper.store.jsonl import JsonlWriter
from scraper.store.versions import InMemoryVersions, apply_version

logger = logging.getLogger(__name__)

#: A page sent to a worker, waiting for its turn to be written.
Pending = tuple["Future[Any]", StoredResponse, SiteContext]

#: Pages in flight per worker. Records are written in WARC order, so a slow page holds back the
#: writing (never the workers) until this many pages wait behind it.
WINDOW_PER_WORKER = 32


@dataclass
class ExtractSummary:
    counts: Counter[str] = field(default_factory=Counter)
    damaged: list[WarcError] = field(default_factory=list)

    @property
    def articles(self) -> int:
        return self.counts["article"]

    @property
    def failures(self) -> int:
        return sum(n for k, n in self.counts.items() if k.startswith("failed/"))


def warc_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given; a folder stands for the closed WARC files in it, sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(path.glob("*.warc.gz")) + sorted(path.glob("*.warc"))
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
    return page_input(stored.url, stored.payload, stored.headers, fetched_at, context,
                      hints_from_metadata(stored.metadata))


def extract_warcs(paths: Iterable[Path], output: JsonlWriter, options: ExtractionOptions,
                  workers: int = 2, timeout: float = 30.0, memory_mb: int = 2048,
                  site_rules: bool = True) -> ExtractSummary:
    summary = ExtractSummary()
    versions = InMemoryVersions()
    pool = ExtractionPool(options, workers, timeout, memory_mb)
    window: deque[Pending] = deque()
    try:
        for path in warc_paths(paths):
            try:
                for stored in iter_responses([path]):
                    reason = skip_reason(stored.status, stored.header("content-type"),
                                         stored.truncated)
                    if not reason and _is_blocked(stored):
                        reason = "blocked"  # a challenge page answering 200 is no article
                    if reason:
                        summary.counts[f"skipped/{reason}"] += 1
                        continue
                    context = context_for(stored.url, stored.metadata, site_rules,
                                          parse_warc_date(stored.date))
                    page = page_input_from_stored(stored, context)
                    window.append((pool.submit(page), stored, context))
                    while len(window) > workers * WINDOW_PER_WORKER:
                        _write_next(window, output, options, timeout, summary, versions)
            except WarcError as error:
                summary.damaged.append(error)
        while window:
            _write_next(window, output, options, timeout, summary, versions)
    finally:
        pool.close()
    return summary


def _write_next(window: deque[Pending], output: JsonlWriter, options: ExtractionOptions,
                timeout: float, summary: ExtractSummary, versions: InMemoryVersions) -> None:
    future, stored, context = window.popleft()
    ref = CaptureRef(collection_relative(stored.path), stored.offset, stored.length,
                     stored.record_id, stored.date, stored.status, stored.payload_digest)
    extractor = extractor_info(rules_sha256(context.rules, options.as_dict()))
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
