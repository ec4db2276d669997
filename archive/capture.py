"""One exchange into the WARC: request, response (or revisit) and metadata records, in order.

Scrapy-free: the crawl layer's extension (``scraper.crawl.warc_capture``) hands each recorded
:class:`~archive.exchange.Exchange` to :meth:`WarcCapture.archive` and gets back where every
record landed, which is what article records and the catalog cite.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from archive.exchange import Exchange
from archive.index import RunningIndex
from archive.records import RevisitLookup, exchange_records, metadata_record
from archive.writer import RecordLocation, RollingWarcWriter


@dataclass(frozen=True)
class ArchivedExchange:
    """Where one exchange's records are: the response record is what article records cite."""

    response_id: str
    request_id: str
    response: RecordLocation
    request: RecordLocation
    exchange: Exchange
    payload_digest: str
    metadata: dict[str, str] | None = None
    refers_to: str | None = None  # a revisit record: the earlier record with the same payload

    @property
    def revisit(self) -> bool:
        return self.refers_to is not None


class WarcCapture:
    """Writes exchanges to a rolling writer.

    Args:
        writer: where records go.
        redact_secrets: replace the values of credential headers (see ``archive.http_message``).
        revisit_lookup: finds an earlier capture with the same payload (a ``revisit`` is
            written instead of the body); None writes every body in full.
        index_dir: where each file's CDXJ index is made as its records are written
            (:class:`~archive.index.RunningIndex`, taken with :meth:`take_index` once the file
            is closed); None makes none.
    """

    def __init__(self, writer: RollingWarcWriter, redact_secrets: bool = True,
                 revisit_lookup: RevisitLookup | None = None,
                 index_dir: Path | None = None) -> None:
        self.writer = writer
        self.redact_secrets = redact_secrets
        self.revisit_lookup = revisit_lookup
        self.index_dir = index_dir
        self._indexes: dict[str, RunningIndex] = {}
        if index_dir is not None:
            writer.on_written = self._index_records

    def archive(self, exchange: Exchange, metadata: dict[str, str] | None = None
                ) -> ArchivedExchange:
        self.writer.ensure_open()
        built = exchange_records(exchange, self.redact_secrets, self.writer.warcinfo_id,
                                 revisit_lookup=self.revisit_lookup)
        records = [built.request, built.response]
        if metadata:
            records.append(metadata_record(metadata, exchange, built.response_id,
                                           self.writer.warcinfo_id))
        request_at, response_at = self.writer.write(*records)[:2]
        return ArchivedExchange(built.response_id, built.request_id, response_at, request_at,
                                exchange, built.payload_digest, metadata, built.refers_to)

    def _index_records(self, records: tuple[bytes, ...], locations: list[RecordLocation]
                       ) -> None:
        assert self.index_dir is not None
        name = locations[0].warc_file
        running = self._indexes.get(name)
        if running is None:
            running = self._indexes[name] = RunningIndex(name, self.index_dir)
        running.add(list(records), [(where.offset, where.length) for where in locations])

    def take_index(self, warc_name: str) -> RunningIndex | None:
        """The index made for a file while it was written (None: none was), handed over once."""
        return self._indexes.pop(warc_name, None)

    def discard_indexes(self) -> None:
        """Drop the indexes of files not closed (left ``.open``: recovery indexes them)."""
        for running in self._indexes.values():
            running.discard()
        self._indexes.clear()
