"""One exchange into the WARC: request, response (or revisit) and metadata records, in order.

Scrapy-free: the crawl layer's extension (``scraper.crawl.warc_capture``) hands each recorded
:class:`~archive.exchange.Exchange` to :meth:`WarcCapture.archive` and gets back where every
record landed, which is what article records and the catalog cite.
"""

from __future__ import annotations

from dataclasses import dataclass

from archive.exchange import Exchange
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
    """

    def __init__(self, writer: RollingWarcWriter, redact_secrets: bool = True,
                 revisit_lookup: RevisitLookup | None = None) -> None:
        self.writer = writer
        self.redact_secrets = redact_secrets
        self.revisit_lookup = revisit_lookup

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
