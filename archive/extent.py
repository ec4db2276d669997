"""How much of a WARC file can be trusted: the bytes up to the end of its last complete record.

warcio reads a file cut inside a gzip member as if it ended cleanly (its last record simply
comes out short), and reads an empty file as a file with no records. Readers that index or
extract (``reindex``, ``index``, ``extract``, ``package``) therefore first find the readable
extent with the same scanner ``scraper verify`` and recovery use, then read only those bytes
through ``BoundedReader``: no record past the damage is ever indexed, and the damage itself is
reported with the file and the byte offset where it starts.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from archive.errors import WarcError
from archive.scan import scan_records

#: The Internet Archive's format before WARC: read through warcio, not scanned here.
ARC_SUFFIXES = (".arc", ".arc.gz")
EMPTY_FILE = "the file is empty (0 bytes): it holds no records; restore it from a copy"


@dataclass(frozen=True)
class ReadableExtent:
    """``end``: first byte after the last complete record; ``damage``: what stops the reading."""

    path: Path
    size: int
    end: int
    damage: WarcError | None

    @property
    def whole(self) -> bool:
        return self.damage is None

    def holds(self, offset: int, length: int) -> bool:
        """True if the record at ``offset`` (``length`` bytes) lies wholly in the readable part."""
        return 0 <= offset and offset + max(length, 0) <= self.end


def readable_extent(path: Path) -> ReadableExtent:
    """Scan ``path`` once and say how far its records can be read.

    Raises:
        WarcError: the file cannot be opened at all.
    """
    path = Path(path)
    try:
        stream = open(path, "rb")
    except OSError as error:
        raise WarcError(f"cannot open it: {error.strerror}", path=path) from error
    with stream:
        size = os.fstat(stream.fileno()).st_size
        if size == 0:
            return ReadableExtent(path, 0, 0, WarcError(EMPTY_FILE, path=path, offset=0))
        if path.name.endswith(ARC_SUFFIXES):
            # ARC framing is not the scanner's: warcio reads it (arc2warc) and says what fails.
            return ReadableExtent(path, size, size, None)
        end = 0
        try:
            for record in scan_records(stream, path, digests=False):
                end = record.end
        except WarcError as damage:
            return ReadableExtent(path, size, end, _short(damage))
    # The scanner raises on anything after the last record but blank lines (plain WARC).
    return ReadableExtent(path, size, size, None)


def _short(damage: WarcError) -> WarcError:
    """The scanner's message plus where to look next, still one line."""
    return WarcError(f"{damage.message}; records before it were read (`scraper verify` tells "
                     "more)", path=damage.path, offset=damage.offset)


class BoundedReader:
    """A read-only file view that ends at ``limit``: what warcio sees of a damaged file."""

    def __init__(self, stream: BinaryIO, limit: int) -> None:
        self._stream = stream
        self._left = limit
        self._pos = 0

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0 or size > self._left:
            size = self._left
        data = self._stream.read(size)
        self._left -= len(data)
        self._pos += len(data)
        return data

    def tell(self) -> int:
        return self._pos
