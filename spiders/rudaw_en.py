"""Rudaw English (rudaw.net/english): English edition of the Erbil-based Kurdish broadcaster.

Provenance of the discovery URLs (this machine has no internet, so none is verified live; run
``scraper sites --check rudaw-en`` online):
- ``/english/rss`` is the feed listed for Rudaw English in many public open-source feed lists
  on GitHub; one public link check there reported it "200 but empty", so the edition's front
  page ``/english`` (its address is given in the same lists) is read as a section page too.
- Sorani, Kurmanji, Arabic and Turkish editions have per-section feeds such as
  ``/sorani/kurdistan/rss`` (seen in public code); English ones of that shape are unverified
  and not added.
No page of this publisher is in ../shared/corpus. The article URL shape
``/english/<section>[/<sub>]/<DDMMYYYY><n>`` (``/english/middleeast/iraq/260820204``) comes
from links to the site in public repositories; the test pages imitate the article markup from
memory (``article-main__*`` blocks, "Related news", the moderated-comments notice); the
markup and cruft rules are unverified.
"""

from __future__ import annotations

from scraper.extract.cruft import CruftRules
from scraper.sites.definition import SiteDefinition, Source
from spiders.base import NewsSiteSpider

RUDAW = "https://www.rudaw.net"

SITE = SiteDefinition(
    name="rudaw-en",
    title="Rudaw English",
    domains=("rudaw.net",),
    languages=("en",),
    sources=(
        Source(f"{RUDAW}/english/rss", "rss",
               "listed for Rudaw English in many public feed lists on GitHub (one check there "
               "found it empty); unverified", language="en"),
        Source(f"{RUDAW}/english", "section",
               "the edition's front page, as given in public feed lists; used because the feed "
               "may be empty", language="en"),
    ),
    # /english/kurdistan/251120263, /english/middleeast/iraq/260820204 (day, month, year, n).
    article_pattern=r"^/english/[a-z-]+(?:/[a-z-]+)?/\d{9,11}$",
    # Every other edition on the same host (sorani, kurmanci, arabic, turkish, ...) is denied.
    deny=(r"^/(?!english(?:/|$))", r"^/english/(?:search|tags?|authors?)(?:/|\?|$)",
          r"^/english/(?:videos?|photos?|gallery|tv|live|podcasts?|programs?)(?:/|\?|$)",
          r"[?&]page=\d{2,}"),
    cruft=CruftRules(
        prune_tokens=("article-main__share", "article-main__tags", "article-main__info",
                      "related-news", "comments", "comment-form", "most-read"),
        drop_patterns=(r"^rudaw moderates all comments\b.*$",
                       r"^(photo|video|graphic):\s*rudaw\b.{0,80}$",
                       r"^(related news|most read|comments)$"),
    ),
    paywall="none",
    politeness={"DOWNLOAD_DELAY": 1.0, "CONCURRENT_REQUESTS_PER_DOMAIN": 2},
    notes="English edition only (paths under /english/). The Sorani, Kurmanji, Arabic and "
          "Turkish editions share the host rudaw.net and are denied here; a site for one of "
          "them would need ownership by path, which SiteDefinition does not have. Feed and "
          "markup unverified: no page of the site is in the corpus.",
)


class Spider(NewsSiteSpider):
    site = SITE
