"""The New Arab (newarab.com): London-based English news and analysis site of Fadaat Media.

Provenance of the discovery URLs (this machine has no internet, so none is verified live; run
``scraper sites --check the-new-arab`` online):
- ``/rss`` is the feed listed for The New Arab in several public open-source feed lists on
  GitHub; other lists give ``/rss.xml`` or ``/feed``, so the exact path is unverified.
- ``/sitemap.xml`` is Drupal's conventional sitemap path; unverified.
No page of this publisher is in ../shared/corpus. The article URL shape ``/<type>/<slug>``
(``/news/...``, ``/analysis/...``) comes from links to the site in public repositories; the
markup of the test pages (JSON-LD NewsArticle, "The New Arab Staff & Agencies" bylines,
captions ending in "[Getty]", newsletter box, related-story blocks, the opinion disclaimer and
"email us" lines) is imitated from memory and unverified. Until about 2021 the English site
lived at english.alaraby.co.uk / alaraby.co.uk/english (a 2019 Al Bawaba page in the corpus
credits "TheNewArab" with a link to http://www.alaraby.co.uk/english); those old URLs are not
covered, because alaraby.co.uk is the Arabic sister, Al-Araby Al-Jadeed.
"""

from __future__ import annotations

from scraper.extract.cruft import CruftRules
from scraper.sites.definition import SiteDefinition, Source
from spiders.base import NewsSiteSpider

TNA = "https://www.newarab.com"

SITE = SiteDefinition(
    name="the-new-arab",
    title="The New Arab",
    domains=("newarab.com",),
    languages=("en",),
    sources=(
        Source(f"{TNA}/rss", "rss",
               "listed for The New Arab in several public feed lists on GitHub (others give "
               "/rss.xml or /feed); unverified"),
        Source(f"{TNA}/sitemap.xml", "sitemap-index",
               "Drupal's conventional sitemap path; unverified"),
    ),
    # /news/<slug>, /analysis/<slug>, /opinion/<slug>, /features/<slug> ...
    article_pattern=r"^/(?:news|analysis|opinion|features|investigations|interviews|in-depth|"
                    r"explainers|blog|culture|society|economy|politics|sport|travel|food)"
                    r"/[a-z0-9][a-z0-9-]*$",
    deny=(r"^/search", r"^/(?:tag|tags|topic|topics|author|authors|taxonomy)/",
          r"^/(?:video|videos|podcasts?|gallery|galleries)/", r"/amp/?$", r"[?&]amp\b",
          r"[?&]page=\d{2,}"),
    cruft=CruftRules(
        prune_tokens=("inline-related", "related-articles", "article-newsletter", "newsletter-box",
                      "article-share", "article-tags", "more-from"),
        drop_patterns=(r"^.{0,300}\[(getty|afp|reuters|ap|anadolu|afp via getty)( images)?\]$",
                       r"^(have )?questions or comments\? email us\b.*$",
                       r"^opinions expressed in this article (remain|are) those of the author\b.*$",
                       r"^follow (him|her|them|us) on (twitter|x|instagram|facebook)\b.*$",
                       r"^(stay connected|get the latest)\b.{0,60}\bnewsletter\b.*$"),
    ),
    paywall="none",
    politeness={"DOWNLOAD_DELAY": 1.0, "CONCURRENT_REQUESTS_PER_DOMAIN": 2},
    notes="English edition only. The Arabic sister site Al-Araby Al-Jadeed (alaraby.co.uk) is "
          "a different publication and not covered. Feed and sitemap paths and the article "
          "markup are unverified: no page of the site is in the corpus.",
)


class Spider(NewsSiteSpider):
    site = SITE
