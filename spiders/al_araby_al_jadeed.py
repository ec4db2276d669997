"""Al-Araby Al-Jadeed (alaraby.co.uk): London-based Arabic daily, sister of The New Arab.

Provenance of the discovery URLs (this machine has no internet, so none is verified live; run
``scraper sites --check al-araby-al-jadeed`` online):
- ``/rss`` is the path most public configs give; ``/rss.xml`` (other feed lists on GitHub)
  answers a plain client and 403s a browser-like one (evidence gathered in issue 13, 2026-12):
  both are candidates of one feed, tried in that order.
- ``/sitemap.xml`` is Drupal's conventional sitemap path; unverified.
No page of this publisher is in ../shared/corpus. Real article URLs (4 gathered in issue 13,
all rejected by the earlier pattern) are root-level Arabic slugs, percent-encoded:
``/%D8%A7%D9%84...``; ``/<section>/<Arabic slug>`` is kept for older links. The markup of the test
pages (JSON-LD NewsArticle, "<city> ـ <author>" bylines, "اقرأ أيضاً" boxes, captions ending in
an agency credit, newsletter box) are imitated from memory; unverified.
The host also served The New Arab's English edition until about 2021 (alaraby.co.uk/english,
english.alaraby.co.uk): the-new-arab owns that path prefix and host (most specific owner wins).
"""

from __future__ import annotations

from scraper.extract.cruft import CruftRules
from scraper.sites.definition import SiteDefinition, Source
from spiders.base import NewsSiteSpider

ARABY = "https://www.alaraby.co.uk"
#: The first letter of an Arabic slug: percent-encoded UTF-8 (%D8%A7...) or as it is.
ARABIC_START = r"(?:%[dD][89abAB]%[89abAB][0-9a-fA-F]|[\u0600-\u06FF])"
#: Caption lines ending in an agency credit: "... (فرانس برس)", "... (Getty)".
AGENCY_CAPTION = r"^.{0,300}[(\[](?:getty|فرانس برس|رويترز|الأناضول|أسوشييتد برس)[)\]]$"

SITE = SiteDefinition(
    name="al-araby-al-jadeed",
    title="العربي الجديد (Al-Araby Al-Jadeed)",
    domains=("alaraby.co.uk",),
    languages=("ar",),
    sources=(
        Source(f"{ARABY}/rss", "rss",
               "the path most public configs give (issue 13, 2026-12); unverified",
               language="ar", group="feed"),
        Source(f"{ARABY}/rss.xml", "rss",
               "public feed lists on GitHub; answers a plain client, 403s a browser-like one "
               "(issue 13, 2026-12)", language="ar", group="feed"),
        Source(f"{ARABY}/sitemap.xml", "sitemap-index",
               "Drupal's conventional sitemap path; unverified"),
    ),
    # Root-level Arabic slugs, percent-encoded (current) or not; /<section>/<Arabic slug>.
    article_pattern=(rf"^/(?:[a-z-]+/)?{ARABIC_START}[^/]*$"),
    deny=(r"^/(?:search|tags?|topics?|authors?|taxonomy|node)(?:/|$)",
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
