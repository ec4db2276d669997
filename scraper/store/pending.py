"""Finish what a crash left half done: extract the captures still "pending" in the catalog.

A capture is "pending" from the moment its WARC record is indexed until its extraction is
recorded (``scraper.store.catalog.PENDING``). A ``kill -9`` in between leaves it so; the next
crawl (after recovering ``.open`` files), ``scraper recover`` and ``scraper reindex`` call
:func:`extract_pending`, which reads each pending response back from its WARC file, extracts
it like a crawl does and appends the records to ``articles/pending-<run id>.jsonl`` and the
catalog.

A crash can also fall between a record's JSONL line and its catalog row: the JSONL files of
runs that never finished are read back first (:func:`reconcile_unfinished_runs`), so such a
record is indexed, not extracted a second time.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive.reader import StoredResponse, response_at
from scraper.errors import WarcError
from scraper.extract.extractor import ExtractionOptions, config_sha256
from scraper.extract.outcomes import outcome_of
from scraper.extract.record import CaptureRef, extractor_info
from scraper.extract.site_rules import SiteContext
from scraper.sites.context import context_for
from scraper.store.catalog import PENDING, CatalogStore, article_row
from scraper.store.jsonl import JsonlWriter, read_json_lines
from scraper.store.reextract import WINDOW_PER_WORKER, page_input_from_stored

logger = logging.getLogger(__name__)

_RUN_IN_NAME = re.compile(r"-(\d{8}T\d{12}Z-\d+)\.jsonl$")


@dataclass
class PendingSummary:
    """What became of the pending captures: counts by outcome ("article", "not_article/...")."""

    counts: Counter[str] = field(default_factory=Counter)
    reconciled: int = 0
    indexed: int = 0
    jsonl_file: str | None = None

    @property
    def extracted(self) -> int:
        return sum(self.counts.values())

    def describe(self) -> str:
        parts = ", ".join(f"{n} {k}" for k, n in sorted(self.counts.items()))
        text = f"extracted {self.extracted} pending captures ({parts})" if self.counts else ""
        if self.indexed:
            text = (text + "; " if text else "") + \
                f"indexed {self.indexed} captures of recovered files the catalog lacked"
        if self.reconciled:
            text = (text + "; " if text else "") + \
                f"indexed {self.reconciled} article records a crash left out of the catalog"
        return text


@dataclass(frozen=True)
class PendingOptions:
    extraction: ExtractionOptions = field(default_factory=ExtractionOptions)
    workers: int = 2
    timeout: float = 30.0
    memory_mb: int = 2048


def pending_options(settings: Any = None) -> PendingOptions:
    """The crawl's extraction settings (``EXTRACT_*``), from the project when not given."""
    if settings is None:
        from scraper.project import project_settings

        settings = project_settings()
    return PendingOptions(
        ExtractionOptions(fast=settings.getbool("EXTRACT_FAST"),
                          favor_precision=settings.getbool("EXTRACT_FAVOR_PRECISION")),
        max(settings.getint("EXTRACT_WORKERS"), 1), settings.getfloat("EXTRACT_TIMEOUT"),
        settings.getint("EXTRACT_MEMORY_MB"))


def extract_pending(data_dir: Path, store: CatalogStore, run_id: str,
                    options: PendingOptions | None = None,
                    reconciled: int | None = None) -> PendingSummary:
    """Index records a crash left out of the catalog, then extract every pending capture.

    The caller holds the collection's lock. Records go to ``articles/pending-<run_id>.jsonl``.
    ``reconciled``: the caller already ran :func:`reconcile_unfinished_runs` and got this.
    """
    options = options or PendingOptions()
    if reconciled is None:
        reconciled = reconcile_unfinished_runs(data_dir, store)
    summary = PendingSummary(reconciled=reconciled)
    pending = store.pending_captures()
    if not pending:
        return summary
    jsonl_name = f"articles/pending-{run_id}.jsonl"
    output = JsonlWriter(Path(data_dir) / jsonl_name)
    from scraper.extract.workers import ExtractionPool  # starts processes: only when needed

    pool = ExtractionPool(options.extraction, options.workers, options.timeout,
                          options.memory_mb)
    window: deque[tuple[Future[Any], StoredResponse, SiteContext, dict[str, Any]]] = deque()
    try:
        for capture, stored in _read_back(data_dir, store, pending, summary):
            context = context_for(stored.url, stored.metadata)
            window.append((pool.submit(page_input_from_stored(stored, context)), stored,
                           context, capture))
            while len(window) > options.workers * WINDOW_PER_WORKER:
                _store_next(window.popleft(), output, jsonl_name, store, options, run_id,
                            summary)
        while window:
            _store_next(window.popleft(), output, jsonl_name, store, options, run_id, summary)
    finally:
        pool.close()
        output.close()
    summary.jsonl_file = jsonl_name if output.count else None
    return summary


