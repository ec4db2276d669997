"""Tehran Times (tehrantimes.com): English-language daily of Tehran.

Provenance of the discovery URLs (this machine has no internet, so none is verified live; run
``scraper sites --check tehran-times`` online):
- ``/rss`` is the feed listed for Tehran Times in many public open-source feed lists on GitHub;
  the same lists give per-service feeds ``/rss/tp/<id>`` (698 politics, 697 economy, 700
  culture) and one link checker reported a redirect loop on them, so they are not added.
- ``/sitemap.xml`` is listed for tehrantimes.com in public sitemap lists of news crawlers on
  GitHub; unverified.
No page of this publisher is in ../shared/corpus. The article URL shape ``/news/<id>/<Slug>``
and the service pages ``/service/<name>`` come from links to the site in public repositories.
The test pages imitate, from memory, the news CMS Tehran Times shares with other Iranian
English sites (``item-title``, ``item-date``, ``introtext`` summary, ``item-body``, tag box,
"Related news", short link, comment form); the markup and cruft rules are unverified.
Iran has kept UTC+03:30 all year since 2022; dates are expected with that offset.
"""

from __future__ import annotations

from scraper.extract.cruft import CruftRules
from scraper.sites.definition import SiteDefinition, Source
from spiders.base import NewsSiteSpider

TT = "https://www.tehrantimes.com"

SITE = SiteDefinition(
    name="tehran-times",
    title="Tehran Times",
    domains=("tehrantimes.com",),
    languages=("en",),
    sources=(
        Source(f"{TT}/rss", "rss",
               "listed for Tehran Times in many public feed lists on GitHub; unverified"),
        Source(f"{TT}/sitemap.xml", "sitemap-index",
               "listed for tehrantimes.com in public sitemap lists of news crawlers on GitHub; "
               "unverified"),
    ),
    # /news/490123/Iran-and-Oman-sign-... (the slug is optional: /news/490123 redirects).
    article_pattern=r"^/news/\d+(?:/[^/]*)?$",
    deny=(r"^/(?:tag|search|archive|service|page|newspaper)(?:/|$)",
          r"^/(?:photos?|videos?|multimedia)(?:/|$)", r"^/print/", r"^/amp/", r"^/rss",
          r"[?&]page=\d{2,}"),
    cruft=CruftRules(
        prune_tokens=("item-nav", "item-date", "item-footer", "short-link", "tags", "box-related",
                      "comments", "comment-form", "news-bottom-link"),
        prune_xpaths=("//section[contains(concat(' ', @class, ' '), ' related ')]",),
        drop_patterns=(r"^by [a-z][\w.'-]*(?: [a-z][\w.'-]*){0,4}$",
                       r"^(leave a comment|your comment|short link:?.*)$",
                       r"^[a-z]+ \d{1,2}, \d{4} - \d{1,2}:\d\d$"),
    ),
    paywall="none",
    politeness={"DOWNLOAD_DELAY": 1.0, "CONCURRENT_REQUESTS_PER_DOMAIN": 2},
    notes="English only. Iranian sites are often slow or unreachable from abroad; the delay "
          "is kept at 1 s. Feed, sitemap and article markup are unverified: no page of the "
          "site is in the corpus.",
)


class Spider(NewsSiteSpider):
    site = SITE
