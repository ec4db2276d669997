"""cdxj-indexer made to read what we index: each file up to its readable end, records' bodies
raw and bounded, records held in memory with their offsets in the file.

Kept apart from :mod:`archive.index` because cdxj-indexer's imports (pyamf, pkg_resources) cost
0.1 s: a crawl needs them only for an exchange its own index lines cannot describe.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from functools import partial
from typing import Any, TextIO

from cdxj_indexer.main import CDXJIndexer

from archive.extent import BoundedReader

#: Request bodies read for the index key (pywb appends POST/PUT bodies to it), at most.
MAX_INDEXED_REQUEST_BODY = 1024 * 1024


class BoundedRecords:
    """An ArchiveIterator whose records hand the indexer raw, bounded content.

    cdxj-indexer copies every record's ``content_stream()`` to a spool file, and warcio's
    content stream undoes the HTTP Content-Encoding: a 6 MB gzip bomb became 6 GB of temporary
    file and 50 s of CPU at every WARC close. The index only needs the bodies of requests.
    """

    def __init__(self, records: Any) -> None:
        self._records = records

    def __iter__(self) -> Iterator[Any]:
        for record in self._records:
            record.content_stream = partial(bounded_content, record)
            yield record

    def __getattr__(self, name: str) -> Any:  # get_record_offset() and the rest
        return getattr(self._records, name)


def bounded_content(record: Any) -> io.BytesIO:
    if record.rec_type != "request":
        return io.BytesIO()  # warcio skips the rest of the record, still compressed
    parts, left = [], MAX_INDEXED_REQUEST_BODY
    while left > 0 and (chunk := record.raw_stream.read(min(left, 65536))):
        parts.append(chunk)
        left -= len(chunk)
    return io.BytesIO(b"".join(parts))


class BoundedIndexer(CDXJIndexer):  # type: ignore[misc]
    """cdxj-indexer reading each file only up to its readable end (none: the whole file),
    its records' content raw and bounded (``BoundedRecords``)."""

    def __init__(self, out: TextIO, limits: dict[str, int | None]) -> None:
        super().__init__(out, list(limits), sort=True, post_append=True)
        self._limits = limits

    def _create_record_iter(self, input_: Any) -> BoundedRecords:
        return BoundedRecords(super()._create_record_iter(input_))

    def process_one(self, input_: Any, output: Any, filename: str) -> None:
        limit = self._limits.get(filename)
        super().process_one(input_ if limit is None else BoundedReader(input_, limit), output,
                            filename)


class RecordsIndexer(BoundedIndexer):
    """cdxj-indexer over records held uncompressed in memory: offsets and lengths are those of
    their gzip members in the file (``spans``, by offset in the uncompressed bytes)."""

    def __init__(self, out: Any) -> None:
        super().__init__(out, {})
        self.spans: dict[int, tuple[int, int]] = {}

    def get_field(self, record: Any, name: str, it: Any, filename: str) -> Any:
        if name == "offset":
            return str(self.spans[record.file_offset][0])
        if name == "length":
            return str(self.spans[record.file_offset][1])
        return super().get_field(record, name, it, filename)
