"""Al Arabiya English (english.alarabiya.net): English site of the Dubai-based Saudi broadcaster.

Provenance of the discovery URLs (this machine has no internet, so none is verified live; run
``scraper sites --check al-arabiya-en`` online):
- ``/.mrss/en.xml`` is the feed listed for Al Arabiya English in several public open-source
  feed lists on GitHub; others list ``/.mrss/en/news.xml`` (a section feed of the same
  family) and the Arabic site's ``/.mrss/ar.xml``, which supports the ``/.mrss/`` scheme.
- ``/sitemap.xml``: the Arabic site's ``https://www.alarabiya.net/sitemap.xml`` is listed in
  public sitemap lists of news crawlers; the English path is assumed by analogy; unverified.
No page of this publisher is in ../shared/corpus. The article URL shape
``/<section>[/<sub>]/YYYY/MM/DD/<Slug>`` (``/News/middle-east/2020/08/05/...``,
``/business/economy/2023/06/05/...``) comes from links to the site in public repositories.
The test pages imitate the article markup from memory (JSON-LD NewsArticle, "Published: ...
GST" line, "Read more:" followed by link-only paragraphs, photo captions with agency credits,
the opinion disclaimer); the markup and cruft rules are unverified.
"""

from __future__ import annotations

from scraper.extract.cruft import CruftRules
from scraper.sites.definition import SiteDefinition, Source
from spiders.base import NewsSiteSpider

ARABIYA = "https://english.alarabiya.net"
#: A paragraph that is nothing but a short link: the story list after "Read more:".
READ_MORE_LINK = ("//div[contains(@class, 'article-body')]//p[a and normalize-space(.) = "
                  "normalize-space(a) and string-length(normalize-space(.)) < 200]")
#: Caption lines ending in a photo credit: "... (File photo: Reuters)".
PHOTO_CREDIT = (r"^.{0,300}\((?:file )?photos?:\s*(?:reuters|afp|ap|spa|wam|supplied|"
                r"al arabiya(?: english)?|getty images|shutterstock)\)\.?$")

SITE = SiteDefinition(
    name="al-arabiya-en",
    title="Al Arabiya English",
    # Only the English host: www.alarabiya.net (Arabic) is another edition, not covered.
    domains=("english.alarabiya.net",),
    languages=("en",),
    sources=(
        Source(f"{ARABIYA}/.mrss/en.xml", "rss",
               "listed for Al Arabiya English in several public feed lists on GitHub; "
               "unverified"),
        Source(f"{ARABIYA}/sitemap.xml", "sitemap-index",
               "by analogy with www.alarabiya.net/sitemap.xml (public sitemap lists); "
               "unverified"),
    ),
    # /News/middle-east/2026/11/24/Slug, /business/economy/2026/11/23/Slug (case as published).
    article_pattern=r"^/[A-Za-z-]+(?:/[A-Za-z-]+){0,2}/\d{4}/\d{2}/\d{2}/[^/]+$",
    deny=(r"^/(?:tools|search|tags?|topics?|authors?|programs?|live)(?:/|$)",
          r"^/(?:videos?|webtv|media|gallery|galleries)/", r"/amp/?$", r"[?&](?:amp|page)=",
          r"^/\.mrss/"),
    cruft=CruftRules(
        prune_tokens=("article-tags", "article-share", "share-bar", "related-articles",
                      "article-newsletter", "newsletter-widget", "article-author-bio"),
        # "Read more:" is followed by paragraphs that are nothing but a link to another story.
        prune_xpaths=(READ_MORE_LINK,),
        drop_patterns=(r"^(published|updated):\s*\d{1,2} [a-z]+ ?,?\s*\d{4}\s*:.*$",
                       r"^disclaimer:\s*views expressed\b.*$",
                       r"^(read more|also read):?$",
                       PHOTO_CREDIT),
    ),
    paywall="none",
    politeness={"DOWNLOAD_DELAY": 1.0, "CONCURRENT_REQUESTS_PER_DOMAIN": 2},
    notes="English edition only (english.alarabiya.net); the Arabic site www.alarabiya.net "
          "is not covered and not owned by this definition. Video pages and programmes are "
          "not followed. Feed, sitemap and article markup unverified: no page of the site is "
          "in the corpus.",
)


class Spider(NewsSiteSpider):
    site = SITE
