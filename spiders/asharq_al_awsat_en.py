"""Asharq Al-Awsat English (english.aawsat.com): the English edition of the London-based
Saudi-owned pan-Arab daily. The Arabic edition is ``asharq-al-awsat-ar`` (aawsat.com).

Provenance of the discovery URLs (this machine has no internet, so none is verified live; run
``scraper sites --check asharq-al-awsat-en`` online):
- ``/feed`` is the feed listed for the English edition in several independent public feed
  lists on GitHub (an older ``/home/feed`` path appears in one); unverified here.
- ``/sitemap.xml`` is the conventional sitemap path; unverified.
No page of this publisher is in ../shared/corpus. The article URL shape
``/<section>/<id>-<slug>`` (``/arab-world/5254050-...``, ``/culture/5289593-...``) comes from
links to the site in public repositories; the test pages imitate its markup from memory.
Domain: only ``english.aawsat.com``, so that no host is owned by both editions.
"""

from __future__ import annotations

from scraper.extract.cruft import CruftRules
from scraper.sites.definition import SiteDefinition, Source
from spiders.base import NewsSiteSpider

SITE = SiteDefinition(
    name="asharq-al-awsat-en",
    title="Asharq Al-Awsat (English)",
    domains=("english.aawsat.com",),
    languages=("en",),
    sources=(
        Source("https://english.aawsat.com/feed", "rss",
               "listed for the English edition in several public feed lists on GitHub; "
               "unverified"),
        Source("https://english.aawsat.com/sitemap.xml", "sitemap",
               "conventional sitemap path; unverified"),
    ),
    # /arab-world/5254050-slug, /world/5300012-slug, /arab-world/gulf/5300013-slug; before
    # 2023 /home/article/<id>/<slug> (real URLs gathered in issue 13).
    article_pattern=r"^/(?:[a-z0-9-]+/){1,2}\d{5,9}-[^/]+$|^/home/article/\d{5,9}(?:/[^/]+)?/?$",
    deny=(r"^/search", r"^/(tags?|author|authors|writers?)/", r"/amp/?$", r"/print/?$",
          r"^/(multimedia|videos?|photos?|gallery|podcasts?)/", r"[?&]page=\d{2,}"),
    cruft=CruftRules(
        # "Related News" / "Most Read" lists and the tag strip under the body.
        prune_tokens=("related-news", "most-read", "article-tags", "tags-list", "share-icons"),
        prune_xpaths=("//*[self::section or self::div][./*[self::h2 or self::h3]"
                      "[normalize-space()='Related News' or normalize-space()='Most Read']]",),
        drop_patterns=(r"^related news:?$", r"^most read:?$",
                       r"^.{0,200}\((afp|reuters|ap|aawsat|asharq al-awsat|spa|wam)\)\.?$"),
    ),
    paywall="none",
    politeness={"DOWNLOAD_DELAY": 1.0, "CONCURRENT_REQUESTS_PER_DOMAIN": 2},
    notes="English edition only; Arabic is asharq-al-awsat-ar. Free to read. Feed and sitemap "
          "paths and article markup are unverified: no page of the site is in the corpus.",
)


class Spider(NewsSiteSpider):
    site = SITE
