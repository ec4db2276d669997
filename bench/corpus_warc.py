"""Write corpus pages into one WARC file with the crawler's own record builder and writer.

Each page becomes a request/response pair exactly like a crawl's: a minimal GET, then
``HTTP/1.1 200 OK`` with the page's Content-Type and the page bytes as an uncompressed body.
Every exchange gets the same fixed capture time so re-runs extract the same dates.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone
from email.utils import format_datetime
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlsplit

from archive.exchange import Exchange
from archive.records import exchange_records, target_uri
from archive.warcinfo import CONFORMS_TO
from archive.writer import RollingWarcWriter
from bench.corpus_pages import CorpusPage

CAPTURED_AT = datetime(2026, 11, 25, 12, 0, 0, tzinfo=timezone.utc)
USER_AGENT = "mena-scraper-bench/extraction-quality"
ONE_FILE = 1 << 40  # never roll: every page goes into one WARC file


def raw_get(url: str) -> bytes:
    """The request a crawler would have sent for ``url``: request line, Host, UA, Accept."""
    parts = urlsplit(target_uri(url))
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return (
        f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nUser-Agent: {USER_AGENT}\r\n"
        "Accept: text/html,application/xhtml+xml\r\nAccept-Encoding: identity\r\n\r\n"
    ).encode("ascii")


def raw_response_head(content_type: str, length: int) -> bytes:
    return (
        f"HTTP/1.1 200 OK\r\nDate: {format_datetime(CAPTURED_AT, usegmt=True)}\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {length}\r\n\r\n"
    ).encode("ascii")


def write_corpus_warc(pages: Iterable[CorpusPage], warc_dir: Path) -> tuple[Path, dict[str, str]]:
    """Archive pages into ``warc_dir/bench-....warc.gz``.

    Returns:
        The WARC file, and the page key of every response record ID.
    """
    writer = RollingWarcWriter(
        warc_dir,
        "bench",
        ONE_FILE,
        {
            "software": f"mena-scraper/{version('mena-scraper')} bench/extraction_quality.py",
            "format": "WARC File Format 1.1",
            "conformsTo": CONFORMS_TO,
            "description": "benchmark pages read from the shared corpus, not fetched",
        },
    )
    keys: dict[str, str] = {}
    try:
        for page in pages:
            exchange = Exchange(
                page.url,
                CAPTURED_AT,
                raw_get(page.url),
                raw_response_head(page.content_type, len(page.html)),
                page.html,
            )
            writer.ensure_open()
            built = exchange_records(exchange, redact_secrets=True, warcinfo_id=writer.warcinfo_id)
            writer.write(built.request, built.response)
            keys[built.response_id] = page.key
    finally:
        path = writer.close()
    assert path is not None
    return path, keys
