"""Read HTTP responses back from WARC and ARC files, with where each one is, for re-extraction.

One reader for every input: WARC/0.17, 1.0 and 1.1, ARC (converted by warcio's ``arc2warc``),
gzip per record, whole-file gzip or uncompressed, whatever tool wrote it. Bodies still chunked
are de-chunked (``archive.transfer``). A revisit record stands for the payload it points at when
that payload is in the input (same URL and payload digest, or its WARC-Refers-To record);
otherwise it is counted in ``ReadStats.revisits_unresolved`` and skipped. ``dns:``, metadata,
resource, conversion and request records are counted by type and not returned.
"""

from __future__ import annotations

import gzip
import os
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from archive.errors import WarcError
from archive.extent import BoundedReader, readable_extent
from archive.transfer import dechunk, transfer_codings

#: What counts as a WARC or ARC file in a folder (closed files only).
ARCHIVE_PATTERNS = ("*.warc.gz", "*.warc", "*.arc.gz", "*.arc")
#: Largest payload read into memory per record when the caller gives no limit (64 MiB).
DEFAULT_MAX_PAYLOAD = 64 * 1024 * 1024
_READ_ERRORS = (ArchiveLoadFailed, zlib.error, EOFError, ValueError, IndexError, KeyError)


@dataclass(frozen=True)
class StoredResponse:
    """One response record: its WARC headers, HTTP status and headers, and stored payload."""

    path: Path
    offset: int
    length: int
    record_id: str
    url: str
    date: str
    status: int
    headers: dict[str, str]  # HTTP headers, lower-case names, last value wins
    payload: bytes
    payload_digest: str | None
    truncated: str | None
    #: Fields of the crawler's ``metadata`` record about this response, if it wrote one.
    metadata: dict[str, str] | None = None
    #: For a revisit: the record ID of the response whose payload this is.
    revisit_of: str | None = None
    #: The stored payload is longer than the reader's ``max_payload``: ``payload`` holds its
    #: first ``max_payload`` bytes only, and must not be taken for the whole.
    payload_over_limit: bool = False

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass
class ReadStats:
    """What the reader saw besides the responses it returned."""

    records: Counter[str] = field(default_factory=Counter)  # by WARC-Type (ARC: converted)
    dechunked: int = 0
    revisits_resolved: int = 0
    revisits_unresolved: int = 0
    non_http: int = 0  # responses with no HTTP message: dns:, ftp:, whois:


def archive_files(folder: Path) -> list[Path]:
    """The WARC and ARC files in a folder, sorted by name."""
    return sorted({path for pattern in ARCHIVE_PATTERNS for path in Path(folder).glob(pattern)})


def iter_responses(paths: Iterable[Path], stats: ReadStats | None = None,
                   max_payload: int = DEFAULT_MAX_PAYLOAD) -> Iterator[StoredResponse]:
    """Every HTTP response of the files, in file order; see ``ResponseReader``."""
    reader = ResponseReader(stats, max_payload=max_payload)
    for path in paths:
        yield from reader.responses_in(Path(path))


class _WholeFileGzip(Exception):
    """warcio cannot cut a file gzipped as one stream into records."""


class _Original:
    """Where a response with a payload digest sits, for the revisits that point at it."""

    __slots__ = ("path", "offset", "record_id")

    def __init__(self, path: Path, offset: int, record_id: str) -> None:
        self.path, self.offset, self.record_id = path, offset, record_id


