"""CDXJ index of one closed WARC file, written by cdxj-indexer the way pywb indexes its own."""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import surt  # type: ignore[import-untyped]
from warcio.exceptions import ArchiveLoadFailed
from warcio.timeutils import iso_date_to_timestamp

from archive.errors import WarcError
from archive.extent import readable_extent

if TYPE_CHECKING:
    from archive.cdxj_reading import RecordsIndexer

INDEX_SUFFIX = ".cdxj"


def write_index_lines(out: TextIO, limits: dict[Path, int | None]) -> None:
    """Sorted CDXJ lines of the files into ``out``; each file read up to its limit, if given.

    Raises:
        WarcError: a file cannot be read (within its limit).
    """
    from archive.cdxj_reading import BoundedIndexer  # cdxj-indexer: 0.1 s of imports

    try:
        BoundedIndexer(out, {str(path): limit for path, limit in limits.items()}).process_all()
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
    warc_path = Path(warc_path)
    return _write_atomically(warc_path, Path(index_dir),
                             lambda out: write_index_lines(out, {warc_path: readable_end}))


def _write_atomically(warc_path: Path, index_dir: Path, fill: Callable[[TextIO], None]) -> Path:
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
            fill(out)
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


_MIME_END = re.compile(r"[;\s]")
_HEADER_END = b"\r\n\r\n"


def _header_block(data: bytes, start: int) -> tuple[str, dict[str, str], int] | None:
    """The first line and the headers (lower-case names, first value kept) of the block at
    ``start``, and where the block ends; None for what warcio might read differently: bytes
    past ASCII, continued lines, lines without a colon."""
    end = data.find(_HEADER_END, start)
    if end < 0:
        return None
    block = data[start:end]
    if not block.isascii():
        return None
    first, *lines = block.decode("ascii").split("\r\n")
    headers: dict[str, str] = {}
    for line in lines:
        name, colon, value = line.partition(":")
        if not colon or line[:1] in (" ", "\t"):
            return None
        headers.setdefault(name.rstrip(" \t").lower(), value.strip())
    return first.rstrip(), headers, end + len(_HEADER_END)


def _plain_lines(records: list[bytes], spans: list[tuple[int, int]], warc_name: str
                 ) -> list[str] | None:
    """The CDXJ lines cdxj-indexer writes for an ordinary exchange (a GET, its response or
    revisit, a warc-fields metadata record), made from the records' headers directly, ~15x
    faster than its parse of the records; None for anything else (cdxj-indexer then reads it).
    ``tests/test_hostile_server.py`` holds every index to the one read back from the file."""
    lines = []
    for record, (offset, length) in zip(records, spans):
        warc = _header_block(record, 0)
        if warc is None:
            return None
        _, fields, body = warc
        kind = fields.get("warc-type")
        if kind == "metadata" and fields.get("content-type") == "application/warc-fields":
            continue
        http = _header_block(record, body) if kind in ("request", "response", "revisit") \
            else None
        if http is None:
            return None
        first, headers, _ = http
        if kind == "request":
            if not first.startswith("GET "):
                return None  # POST and PUT bodies go into the key
            continue
        url, date = fields.get("warc-target-uri"), fields.get("warc-date")
        protocol_status = first.split(" ", 1)
        if not url or not date or not protocol_status[0].upper().startswith("HTTP/"):
            return None
        index: dict[str, str] = {"url": url}
        if kind == "revisit":
            index["mime"] = "warc/revisit"
        elif "content-type" in headers:
            index["mime"] = _MIME_END.split(headers["content-type"], 1)[0].strip()
        status = protocol_status[1].strip() if len(protocol_status) > 1 else ""
        index["status"] = status.split(" ", 1)[0]
        digest = fields.get("warc-payload-digest")
        if not digest:
            return None
        index.update(digest=digest, length=str(length), offset=str(offset), filename=warc_name)
        lines.append(f"{_url_key(url)} {iso_date_to_timestamp(date)} {json.dumps(index)}\n")
    return lines


def _url_key(url: str) -> str:
    try:
        return str(surt.surt(url))
    except Exception:  # as cdxj-indexer: the URL itself when it has no SURT form
        return url


class RunningIndex:
    """The CDXJ index of one WARC file made as its records are written, not read back at close.

    Reading a closed file back to index it cost the crawl ~8% of its CPU (every member
    decompressed, every header parsed again). Here the lines come from the uncompressed bytes
    in hand: made directly for an ordinary exchange (``_plain_lines``), else by cdxj-indexer
    itself; tests compare them, byte for byte, with the closed file's index read back. Lines
    wait unsorted in a temporary file beside the index (memory stays flat however large the
    WARC); :meth:`write` sorts them into the index. A record cdxj-indexer cannot read makes
    the index ``failed``: :meth:`write` then indexes the closed file with :func:`write_cdxj`,
    as before.
    """

    def __init__(self, warc_name: str, index_dir: Path) -> None:
        self.warc_name = warc_name
        self.index_dir = Path(index_dir)
        self.failed = False
        self._spill: TextIO | None = None
        self._spill_path: Path | None = None
        self._indexer: RecordsIndexer | None = None

    def add(self, records: list[bytes], spans: list[tuple[int, int]]) -> None:
        """Index records just written; ``spans``: each one's (offset, length) in the file."""
        if self.failed:
            return
        try:
            if self._spill is None:
                self.index_dir.mkdir(parents=True, exist_ok=True)
                fd, name = tempfile.mkstemp(prefix=f".{self.warc_name}{INDEX_SUFFIX}.",
                                            suffix=".lines.tmp", dir=self.index_dir)
                self._spill_path = Path(name)
                self._spill = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
            plain = _plain_lines(records, spans, self.warc_name)
            if plain is not None:
                self._spill.writelines(plain)
                return
            if self._indexer is None:
                from archive.cdxj_reading import RecordsIndexer  # only when needed: 0.1 s

                self._indexer = RecordsIndexer(self._spill)
            starts, at = {}, 0
            for record, span in zip(records, spans):
                starts[at] = span
                at += len(record)
            self._indexer.spans = starts
            self._indexer.process_one(io.BytesIO(b"".join(records)), self._spill,
                                      self.warc_name)
        except Exception:  # the closed file is indexed instead: never lose a capture for this
            self.failed = True
            self.discard()

    def write(self, warc_path: Path) -> Path:
        """Sort the lines into ``index_dir/<warc file name>.cdxj`` (atomically), as
        cdxj-indexer's sorted output: sorted, a line repeated once only. An index that failed,
        or of a file with no exchange, is made by reading the closed file (:func:`write_cdxj`)."""
        if self.failed or self._spill is None or self._spill_path is None:
            self.discard()
            return write_cdxj(warc_path, self.index_dir)
        self._spill.close()
        try:
            lines = sorted(self._spill_path.read_text(encoding="utf-8").splitlines(True))
        except OSError as error:
            raise WarcError(f"cannot read its index lines: {error.strerror}",
                            path=warc_path) from error
        finally:
            self._spill_path.unlink(missing_ok=True)

        def fill(out: TextIO) -> None:
            last = None
            for line in lines:
                if line != last:
                    out.write(line)
                last = line

        return _write_atomically(Path(warc_path), self.index_dir, fill)

    def discard(self) -> None:
        """Remove the temporary lines (the file is indexed another way, or not at all)."""
        if self._spill is not None:
            self._spill.close()
        if self._spill_path is not None:
            self._spill_path.unlink(missing_ok=True)


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
