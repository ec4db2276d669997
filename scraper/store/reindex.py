"""``scraper reindex``: rebuild the catalog from the WARC, JSONL and run-manifest files alone."""

from __future__ import annotations

import json
import logging
import os
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from archive.extent import BoundedReader, readable_extent
from archive.reader import archive_files, warc_fields
from scraper.errors import StorageError, WarcError
from scraper.extract.page_input import skip_reason
from scraper.progress import ProgressLine, quiet_progress
from scraper.sites.context import site_of_capture
from scraper.store.catalog import CATALOG_NAME, PENDING, CatalogStore, article_row
from scraper.store.jsonl import iter_jsonl

logger = logging.getLogger(__name__)

_RUN_IN_NAME = re.compile(r"-(\d{8}T\d{12}Z-\d+)\.jsonl$")


@dataclass
class ReindexSummary:
    captures: int = 0
    articles: int = 0
    runs: int = 0
    #: WARC files read only up to their damage (file and byte offset in each error).
    damaged: list[WarcError] = field(default_factory=list)
    #: Article records left out because their capture is in no readable WARC record.
    without_capture: int = 0
    #: Numbers of JSONL lines that are not article records, per file (a crash's truncated last
    #: line aside).
    not_records: dict[str, list[int]] = field(default_factory=dict)

    #: Run manifests that cannot be read (runs/<name>: why).
    bad_manifests: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not (self.damaged or self.without_capture or self.not_records
                    or self.bad_manifests)


def reindex(data_dir: Path, progress: ProgressLine | None = None) -> ReindexSummary:
    """Write a new catalog next to the old one, then swap it in (never a half-built catalog).

    A damaged WARC file is indexed up to its last complete record; an article record whose
    capture is not among the records indexed is left out (the catalog never points at bytes
    that are not there); JSONL lines that are not records are skipped. All of it is counted
    in the summary.
    """
    data_dir = Path(data_dir)
    progress = progress or quiet_progress()
    target = data_dir / CATALOG_NAME
    building = data_dir / (CATALOG_NAME + ".rebuild")
    for leftover in (building, Path(f"{building}-wal"), Path(f"{building}-shm")):
        leftover.unlink(missing_ok=True)
    store = CatalogStore(building)
    summary = ReindexSummary()
    try:
        captured = _add_captures(store, data_dir, summary, progress)
        for values in articles_in(data_dir, summary.not_records):
            if values["capture_record_id"] not in captured:
                summary.without_capture += 1
                continue
            store.add_article(**values)
            summary.articles += 1
        for values in runs_in(data_dir, summary.bad_manifests):
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


def _add_captures(store: CatalogStore, data_dir: Path, summary: ReindexSummary,
                  progress: ProgressLine) -> set[str]:
    """Catalog every readable capture of the collection's WARC and ARC files; their ids."""
    imported = imported_runs(data_dir)
    files = archive_files(data_dir / "warc")
    progress.total_files = len(files)
    progress.total_bytes = sum(path.stat().st_size for path in files)
    captured: set[str] = set()
    for path in files:
        for values in readable_captures(path, summary.damaged,
                                        imported.get(f"warc/{path.name}")):
            store.add_capture(**values)
            captured.add(values["record_id"])
            summary.captures += 1
            progress.add(position=values["offset"] + values["length"])
        progress.file_done(path.stat().st_size)
    return captured


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


def readable_captures(path: Path, damaged: list[WarcError], run_id: str | None = None
                      ) -> Iterator[dict[str, Any]]:
    """The catalog rows of a file's readable captures; its damage goes to ``damaged``."""
    extent = readable_extent(path)
    try:
        yield from captures_in_file(path, run_id, None if extent.whole else extent.end)
    except WarcError as error:
        damaged.append(error)
        return
    if extent.damage is not None:
        damaged.append(extent.damage)


