"""Article versions: a re-check that finds new text makes version n+1; the same text, nothing.

The decision depends only on the previous version of the same URL, so the crawl (asking the
catalog) and ``scraper extract`` (remembering what it wrote, in capture order) reach the same
versions from the same WARC files.
"""

from __future__ import annotations

from typing import Protocol

from scraper.extract.record import ArticleRecord
from scraper.store.catalog import LatestVersion


class VersionSource(Protocol):
    def latest_version(self, url: str) -> LatestVersion | None: ...


def apply_version(record: ArticleRecord, source: VersionSource) -> ArticleRecord | None:
    """The record with its version set, or None when its text equals the latest version's."""
    previous = source.latest_version(record["url"])
    if previous is not None and previous.text_sha256 == record["text_sha256"]:
        return None
    record["version"] = previous.version + 1 if previous else 1
    record["previous_version_id"] = previous.article_id if previous else None
    return record


class InMemoryVersions:
    """Latest versions of the records seen so far (for ``scraper extract``)."""

    def __init__(self) -> None:
        self._latest: dict[str, LatestVersion] = {}

    def latest_version(self, url: str) -> LatestVersion | None:
        return self._latest.get(url)

    def remember(self, record: ArticleRecord) -> None:
        self._latest[record["url"]] = LatestVersion(record["id"], record["version"],
                                                    record["text_sha256"])


class CatalogVersions(InMemoryVersions):
    """What this run wrote, else the newest version in the catalog (``scraper import``)."""

    def __init__(self, catalog: VersionSource) -> None:
        super().__init__()
        self._catalog = catalog

    def latest_version(self, url: str) -> LatestVersion | None:
        return super().latest_version(url) or self._catalog.latest_version(url)
