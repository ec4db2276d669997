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
from archive.reader import warc_fields
from scraper.errors import WarcError
from scraper.sites.context import site_of_capture
from scraper.store.catalog import CATALOG_NAME, CatalogStore, article_row
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


def reindex(data_dir: Path) -> ReindexSummary:
    """Write a new catalog next to the old one, then swap it in (never a half-built catalog).

    A damaged WARC file is indexed up to its last complete record; an article record whose
    capture is not among the records indexed is left out (the catalog never points at bytes
    that are not there); JSONL lines that are not records are skipped. All of it is counted
    in the summary.
    """
    data_dir = Path(data_dir)
    target = data_dir / CATALOG_NAME
    building = data_dir / (CATALOG_NAME + ".rebuild")
    for leftover in (building, Path(f"{building}-wal"), Path(f"{building}-shm")):
        leftover.unlink(missing_ok=True)
    store = CatalogStore(building)
    summary = ReindexSummary()
    try:
        captured: set[str] = set()
        for values in captures_in(data_dir, summary.damaged):
            store.add_capture(**values)
            captured.add(values["record_id"])
            summary.captures += 1
        for values in articles_in(data_dir, summary.not_records):
            if values["capture_record_id"] not in captured:
                summary.without_capture += 1
                continue
            store.add_article(**values)
            summary.articles += 1
        for values in runs_in(data_dir, summary.bad_manifests):
            store.add_run(**values)
            summary.runs += 1
    finally:
        store.close()
    for stale in (Path(f"{target}-wal"), Path(f"{target}-shm")):
        stale.unlink(missing_ok=True)
    os.replace(building, target)
    return summary


def captures_in(data_dir: Path, damaged: list[WarcError]) -> Iterator[dict[str, Any]]:
    """Catalog rows of every readable capture; a damaged file's error goes to ``damaged``."""
    for path in sorted((data_dir / "warc").glob("*.warc.gz")):
        extent = readable_extent(path)
        try:
            yield from _captures_in_file(path, extent.end)
        except WarcError as error:
            damaged.append(error)
            continue
        if extent.damage is not None:
            damaged.append(extent.damage)


def _captures_in_file(path: Path, readable_end: int) -> Iterator[dict[str, Any]]:
    run_id = None
    held: dict[str, Any] | None = None  # the last capture, waiting for its metadata record
    with open(path, "rb") as stream:
        iterator = ArchiveIterator(BoundedReader(stream, readable_end))
        try:
            for record in iterator:
                kind = record.rec_type
                if kind == "warcinfo":
                    run_id = warc_fields(record.content_stream().read()).get("run-id")
                elif kind == "metadata" and held and \
                        record.rec_headers.get_header("WARC-Concurrent-To") == held["record_id"]:
                    held["site"] = site_of_capture(
                        held["url"], warc_fields(record.content_stream().read()))
                elif kind in ("response", "revisit") and record.http_headers is not None:
                    if held:
                        yield held
                    held = _capture_row(path, iterator, record, run_id)
        except (ArchiveLoadFailed, zlib.error, EOFError, ValueError) as error:
            raise WarcError(f"unreadable record ({str(error)[:80]}); the records before it "
                            "were indexed (details: `scraper verify`)", path=path,
                            offset=iterator.offset) from error
    if held:
        yield held


def _capture_row(path: Path, iterator: Any, record: Any, run_id: str | None) -> dict[str, Any]:
    headers = record.rec_headers
    status = record.http_headers.get_statuscode()
    iterator.read_to_end(record)
    return {
        "record_id": headers.get_header("WARC-Record-ID"), "record_type": record.rec_type,
        "url": headers.get_header("WARC-Target-URI"),
        "site": site_of_capture(headers.get_header("WARC-Target-URI"), None),
        "fetched_at": headers.get_header("WARC-Date"),
        "status": int(status) if status and status.isdigit() else 0,
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


def runs_in(data_dir: Path, bad: list[str]) -> Iterator[dict[str, Any]]:
    for path in sorted((data_dir / "runs").glob("*.json")):
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(manifest, dict) or not {"run_id", "command"} <= manifest.keys():
                raise ValueError("no run_id or command")
        except (OSError, ValueError, KeyError, TypeError) as error:
            bad.append(f"runs/{path.name}: {type(error).__name__}: {str(error)[:60]}")
            continue
        yield {"run_id": manifest["run_id"], "started_at": manifest.get("started_at"),
               "ended_at": manifest.get("ended_at"), "command": " ".join(manifest["command"]),
               "exit_code": manifest.get("exit_code"), "manifest_file": f"runs/{path.name}"}
