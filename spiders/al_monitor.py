"""Al-Monitor (English): independent Middle East news and analysis; a paid subscription site.

Provenance of the discovery URLs (this machine has no internet, so none is verified live; run
``scraper sites --check al-monitor`` online):
- The article URL shape ``/originals/YYYY/MM/slug`` is that of the Al-Monitor article seen by a
  naive scraper in ../shared/seed (its text quotes the 2020 "originals" series).
- ``/rss`` and ``/sitemap.xml`` are the site's long-standing feed and sitemap paths as listed in
  public feed directories; unverified here.
Cruft: the subscription box ("Access the Middle East news and analysis you can trust", "Join our
community...", "Subscribe", "Only $100 per year.") and Reuters pool photo credits, as in the seed.
"""

from __future__ import annotations

from scraper.extract.cruft import CruftRules
from scraper.sites.definition import SiteDefinition, Source
from spiders.base import NewsSiteSpider

SITE = SiteDefinition(
    name="al-monitor",
    title="Al-Monitor",
    domains=("al-monitor.com",),
    languages=("en",),
    sources=(
        Source("https://www.al-monitor.com/rss", "rss",
               "the site's RSS path as listed in public feed directories; a public "
               "feed-health audit recorded it answering with items in October 2026 (issue 13)"),
        Source("https://www.al-monitor.com/sitemap.xml", "sitemap-index",
               "conventional sitemap index path; unverified"),
    ),
    article_pattern=r"^/(originals|pulse)/\d{4}/\d{2}/[^/]+",
    deny=(r"^/search", r"/amp/?$", r"/print/?$", r"^/(tag|tags|topics|authors?)/",
          r"[?&]page=\d{2,}"),
    cruft=CruftRules(
        prune_tokens=("paywall-promo", "newsletter-signup", "article-subscribe"),
        drop_patterns=(r"^access the middle east news and analysis you can trust\.?$",
                       r"^join our community of middle east readers\b.*"),
    ),
    paywall="metered",
    politeness={"DOWNLOAD_DELAY": 1.0, "CONCURRENT_REQUESTS_PER_DOMAIN": 2},
    notes="English only; Al-Monitor has no Arabic edition any more. Paywalled 'Pro' memos are "
          "captured but their text is often a teaser (paywalled: true).",
)


class Spider(NewsSiteSpider):
    site = SITE
