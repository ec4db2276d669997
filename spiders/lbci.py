"""LBCI (lbcgroup.tv): Lebanese Broadcasting Corporation International's news, Arabic and English.

Provenance of the discovery URLs (this machine has no internet, so none is verified live; run
``scraper sites --check lbci`` online):
- ``/Rss/latest-news/en`` and ``/newssitemap.xml`` are sources of fundus' LBC publisher
  (flairNLP/fundus, ``src/fundus/publishers/lb/__init__.py``), which dropped ``/sitemap.xml``
  in January 2026 (issue 13); it is no longer read here either. Feed links carry ``?src=rss``,
  dropped before deduplication.
- ``/Rss/latest-news/ar`` is the Arabic twin of the English feed by analogy; unverified. The
  Arabic page in ../shared/corpus links its footer RSS icon to ``/rss/ar``, probably the feed
  directory rather than a feed, so it is not used as a source.
The article URL shape ``/news/<section>/<id>/<slug>/<ar|en>`` (also ``/sports/...``), the
ASP.NET markup (``LongDesc`` body, ``lblDate``, share bar, injected "مقالات ذات صلة" block,
previous/next teasers) and the JSON-LD with ``datePublished`` in UTC come from the real Arabic
page in ../shared/corpus/pages/lbcgroup/. The English template is assumed to be the same.
"""

from __future__ import annotations

from scraper.extract.cruft import CruftRules
from scraper.sites.definition import SiteDefinition, Source
from spiders.base import NewsSiteSpider

LBCI = "https://www.lbcgroup.tv"

SITE = SiteDefinition(
    name="lbci",
    title="LBCI",
    domains=("lbcgroup.tv",),
    languages=("ar", "en"),
    sources=(
        Source(f"{LBCI}/Rss/latest-news/en", "rss",
               "fundus LBC publisher (flairNLP/fundus src/fundus/publishers/lb); unverified",
               language="en"),
        Source(f"{LBCI}/Rss/latest-news/ar", "rss",
               "Arabic twin of the English feed by analogy; unverified", language="ar"),
        Source(f"{LBCI}/newssitemap.xml", "news-sitemap",
               "fundus LBC publisher (flairNLP/fundus src/fundus/publishers/lb); unverified"),
    ),
    # Feed links carry ?src=rss: the same article would be fetched twice.
    drop_params=("src",),
    # /news/lebanon/898682/<slug>/ar, /sports/sports/898700/<slug>/en; not /news/category/29/...
    # Legacy /news/d/<section>/<id>/<slug>/en (real URLs gathered in issue 13).
    article_pattern=(r"^/(?:news|sports)/(?!category/)[^/]+/\d+/[^/]+/(?:ar|en)$"
                     r"|^/news/d/[^/]+/\d+/[^/]+/(?:ar|en)$"),
    deny=(r"^/search/", r"^/(?:news|sports|infographics)/category/", r"^/weather-",
          r"^/live-watch/", r"^/episodes/", r"^/schedule/", r"^/shows/",
          r"^/(?:latest-news|popular-news|breaking-news|news-highlights|videos-reports)/",
          r"[?&]page=\d{2,}"),
    cruft=CruftRules(
        # Share bar, "time to read" badge, view counter, tag list, previous/next teasers and
        # the "related articles" control the page injects into the body with script.
        prune_tokens=("article_details_share", "ShareDiv", "article_details_time_to_read",
                      "viewsState", "article_details_tags", "article_details_prev_next",
                      "injectedControl", "card-module"),
        prune_xpaths=("//bannerinjection", "//controlinjection",
                      "//div[contains(concat(' ', normalize-space(@class), ' '), ' mycontrol ')]"),
        drop_patterns=(r"^مقالات ذات صلة$", r"^related articles$",
                       r"^(التالي|السابق|next|previous)$", r"^مشاهدات عالية$", r"^\d+\s*min$"),
    ),
    paywall="none",
    politeness={"DOWNLOAD_DELAY": 1.0, "CONCURRENT_REQUESTS_PER_DOMAIN": 2},
    notes="Arabic and English news of lbcgroup.tv (one host; the edition is the last path "
          "segment). Video-only pages, live streams, programme episodes and weather pages are "
          "not followed. JSON-LD isAccessibleForFree is \"true\" on the corpus page. The "
          "Arabic feed path and the English article template are unverified.",
)


class Spider(NewsSiteSpider):
    site = SITE
