"""Sources and pages that went over a limit: counted, logged with their URL, kept for the manifest.

Every limit is a setting (settings.py, "Limits"). A feed or sitemap over one is a failed source:
the spider keeps what it read up to the limit and reports it here; a page whose body expands
past ``EXTRACT_MAX_DECODED_BYTES`` is reported by the extraction (it is counted there, as
``extract/failed/limit``). Either way the message names the URL and the limit, appears in the
run manifest's errors, and the run exits 1; other sites of the run are not affected.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

#: Limit messages quoted in the run manifest per site; the rest are only counted.
MAX_REPORTED_LIMITS = 20


class LimitsReport:
    """The crawl component (an extension) that collects limit failures of one crawler."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.messages: list[str] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LimitsReport:
        return cls(crawler)

    def exceeded(self, url: str, message: str, *, counted_elsewhere: bool = False) -> None:
        """Record that ``url`` went over a limit; ``message`` names the limit.

        Args:
            url: the source or page.
            message: what went over which setting, e.g. str(LimitExceeded).
            counted_elsewhere: the failure is already in the site's ``failed`` count (an
                extraction failure); it is only quoted in the manifest.
        """
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value("limits/exceeded")
        if not counted_elsewhere:
            stats.inc_value("limits/failed")
        if len(self.messages) < MAX_REPORTED_LIMITS:
            self.messages.append(f"{url}: {message}")
        logger.warning("Limit reached, %s failed: %s", url, message)


def limits_of(crawler: Crawler) -> LimitsReport | None:
    """The crawler's limits report (None when the extension is not installed)."""
    return crawler.get_extension(LimitsReport)
