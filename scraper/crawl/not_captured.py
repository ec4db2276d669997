"""During a crawl: what discovery found and the run could not fetch, and why.

A researcher needs to know what is missing from a collection: an article a feed listed but the
site blocked, refused, or did not answer in time. Each such URL is kept with its reason in the
run manifest (``not_captured``) and in the catalog's ``not_captured`` table, which
``scraper reindex`` rebuilds from the manifests.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import NotConfigured

from scraper.crawl.catalog_extension import catalog_of
from scraper.errors import StorageError

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class NotCapturedExtension:
    def __init__(self, crawler: Crawler) -> None:
        if not crawler.settings.getbool("WARC_ENABLED"):
            raise NotConfigured
        self.crawler = crawler
        self.run_id = crawler.settings.get("SCRAPER_RUN_ID")
        self.entries: list[dict[str, str]] = []
        self._seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NotCapturedExtension:
        return cls(crawler)

    def record(self, url: str, site: str, reason: str, metadata: dict[str, Any]) -> None:
        """Keep ``url`` as discovered, not captured (once per run), counted and logged."""
        if url in self._seen:
            return
        self._seen.add(url)
        entry = {"url": url, "site": site, "reason": reason,
                 "discovered_by": str(metadata.get("discovered-by", "")),
                 "via": str(metadata.get("via", "")),
                 "seen_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        self.entries.append(entry)
        kind = reason.split(":", 1)[0].split(" ", 1)[0]
        self.crawler.stats.inc_value("not_captured/count")
        self.crawler.stats.inc_value(f"not_captured/{kind}")
        logger.info("Discovered, not captured: %s (%s)", url, reason)
        catalog = catalog_of(self.crawler)
        if catalog is None:
            return
        try:
            catalog.store.add_not_captured(**entry, run_id=self.run_id)
        except StorageError as error:  # the manifest still lists it; reindex restores it
            self.crawler.stats.inc_value("not_captured/catalog_errors")
            logger.error("Could not catalog %s as not captured: %s", url, error)


def not_captured_of(crawler: Crawler) -> NotCapturedExtension | None:
    return crawler.get_extension(NotCapturedExtension)
