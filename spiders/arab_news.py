"""Arab News (arabnews.com): Saudi English-language daily, free to read.

Provenance of the discovery URLs (this machine has no internet, so none is verified live; run
``scraper sites --check arab-news`` online). The corpus has no Arab News page.
- ``/sitemap-news.xml`` (Google News sitemap) is named in a public crawl plan found with the code
  search; unverified.
- ``/rss.xml`` is the feed many open-source aggregators use (code search); the same crawl plan
  reports that it answered 403 to its client. Section feeds ``/cat/N/rss.xml`` exist too.
- ``/sitemap.xml`` is listed by public scrapers, one describing paginated children
  (``/sitemap.xml?page=1``); the site's robots.txt (as stored in scrapy/protego's test data,
  tests/test_data/www.arabnews.com) disallows ``*?page=*``, so those children may be off limits
  to robots-respecting crawlers. Unverified.
The same robots.txt asks for ``Crawl-delay: 10`` (honoured below) and disallows Drupal paths
(/admin/, /search/, /user/...), mirrored in ``deny``. Article URLs are Drupal nodes with the
section appended (``/node/2652024/lifestyle``), as cited in public code. Markup and cruft (the
"Short Url" box with an arab.news link, "(AFP)"/"(SPA)" photo credits, related-news lists, the
newsletter box) are from memory of the site; unverified.
"""

from __future__ import annotations

from scraper.extract.cruft import CruftRules
from scraper.sites.definition import SiteDefinition, Source, google_news_source
from spiders.base import NewsSiteSpider

SITE = SiteDefinition(
    name="arab-news",
    title="Arab News",
    domains=("arabnews.com",),
    languages=("en",),
    sources=(
        Source("https://www.arabnews.com/sitemap-news.xml", "news-sitemap",
               "Google News sitemap named in a public crawl plan (code search); unverified"),
        Source("https://www.arabnews.com/rss.xml", "rss",
               "main RSS used by open-source aggregators (code search); 2026 reports: 403 "
               "from outside the region (issue 13)", language="en", group="feed"),
        google_news_source("arabnews.com"),
        Source("https://www.arabnews.com/sitemap.xml", "sitemap-index",
               "listed by public scrapers as a paginated index (?page=N), a query robots.txt"
               " disallows; unverified"),
    ),
    article_pattern=r"^/node/\d+(?:/[a-z0-9-]+){0,3}/?$",
    deny=(
        r"^/ar(?:/|$)",  # the Arabic edition lives under /ar on the same host
        r"^/(?:admin|comment|filter|node/add|search|user|taxonomy|tags?|cat|arabnews_count)"
        r"(?:/|$)",  # robots.txt and listing pages
        r"[?&]page=",  # robots.txt: Disallow: *?page=*
        r"/amp/?$", r"/print/?$",
    ),
    cruft=CruftRules(
        prune_tokens=("short-url", "related-news", "most-popular", "newsletter-box",
                      "entry-share", "node-tags"),
        drop_patterns=(
            r"^short url:?$", r"^https?://arab\.news/\w+$",
            r"^(updated|published)\s+\d{1,2} [a-z]+ \d{4}.{0,20}$",
            r"^(related|most popular|trending)$",
            r"^(subscribe to our newsletter|get the latest news from arab news in your inbox)\b.*",
            r"^(follow arab news on|follow @arabnews)\b.*",
            # Photo credits: "Pilgrims arrive in Makkah on Tuesday. (SPA)", "(AN photo by ...)".
            r"^.{0,300}\((?:afp|reuters|ap|spa|wam|kuna|supplied|file|an photo[^)]{0,60}"
            r"|[^)]{0,40}/(?:afp|reuters|ap))\)$",
        ),
    ),
    paywall="none",
    # robots.txt: Crawl-delay: 10 for every user agent.
    politeness={"DOWNLOAD_DELAY": 10.0, "CONCURRENT_REQUESTS_PER_DOMAIN": 1},
    notes="Blocked in 2026 reports (403 from outside the region). English edition "
          "(www.arabnews.com) only. Arab News Arabic (/ar on the same host, feed "
          "/ar/rss.xml in public code) is denied here; Arab News Pakistan (arabnews.pk), Japan "
          "(arabnews.jp) and en Français (arabnews.fr) are separate domains, not covered. "
          "robots.txt asks for a 10 s crawl delay. Feed, sitemaps and markup unverified.",
)


class Spider(NewsSiteSpider):
    site = SITE
