"""One crawl run end to end: lock, recovery of crashed files, crawl, manifest, catalog, exit.

The run writes its manifest twice: when it starts (``exit_code`` null, padded so the final one
can overwrite it on a full disk) and when it ends. A manifest still null at the next run's start
was left by a killed run; that run marks it interrupted (exit 1), indexes the records it wrote
and extracts the captures it left pending (:mod:`scraper.store.pending`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from scraper.crawl.options import CrawlOptions
from scraper.crawl.process import CrawlResult, build_settings, run_crawl
from scraper.errors import StorageError
from scraper.store.catalog import CATALOG_NAME, CatalogStore
from scraper.store.pending import (
    PendingSummary,
    extract_pending,
    index_recovered_captures,
    pending_options,
    reconcile_unfinished_runs,
)
from scraper.store.runs import (
    EXIT_FATAL,
    EXIT_NOTHING_TO_DO,
    EXIT_PARTIAL,
    EXIT_SUCCESS,
    RunLock,
    RunManifest,
    close_killed_manifest,
    command_line,
    new_run_id,
    write_manifest,
)

logger = logging.getLogger(__name__)


@dataclass
class JobOutcome:
    manifest: RunManifest
    manifest_path: Path | None
    result: CrawlResult | None
    summary: str
    pending: PendingSummary | None = None

    @property
    def exit_code(self) -> int:
        return self.manifest.exit_code if self.manifest.exit_code is not None else EXIT_FATAL


def run_job(options: CrawlOptions, recover: Callable[[Path], object],
            report: Callable[[str], object] = logger.warning) -> JobOutcome:
    """Crawl under the collection's lock and record the run; a StorageError is recorded, raised."""
    with RunLock(options.data_dir, shared=options.shared_lock):
        recovered = recovered_paths(recover(options.data_dir))
        run_id = new_run_id()
        started = _now()
        _record(options.data_dir, RunManifest(run_id, started, started, command_line(), {}, [],
                                              [], None), reserve=True)
        try:
            # Workers of a distributed job share the folder: an unfinished run or a pending
            # capture may be a live worker's. The job's parent (or the next standalone run, or
            # `scraper recover`) finishes them once every worker has stopped.
            pending = PendingSummary() if options.shared_lock else finish_interrupted_runs(
                options.data_dir, run_id, options.extract, build_settings(options), recovered)
            if pending.describe():
                report(pending.describe())
            result = run_crawl(replace(options, run_id=run_id))
        except StorageError as error:
            manifest = RunManifest(run_id, started, _now(), command_line(), {}, [],
                                   [str(error)], EXIT_FATAL)
            _record(options.data_dir, manifest)
            raise
        manifest = RunManifest(
            run_id, started, _now(), command_line(),
            {name: site_counts(stats, name) for name, stats in result.per_spider.items()},
            [f"warc/{p.name}" for p in result.warc_files], _errors(result),
            exit_code_for(result, options.incremental), interrupted=result.interrupted,
            not_captured=result.not_captured)
        path = _record(options.data_dir, manifest)
        return JobOutcome(manifest, path, result,
                          summary_line(manifest, result, options.incremental), pending)


def recovered_paths(reports: object) -> list[Path]:
    """The WARC files a recovery closed (``archive.recovery.RecoveryReport``s)."""
    if not isinstance(reports, list):
        return []
    return [r.path for r in reports if getattr(r, "status", None) == "recovered"]


def finish_interrupted_runs(data_dir: Path, run_id: str, extract: bool = True,
                            settings: Any = None, recovered: list[Path] | None = None
                            ) -> PendingSummary:
    """Mark killed runs interrupted, index their records and the captures of the files just
    recovered, extract their pending captures."""
    store = CatalogStore(Path(data_dir) / CATALOG_NAME)
    try:
        indexed = index_recovered_captures(store, recovered or [])
        # first, while the killed runs still count as unfinished: their records' catalog rows
        reconciled = reconcile_unfinished_runs(Path(data_dir), store)
        for killed, manifest_file in list(store.query(
                "SELECT run_id, manifest_file FROM runs WHERE exit_code IS NULL "
                "AND run_id != ?", (run_id,))):
            _close_killed_run(Path(data_dir), store, killed, manifest_file, run_id)
        if not extract:
            return PendingSummary(reconciled=reconciled, indexed=indexed)
        summary = extract_pending(Path(data_dir), store, run_id, pending_options(settings),
                                  reconciled)
        summary.indexed = indexed
        return summary
    finally:
        store.close()


def _close_killed_run(data_dir: Path, store: CatalogStore, run_id: str, manifest_file: str,
                      noticed_by: str) -> None:
    """A run whose catalog row has no exit code: killed, or it finished and only its final
    catalog row was lost (a full disk); its manifest tells which."""
    path = data_dir / manifest_file
    try:
        manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        exit_code = manifest.get("exit_code")
        if exit_code is None:
            manifest = close_killed_manifest(path, noticed_by)
            exit_code = EXIT_PARTIAL
            logger.warning("Run %s was killed before its end: marked interrupted (exit %d)",
                           run_id, EXIT_PARTIAL)
    except (OSError, ValueError) as error:
        logger.error("Run %s did not finish and its manifest %s is unreadable: %s", run_id,
                     manifest_file, error)
        manifest, exit_code = {"command": []}, EXIT_PARTIAL
    store.add_run(run_id=run_id, started_at=manifest.get("started_at"),
                  ended_at=manifest.get("ended_at"), command=" ".join(manifest["command"]),
                  exit_code=exit_code, manifest_file=manifest_file)