class ResponseReader:
    """Reads files one by one, remembering responses so later revisits can point at them."""

    def __init__(self, stats: ReadStats | None = None, resolve_revisits: bool = True,
                 max_payload: int = DEFAULT_MAX_PAYLOAD) -> None:
        """``max_payload``: a longer payload is read up to there only (the rest is skipped on
        disk, never held) and flagged ``payload_over_limit``."""
        self.stats = stats or ReadStats()
        self.resolve_revisits = resolve_revisits
        self.max_payload = max_payload
        self._by_digest: dict[tuple[str, str], _Original] = {}
        self._by_id: dict[str, _Original] = {}

    def responses_in(self, path: Path) -> Iterator[StoredResponse]:
        """The responses of one file.

        Raises WarcError naming the file and the offset of the damaged record, after yielding
        every record before it.
        """
        try:
            stream = open(path, "rb")
        except OSError as error:
            raise WarcError(f"cannot open it: {error.strerror}", path=path) from error
        # A WARC cut or damaged is read up to its last complete record only, found by the
        # scanner `verify` uses (warcio reads a cut gzip member as if it ended cleanly); the
        # damage is raised once those records are out.
        extent = readable_extent(path)
        with stream:
            source = stream if extent.whole else BoundedReader(stream, extent.end)
            try:
                yield from self._read(source, path)
                whole_gzip = False
            except _WholeFileGzip:
                whole_gzip = True
        if whole_gzip:
            # One gzip stream for the whole file (warcio stops after its first record): read it
            # decompressed; offsets then count decompressed bytes, as nothing can seek into it.
            self.stats.records.clear()
            with gzip.open(path, "rb") as whole:
                yield from self._read(whole, path)
        if extent.damage is not None:
            raise extent.damage

    def _read(self, stream: Any, path: Path) -> Iterator[StoredResponse]:
        iterator = ArchiveIterator(stream, arc2warc=True)
        held: list[StoredResponse] = []  # the last response, waiting for its metadata record
        returned = 0
        try:
            for record in iterator:
                self.stats.records[record.rec_type] += 1
                if record.rec_type == "metadata" and held and \
                        record.rec_headers.get_header("WARC-Concurrent-To") == held[0].record_id:
                    held[0] = replace(held[0],
                                      metadata=warc_fields(record.content_stream().read()))
                    continue
                stored = self._response(iterator, record, path)
                if stored is not None:
                    yield from held
                    returned += len(held)
                    held = [stored]
        except _READ_ERRORS as error:
            if "single gzip" in str(error) and not returned:
                raise _WholeFileGzip from error  # nothing returned yet: `held` is read again
            yield from held
            reason = " ".join(str(error).split())  # warcio's messages span lines: one line
            raise WarcError(f"damaged record ({reason}); the records before it were read. "
                            "Run `scraper verify` on it", path=path,
                            offset=iterator.offset) from error
        yield from held
        if isinstance(stream, (gzip.GzipFile, BoundedReader)):
            return  # no file size to compare with: whole-file gzip, or bounded by the scan
        size = os.fstat(stream.fileno()).st_size
        if iterator.offset < size:  # warcio stops quietly at a cut gzip member
            raise WarcError(f"truncated or damaged record ({size - iterator.offset} bytes "
                            "unreadable at the end); the records before it were read. "
                            "Run `scraper verify` or `scraper recover`",
                            path=path, offset=iterator.offset)

    def _response(self, iterator: Any, record: Any, path: Path) -> StoredResponse | None:
        if record.rec_type not in ("response", "revisit"):
            return None
        if record.http_headers is None and record.rec_type == "response":
            self.stats.non_http += 1
            return None
        # Read before get_record_offset(), which skips the rest of the record.
        payload = _read_at_most(record.raw_stream, self.max_payload + 1)
        over = len(payload) > self.max_payload
        iterator.read_to_end(record)
        stored = self._stored(path, record, iterator.get_record_offset(),
                              iterator.get_record_length(),
                              payload[:self.max_payload] if over else payload)
        if over:
            stored = replace(stored, payload_over_limit=True)
        if record.rec_type == "revisit":
            return self._resolve(stored, record) if self.resolve_revisits else None
        if stored.payload_digest:
            original = _Original(path, stored.offset, stored.record_id)
            self._by_digest.setdefault((stored.url, stored.payload_digest), original)
            self._by_id[stored.record_id] = original
        return stored

    def _resolve(self, revisit: StoredResponse, record: Any) -> StoredResponse | None:
        """The revisit with the payload, headers and status of the response it points at."""
        warc = record.rec_headers
        target = warc.get_header("WARC-Refers-To-Target-URI") or revisit.url
        original = self._by_id.get(warc.get_header("WARC-Refers-To") or "") or \
            self._by_digest.get((target, revisit.payload_digest or ""))
        found = read_record_at(original.path, original.offset, original.record_id) \
            if original else None
        if found is None:
            self.stats.revisits_unresolved += 1
            return None
        self.stats.revisits_resolved += 1
        return replace(found, path=revisit.path, offset=revisit.offset, length=revisit.length,
                       record_id=revisit.record_id, url=revisit.url, date=revisit.date,
                       metadata=None, revisit_of=found.record_id)

    def _stored(self, path: Path, record: Any, offset: int, length: int,
                payload: bytes) -> StoredResponse:
        warc = record.rec_headers
        http = record.http_headers
        headers = {name.lower(): value for name, value in (http.headers if http else [])}
        payload = self._undo_chunking(headers, payload)
        try:
            status = int(http.get_statuscode()) if http else 0
        except (TypeError, ValueError):
            status = 0
        return StoredResponse(
            path=path, offset=offset, length=length,
            record_id=warc.get_header("WARC-Record-ID") or "",
            url=warc.get_header("WARC-Target-URI") or "",
            date=warc.get_header("WARC-Date") or "",
            status=status, headers=headers, payload=payload,
            payload_digest=warc.get_header("WARC-Payload-Digest"),
            truncated=warc.get_header("WARC-Truncated"),
        )

    def _undo_chunking(self, headers: dict[str, str], payload: bytes) -> bytes:
        """De-chunk a body stored chunked; what other codings remain stays in the header."""
        codings = transfer_codings(headers.get("transfer-encoding"))
        if "chunked" not in codings or not payload:
            return payload
        dechunked = dechunk(payload)
        if dechunked is not None:
            self.stats.dechunked += 1
            payload = dechunked
        remaining = [coding for coding in codings if coding != "chunked"]
        if remaining:
            headers["transfer-encoding"] = ", ".join(remaining)
        else:
            del headers["transfer-encoding"]
        return payload


