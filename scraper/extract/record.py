"""The article record: one JSON object per article, pointing at the WARC record it came from.

The field order is fixed and nothing in a record depends on when or where it was made, so the
same WARC files give byte-identical JSONL (see the README for the schema; the JSON Schema file
``scraper/schema/article.schema.json`` is what the tests validate against).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version
from typing import Any, TypedDict

from scraper import __version__

SCHEMA_VERSION = 1


class EncodingInfo(TypedDict):
    """How the body was decoded: the charset used and what said so."""

    name: str | None
    source: str | None


class CaptureInfo(TypedDict):
    """Where the article's response record is (``CaptureRef.as_dict()``)."""

    warc_file: str
    offset: int
    length: int
    record_id: str
    fetched_at: str
    status: int
    payload_digest: str | None


class ExtractorInfo(TypedDict):
    """What made the record, and a digest of its configuration and site rules."""

    name: str
    version: str
    pipeline: str
    config_sha256: str


class ArticleRecord(TypedDict, total=False):
    """One article record, keys in schema order (``scraper/schema/article.schema.json``).

    Every key is always present in what :func:`build_record` returns, except
    ``near_duplicate_of``, which only an export adds (``scraper.export.near_duplicates``).
    Parquet and CSV columns (``scraper.export.formats.COLUMNS``) follow the same fields.
    """

    id: str
    schema_version: int
    version: int
    previous_version_id: str | None
    url: str
    canonical_url: str | None
    site: str | None
    page_kind: str
    page_evidence: list[str]
    title: str | None
    title_source: str | None
    description: str | None
    standfirst: str | None
    text: str
    text_source: str | None
    authors: list[str]
    authors_source: str | None
    published: str | None
    modified: str | None
    date_source: str | None
    language: str | None
    declared_language: str | None
    section: str | None
    tags: list[str]
    image: str | None
    paywalled: bool | None
    word_count: int
    text_sha256: str | None
    encoding: EncodingInfo | None
    capture: CaptureInfo
    near_duplicate_of: str | None
    extractor: ExtractorInfo


@dataclass(frozen=True)
class CaptureRef:
    """Where the article's response record is: enough to read it back with one seek."""

    warc_file: str  # relative to the collection folder, e.g. "warc/mena-...warc.gz"
    offset: int
    length: int
    record_id: str
    fetched_at: str
    status: int
    payload_digest: str | None

    def as_dict(self) -> CaptureInfo:
        return {"warc_file": self.warc_file, "offset": self.offset, "length": self.length,
                "record_id": self.record_id, "fetched_at": self.fetched_at,
                "status": self.status, "payload_digest": self.payload_digest}


def article_id(url: str, record_id: str) -> str:
    """Stable for a URL and one capture of it: the same WARC record always gives the same id."""
    return hashlib.sha256(f"{url}\n{record_id}".encode()).hexdigest()[:32]


@lru_cache(maxsize=1)
def trafilatura_version() -> str:
    """The installed trafilatura's version, read without importing it (0.16 s, which every
    ``scraper`` command paid through this module)."""
    return version("trafilatura")


def extractor_info(config_sha256: str) -> ExtractorInfo:
    return {"name": "trafilatura", "version": trafilatura_version(),
            "pipeline": f"mena-scraper/{__version__}", "config_sha256": config_sha256}


def build_record(url: str, site: str | None, fields: dict[str, Any], capture: CaptureRef,
                 extractor: ExtractorInfo) -> ArticleRecord:
    """An article record with its keys in schema order."""
    return {
        "id": article_id(url, capture.record_id),
        "schema_version": SCHEMA_VERSION,
        "version": 1,
        "previous_version_id": None,
        "url": url,
        "canonical_url": fields.get("canonical_url"),
        "site": site,
        "page_kind": fields.get("page_kind", "article"),
        "page_evidence": fields.get("page_evidence", []),
        "title": fields.get("title"),
        "title_source": fields.get("title_source"),
        "description": fields.get("description"),
        "standfirst": fields.get("standfirst"),
        "text": fields.get("text", ""),
        "text_source": fields.get("text_source"),
        "authors": fields.get("authors", []),
        "authors_source": fields.get("authors_source"),
        "published": fields.get("published"),
        "modified": fields.get("modified"),
        "date_source": fields.get("date_source"),
        "language": fields.get("language"),
        "declared_language": fields.get("declared_language"),
        "section": fields.get("section"),
        "tags": fields.get("tags", []),
        "image": fields.get("image"),
        "paywalled": fields.get("paywalled"),
        "word_count": fields.get("word_count", 0),
        "text_sha256": fields.get("text_sha256"),
        "encoding": fields.get("encoding"),
        "capture": capture.as_dict(),
        "extractor": extractor,
    }
