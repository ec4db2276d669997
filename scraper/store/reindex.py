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

from archive.reader import warc_fields
from scraper.errors import WarcError
from scraper.sites.context import site_of_capture
from scraper.store.catalog import CATALOG_NAME, CatalogStore, article_row
from scraper.store.jsonl import read_json_lines

_RUN_IN_NAME = re.compile(r"-(\d{8}T\d{12}Z-\d+)\.jsonl$")


@dataclass
class ReindexSummary:
    captures: int = 0
    articles: int = 0
    runs: int = 0


def reindex(data_dir: Path) -> ReindexSummary:
    """Write a new catalog next to the old one, then swap it in (never a half-built catalog)."""
    data_dir = Path(data_dir)
    target = data_dir / CATALOG_NAME
    building = data_dir / (CATALOG_NAME + ".rebuild")
    for leftover in (building, Path(f"{building}-wal"), Path(f"{building}-shm")):
        leftover.unlink(missing_ok=True)
    store = CatalogStore(building)
    summary = ReindexSummary()
    try:
        for values in captures_in(data_dir):
            store.add_capture(**values)
            summary.captures += 1
        for values in articles_in(data_dir):
            store.add_article(**values)
            summary.articles += 1
        for values in runs_in(data_dir):
            store.add_run(**values)
            summary.runs += 1
        for values in not_captured_in(data_dir):
            store.add_not_captured(**values)
    finally:
        store.close()
    for stale in (Path(f"{target}-wal"), Path(f"{target}-shm")):
        stale.unlink(missing_ok=True)
    os.replace(building, target)
    return summary


def captures_in(data_dir: Path) -> Iterator[dict[str, Any]]:
    for path in sorted((data_dir / "warc").glob("*.warc.gz")):
        yield from _captures_in_file(path)


def _captures_in_file(path: Path) -> Iterator[dict[str, Any]]:
    run_id = None
    held: dict[str, Any] | None = None
    with open(path, "rb") as stream:
        iterator = ArchiveIterator(stream)
        for record in iterator:
            headers = record.rec_headers
            kind = record.rec_type
            if kind == "warcinfo":
                run_id = warc_fields(record.content_stream().read()).get("run-id")
                continue
            if kind == "metadata" and held and \
                    headers.get_header("WARC-Concurrent-To") == held["record_id"]:
                held["site"] = site_of_capture(
                    held["url"], warc_fields(record.content_stream().read()))
                continue
            if kind not in ("response", "revisit") or record.http_headers is None:
                continue
            status = record.http_headers.get_statuscode()
            iterator.read_to_end(record)
            if held:
                yield held
            held = {
                "record_id": headers.get_header("WARC-Record-ID"), "record_type": kind,
                "url": headers.get_header("WARC-Target-URI"),
                "site": site_of_capture(headers.get_header("WARC-Target-URI"), None),
                "fetched_at": headers.get_header("WARC-Date"),
                "status": int(status) if status and status.isdigit() else 0,
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
