"""``scraper import``: bring WARC and ARC files other tools wrote into a collection.

Each file is copied whole and unchanged into ``DATA/warc/`` (a new name only when another
file already has its name), indexed (CDXJ, as pywb indexes its own), cataloged, and its
article candidates extracted into ``DATA/articles/import-<run id>.jsonl``. The run's manifest
says where each file came from and which tool wrote it (from its warcinfo record), so
``scraper reindex`` rebuilds the same catalog and ``export``, ``history``, ``status`` and
``package`` treat imported captures as their own.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from archive.index import write_cdxj
from archive.warcinfo import read_source_tool
from scraper.errors import StorageError, UsageError, WarcError
from scraper.extract.extractor import ExtractionOptions
from scraper.progress import ProgressLine, quiet_progress
from scraper.store.catalog import CATALOG_NAME, CatalogStore, article_row
from scraper.store.jsonl import JsonlWriter, read_json_lines
from scraper.store.reextract import ExtractSummary, extract_warcs
from scraper.store.reindex import captures_in_file, mark_cited_captures
from scraper.store.runs import (
    EXIT_NOTHING_TO_DO,
    EXIT_PARTIAL,
    EXIT_SUCCESS,
    RunLock,
    RunManifest,
    command_line,
    new_run_id,
    write_manifest,
)
from scraper.store.versions import CatalogVersions

SUFFIXES = (".warc.gz", ".warc", ".arc.gz", ".arc")
CHUNK = 1 << 20


@dataclass
class ImportedFile:
    source: Path
    stored: Path | None = None  # DATA/warc/<name>; None when it was not brought in
    status: str = "imported"  # or "already in the collection", "failed"
    software: str | None = None
    sha256: str = ""
    captures: int = 0
    error: str | None = None


@dataclass
class ImportSummary:
    run_id: str
    files: list[ImportedFile] = field(default_factory=list)
    extracted: ExtractSummary = field(default_factory=ExtractSummary)
    exit_code: int = EXIT_SUCCESS
    sites: dict[str, dict[str, int]] = field(default_factory=dict)  # site -> {"articles": n}

    @property
    def imported(self) -> list[ImportedFile]:
        return [f for f in self.files if f.status == "imported"]


def stored_name(source: Path, warc_dir: Path, digest: str) -> tuple[str, bool]:
    """The name in ``warc_dir`` for ``source``, and whether the very same file is there."""
    name = source.name
    suffix = next((s for s in SUFFIXES if name.endswith(s)), None)
    if suffix is None:
        raise UsageError(f"{source}: not a WARC or ARC file name (it must end in "
                         f"{', '.join(SUFFIXES)}); rename it")
    stem = name[:-len(suffix)]
    for number in range(1, 10000):
        candidate = name if number == 1 else f"{stem}-{number}{suffix}"
        existing = warc_dir / candidate
        if not existing.exists():
            return candidate, False
        if sha256_of(existing) == digest:
            return candidate, True
    raise StorageError(f"{warc_dir} has 10,000 files named like {name}")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def copy_unchanged(source: Path, target: Path, digest: str) -> None:
    """Copy through a temporary name, check the copy's SHA-256, then rename it into place."""
    temporary = target.with_name(f".{target.name}.importing")
    try:
        with open(source, "rb") as src, open(temporary, "wb") as dst:
            shutil.copyfileobj(src, dst, CHUNK)
            dst.flush()
            os.fsync(dst.fileno())
        if sha256_of(temporary) != digest:
            raise StorageError(f"the copy of {source} in {target.parent} differs from it "
                               "(the source changed while being copied?)")
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except OSError as error:
        raise StorageError(f"cannot copy {source} into {target.parent}: {error}") from error
    finally:
        temporary.unlink(missing_ok=True)


def _bring_in(source: Path, data_dir: Path) -> ImportedFile:
    """Copy and index one file; a file that cannot be indexed is removed again."""
    entry = ImportedFile(source)
    warc_dir = data_dir / "warc"
    warc_dir.mkdir(parents=True, exist_ok=True)
    entry.sha256 = sha256_of(source)
    name, present = stored_name(source, warc_dir, entry.sha256)
    entry.stored = warc_dir / name
    entry.software, _ = read_source_tool(source)
    if present:
        entry.status = "already in the collection"
        return entry
    copy_unchanged(source, entry.stored, entry.sha256)
    try:
        write_cdxj(entry.stored, data_dir / "indexes")
    except WarcError as error:
        entry.stored.unlink(missing_ok=True)
        entry.stored, entry.status, entry.error = None, "failed", error.message
    return entry


