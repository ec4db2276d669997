"""Middle East Eye (middleeasteye.net): London-based independent news site, free to read.

Provenance of the discovery URLs (this machine has no internet, so none is verified live; run
``scraper sites --check middle-east-eye`` online). The corpus has no MEE page.
- ``/rss`` is the English feed used by many independent open-source aggregators (code search);
  the same code lists ``/ar/rss`` and ``/fr/rss`` for the Arabic and French editions.
- ``/sitemap.xml`` is the conventional sitemap path some public scrapers list for the site; its
  kind (index or plain) is unknown, unverified.
Article URLs are one slug under a section (``/news/slug``, ``/opinion/slug``, ``/trending/slug``,
older ``/in-depth/features/slug-690971750``), as cited in public code; live-blog updates are
``/live-blog/live-blog-update/<slug>`` (2026 URLs gathered in issue 13). Section feeds such as
``/opinion/rss`` look like articles and are denied. The page markup (a Drupal
site: ``field--name-body``, ``field--name-node-author``) and the cruft (the newsletter box, "Read
More »" boxes inside the text, the republishing notice, "(AFP)"-style photo credits) are
written from memory of the site and are unverified.
"""

from __future__ import annotations

from scraper.extract.cruft import CruftRules
from scraper.sites.definition import SiteDefinition, Source
from spiders.base import NewsSiteSpider

SITE = SiteDefinition(
    name="middle-east-eye",
    title="Middle East Eye",
    domains=("middleeasteye.net",),
    languages=("en",),
    sources=(
        Source("https://www.middleeasteye.net/rss", "rss",
               "English RSS used by many open-source aggregators (code search); a public "
               "feed-health audit recorded it answering with items in October 2026 (issue 13)",
               language="en"),
        Source("https://www.middleeasteye.net/sitemap.xml", "sitemap-index",
               "conventional sitemap path listed for the site in public code; kind unverified"),
    ),
    article_pattern=(r"^/(?:news|opinion|trending|discover|explainers|big-story|features"
                     r"|investigations|reviews|live-blog|in-depth/[a-z-]+)/[a-z0-9][a-z0-9-]+/?$"
                     # Live-blog updates (2026): /live-blog/live-blog-update/<slug>.
                     r"|^/live-blog/live-blog-update/[a-z0-9][a-z0-9-]+/?$"),
    deny=(
        r"^/(?:ar|fr|tr|es)(?:/|$)",  # other editions, not covered by this definition
        r"^/(?:video|podcasts?|mee-tv)(?:/|$)",
        r"^/(?:topics|tags?|countries|regions|users|authors?|search|newsletters?)(?:/|$)",
        r"/amp/?$", r"/print/?$", r"[?&]page=\d{2,}",
        # Section feeds (/opinion/rss) have article-like paths: a feed is never an article.
        r"/(?:rss|feed)(?:\.xml)?/?$",
    ),
    cruft=CruftRules(
        prune_tokens=("mee-newsletter", "newsletter-block", "read-more-block", "mee-related",
                      "article-tags", "republish", "donate-banner"),
        drop_patterns=(
            r"^read more\s*».{0,200}$",
            r"^middle east eye (delivers|offers|provides) independent\b.*",
            r"^(to learn more about republishing|more about mee can be found)\b.*",
            r"^(stay informed with mee'?s newsletters|sign up to get the latest alerts)\b.*",
            r"^(published date|last update|last updated):.{0,60}$",
            r"^the views expressed in this article belong to the author\b.*",
            # Caption credits: "Protesters outside Downing Street (MEE/Alex Ward)", "(AFP)".
            r"^.{0,300}\((?:afp|reuters|ap|anadolu|mee|mee/[^)]{1,60}|supplied|social media"
            r"|screengrab[^)]{0,40}|file photo|[^)]{0,40}/(?:afp|reuters|anadolu|mee))\)$",
        ),
    ),
    paywall="none",
    politeness={"DOWNLOAD_DELAY": 1.0, "CONCURRENT_REQUESTS_PER_DOMAIN": 2},
    notes="Covers the English edition only. MEE's Arabic (/ar, feed /ar/rss) and French (/fr, "
          "feed /fr/rss) editions live under paths of the same host and are denied here; a "
          "Turkish edition (/tr) is reported in old links, unverified and denied too. Video "
          "pages are denied. Feed, sitemap and markup are unverified.",
)


class Spider(NewsSiteSpider):
    site = SITE