def _read_back(data_dir: Path, store: CatalogStore, pending: list[dict[str, Any]],
               summary: PendingSummary) -> Iterator[tuple[dict[str, Any], StoredResponse]]:
    for capture in pending:
        try:
            stored = response_at(Path(data_dir) / capture["warc_file"], capture["offset"])
        except WarcError as error:
            logger.error("Cannot extract the pending capture of %s: %s", capture["url"], error)
            summary.counts["failed/unreadable"] += 1
            store.set_extraction(capture["record_id"], "failed/unreadable")
            continue
        yield capture, stored


def _store_next(entry: tuple[Future[Any], StoredResponse, SiteContext, dict[str, Any]],
                output: JsonlWriter, jsonl_name: str, store: CatalogStore,
                options: PendingOptions, run_id: str, summary: PendingSummary) -> None:
    from scraper.store.versions import apply_version

    future, stored, context, capture = entry
    ref = CaptureRef(capture["warc_file"], stored.offset, stored.length, stored.record_id,
                     stored.date, stored.status, stored.payload_digest)
    extractor = extractor_info(config_sha256(context.rules, options.extraction))
    outcome = outcome_of(future, stored.url, context.name, ref, extractor, options.timeout)
    state = outcome.category
    record = apply_version(outcome.record, store) if outcome.record else None
    if outcome.record is not None and record is None:
        state = "unchanged"
    if record is not None:
        output.write(record)  # a StorageError stops here: the capture stays pending
        store.add_article(**article_row(record, jsonl_name, output.count, run_id))
    elif outcome.failed:
        logger.warning("Extraction failed for %s: %s", stored.url, outcome.message)
    store.set_extraction(capture["record_id"], state)
    summary.counts[state] += 1


def index_recovered_captures(store: CatalogStore, paths: list[Path]) -> int:
    """Add to the catalog the captures of recovered WARC files that it lacks (a kill between
    a record's write and its catalog row), candidates as pending."""
    from scraper.store.reindex import captures_in_file

    added = 0
    for path in paths:
        try:
            for values in captures_in_file(path):
                if store.capture(values["record_id"]) is None:
                    store.add_capture(**values)
                    added += 1
        except WarcError as error:  # recovery has just verified it: say so, go on
            logger.error("Cannot index the recovered file %s: %s", path, error)
    return added


def reconcile_unfinished_runs(data_dir: Path, store: CatalogStore) -> int:
    """Index the article records of unfinished runs' JSONL files that the catalog lacks."""
    finished = {row[0] for row in store.query(
        "SELECT run_id FROM runs WHERE exit_code IS NOT NULL")}
    added = 0
    for path in sorted((Path(data_dir) / "articles").glob("*.jsonl")):
        run = _RUN_IN_NAME.search(path.name)
        if run is None or run.group(1) in finished:
            continue
        try:
            records = read_json_lines(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:  # counted by the caller; the rest goes on
            logger.error("Cannot read %s to index its records: %s", path, error)
            continue
        for line, record in enumerate(records, start=1):
            if not isinstance(record, dict) or "id" not in record or \
                    store.has_article_id(record["id"]):
                continue
            store.add_article(**article_row(record, f"articles/{path.name}", line,
                                            run.group(1)))
            capture_id = record.get("capture", {}).get("record_id")
            if capture_id and store.extraction_state(capture_id) == PENDING:
                store.set_extraction(capture_id, "article")
            added += 1
    return added
