"""Read WARC files back with warcio (a third-party reader) for assertions in tests."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator


@dataclass
class WarcRecord:
    file: str
    offset: int
    type: str
    headers: dict[str, str]
    http_status_line: str | None
    http_headers: list[tuple[str, str]]
    payload: bytes  # the stored payload, exactly as in the file (no content decoding)

    def header(self, name: str) -> str | None:
        return self.headers.get(name)

    def http_values(self, name: str) -> list[str]:
        return [v for n, v in self.http_headers if n.lower() == name.lower()]

    @property
    def uri(self) -> str:
        return self.headers.get("WARC-Target-URI", "")


def read_records(paths: Iterable[Path]) -> list[WarcRecord]:
    records = []
    for path in paths:
        with open(path, "rb") as stream:
            iterator = ArchiveIterator(stream, check_digests=True)
            for record in iterator:
                http = record.http_headers
                payload = record.raw_stream.read()
                records.append(WarcRecord(
                    file=path.name, offset=iterator.get_record_offset(),
                    type=record.rec_type, headers=dict(record.rec_headers.headers),
                    http_status_line=(f"{http.protocol} {http.statusline}" if http else None),
                    http_headers=list(http.headers) if http else [], payload=payload))
    return records


def responses_for(records: list[WarcRecord], url: str) -> list[WarcRecord]:
    return [r for r in records if r.type == "response" and r.uri == url]


def assert_indexes_as_read_back(data: Path, scratch: Path) -> None:
    """Each closed WARC's index, made while the crawl wrote it, is byte for byte the one
    cdxj-indexer writes reading the closed file back (``archive.index.write_cdxj``)."""
    from archive.index import write_cdxj

    files = sorted((data / "warc").glob("*.warc.gz"))
    assert files
    for path in files:
        made = (data / "indexes" / (path.name + ".cdxj")).read_bytes()
        assert made == write_cdxj(path, scratch).read_bytes(), path.name
    assert not list((data / "indexes").glob(".*.tmp"))  # no lines left behind
