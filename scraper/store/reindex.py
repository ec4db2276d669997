"""``scraper reindex``: rebuild the catalog from the WARC, JSONL and run-manifest files alone."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from archive.reader import archive_files, warc_fields
from scraper.errors import StorageError, WarcError
from scraper.extract.page_input import skip_reason
from scraper.progress import ProgressLine, quiet_progress
from scraper.sites.context import site_of_capture
from scraper.store.catalog import CATALOG_NAME, PENDING, CatalogStore, article_row
from scraper.store.jsonl import read_json_lines

_RUN_IN_NAME = re.compile(r"-(\d{8}T\d{12}Z-\d+)\.jsonl$")


@dataclass
class ReindexSummary:
    captures: int = 0
    articles: int = 0
    runs: int = 0


def reindex(data_dir: Path, progress: ProgressLine | None = None) -> ReindexSummary:
    """Write a new catalog next to the old one, then swap it in (never a half-built catalog)."""
    data_dir = Path(data_dir)
    progress = progress or quiet_progress()
    target = data_dir / CATALOG_NAME
    building = data_dir / (CATALOG_NAME + ".rebuild")
    for leftover in (building, Path(f"{building}-wal"), Path(f"{building}-shm")):
        leftover.unlink(missing_ok=True)
    store = CatalogStore(building)
    summary = ReindexSummary()
    try:
        imported = imported_runs(data_dir)
        files = archive_files(data_dir / "warc")
        progress.total_files = len(files)
        progress.total_bytes = sum(path.stat().st_size for path in files)
        for path in files:
            for values in captures_in_file(path, imported.get(f"warc/{path.name}")):
                store.add_capture(**values)
                summary.captures += 1
                progress.add(position=values["offset"] + values["length"])
            progress.file_done(path.stat().st_size)
        for values in articles_in(data_dir):
            store.add_article(**values)
            summary.articles += 1
        for values in runs_in(data_dir):
            store.add_run(**values)
            summary.runs += 1
        derive_extraction_states(store, target)
        for values in not_captured_in(data_dir):
            store.add_not_captured(**values)
    finally:
        store.close()
        progress.close()
    for stale in (Path(f"{target}-wal"), Path(f"{target}-shm")):
        stale.unlink(missing_ok=True)
    os.replace(building, target)
    return summary


def mark_cited_captures(store: CatalogStore) -> None:
    """Pending candidates that an article record cites are "article"."""
    store.execute_script(
        "UPDATE captures SET extraction = 'article' WHERE extraction = 'pending' AND "
        "record_id IN (SELECT capture_record_id FROM articles)")


def derive_extraction_states(store: CatalogStore, old_catalog: Path) -> None:
    """Candidates cited by an article record are "article"; the others stay "pending" unless
    the old catalog knew what became of them (not an article, unchanged, failed). The old
    catalog's frontier (URLs an interrupted run had not fetched) is carried over too."""
    mark_cited_captures(store)
    if not old_catalog.exists():
        return
    try:
        store.attach(old_catalog, "old")
    except StorageError:
        return  # an unreadable old catalog is what reindex is for: derive everything
    try:
        store.execute_script(
            "UPDATE captures SET extraction = (SELECT o.extraction FROM old.captures o "
            "WHERE o.record_id = captures.record_id) WHERE extraction = 'pending' AND "
            "EXISTS (SELECT 1 FROM old.captures o WHERE o.record_id = captures.record_id "
            "AND o.extraction IS NOT NULL AND o.extraction != 'pending')")
        store.execute_script("INSERT OR IGNORE INTO frontier SELECT url, site, discovered_at, "
                             "run_id FROM old.frontier")
    except StorageError:
        pass  # an old catalog without these tables: nothing to carry over
    finally:
        store.detach("old")


def imported_runs(data_dir: Path) -> dict[str, str]:
    """``warc/<name>`` -> the run id of the ``scraper import`` that brought the file in."""
    runs = {}
    for values in runs_in(data_dir):
        manifest = json.loads((data_dir / values["manifest_file"]).read_text(encoding="utf-8"))
        for entry in manifest.get("imported", []):
            runs[entry["file"]] = values["run_id"]
    return runs


def captures_in_file(path: Path, run_id: str | None = None) -> Iterator[dict[str, Any]]:
    """Catalog rows of a WARC or ARC file's responses and revisits; ``run_id`` unless its
    warcinfo names one (our own files do)."""
    held: dict[str, Any] | None = None
    with open(path, "rb") as stream:
        iterator = ArchiveIterator(stream, arc2warc=True)
        for record in iterator:
            headers = record.rec_headers
            kind = record.rec_type
            if kind == "warcinfo":
                run_id = warc_fields(record.content_stream().read()).get("run-id") or run_id
                continue
            if kind == "metadata" and held and \
                    headers.get_header("WARC-Concurrent-To") == held["record_id"]:
                held["site"] = site_of_capture(
                    held["url"], warc_fields(record.content_stream().read()))
                continue
            if kind not in ("response", "revisit") or record.http_headers is None:
                continue
            status = record.http_headers.get_statuscode()
            code = int(status) if status and status.isdigit() else 0
            candidate = kind == "response" and not skip_reason(
                code, record.http_headers.get_header("Content-Type"),
                headers.get_header("WARC-Truncated"))
            iterator.read_to_end(record)
            if held:
                yield held
            held = {
                "record_id": headers.get_header("WARC-Record-ID"), "record_type": kind,
                "url": headers.get_header("WARC-Target-URI"),
                "site": site_of_capture(headers.get_header("WARC-Target-URI"), None),
                "fetched_at": headers.get_header("WARC-Date"),
                "status": code, "extraction": PENDING if candidate else None,
                "payload_digest": headers.get_header("WARC-Payload-Digest"),
                "warc_file": f"warc/{path.name}", "offset": iterator.get_record_offset(),
                "length": iterator.get_record_length(),
                "refers_to": headers.get_header("WARC-Refers-To"), "run_id": run_id}
    if held:
        yield held
    if path.stat().st_size != iterator.offset:
        raise WarcError("damaged or truncated; run `scraper verify` and `scraper recover`",
                        path=path, offset=iterator.offset)


def articles_in(data_dir: Path) -> Iterator[dict[str, Any]]:
    for path in sorted((data_dir / "articles").glob("*.jsonl")):
        run = _RUN_IN_NAME.search(path.name)
        records = read_json_lines(path.read_text(encoding="utf-8"))
        for line, record in enumerate(records, start=1):
            yield article_row(record, f"articles/{path.name}", line,
                              run.group(1) if run else None)


def runs_in(data_dir: Path) -> Iterator[dict[str, Any]]:
    for path in sorted((data_dir / "runs").glob("*.json")):
        manifest = json.loads(path.read_text(encoding="utf-8"))
        yield {"run_id": manifest["run_id"], "started_at": manifest["started_at"],
               "ended_at": manifest["ended_at"], "command": " ".join(manifest["command"]),
               "exit_code": manifest["exit_code"], "manifest_file": f"runs/{path.name}"}


def not_captured_in(data_dir: Path) -> Iterator[dict[str, Any]]:
    """The "discovered, not captured" URLs the run manifests list."""
    for path in sorted((data_dir / "runs").glob("*.json")):
        manifest = json.loads(path.read_text(encoding="utf-8"))
        for entry in manifest.get("not_captured", []):
            yield {**entry, "run_id": manifest["run_id"]}
