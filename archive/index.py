"""CDXJ index of one closed WARC file, written by cdxj-indexer the way pywb indexes its own."""

from __future__ import annotations

import os
import tempfile
import zlib
from pathlib import Path
from typing import Any, TextIO

from cdxj_indexer.main import CDXJIndexer
from warcio.exceptions import ArchiveLoadFailed

from archive.errors import WarcError
from archive.extent import BoundedReader

INDEX_SUFFIX = ".cdxj"


class _BoundedIndexer(CDXJIndexer):  # type: ignore[misc]
    """cdxj-indexer reading each file only up to its readable end (none: the whole file)."""

    def __init__(self, out: TextIO, limits: dict[str, int | None]) -> None:
        super().__init__(out, list(limits), sort=True, post_append=True)
        self._limits = limits

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
        raise WarcError(f"cannot index it ({str(error)[:80]}); run `scraper verify` on it",
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
