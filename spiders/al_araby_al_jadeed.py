"""Al-Araby Al-Jadeed (alaraby.co.uk): London-based Arabic daily, sister of The New Arab.

Provenance of the discovery URLs (this machine has no internet, so none is verified live; run
``scraper sites --check al-araby-al-jadeed`` online):
- ``/rss.xml`` is the feed listed for Al-Araby Al-Jadeed in public open-source feed lists on
  GitHub; another list gives ``/rss``, so the exact path is unverified.
- ``/sitemap.xml`` is Drupal's conventional sitemap path; unverified.
No page of this publisher is in ../shared/corpus. The article URL shape
``/<section>/<Arabic slug>`` (``/politics/...``, ``/society/...``) and the markup of the test
pages (JSON-LD NewsArticle, "<city> ـ <author>" bylines, "اقرأ أيضاً" boxes, captions ending in
an agency credit, newsletter box) are imitated from memory; unverified.
The host also served The New Arab's English edition until about 2021 (alaraby.co.uk/english,
english.alaraby.co.uk); those paths are denied: the English site is ``the-new-arab``.
"""

from __future__ import annotations

from scraper.extract.cruft import CruftRules
from scraper.sites.definition import SiteDefinition, Source
from spiders.base import NewsSiteSpider

ARABY = "https://www.alaraby.co.uk"
#: Caption lines ending in an agency credit: "... (فرانس برس)", "... (Getty)".
AGENCY_CAPTION = r"^.{0,300}[(\[](?:getty|فرانس برس|رويترز|الأناضول|أسوشييتد برس)[)\]]$"

SITE = SiteDefinition(
    name="al-araby-al-jadeed",
    title="العربي الجديد (Al-Araby Al-Jadeed)",
    domains=("alaraby.co.uk",),
    languages=("ar",),
    sources=(
        Source(f"{ARABY}/rss.xml", "rss",
               "listed for Al-Araby Al-Jadeed in public feed lists on GitHub (another gives "
               "/rss); unverified", language="ar"),
        Source(f"{ARABY}/sitemap.xml", "sitemap-index",
               "Drupal's conventional sitemap path; unverified"),
    ),
    # /politics/<Arabic slug>, /society/<Arabic slug>: one English section, one slug.
    article_pattern=r"^/[a-z-]+/[^/]+$",
    deny=(r"^/english(?:/|$)", r"^/(?:search|tags?|topics?|authors?|taxonomy|node)(?:/|$)",
          r"^/(?:videos?|podcasts?|gallery|galleries|live)(?:/|$)", r"/amp/?$", r"[?&]amp\b",
          r"[?&]page=\d{2,}"),
    cruft=CruftRules(
        prune_tokens=("inline-related", "related-articles", "article-newsletter", "article-share",
                      "article-tags", "more-from"),
        drop_patterns=(AGENCY_CAPTION,
                       r"^(اشترك|سجّل|سجل) في النشرة\b.*$",
                       r"^(تابع|تابعوا) العربي الجديد على\b.*$"),
    ),
    paywall="none",
    politeness={"DOWNLOAD_DELAY": 1.0, "CONCURRENT_REQUESTS_PER_DOMAIN": 2},
    notes="Arabic edition only; The New Arab (English, newarab.com) is the site the-new-arab. "
          "Feed, sitemap and article markup unverified: no page of the site is in the corpus.",
)


class Spider(NewsSiteSpider):
    site = SITE