def captures_in_file(path: Path, run_id: str | None = None,
                     readable_end: int | None = None) -> Iterator[dict[str, Any]]:
    """Catalog rows of a WARC or ARC file's responses and revisits (up to ``readable_end``);
    ``run_id`` unless its warcinfo names one (our own files do)."""
    held: dict[str, Any] | None = None  # the last capture, waiting for its metadata record
    with open(path, "rb") as stream:
        source = stream if readable_end is None else BoundedReader(stream, readable_end)
        iterator = ArchiveIterator(source, arc2warc=True)
        try:
            for record in iterator:
                kind = record.rec_type
                if kind == "warcinfo":
                    run_id = warc_fields(record.content_stream().read()).get("run-id") or run_id
                elif kind == "metadata" and held and \
                        record.rec_headers.get_header("WARC-Concurrent-To") == held["record_id"]:
                    held["site"] = site_of_capture(
                        held["url"], warc_fields(record.content_stream().read()))
                elif kind in ("response", "revisit") and record.http_headers is not None:
                    if held:
                        yield held
                    held = _capture_row(path, iterator, record, run_id)
        except (ArchiveLoadFailed, zlib.error, EOFError, ValueError) as error:
            reason = " ".join(str(error).split())[:120]
            raise WarcError(f"unreadable record ({reason}); the records before it were "
                            "indexed (details: `scraper verify`)", path=path,
                            offset=iterator.offset) from error
    if held:
        yield held


def _capture_row(path: Path, iterator: Any, record: Any, run_id: str | None) -> dict[str, Any]:
    headers = record.rec_headers
    status = record.http_headers.get_statuscode()
    code = int(status) if status and status.isdigit() else 0
    candidate = record.rec_type == "response" and not skip_reason(
        code, record.http_headers.get_header("Content-Type"),
        headers.get_header("WARC-Truncated"))
    iterator.read_to_end(record)
    return {
        "record_id": headers.get_header("WARC-Record-ID"), "record_type": record.rec_type,
        "url": headers.get_header("WARC-Target-URI"),
        "site": site_of_capture(headers.get_header("WARC-Target-URI"), None),
        "fetched_at": headers.get_header("WARC-Date"),
        "status": code, "extraction": PENDING if candidate else None,
        "payload_digest": headers.get_header("WARC-Payload-Digest"),
        "warc_file": f"warc/{path.name}", "offset": iterator.get_record_offset(),
        "length": iterator.get_record_length(),
        "refers_to": headers.get_header("WARC-Refers-To"), "run_id": run_id}


def articles_in(data_dir: Path, not_records: dict[str, list[int]]) -> Iterator[dict[str, Any]]:
    """Catalog rows of the article records, at their physical line numbers; lines that are
    not records are counted in ``not_records`` and logged."""
    for path in sorted((data_dir / "articles").glob("*.jsonl")):
        run = _RUN_IN_NAME.search(path.name)
        name = f"articles/{path.name}"
        for line in iter_jsonl(path):
            if line.record is not None:
                yield article_row(line.record, name, line.number, run.group(1) if run else None)
            elif not line.harmless:
                not_records.setdefault(name, []).append(line.number)
                logger.info("%s line %d skipped: %s", name, line.number, line.problem)


def runs_in(data_dir: Path, bad: list[str] | None = None) -> Iterator[dict[str, Any]]:
    """Catalog rows of the run manifests; an unreadable one goes to ``bad``."""
    for path in sorted((data_dir / "runs").glob("*.json")):
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(manifest, dict) or not {"run_id", "command"} <= manifest.keys():
                raise ValueError("no run_id or command")
        except (OSError, ValueError, KeyError, TypeError) as error:
            if bad is not None:
                bad.append(f"runs/{path.name}: {type(error).__name__}: {str(error)[:60]}")
            continue
        yield {"run_id": manifest["run_id"], "started_at": manifest.get("started_at"),
               "ended_at": manifest.get("ended_at"), "command": " ".join(manifest["command"]),
               "exit_code": manifest.get("exit_code"), "manifest_file": f"runs/{path.name}"}


def not_captured_in(data_dir: Path) -> Iterator[dict[str, Any]]:
    """The "discovered, not captured" URLs the run manifests list."""
    for values in runs_in(data_dir):
        manifest = json.loads((data_dir / values["manifest_file"]).read_text(encoding="utf-8"))
        for entry in manifest.get("not_captured", []):
            yield {**entry, "run_id": manifest["run_id"]}
