"""CDXJ index of one closed WARC file, written by cdxj-indexer the way pywb indexes its own."""

from __future__ import annotations

import io
import os
import tempfile
import zlib
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any, TextIO

from cdxj_indexer.main import CDXJIndexer
from warcio.exceptions import ArchiveLoadFailed

from archive.errors import WarcError
from archive.extent import BoundedReader, readable_extent

INDEX_SUFFIX = ".cdxj"
#: Request bodies read for the index key (pywb appends POST/PUT bodies to it), at most.
MAX_INDEXED_REQUEST_BODY = 1024 * 1024


class _BoundedRecords:
    """An ArchiveIterator whose records hand the indexer raw, bounded content.

    cdxj-indexer copies every record's ``content_stream()`` to a spool file, and warcio's
    content stream undoes the HTTP Content-Encoding: a 6 MB gzip bomb became 6 GB of temporary
    file and 50 s of CPU at every WARC close. The index only needs the bodies of requests.
    """

    def __init__(self, records: Any) -> None:
        self._records = records

    def __iter__(self) -> Iterator[Any]:
        for record in self._records:
            record.content_stream = partial(_bounded_content, record)
            yield record

    def __getattr__(self, name: str) -> Any:  # get_record_offset() and the rest
        return getattr(self._records, name)


def _bounded_content(record: Any) -> io.BytesIO:
    if record.rec_type != "request":
        return io.BytesIO()  # warcio skips the rest of the record, still compressed
    parts, left = [], MAX_INDEXED_REQUEST_BODY
    while left > 0 and (chunk := record.raw_stream.read(min(left, 65536))):
        parts.append(chunk)
        left -= len(chunk)
    return io.BytesIO(b"".join(parts))


class _BoundedIndexer(CDXJIndexer):  # type: ignore[misc]
    """cdxj-indexer reading each file only up to its readable end (none: the whole file),
    its records' content raw and bounded (``_BoundedRecords``)."""

    def __init__(self, out: TextIO, limits: dict[str, int | None]) -> None:
        super().__init__(out, list(limits), sort=True, post_append=True)
        self._limits = limits

    def _create_record_iter(self, input_: Any) -> _BoundedRecords:
        return _BoundedRecords(super()._create_record_iter(input_))

    def process_one(self, input_: Any, output: Any, filename: str) -> None:
        limit = self._limits.get(filename)
        super().process_one(input_ if limit is None else BoundedReader(input_, limit), output,
                            filename)


def write_index_lines(out: TextIO, limits: dict[Path, int | None]) -> None:
    """Sorted CDXJ lines of the files into ``out``; each file read up to its limit, if given.

    Raises:
        WarcError: a file cannot be read (within its limit).
    """
    try:
        _BoundedIndexer(out, {str(path): limit for path, limit in limits.items()}).process_all()
    except (ArchiveLoadFailed, EOFError, ValueError, zlib.error) as error:
        first = next(iter(limits), Path("."))
        reason = " ".join(str(error).split())[:200]  # warcio's messages span lines: one line
        raise WarcError(f"cannot index it ({reason}); run `scraper verify` on it",
                        path=first if len(limits) == 1 else first.parent) from error


def write_cdxj(warc_path: Path, index_dir: Path, readable_end: int | None = None) -> Path:
    """Index one closed WARC file into ``index_dir/<warc file name>.cdxj``.

    Lines are ``surt timestamp {json}``, sorted, with ``filename`` the bare WARC file name, and
    POST/PUT bodies appended to the key as pywb 2.10's ``wb-manager`` does, so pywb can serve
    the file from a collection's ``archive/`` folder. The index appears atomically (temporary
    file in ``index_dir``, then rename), so a reader never sees half an index.

    Args:
        warc_path: a closed ``.warc.gz`` (or ``.warc``) file.
        index_dir: folder for the index; created if missing.
        readable_end: index only the records before this byte (see ``archive.extent``);
            None indexes the whole file.

    Returns:
        The path of the index written.

    Raises:
        WarcError: the WARC file cannot be read or the index cannot be written.
    """
    warc_path, index_dir = Path(warc_path), Path(index_dir)
    target = index_dir / (warc_path.name + INDEX_SUFFIX)
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=index_dir)
    except OSError as error:
        raise WarcError(f"cannot write its index in {index_dir}: {error.strerror}",
                        path=warc_path) from error
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            write_index_lines(out, {warc_path: readable_end})
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o644)  # mkstemp makes it private; pywb may run as another user
        os.replace(temp, target)
    except WarcError:
        temp.unlink(missing_ok=True)
        raise
    except OSError as error:
        temp.unlink(missing_ok=True)
        raise WarcError(f"cannot write its index in {index_dir}: {error.strerror}",
                        path=warc_path) from error
    return target


def index_files(paths: list[Path], index_dir: Path,
                file_done: Callable[[int], object] = lambda size: None) -> list[WarcError]:
    """Index each file into ``index_dir``; a damaged WARC is indexed up to its damage.

    Returns the damage found (one error per damaged file); ``file_done`` gets each file's size.
    """
    damage = []
    for path in paths:
        extent = readable_extent(path)
        write_cdxj(path, index_dir, None if extent.whole else extent.end)
        if extent.damage is not None:
            damage.append(extent.damage)
        file_done(path.stat().st_size)
    return damage