def recover_collection(data_dir: Path, extract: bool = True,
                       recovered: list[Path] | None = None) -> PendingSummary:
    """``scraper recover`` / ``reindex``: finish killed runs; a manifest when records were made.

    The caller holds the lock and has recovered the ``.open`` files.
    """
    run_id = new_run_id()
    started = _now()
    summary = finish_interrupted_runs(data_dir, run_id, extract, recovered=recovered)
    if summary.jsonl_file:
        _record(data_dir, RunManifest(run_id, started, _now(), command_line(), {}, [], [],
                                      EXIT_SUCCESS))
    return summary


def exit_code_for(result: CrawlResult, incremental: bool) -> int:
    counts = [site_counts(stats, name) for name, stats in result.per_spider.items()]
    if result.errors:
        return EXIT_FATAL  # article records could not be stored: the collection is unwritable
    # A site that blocked us lost articles to the wall: a partial run, never a clean one.
    if result.failed or result.interrupted or \
            any(c["failed"] or c["blocked"] or c["given_up"] for c in counts):
        return EXIT_PARTIAL
    if incremental and not any(c["new"] or c["rechecked"] for c in counts):
        return EXIT_NOTHING_TO_DO
    return EXIT_SUCCESS


def summary_line(manifest: RunManifest, result: CrawlResult, incremental: bool = True) -> str:
    totals: dict[str, int] = {}
    for counts in manifest.sites.values():
        for key, value in counts.items():
            totals[key] = totals.get(key, 0) + value
    # new / re-checked are what an incremental run decides; a full crawl fetches everything,
    # so "0 new" there would misread as "nothing new was found".
    split = (f" ({totals.get('new', 0)} new, {totals.get('rechecked', 0)} re-checked)"
             if incremental else "")
    return (f"run {manifest.run_id}: {result.finish_reason}; {totals.get('fetched', 0)} fetched"
            f"{split}, "
            f"{totals.get('articles', 0)} articles ({totals.get('changed', 0)} changed), "
            f"{totals.get('failed', 0)} failed, {result.warc_bytes / 1e6:.1f} MB archived; "
            f"exit {manifest.exit_code}")


def _errors(result: CrawlResult) -> list[str]:
    return [f"{name}: finished with {reason}" for name, reason in result.finish_reasons.items()
            if reason != "finished"] + result.errors + result.limit_failures


#: Requests dropped on purpose (IgnoreRequest and ours derived from it): not failures.
NOT_FAILURES = ("IgnoreRequest", "BlockedResponse", "NotDue")


def site_counts(stats: dict[str, Any], name: str) -> dict[str, int]:
    """The manifest's per-site counts from one crawler's Scrapy stats."""
    def stat(key: str) -> int:
        return int(stats.get(key, 0))

    # Pages never fetched because robots.txt was unreachable (5xx, 429, error, refused
    # redirect) count as failed, as a robots.txt that times out already does: exit 1.
    # A body cut by DOWNLOAD_TIMEOUT is archived (WARC-Truncated: time) but was not fetched.
    failed = stat("extract/write_errors") + stat("limits/failed") + stat(
        "robotstxt/forbidden_unreachable") + stat("warc/truncated/time") + stat(
        "warc/invalid_response") + sum(
        int(v) for k, v in stats.items()
        if k.startswith(("extract/failed/", "redirect/failed/"))) + sum(
        int(v) for k, v in stats.items()
        if k.startswith("downloader/exception_type_count/")
        and not k.endswith(NOT_FAILURES))
    # Why captured pages gave no record ("not_article/listing", "not_article/url-pattern"):
    # a page is never lost silently, its reason is in the manifest.
    not_article = {k.removeprefix("extract/"): int(v) for k, v in sorted(stats.items())
                   if k.startswith("extract/not_article/")}
    return {
        "discovered": stat(f"discovery/{name}/articles_scheduled"),
        "fetched": stat("response_received_count"),
        "new": stat("incremental/new"),
        "rechecked": stat("incremental/recheck"),
        "not_due": stat("incremental/not_due"),
        "revisits": stat("warc/revisits"),
        "articles": stat("extract/article") - stat("extract/unchanged"),
        "changed": stat("extract/changed"),
        "unchanged": stat("extract/unchanged"),
        "failed": failed,
        "skipped_by_robots": stat("robotstxt/forbidden") + stat("robotstxt/forbidden_unreachable"),
        "resumed": stat("frontier/resumed"),
        "not_article": sum(not_article.values()),
        **not_article,
        # Bot walls seen (challenge pages, refusals of feeds), and requests given up for them.
        "blocked": stat("blocked/responses") + stat("blocked/skipped"),
        "not_captured": stat("not_captured/count"),
        # Listed by a feed or news sitemap but outside the article pattern: a stale pattern.
        "pattern_misses": stat(f"discovery/{name}/pattern_misses"),
        # Distributed mode: requests this worker put on the job's failed list after N tries.
        "given_up": stat("distributed/failed"),
    }


def _record(data_dir: Path, manifest: RunManifest, reserve: bool = False) -> Path | None:
    path = write_manifest(data_dir, manifest, reserve)
    try:
        store = CatalogStore(Path(data_dir) / CATALOG_NAME)
        try:
            store.add_run(
                run_id=manifest.run_id, started_at=manifest.started_at,
                ended_at=manifest.ended_at, command=" ".join(manifest.command),
                exit_code=manifest.exit_code, manifest_file=f"runs/{path.name}")
        finally:
            store.close()
    except StorageError as error:  # the manifest is written; `scraper reindex` reads it back
        if manifest.exit_code is None:
            raise
        logger.error("%s (the run manifest %s is written)", error, path)
    return path


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
