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
credits "TheNewArab" with a link to http://www.alaraby.co.uk/english). The site owns those too:
``alaraby.co.uk/english`` as a path prefix of its Arabic sister's host (the most specific owner
wins) and ``english.alaraby.co.uk``, so an old WARC of them is attributed to the-new-arab and
extracted with the rules of that period (``earlier``: until 2021-01-01, the date is approximate:
the move to newarab.com was in 2021). The old URL shape
``/english/news/2019/3/1/<slug>`` comes from links in public code; the old template's cruft
rules are imitated from memory (the "[Click to enlarge]" caption control, the "Follow us on
Twitter: @The_NewArab" line) and unverified.
"""

from __future__ import annotations

from scraper.extract.cruft import CruftRules
from scraper.sites.definition import SiteDefinition, Source
from scraper.sites.rules import RulesVersion
from spiders.base import NewsSiteSpider

TNA = "https://www.newarab.com"

SITE = SiteDefinition(
    name="the-new-arab",
    title="The New Arab",
    domains=("newarab.com", "alaraby.co.uk/english", "english.alaraby.co.uk"),
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
    earlier=(RulesVersion(
        until="2021-01-01",
        article_pattern=r"^/english/[a-z-]+/\d{4}/\d{1,2}/\d{1,2}/[a-z0-9-]+$",
        cruft=CruftRules(drop_patterns=(r"^follow us on twitter: @the_?newarab\b.*$",
                                        r"^\[click to enlarge\]$")),
        evidence="alaraby.co.uk/english URLs linked from public code and a 2019 Al Bawaba "
                 "page in the corpus; template cruft from memory, unverified"),),
    paywall="none",
    politeness={"DOWNLOAD_DELAY": 1.0, "CONCURRENT_REQUESTS_PER_DOMAIN": 2},
    notes="English edition only, with its pre-2021 home alaraby.co.uk/english. The Arabic "
          "sister Al-Araby Al-Jadeed (the rest of alaraby.co.uk) is the site al-araby-al-jadeed. "
          "Feed and sitemap paths and the article "
          "markup are unverified: no page of the site is in the corpus.",
)


class Spider(NewsSiteSpider):
    site = SITE
