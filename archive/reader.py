"""Read response records back from WARC files, with where each one is, for re-extraction."""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from archive.errors import WarcError
from archive.extent import BoundedReader, readable_extent


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
    extent = readable_extent(path)
    with open(path, "rb") as stream:
        iterator = ArchiveIterator(BoundedReader(stream, extent.end))
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
            # framing was checked by the scan, so this is an unparsable HTTP head or header
            yield from held
            raise WarcError(f"unreadable record ({str(error)[:80]}); the records before it "
                            "were read (details: `scraper verify`)", path=path,
                            offset=iterator.offset) from error
        yield from held
    if extent.damage is not None:
        raise extent.damage


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
