"""Read response records back from WARC files, with where each one is, for re-extraction."""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from archive.errors import WarcError


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

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


def iter_responses(paths: Iterable[Path]) -> Iterator[StoredResponse]:
    """Every HTTP response record of the files, in file order.

    Raises WarcError naming the file and the offset of the damaged record, after yielding every
    record before it.
    """
    for path in paths:
        yield from _responses_in(Path(path))


def _responses_in(path: Path) -> Iterator[StoredResponse]:
    try:
        stream = open(path, "rb")
    except OSError as error:
        raise WarcError(f"cannot open it: {error.strerror}", path=path) from error
    with stream:
        iterator = ArchiveIterator(stream)
        held: list[StoredResponse] = []  # the last response, waiting for its metadata record
        try:
            for record in iterator:
                if record.rec_type == "metadata" and held and \
                        record.rec_headers.get_header("WARC-Concurrent-To") == held[0].record_id:
                    held[0] = replace(held[0],
                                      metadata=warc_fields(record.content_stream().read()))
                    continue
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                payload = record.raw_stream.read()  # before get_record_offset(), which skips it
                iterator.read_to_end(record)
                offset = iterator.get_record_offset()
                yield from held
                held = [_stored(path, record, offset, iterator.get_record_length(), payload)]
        except (ArchiveLoadFailed, zlib.error, EOFError, ValueError) as error:
            yield from held
            raise WarcError(f"damaged record ({error}); the records before it were read. "
                            "Run `scraper verify` on it", path=path,
                            offset=iterator.offset) from error
        yield from held
        size = os.fstat(stream.fileno()).st_size
        if iterator.offset < size:  # warcio stops quietly at a cut gzip member
            raise WarcError(f"truncated or damaged record ({size - iterator.offset} bytes "
                            "unreadable at the end); the records before it were read. "
                            "Run `scraper verify` or `scraper recover`",
                            path=path, offset=iterator.offset)


def response_at(path: Path, offset: int) -> StoredResponse:
    """The response record at ``offset`` of ``path`` (with its metadata record, if next).

    Raises WarcError when the file cannot be read or holds no response record there.
    """
    try:
        stream = open(path, "rb")
    except OSError as error:
        raise WarcError(f"cannot open it: {error.strerror}", path=path) from error
    with stream:
        stream.seek(offset)
        iterator = ArchiveIterator(stream)
        found: StoredResponse | None = None
        try:
            for record in iterator:
                if found is None:
                    if record.rec_type != "response" or record.http_headers is None:
                        break
                    payload = record.raw_stream.read()
                    iterator.read_to_end(record)
                    found = _stored(path, record, offset, iterator.get_record_length(),
                                    payload)
                    continue
                if record.rec_type == "metadata" and \
                        record.rec_headers.get_header("WARC-Concurrent-To") == found.record_id:
                    found = replace(found, metadata=warc_fields(record.content_stream().read()))
                break
        except (ArchiveLoadFailed, zlib.error, EOFError, ValueError) as error:
            if found is None:
                raise WarcError(f"damaged record ({error})", path=path, offset=offset) from error
    if found is None:
        raise WarcError("no response record at this offset", path=path, offset=offset)
    return found


def warc_fields(block: bytes) -> dict[str, str]:
    fields = {}
    for line in block.decode("utf-8", errors="replace").splitlines():
        name, sep, value = line.partition(":")
        if sep:
            fields[name.strip()] = value.strip()
    return fields


def _stored(path: Path, record: object, offset: int, length: int, payload: bytes) -> StoredResponse:
    warc = record.rec_headers  # type: ignore[attr-defined]
    http = record.http_headers  # type: ignore[attr-defined]
    headers = {name.lower(): value for name, value in http.headers}
    try:
        status = int(http.get_statuscode())
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
