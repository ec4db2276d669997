"""Rolling WARC files: ``.open`` while written, a warcinfo record first, one gzip member per record.

File names follow warcprox: ``{prefix}-{YYYYMMDDhhmmssSSS}-{serial:05d}-{host}-{pid}.warc.gz``.
Every call to :meth:`RollingWarcWriter.write` appends whole gzip members and flushes them to the
operating system, so a ``kill -9`` loses at most what was being written at that instant and
``archive.recovery`` can cut the file back to its last complete record.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO

from archive.errors import WarcWriteError
from archive.naming import OPEN_SUFFIX, closed_name, warc_file_name
from archive.records import new_record_id, warcinfo_record


@dataclass(frozen=True)
class RecordLocation:
    """Where a record landed: file name (relative to the WARC folder), byte offset, length."""

    warc_file: str
    offset: int
    length: int


def gzip_member(data: bytes, level: int) -> bytes:
    """``data`` as one complete gzip member (zlib releases the GIL while compressing)."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, 31)
    return compressor.compress(data) + compressor.flush()


class RollingWarcWriter:
    """Appends gzip-compressed WARC records to rolling files in one folder.

    Args:
        directory: where the files go (created if missing).
        prefix: first part of every file name.
        max_size: a file is closed and the next one opened once it reaches this many bytes.
        warcinfo_fields: the ``application/warc-fields`` written first in every file.
        gzip_level: zlib level (settings.py WARC_GZIP_LEVEL says what each level costs).
        on_close: called with the path of each file once it is closed and renamed.
        on_written: called with the records of each successful write and where they landed,
            before the file may be closed for its size (so they are in hand at ``on_close``).
    """

    def __init__(self, directory: Path, prefix: str, max_size: int,
                 warcinfo_fields: dict[str, str], gzip_level: int = 6,
                 on_close: Callable[[Path], None] | None = None,
                 on_written: Callable[[tuple[bytes, ...], list[RecordLocation]], None]
                 | None = None) -> None:
        self.directory = Path(directory)
        self.prefix = prefix
        self.max_size = max_size
        self.warcinfo_fields = warcinfo_fields
        self.gzip_level = gzip_level
        self.on_close = on_close
        self.on_written = on_written
        self.closed_files: list[Path] = []
        self.warcinfo_id: str | None = None
        self._serial = 0
        self._file: BinaryIO | None = None
        self._path: Path | None = None
        self._offset = 0
        #: A failed write could not be undone: the file must not be closed as if complete.
        self.broken = False

    def write(self, *records: bytes) -> list[RecordLocation]:
        """Append records as consecutive gzip members, flush, and say where each landed.

        A write that fails (disk full) cuts the file back to where it was, so the file always
        ends at a complete record; if even that fails, the file stays ``.open`` for recovery.
        """
        if self.broken:
            raise WarcWriteError(f"{self._path} could not be cut back after a failed write; "
                                 "run `scraper recover`")
        self.ensure_open()
        assert self._file is not None and self._path is not None
        members = [gzip_member(record, self.gzip_level) for record in records]
        name = closed_name(self._path).name
        locations = []
        start = self._offset
        for member in members:
            locations.append(RecordLocation(name, self._offset, len(member)))
            self._offset += len(member)
        try:
            self._write_bytes(b"".join(members))
        except WarcWriteError:
            self._offset = start
            self._cut_back(start)
            raise
        if self.on_written is not None:
            self.on_written(records, locations)
        if self._offset >= self.max_size:
            self.close_current()
        return locations

    def ensure_open(self) -> None:
        """Open the next file (and write its warcinfo) unless one is open."""
        if self._file is None:
            self._open_next()

    def close_current(self) -> Path | None:
        """Close the file being written, rename it without ``.open`` and report it."""
        if self._file is None or self._path is None:
            return None
        if self.broken:  # it may end inside a record: leave it .open for `scraper recover`
            self._file.close()
            self._file = None
            return None
        try:
            self._file.flush()
            os.fsync(self._file.fileno())
        except OSError as error:
            raise WarcWriteError(f"cannot finish {self._path}: {error.strerror}") from error
        finally:
            self._file.close()
            self._file = None
        final = closed_name(self._path)
        os.replace(self._path, final)
        self.closed_files.append(final)
        if self.on_close is not None:
            self.on_close(final)
        return final

    close = close_current

    def _open_next(self) -> None:
        moment = datetime.now(timezone.utc)
        name = warc_file_name(self.prefix, moment, self._serial)
        self._serial += 1
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._path = self.directory / (name + OPEN_SUFFIX)
            # unbuffered: after a failed write nothing waits in a buffer to be flushed later
            self._file = open(self._path, "xb", buffering=0)
        except OSError as error:
            raise WarcWriteError(f"cannot create a WARC file in {self.directory}: "
                               f"{error.strerror}") from error
        self._offset = 0
        self.warcinfo_id = new_record_id()
        info = warcinfo_record(self.warcinfo_fields, name, moment, self.warcinfo_id)
        member = gzip_member(info, self.gzip_level)
        try:
            self._write_bytes(member)
        except WarcWriteError:
            # a file without even its warcinfo holds nothing: remove it, not close it
            self._file.close()
            self._file = None
            self._path.unlink(missing_ok=True)
            raise
        self._offset = len(member)

    def _cut_back(self, size: int) -> None:
        """Truncate the file to ``size`` (its last complete record); mark it broken if not."""
        assert self._file is not None
        try:
            os.ftruncate(self._file.fileno(), size)
            self._file.seek(size)
        except OSError:
            self.broken = True

    def _write_bytes(self, data: bytes) -> None:
        assert self._file is not None
        try:
            view = memoryview(data)
            while view:  # a raw write may take only part of the bytes (a full disk does that)
                written = self._file.write(view)
                view = view[written or 0:]
                if not written:
                    raise OSError(28, "No space left on device")
        except OSError as error:
            raise WarcWriteError(f"cannot write {self._path}: {error.strerror}. "
                               "Free some space; the file keeps every record written before "
                               "this one.") from error
