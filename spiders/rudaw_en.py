"""Rudaw English (rudaw.net/english): English edition of the Erbil-based Kurdish broadcaster.

The edition owns the path ``/english`` of rudaw.net (``domains=("rudaw.net/english",)``): the
Sorani, Kurmanji, Arabic and Turkish editions share the host, and a URL under their paths is not
this site's, for the crawl, extraction and ``--site`` filters alike.

Provenance of the discovery URLs (run ``scraper sites --check rudaw-en`` online):
- No feed: a July 2026 public audit found ``/english/rss`` dead and the site's RSS page a
  JavaScript shell (evidence gathered in issue 13); earlier feed lists on GitHub gave
  ``/english/rss`` and one check there already reported it "200 but empty". Discovery reads
  the edition's front page and section fronts instead (addresses as in public feed lists and
  in article URLs), and the conventional ``/sitemap.xml``, unverified.
No page of this publisher is in ../shared/corpus. Article ids are 8 to 11 digits, the last path
segment under a section: ``/english/middleeast/iraq/27052025``, ``/english/kurdistan/18022026``
(real 2025-2026 URLs gathered in issue 13; 7 of 9 were rejected by the earlier 9-11 digit
pattern) and ``/english/middleeast/iraq/260820204``. The test pages imitate the article markup
from memory (``article-main__*`` blocks, "Related news", the moderated-comments notice); the
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
    domains=("rudaw.net/english",),
    languages=("en",),
    sources=(
        Source(f"{RUDAW}/english", "section",
               "the edition's front page, as given in public feed lists; read because a July "
               "2026 public audit found /english/rss dead (issue 13)", language="en"),
        Source(f"{RUDAW}/english/kurdistan", "section",
               "section front, the path of real article URLs (issue 13, 2026); unverified",
               language="en"),
        Source(f"{RUDAW}/english/middleeast", "section",
               "section front, the path of real article URLs (issue 13, 2026); unverified",
               language="en"),
        Source(f"{RUDAW}/sitemap.xml", "sitemap",
               "conventional sitemap path; unverified (the pattern decides what it lists)"),
    ),
    # /english/kurdistan/18022026, /english/middleeast/iraq/260820204 (date, then a counter).
    article_pattern=r"^/english/[a-z-]+(?:/[a-z-]+)?/\d{8,11}$",
    # The other editions on the host are other sites' paths: not owned, so never followed.
    deny=(r"^/english/(?:search|tags?|authors?)(?:/|\?|$)",
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
    notes="English edition only: owns rudaw.net/english; the Sorani, Kurmanji, Arabic and "
          "Turkish editions on the same host are not this site's. No public feed since 2026: "
          "discovery from section fronts and the sitemap. Markup unverified: no page of the "
          "site is in the corpus.",
)


class Spider(NewsSiteSpider):
    site = SITE
