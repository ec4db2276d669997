"""During a crawl: index every capture and article in the catalog, and offer revisit lookups."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from archive.capture import ArchivedExchange, WarcCaptureExtension, exchange_archived
from archive.records import RevisitTarget, warc_date
from scraper.catalog import CATALOG_NAME, CatalogStore, LatestVersion

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

_STORES: dict[Path, CatalogStore] = {}


def shared_store(path: Path) -> CatalogStore:
    """One connection per catalog file per process (several site crawlers share it)."""
    key = Path(path).resolve()
    if key not in _STORES:
        _STORES[key] = CatalogStore(key)
    return _STORES[key]


class CatalogExtension:
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("SCRAPER_CATALOG_ENABLED"):
            raise NotConfigured
        self.crawler = crawler
        self.run_id = settings.get("SCRAPER_RUN_ID")
        self.store = shared_store(Path(settings.get("SCRAPER_DATA_DIR")) / CATALOG_NAME)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CatalogExtension:
        extension = cls(crawler)
        crawler.signals.connect(extension.engine_started, signal=signals.engine_started)
        crawler.signals.connect(extension.archived, signal=exchange_archived)
        return extension

    def engine_started(self) -> None:
        for extension in self.crawler.extensions.middlewares:
            if isinstance(extension, WarcCaptureExtension):
                extension.revisit_lookup = self.earlier_identical

    def earlier_identical(self, url: str, payload_digest: str) -> RevisitTarget | None:
        last = self.store.last_capture(url, full_only=True)
        if last is None or last.payload_digest != payload_digest or last.status != 200:
            return None
        return RevisitTarget(last.record_id, url, last.fetched_at)

    def archived(self, request: Any, response: Any, capture: ArchivedExchange) -> None:
        self.store.add_capture(
            record_id=capture.response_id, record_type="revisit" if capture.revisit else
            "response", url=capture.exchange.url, site=(capture.metadata or {}).get("site"),
            fetched_at=warc_date(capture.exchange.started_at), status=response.status,
            payload_digest=capture.payload_digest,
            warc_file=f"warc/{capture.response.warc_file}", offset=capture.response.offset,
            length=capture.response.length, refers_to=capture.refers_to, run_id=self.run_id)

    def latest_version(self, url: str) -> LatestVersion | None:
        return self.store.latest_version(url)

    def article_written(self, record: dict[str, Any], jsonl_file: str, line: int) -> None:
        self.store.add_article(
            id=record["id"], url=record["url"], canonical_url=record["canonical_url"],
            site=record["site"], version=record["version"],
            previous_id=record["previous_version_id"], text_sha256=record["text_sha256"],
            title=record["title"], published=record["published"], language=record["language"],
            fetched_at=record["capture"]["fetched_at"],
            capture_record_id=record["capture"]["record_id"], jsonl_file=jsonl_file,
            jsonl_line=line, run_id=self.run_id)
