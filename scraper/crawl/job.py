"""One crawl run end to end: lock, recovery of crashed files, crawl, manifest, catalog, exit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from scraper.crawl.process import CrawlOptions, CrawlResult, run_crawl
from scraper.errors import StorageError
from scraper.store.catalog import CATALOG_NAME, CatalogStore
from scraper.store.runs import (
    EXIT_FATAL,
    EXIT_NOTHING_TO_DO,
    EXIT_PARTIAL,
    EXIT_SUCCESS,
    RunLock,
    RunManifest,
    command_line,
    new_run_id,
    write_manifest,
)


@dataclass
class JobOutcome:
    manifest: RunManifest
    manifest_path: Path | None
    result: CrawlResult | None
    summary: str

    @property
    def exit_code(self) -> int:
        return self.manifest.exit_code


def run_job(options: CrawlOptions, recover: Callable[[Path], object]) -> JobOutcome:
    """Crawl under the collection's lock and record the run; a StorageError is recorded, raised."""
    with RunLock(options.data_dir):
        recover(options.data_dir)
        run_id = new_run_id()
        started = _now()
        try:
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
            exit_code_for(result, options.incremental))
        path = _record(options.data_dir, manifest)
        return JobOutcome(manifest, path, result,
                          summary_line(manifest, result, options.incremental))


def exit_code_for(result: CrawlResult, incremental: bool) -> int:
    counts = [site_counts(stats, name) for name, stats in result.per_spider.items()]
    if result.errors:
        return EXIT_FATAL  # article records could not be stored: the collection is unwritable
    if result.failed or any(c["failed"] for c in counts):
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
            if reason not in ("finished", "shutdown")] + result.errors


def site_counts(stats: dict[str, Any], name: str) -> dict[str, int]:
    """The manifest's per-site counts from one crawler's Scrapy stats."""
    def stat(key: str) -> int:
        return int(stats.get(key, 0))

    # Pages never fetched because robots.txt was unreachable (5xx, 429, error, refused
    # redirect) count as failed, as a robots.txt that times out already does: exit 1.
    # A body cut by DOWNLOAD_TIMEOUT is archived (WARC-Truncated: time) but was not fetched.
    failed = stat("extract/write_errors") + stat("robotstxt/forbidden_unreachable") + stat(
        "warc/truncated/time") + stat("warc/invalid_response") + sum(
        int(v) for k, v in stats.items()
        if k.startswith(("extract/failed/", "redirect/failed/"))) + sum(
        int(v) for k, v in stats.items()
        if k.startswith("downloader/exception_type_count/") and not k.endswith("IgnoreRequest"))
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
    }


def _record(data_dir: Path, manifest: RunManifest) -> Path | None:
    path = write_manifest(data_dir, manifest)
    store = CatalogStore(Path(data_dir) / CATALOG_NAME)
    try:
        store.add_run(
            run_id=manifest.run_id, started_at=manifest.started_at, ended_at=manifest.ended_at,
            command=" ".join(manifest.command), exit_code=manifest.exit_code,
            manifest_file=f"runs/{path.name}")
    finally:
        store.close()
    return path


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
