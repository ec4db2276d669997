"""Stream the records of one WARC file: gzip members, record framing, recomputed digests.

``scan_records`` reads a file once (one gzip member per record, or plain WARC) and yields
each complete record with its block and payload digests already recomputed and the problems
found inside it. Verification (``archive.verify``) and recovery of ``.open`` files
(``archive.recovery``) both use it, so "valid" means the same thing in both places.
"""

from __future__ import annotations

import re
import zlib
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Literal

from archive.digests import Digest
from archive.errors import WarcError

READ_SIZE = 1 << 20
MAX_OUTPUT = 4 << 20  # bounds memory when a small member inflates to a huge block
MAX_HEADER = 1 << 20  # a WARC or HTTP head longer than this is garbage, not a record
GZIP_MAGIC = b"\x1f\x8b"
EXCHANGE_TYPES = frozenset({"request", "response", "revisit"})
RECOVER_HINT = "run `scraper recover` once no crawl is writing it"
CUT_MEMBER = ("the file ends inside a gzip member: it was cut while being written; "
              f"if it is a .open file, {RECOVER_HINT}")
SHARED_MEMBER = ("several records share one gzip member: pywb cannot seek to them; "
                 "rewrite the file with `warcio recompress`")

Severity = Literal["error", "warning"]

_HTTP_HEAD_END = re.compile(rb"\n\r?\n")
_VERSION_LINE = re.compile(r"WARC/(\d+\.\d+)\Z")
#: The blank line ending a WARC head; some tools (or a checkout's line-end conversion) write
#: \r\r\n or \n, which warcio reads too.
_HEAD_END = re.compile(rb"\r*\n\r*\n")
_LINE_END = re.compile(r"\r*\n")
#: Drafts before WARC/1.0 that other tools wrote (Heritrix 1, 2008): read, with a warning.
OLD_VERSIONS = ("0.17", "0.18")


@dataclass
class ScannedRecord:
    """A complete record: where it sits in the file, its WARC headers, what is wrong in it.

    ``end`` is the first byte after the record's gzip member, a safe place to cut the file.
    """

    offset: int
    end: int
    version: str
    headers: list[tuple[str, str]]
    problems: list[tuple[Severity, str]] = field(default_factory=list)

    def get(self, name: str) -> str | None:
        values = self.get_all(name)
        return values[0] if values else None

    def get_all(self, name: str) -> list[str]:
        name = name.lower()
        return [value for key, value in self.headers if key.lower() == name]

    @property
    def rec_type(self) -> str:
        return self.get("WARC-Type") or ""


class _FramingError(Exception):
    """The stream cannot be cut into records from here on."""

    def __init__(self, message: str, start: int) -> None:
        super().__init__(message)
        self.message = message
        self.start = start


class _OpenRecord:
    """A record whose block is streaming past: counts it and feeds its digests."""

    def __init__(self, record: ScannedRecord, length: int, digests: bool = True) -> None:
        self.record = record
        self.remaining = length
        self.trailer = b""
        block, payload = record.get("WARC-Block-Digest"), record.get("WARC-Payload-Digest")
        if not digests:  # framing only (archive.extent): the digests are verify's business
            block = payload = None
        self.block = Digest("WARC-Block-Digest", block) if block else None
        # a revisit's payload digest names the original payload; a segment's, the whole payload
        skip_payload = record.rec_type == "revisit" or record.get("WARC-Segment-Number")
        self.payload = Digest("WARC-Payload-Digest", payload) if payload else None
        if skip_payload:
            self.payload = None
        is_http = (record.get("Content-Type") or "").startswith("application/http")
        self.http_head: bytearray | None = None
        if self.payload and is_http and record.rec_type in EXCHANGE_TYPES:
            self.http_head = bytearray()  # the payload starts after the HTTP headers
        if not digests:
            return
        if not block:
            record.problems.append(("warning", "no WARC-Block-Digest: cannot check the block"))
        if record.rec_type == "response" and not payload:
            record.problems.append(("warning", "response has no WARC-Payload-Digest"))

    def feed(self, data: memoryview) -> None:
        self.remaining -= len(data)
        if self.block and self.block.hash:
            self.block.hash.update(data)
        if not (self.payload and self.payload.hash):
            return
        if self.http_head is None:
            self.payload.hash.update(data)
            return
        searched = max(0, len(self.http_head) - 2)
        self.http_head += data
        match = _HTTP_HEAD_END.search(self.http_head, searched)
        if match:
            self.payload.hash.update(self.http_head[match.end():])
            self.http_head = None
        elif len(self.http_head) > MAX_HEADER:
            self.record.problems.append(("error", "HTTP headers do not end within 1 MiB"))
            self.payload = None

    def finish(self, stop: int) -> ScannedRecord:
        for digest in (self.block, self.payload):
            message = digest.problem() if digest else None
            if message:
                self.record.problems.append(("error", message))
        self.record.end = stop
        return self.record


