"""Al Jazeera English (aljazeera.com): the Doha broadcaster's English news site, free to read.

Provenance of the discovery URLs (this machine has no internet, so none is verified live; run
``scraper sites --check aljazeera-en`` online):
- ``/xml/rss/all.xml`` is linked from the site's own pages in ../shared/corpus/pages/aljazeera:
  ``<link rel="alternate" type="application/rss+xml">`` in aeb-7916ecca969ffdd8.html (2019) and
  the footer RSS link of the 2024 nous-aj-*.html pages. Many public aggregators use it.
- ``/sitemap.xml`` is the ``Sitemap:`` line of the site's robots.txt as stored in scrapy/protego's
  test data (tests/test_data/www.aljazeera.com). Public scrapers describe it as an index of daily
  sitemaps (``/sitemap.xml?yyyy=2026&mm=11&dd=24``).
- ``/news-sitemap.xml`` (Google News sitemap) is used by several open-source scrapers found with
  the code search; not seen in the corpus, unverified.
Article URLs and markup come from the corpus pages: ``/news/2024/2/10/slug`` (2020 redesign),
``/news/2019/11/slug-191120070028895.html`` (before it). Cruft seen there: the "Keep reading"
list (``div.more-on``), the newsletter widget (``div.sib-newsletter-form``: "Sign up for Al
Jazeera", "Week in the Middle East"), screen-reader lines ("list of 4 items", "Published On ..."),
"Advertisement" slots (``div.ads``), "Source: Al Jazeera" (``div.article-source``) and caption
credits in brackets ("[Nils Adler/Al Jazeera]").
"""

from __future__ import annotations

from scraper.extract.cruft import CruftRules
from scraper.sites.definition import SiteDefinition, Source
from spiders.base import NewsSiteSpider

SITE = SiteDefinition(
    name="aljazeera-en",
    title="Al Jazeera English",
    domains=("aljazeera.com",),
    languages=("en",),
    sources=(
        Source("https://www.aljazeera.com/xml/rss/all.xml", "rss",
               "linked as the site's RSS feed in corpus pages (aljazeera/aeb-7916ecca969ffdd8.html"
               " <link rel=alternate>, footer of nous-aj-football.html); a public feed-health "
               "audit recorded it answering with items in October 2026; 2026 reports: 403 to "
               "some clients, \"standard UA required\" (issue 13)"),
        Source("https://www.aljazeera.com/news-sitemap.xml", "news-sitemap",
               "Google News sitemap used by open-source scrapers (code search); unverified"),
        Source("https://www.aljazeera.com/sitemap.xml", "sitemap-index",
               "Sitemap: line of robots.txt as stored in scrapy/protego test data; index of daily"
               " sitemaps per public scrapers; unverified live"),
    ),
    # /news/2026/11/24/slug, /news/liveblog/2026/11/24/slug, /features/2026/11/24/slug, and the
    # pre-2020 /news/2019/11/slug-191120070028895.html and /ajimpact/slug-191119041538885.html.
    article_pattern=(r"^/(?:[a-z0-9-]+/){1,2}\d{4}/\d{1,2}/\d{1,2}/[^/]+/?$"
                     r"|^/(?:[a-z0-9-]+/){1,2}(?:\d{4}/\d{1,2}/)?[^/]+-\d{12,15}\.html$"),
    deny=(
        r"^/(?:video|program|podcasts|audio)/",  # video episodes and podcasts, not articles
        r"^/(?:tag|author|where|search|api|account|newsletters?)(?:/|$)",
        r"^/amp/", r"/amp/?$", r"[?&]page=\d{2,}",
    ),
    cruft=CruftRules(
        prune_tokens=("more-on", "sib-", "update-reading-list", "screen-reader-text", "ads",
                      "container--ads", "article-source", "bypass-block"),
        drop_patterns=(
            r"^keep reading$",
            r"^list( \d+)? of \d+( items)?$", r"^end of list$",
            r"^sign up for al jazeera$",
            r"^(catch up on our coverage of|please check your email to confirm|"
            r"your subscription failed|by signing up, you agree to our privacy policy)\b.*",
            r"^source:\s*(al jazeera|news agencies)\b.{0,40}$",
            r"^save articles to read later\b.*",
            r"^advertisement$",
            # Caption credits: "Fans celebrate in Amman [Nils Adler/Al Jazeera]".
            r"^.{0,300}\[(?:file:?\s*)?[^\]]{0,100}/\s*(?:al jazeera|reuters|afp|ap(?: photo)?"
            r"|epa(?:-efe)?|getty images|anadolu(?: agency)?)[^\]]{0,40}\]$",
        ),
    ),
    paywall="none",
    politeness={"DOWNLOAD_DELAY": 1.0, "CONCURRENT_REQUESTS_PER_DOMAIN": 2},
    notes="English edition only (aljazeera.com); Arabic is aljazeera-ar (aljazeera.net), the "
          "Balkans/Mubasher/Chinese editions are not covered. Video and podcast sections "
          "(/video, /program, /podcasts) are denied. Daily sitemaps of the index carry a query "
          "string (?yyyy=&mm=&dd=). RSS links may carry ?traffic_source=rss, a tracking "
          "parameter canonical_url does not drop yet (unverified for the feed; the site's own "
          "links use ?traffic_source=KeepReading). No feed or sitemap URL is verified live.",
)


class Spider(NewsSiteSpider):
    site = SITE
