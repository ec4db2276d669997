"""Close ``.open`` WARC files left by a killed crawl, keeping every complete record.

A ``kill -9`` can stop the writer inside a gzip member or a record. The file is read once from
the start with the same scan as ``archive.verify`` (``archive.scan``); it is cut after the last
complete record (an unpaired last request or response is complete, so it is kept), renamed to
``.warc.gz`` and indexed. Nothing is deleted except empty files: the bytes cut off go to a
``.dropped`` file, and a file without one complete record is renamed ``.unrecoverable``.
"""

from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from archive.errors import WarcError
from archive.index import write_cdxj
from archive.naming import closed_name, this_host, writer_of
from archive.scan import scan_records
from archive.verify import Problem, RecordChecker

logger = logging.getLogger(__name__)

OPEN_PATTERN = "*.warc.gz.open"
DROPPED_SUFFIX = ".dropped"
UNRECOVERABLE_SUFFIX = ".unrecoverable"

Status = Literal["recovered", "unrecoverable", "empty"]


@dataclass(frozen=True)
class RecoveryReport:
    """What happened to one ``.open`` file.

    ``path`` is where the data is now: the ``.warc.gz`` (recovered), the ``.unrecoverable``
    file, or the deleted ``.open`` path (empty). ``problems`` are what verification found in
    the records kept; ``dropped_path`` holds the bytes cut off; ``reason`` says why they were.
    """

    path: Path
    records_kept: int
    bytes_kept: int
    bytes_dropped: int
    status: Status
    problems: tuple[Problem, ...] = ()
    dropped_path: Path | None = None
    reason: str = ""


def recover_open_files(warc_dir: Path, index_dir: Path | None) -> list[RecoveryReport]:
    """Recover every ``*.warc.gz.open`` file in ``warc_dir``, oldest name first.

    The caller must make sure no running crawl is writing these files.

    Args:
        warc_dir: folder of the rolling WARC files.
        index_dir: where to write each recovered file's CDXJ index; None for no index.

    Returns:
        One report per ``.open`` file found.

    Raises:
        WarcError: a target name is taken, or a file cannot be read, written or indexed.
    """
    return [recover_file(path, index_dir) for path in sorted(Path(warc_dir).glob(OPEN_PATTERN))]


def recover_file(open_path: Path, index_dir: Path | None) -> RecoveryReport:
    """Recover one ``.open`` file; see ``recover_open_files``."""
    final = closed_name(open_path)
    try:
        size = open_path.stat().st_size
        if size == 0:
            open_path.unlink()
            return RecoveryReport(open_path, 0, 0, 0, "empty", reason="empty file deleted")
        checker, kept, reason = _scan_complete(open_path, final)
        if checker.records == 0:
            aside = final.with_name(final.name + UNRECOVERABLE_SUFFIX)
            _rename_new(open_path, aside)
            logger.warning("%s has no complete WARC record (%s); moved to %s",
                           open_path, reason, aside.name)
            return RecoveryReport(aside, 0, 0, size, "unrecoverable", reason=reason)
        dropped = _cut(open_path, kept, final.with_name(final.name + DROPPED_SUFFIX))
        _rename_new(open_path, final)
    except OSError as error:
        raise WarcError(f"cannot recover it: {error.strerror}", path=open_path) from error
    if dropped:
        logger.warning("%s: kept %d records, %d bytes after them moved to %s (%s)",
                       final, checker.records, size - kept, dropped.name, reason)
    if index_dir is not None:
        write_cdxj(final, index_dir)
    return RecoveryReport(final, checker.records, kept, size - kept, "recovered",
                          tuple(checker.finish()), dropped, reason)


def _scan_complete(path: Path, final: Path) -> tuple[RecordChecker, int, str]:
    """Check the complete records at the start of ``path``; return where the last one ends."""
    checker = RecordChecker(final)
    kept = 0
    reason = ""
    with path.open("rb") as fh:
        try:
            for record in scan_records(fh, path):
                checker.add(record)
                kept = record.end
        except WarcError as error:
            # what follows the last complete record is what the killed writer left half done
            reason = f"{error.message} (at byte {error.offset})"
    return checker, kept, reason


def _cut(path: Path, kept: int, dropped: Path) -> Path | None:
    """Move the bytes after ``kept`` to ``dropped`` and truncate ``path``; None if none."""
    if path.stat().st_size <= kept:
        return None
    with path.open("r+b") as fh, dropped.open("wb") as out:
        fh.seek(kept)
        shutil.copyfileobj(fh, out)
        out.flush()
        os.fsync(out.fileno())
        fh.truncate(kept)
        fh.flush()
        os.fsync(fh.fileno())
    return dropped


def _rename_new(source: Path, target: Path) -> None:
    """Rename without ever replacing an existing file, and make the rename durable."""
    if target.exists():
        raise WarcError(f"cannot rename it to {target.name}: that file exists. Move one of "
                        "the two aside, then run `scraper recover` again", path=source)
    os.rename(source, target)
    fd = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def recover_leftovers(warc_dir: Path, index_dir: Path | None, force: bool = False
                      ) -> tuple[list[RecoveryReport], list[Path]]:
    """Recover every ``.open`` file whose writer is gone: (reports, files left alone)."""
    if not Path(warc_dir).is_dir():
        return [], []
    reports, skipped = [], []
    for path in sorted(Path(warc_dir).glob("*.warc.gz.open")):
        if not force and writer_alive(path):
            skipped.append(path)
        else:
            reports.append(recover_file(path, index_dir))
    return reports, skipped


def writer_alive(path: Path) -> bool:
    """True when the file name's host is this machine and its pid is a running process."""
    writer = writer_of(path)
    if writer is None:
        return False
    host, pid = writer
    if host != this_host() or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