def read_record_at(path: Path, offset: int, record_id: str) -> StoredResponse | None:
    """The response with ``record_id`` at ``offset`` of ``path`` (None if it is not there).

    Seeks straight to it in a file compressed per record or not compressed; a whole-file gzip
    cannot seek, so it is read from the start.
    """
    reader = ResponseReader(resolve_revisits=False)
    try:
        with open(path, "rb") as stream:
            stream.seek(offset)
            for stored in reader._read(stream, path):
                if stored.record_id == record_id:
                    return stored
                break
    except (OSError, WarcError, _WholeFileGzip):
        pass
    try:
        for stored in reader.responses_in(path):
            if stored.record_id == record_id:
                return stored
    except (OSError, WarcError):
        pass
    return None


def _read_at_most(stream: Any, size: int) -> bytes:
    """Up to ``size`` bytes: warcio's readers may return less than asked per call."""
    parts, left = [], size
    while left > 0:
        chunk = stream.read(min(left, 1024 * 1024))
        if not chunk:
            break
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


def response_at(path: Path, offset: int) -> StoredResponse:
    """The response record at ``offset`` of ``path`` (with its metadata record, if next),
    de-chunked like every response the reader returns.

    Raises WarcError when the file cannot be read or holds no response record there.
    """
    try:
        stream = open(path, "rb")
    except OSError as error:
        raise WarcError(f"cannot open it: {error.strerror}", path=path) from error
    reader = ResponseReader(resolve_revisits=False)
    with stream:
        stream.seek(offset)
        try:
            for stored in reader._read(stream, path):
                # warcio counts offsets from where it started reading: put the file's back.
                return replace(stored, offset=offset)
        except _WholeFileGzip:
            pass
    raise WarcError("no response record at this offset", path=path, offset=offset)


def warc_fields(block: bytes) -> dict[str, str]:
    fields = {}
    for line in block.decode("utf-8", errors="replace").splitlines():
        name, sep, value = line.partition(":")
        if sep:
            fields[name.strip()] = value.strip()
    return fields
