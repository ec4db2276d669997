"""Haaretz English edition (haaretz.com): Israeli daily, metered with ".premium" articles.

Provenance of the discovery URLs (this machine has no internet, so none is verified live; run
``scraper sites --check haaretz-en`` online). The corpus has no haaretz.com page.
- ``/srv/haaretz-latest-headlines`` is the latest-headlines RSS used by several independent
  open-source aggregators (code search), which also use ``/srv/israel-news-rss`` and
  ``/srv/middle-east-news-rss``; unverified.
- ``/news.xml`` is a ``sitemap:`` line of the site's robots.txt as stored in scrapy/protego's
  test data (tests/test_data/www.haaretz.com), next to yearly ``/sitemap-2013.xml`` ...
  ``/sitemap-2019.xml``. That copy predates the 2022 move to the current URL scheme, so the news
  sitemap may have moved: unverified. The same robots.txt disallows print pages, /misc/,
  /breaking, /wires and /mobile/, mirrored in ``deny``.
Article URLs since 2022: ``/israel-news/2026-01-05/ty-article/.premium/slug/0000019b-8fd1-d4fc-
a3bb-fff1a5f90000`` (also ``ty-article-magazine``, ``ty-article-opinion``, ``ty-article-live``),
as cited in public code; older ones end in ``-1.5482157``. Markup (React with hashed class
names; ``data-test`` attributes such as ``articleBody``) and cruft ("Credit:" photo lines, the
"Click the alert icon to follow topics" box, recommendations, the subscription block in
premium articles) are from memory of the site; unverified.
"""

from __future__ import annotations

from scraper.extract.cruft import CruftRules
from scraper.sites.definition import SiteDefinition, Source
from spiders.base import NewsSiteSpider

_ARTICLE_ID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

SITE = SiteDefinition(
    name="haaretz-en",
    title="Haaretz (English edition)",
    domains=("haaretz.com",),
    languages=("en",),
    sources=(
        Source("https://www.haaretz.com/srv/all-headlines-rss", "rss",
               "two independent public repairs of 2026 moved their Haaretz feed here "
               "(issue 13)", language="en", group="feed"),
        Source("https://www.haaretz.com/srv/haaretz-latest-headlines", "rss",
               "latest-headlines RSS used by open-source aggregators before 2026 (code "
               "search); unverified", language="en", group="feed"),
        Source("https://www.haaretz.com/news.xml", "news-sitemap",
               "sitemap: line of a pre-2022 robots.txt stored in scrapy/protego test data; may"
               " have moved since the 2022 redesign; unverified"),
    ),
    article_pattern=(rf"^/[a-z0-9-]+(?:/[a-z0-9-]+)?/\d{{4}}-\d{{2}}-\d{{2}}/ty-article"
                     rf"(?:-[a-z]+)?/(?:\.(?:premium|highlight)/)?(?:[a-z0-9-]+/)?{_ARTICLE_ID}/?$"
                     r"|^/.+-1\.\d{6,8}$"),
    deny=(
        r"^/(?:ty-tag|ty-writer|tags?|writers?|search|misc|labels|haaretz-labels)(?:/|$)",
        r"/misc/article-print-page/", r"/(?:breaking|wires|mobile|nyt)", r"/papi",  # robots.txt
        r"^/(?:podcasts?|video|ty-video)(?:/|$)", r"/ty-article-video/",
        r"/amp/?$", r"[?&]page=\d{2,}",
    ),
    cruft=CruftRules(
        prune_xpaths=(
            "//*[@data-test='alerts' or @data-test='followTopics']",
            "//*[@data-test='recommendations' or @data-test='inTheNews']",
            "//*[@data-test='bottomStrip' or @data-test='shareBar']",
            "//*[@data-test='paywallMidpage']",
            "//*[@data-test='commentsSection']",
        ),
        drop_patterns=(
            r"^click the alert icon to follow topics:?$",
            r"^(in the news|most popular|recommended by outbrain|related articles)$",
            r"^(already signed up\?|already a subscriber\?)\s*(log in)?\.?$",
            r"^(subscribe to haaretz|get unlimited access to haaretz)\b.*",
            # Photo credits: "Credit: Tomer Appelbaum", "... Tel Aviv, on Monday. Credit: AFP".
            r"^credit:\s?.{1,100}$",
            r"^.{0,300}\.\s*credit:\s?[^.]{1,100}$",
        ),
        paywall_xpaths=("//*[@data-test='paywallMidpage']",),
        paywall_phrases=("subscribe to haaretz to read",
                         "this article is for haaretz subscribers"),
    ),
    paywall="metered",
    politeness={"DOWNLOAD_DELAY": 1.0, "CONCURRENT_REQUESTS_PER_DOMAIN": 2},
    notes="English edition (www.haaretz.com) only. The Hebrew Haaretz (haaretz.co.il) and "
          "TheMarker (themarker.com) are separate domains, not covered. '.premium' articles are "
          "truncated for non-subscribers (JSON-LD isAccessibleForFree false); their teaser is "
          "captured and marked paywalled. Feed, news sitemap and markup are unverified.",
)


class Spider(NewsSiteSpider):
    site = SITE