def _parse_head(head: bytes, start: int, digests: bool = True) -> _OpenRecord:
    """Parse the WARC header lines of one record (everything before the blank line)."""
    text = head.decode("utf-8", errors="replace")
    lines = _LINE_END.split(text)
    match = _VERSION_LINE.match(lines[0].strip())
    if not match:
        raise _FramingError(f"not a WARC record: first line is {lines[0][:60]!r}", start)
    record = ScannedRecord(start, start, lines[0].strip(), [])
    if text.count("\r\n") != len(lines) - 1:
        record.problems.append(("warning", "WARC header lines do not end in \\r\\n "
                                "(warcio and pywb read them)"))
    if match.group(1) in OLD_VERSIONS:
        record.problems.append(("warning", f"{record.version} is a draft older than WARC/1.0: "
                                "read, but checked against WARC/1.0"))
    elif match.group(1) not in ("1.0", "1.1"):
        record.problems.append(("error", f"WARC version {lines[0]!r} is not 1.0 or 1.1"))
    for line in lines[1:]:
        if line[:1] in (" ", "\t") and record.headers:  # folded continuation line
            name, value = record.headers[-1]
            record.headers[-1] = (name, value + " " + line.strip())
        elif ":" in line:
            name, _, value = line.partition(":")
            record.headers.append((name.strip(), value.strip()))
        else:
            record.problems.append(("error", f"malformed WARC header line {line[:60]!r}"))
    for name in ("WARC-Type", "WARC-Record-ID", "WARC-Date"):
        if not record.get(name):
            record.problems.append(("error", f"missing {name}"))
    length = record.get("Content-Length") or ""
    if not length.isdigit():
        raise _FramingError(f"Content-Length {length!r} is missing or not a number", start)
    return _OpenRecord(record, int(length), digests)


class _RecordParser:
    """Cuts a stream of (decompressed) bytes into records; positions count stream bytes."""

    def __init__(self, gzip: bool = False, digests: bool = True) -> None:
        self.digests = digests
        self.pos = 0
        self.gzip = gzip  # a member's end also ends the record in it
        self.completed: list[ScannedRecord] = []
        self._head = bytearray()
        self._head_start = 0
        self._record: _OpenRecord | None = None

    @property
    def between_records(self) -> bool:
        return self._record is None and not self._head

    @property
    def record_start(self) -> int:
        return self._record.record.offset if self._record else self._head_start

    def take(self) -> list[ScannedRecord]:
        done, self.completed = self.completed, []
        return done

    def feed(self, data: bytes) -> None:
        view = memoryview(data)
        at = 0
        while at < len(view):
            if self._record is None:
                at = self._feed_head(view, at)
            elif self._record.remaining:
                at = self._feed_block(view, at)
            else:
                at = self._feed_trailer(view, at)
        self.pos += len(view)

    def _feed_head(self, view: memoryview, at: int) -> int:
        if not self._head:
            while at < len(view) and view[at] in (0x0D, 0x0A):  # blank lines between records
                at += 1
            self._head_start = self.pos + at
        piece = view[at:at + 16384]
        searched = max(0, len(self._head) - 8)
        self._head += piece
        found = _HEAD_END.search(self._head, searched)
        if found is None:
            if len(self._head) > MAX_HEADER:
                raise _FramingError("WARC headers do not end within 1 MiB", self._head_start)
            return at + len(piece)
        end = found.start()
        used = found.end() - (len(self._head) - len(piece))
        self._record = _parse_head(bytes(self._head[:end]), self._head_start, self.digests)
        self._head = bytearray()
        return at + used

    def _feed_block(self, view: memoryview, at: int) -> int:
        assert self._record is not None
        piece = view[at:at + self._record.remaining]
        self._record.feed(piece)
        return at + len(piece)

    def _feed_trailer(self, view: memoryview, at: int) -> int:
        record = self._record
        assert record is not None
        if not record.trailer:  # the common case: exactly \r\n\r\n
            if bytes(view[at:at + 4]) == b"\r\n\r\n":
                record.trailer = b"\r\n\r\n"
                self._complete(self.pos + at + 4)
                return at + 4
        while at < len(view) and view[at] in (0x0D, 0x0A) and len(record.trailer) < 16:
            record.trailer += bytes(view[at:at + 1])
            at += 1
        if record.trailer == b"\r\n\r\n":
            self._complete(self.pos + at)
        elif at < len(view):
            if view[at] != ord("W") or len(record.trailer) >= 16:
                raise _FramingError("record is not followed by \\r\\n\\r\\n: its Content-Length "
                                    "is wrong or the data is damaged", record.record.offset)
            self._complete(self.pos + at)  # the next record starts right away
        return at

    def _complete(self, stop: int) -> None:
        record = self._record
        assert record is not None
        if record.trailer and record.trailer != b"\r\n\r\n":
            record.record.problems.append((
                "warning", f"record is followed by {record.trailer!r}, not \\r\\n\\r\\n: its "
                "Content-Length may be off (warcio and pywb read it)"))
        elif not record.trailer:
            record.record.problems.append((
                "warning", "record is not followed by \\r\\n\\r\\n: its Content-Length "
                "may take in the separator (warcio and pywb read it)"))
        self.completed.append(record.finish(stop))
        self._record = None

    def end_of_stream(self) -> None:
        """A gzip member or the file ended: a record whose block is complete ends here too."""
        if self._record is not None and not self._record.remaining:
            if self._record.trailer or self.gzip:
                self._complete(self.pos)


