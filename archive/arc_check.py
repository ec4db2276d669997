"""Check an ARC file (the Internet Archive's format before WARC): framing only.

ARC records carry no digests and no request records, so all there is to check is that warcio
(with ``arc2warc``, as ``archive.reader`` reads them) can cut the file into whole records.
"""

from __future__ import annotations

import gzip
import os
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from archive.scan import Severity

ARC_MAGIC = b"filedesc://"


@dataclass
class ArcScan:
    records: int = 0
    problems: list[tuple[int | None, Severity, str]] = field(default_factory=list)


def is_arc(path: Path) -> bool:
    """True if the file (gzipped or not) starts with an ARC ``filedesc://`` record."""
    try:
        with open(path, "rb") as stream:
            head = stream.read(2)
        opener = gzip.open if head == b"\x1f\x8b" else open
        with opener(path, "rb") as stream:
            return bytes(stream.read(len(ARC_MAGIC))) == ARC_MAGIC
    except (OSError, EOFError, zlib.error):
        return False


def scan_arc(path: Path) -> ArcScan:
    """Read every record of an ARC file; problems carry the offset where reading stopped."""
    scan = ArcScan()
    scan.problems.append((None, "warning", "ARC file: no digests to check, framing read with "
                                           "warcio's arc2warc"))
    with open(path, "rb") as stream:
        whole_gzip = _scan(stream, scan)
    if whole_gzip:
        scan.records = 0
        scan.problems.append((0, "warning", "the whole file is one gzip stream: pywb cannot "
                              "seek to its records; rewrite it with `warcio recompress`"))
        with gzip.open(path, "rb") as whole:
            _scan(whole, scan, size=None)
    return scan


def _scan(stream: Any, scan: ArcScan, size: int | None = -1) -> bool:
    """Add the records and problems of ``stream``; True if it turned out to be whole-file gzip."""
    iterator = ArchiveIterator(stream, arc2warc=True)
    try:
        for record in iterator:
            iterator.read_to_end(record)
            length = record.rec_headers.get_header("Content-Length") or ""
            if not length.isdigit():
                scan.problems.append((iterator.get_record_offset(), "error",
                                      f"ARC record length {length!r} is not a number: "
                                      "the record cannot be delimited"))
            scan.records += 1
    except (ArchiveLoadFailed, zlib.error, EOFError, ValueError, IndexError) as error:
        if "single gzip" in str(error) and size is not None:
            return True
        message = " ".join(str(error).split())[:200]
        scan.problems.append((max(iterator.offset, 0), "error",
                              f"unreadable ARC record ({message}); the rest of the file "
                              "is not checked"))
        return False
    if size is not None:
        size = os.fstat(stream.fileno()).st_size
        if iterator.offset < size:
            scan.problems.append((iterator.offset, "error", f"the file ends inside a record "
                                  f"({size - iterator.offset} bytes unreadable)"))
    return False