def import_warcs(sources: list[Path], data_dir: Path, options: ExtractionOptions | None = None,
                 workers: int = 2, timeout: float = 30.0,
                 progress: ProgressLine | None = None) -> ImportSummary:
    """Import WARC/ARC files into the collection at ``data_dir``, under its run lock.

    Raises:
        UsageError: a source is missing or not named like a WARC/ARC file.
        LockedError: another run holds the collection.
        StorageError: the collection cannot be written.
    """
    for source in sources:
        if not Path(source).is_file():
            raise UsageError(f"{source}: no such file")
    data_dir = Path(data_dir)
    progress = progress or quiet_progress()
    with RunLock(data_dir):
        summary = ImportSummary(new_run_id())
        started = _now()
        summary.files = [_bring_in(Path(source), data_dir) for source in sources]
        jsonl = f"articles/import-{summary.run_id}.jsonl"
        store = CatalogStore(data_dir / CATALOG_NAME)
        try:
            _catalog_and_extract(summary, data_dir, jsonl, store, options, workers, timeout,
                                 progress)
            summary.exit_code = _exit_code(summary)
            manifest = _manifest(summary, started)
            path = write_manifest(data_dir, manifest)
            store.add_run(run_id=manifest.run_id, started_at=manifest.started_at,
                          ended_at=manifest.ended_at, command=" ".join(manifest.command),
                          exit_code=manifest.exit_code, manifest_file=f"runs/{path.name}")
        finally:
            store.close()
            progress.close()
    return summary


def _catalog_and_extract(summary: ImportSummary, data_dir: Path, jsonl: str,
                         store: CatalogStore, options: ExtractionOptions | None, workers: int,
                         timeout: float, progress: ProgressLine) -> None:
    files = [f for f in summary.imported if f.stored is not None]
    for entry in files:
        assert entry.stored is not None
        try:
            for values in captures_in_file(entry.stored, summary.run_id):
                store.add_capture(**values)
                entry.captures += 1
        except WarcError as error:
            entry.error = str(error)  # the records before the damage are cataloged
    progress.total_files = len(files)
    progress.total_bytes = sum(f.stored.stat().st_size for f in files if f.stored)
    writer = JsonlWriter(data_dir / jsonl)
    try:
        summary.extracted = extract_warcs([f.stored for f in files if f.stored], writer,
                                          options or ExtractionOptions(), workers, timeout,
                                          versions=CatalogVersions(store), progress=progress)
    finally:
        writer.close()
    if writer.count:
        text = (data_dir / jsonl).read_text(encoding="utf-8")
        for line, record in enumerate(read_json_lines(text), start=1):
            store.add_article(**article_row(record, jsonl, line, summary.run_id))
            counts = summary.sites.setdefault(record["site"] or "?", {"articles": 0, "failed": 0})
            counts["articles"] += 1
    # Candidates that gave no record stay "pending": the next crawl or `scraper recover`
    # extracts them again and records what they are (not an article, or a failure retried).
    mark_cited_captures(store)


def _exit_code(summary: ImportSummary) -> int:
    if any(f.status == "failed" or f.error for f in summary.files) or \
            summary.extracted.damaged or summary.extracted.failures:
        return EXIT_PARTIAL
    if not summary.imported:
        return EXIT_NOTHING_TO_DO
    return EXIT_SUCCESS


def _manifest(summary: ImportSummary, started: str) -> RunManifest:
    sites = summary.sites
    errors = [f"{f.source}: {f.error}" for f in summary.files if f.error]
    errors += [str(error) for error in summary.extracted.damaged]
    return RunManifest(
        summary.run_id, started, _now(), command_line(), sites,
        [f"warc/{f.stored.name}" for f in summary.imported if f.stored], errors,
        summary.exit_code, imported=[_imported_entry(f) for f in summary.imported if f.stored])


def _imported_entry(entry: ImportedFile) -> dict[str, Any]:
    assert entry.stored is not None
    return {"file": f"warc/{entry.stored.name}", "source": str(entry.source.resolve()),
            "sha256": entry.sha256, "software": entry.software, "captures": entry.captures}


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")