def scan_records(fh: BinaryIO, path: Path, digests: bool = True) -> Iterator[ScannedRecord]:
    """Yield the complete records of one WARC file (gzip or plain), reading it once.

    Records come with block and payload digests recomputed (unless ``digests`` is False: then
    only the framing is checked, as ``archive.extent`` needs). Offsets are file offsets (the
    record's gzip member when compressed).

    Raises:
        WarcError: at the first byte from which the file cannot be cut into records
            (damaged gzip, not a WARC record, file ending inside a record or member).
    """
    data = fh.read(READ_SIZE)
    if data[:2] == GZIP_MAGIC:
        yield from _scan_gzip(fh, data, path, digests)
    else:
        yield from _scan_plain(fh, data, path, digests)


def _scan_plain(fh: BinaryIO, data: bytes, path: Path, digests: bool = True
                ) -> Iterator[ScannedRecord]:
    parser = _RecordParser(digests)
    while data:
        try:
            parser.feed(data)
        except _FramingError as error:
            raise WarcError(error.message, path=path, offset=error.start) from None
        yield from parser.take()
        data = fh.read(READ_SIZE)
    parser.end_of_stream()
    yield from parser.take()
    if not parser.between_records:
        raise WarcError("the file ends inside a record: it was cut while being written",
                        path=path, offset=parser.record_start)


def _scan_gzip(fh: BinaryIO, data: bytes, path: Path, digests: bool = True
               ) -> Iterator[ScannedRecord]:
    parser = _RecordParser(gzip=True, digests=digests)
    members: list[tuple[int, int]] = []  # (stream position, file offset) since the last boundary
    file_pos = 0
    shared_warned = False
    while data:
        if len(data) < 2:
            data += fh.read(READ_SIZE)
        if len(data) < 2:  # the writer was killed after the first byte of a member
            raise WarcError(CUT_MEMBER, path=path, offset=file_pos)
        if data[:2] != GZIP_MAGIC:
            raise WarcError("data after the last gzip member is not gzip; the file was damaged "
                            "or appended to by another program", path=path, offset=file_pos)
        members.append((parser.pos, file_pos))
        try:
            data, file_pos = _inflate_member(fh, data, file_pos, parser, path)
        except _FramingError as error:
            raise WarcError(error.message, path=path,
                            offset=_member_offset(members, error.start)) from None
        if parser.between_records:
            for record in parser.take():
                if _place(record, members, file_pos) and not shared_warned:
                    record.problems.append(("warning", SHARED_MEMBER))
                    shared_warned = True
                yield record
            members.clear()
        if not data:
            data = fh.read(READ_SIZE)
    if not parser.between_records:
        raise WarcError("the file ends inside a record spread over several gzip members",
                        path=path, offset=_member_offset(members, parser.record_start))


def _inflate_member(fh: BinaryIO, data: bytes, file_pos: int, parser: _RecordParser,
                    path: Path) -> tuple[bytes, int]:
    """Inflate the gzip member starting at ``data`` into the parser; return what follows it."""
    start = file_pos
    inflater = zlib.decompressobj(31)
    pending = False  # zlib may hold more output for input it has already taken
    while True:
        if not data and not pending:
            data = fh.read(READ_SIZE)
            if not data:
                raise WarcError(CUT_MEMBER, path=path, offset=start)
        try:
            out = inflater.decompress(data, MAX_OUTPUT)
        except zlib.error as error:
            raise WarcError(f"damaged gzip member ({error})", path=path, offset=start) from None
        left = inflater.unused_data if inflater.eof else inflater.unconsumed_tail
        file_pos += len(data) - len(left)
        data = left
        pending = len(out) == MAX_OUTPUT
        parser.feed(out)
        if inflater.eof:
            parser.end_of_stream()
            return data, file_pos


def _member_offset(members: list[tuple[int, int]], stream_pos: int) -> int:
    """File offset of the gzip member holding stream position ``stream_pos``."""
    index = max(0, bisect_right([pos for pos, _ in members], stream_pos) - 1)
    return members[index][1]


def _place(record: ScannedRecord, members: list[tuple[int, int]], end: int) -> bool:
    """Turn stream positions into file offsets; true if the record shares its gzip member."""
    positions = [pos for pos, _ in members]
    index = max(0, bisect_right(positions, record.offset) - 1)
    member_pos, offset = members[index]
    if index + 1 < len(members) and record.end > positions[index + 1]:
        record.problems.append(("error", "record continues into the next gzip member; warcio "
                                "and pywb expect one record per member"))
    shares = record.offset != member_pos
    record.offset, record.end = offset, end
    return shares
