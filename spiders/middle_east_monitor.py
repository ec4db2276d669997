"""Middle East Monitor (middleeastmonitor.com, "MEMO"): London-based news and opinion site on
the Middle East, published on WordPress.

Provenance of the discovery URLs (this machine has no internet, so none is verified live; run
``scraper sites --check middle-east-monitor`` online):
- ``/feed/`` is the WordPress feed, given for MEMO by many independent public feed lists on
  GitHub (one lists it as unreachable from its host); unverified here.
- ``/news-sitemap.xml`` is the news sitemap a public scraper on GitHub reads; unverified.
No page of this publisher is in ../shared/corpus. The article URL shape ``/YYYYMMDD-slug/``
comes from many links to the site in public repositories; the test pages imitate its WordPress
markup from memory.
"""

from __future__ import annotations

from scraper.extract.cruft import CruftRules
from scraper.sites.definition import SiteDefinition, Source
from spiders.base import NewsSiteSpider

SITE = SiteDefinition(
    name="middle-east-monitor",
    title="Middle East Monitor",
    domains=("middleeastmonitor.com",),
    languages=("en",),
    sources=(
        Source("https://www.middleeastmonitor.com/feed/", "rss",
               "WordPress feed, given by many public feed lists on GitHub; a public "
               "feed-health audit recorded it answering with items in October 2026 (issue 13)"),
        Source("https://www.middleeastmonitor.com/news-sitemap.xml", "news-sitemap",
               "read by a public scraper on GitHub; unverified"),
    ),
    article_pattern=r"^/\d{8}-[^/]+/?$",
    deny=(r"^/(tag|category|author|page|search|topics?)/", r"[?&]s=", r"/amp/?$",
          r"/feed/?$", r"/embed/?$", r"/page/\d{2,}/?$"),
    cruft=CruftRules(
        prune_tokens=("memo-related", "post-tags", "entry-tags", "comments-area", "disqus"),
        drop_patterns=(
            # "Read: <headline of another MEMO story>" lines inside the body.
            r"^read:\s*.{1,200}$",
            r"^the views expressed in this article belong to the author\b.*$",
            # Photo captions end with the credit in brackets: "[Name/Anadolu Agency]".
            r"^.{0,300}\[[^\]]{0,120}(anadolu|getty|reuters|afp|apaimages|photo|file)"
            r"[^\]]{0,80}\]\.?$",
            r"^show comments$",
        ),
    ),
    paywall="none",
    politeness={"DOWNLOAD_DELAY": 1.0, "CONCURRENT_REQUESTS_PER_DOMAIN": 2},
    notes="English site only (MEMO's Arabic and other-language content, if any, is not "
          "covered). Free to read. Feed and sitemap paths and markup unverified: no page in the "
          "corpus.",
)


class Spider(NewsSiteSpider):
    site = SITE
