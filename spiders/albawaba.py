"""Al Bawaba (albawaba.com): Amman-based news portal, English and Arabic, on Drupal.

Provenance of the discovery URLs (this machine has no internet, so none is verified live; run
``scraper sites --check albawaba`` online):
- ``/rss/all`` is the feed listed for Al Bawaba in several public open-source feed lists on
  GitHub (news bots' source tables). The real pages in ../shared/corpus/pages/albawaba/ link
  "RSS Feeds" in their footer to ``/rss``, an HTML directory of feeds, not a feed itself.
- ``/ar`` is the Arabic edition's front page, linked by the language switcher ("عربي") of the
  corpus pages; it is read as a section page because no Arabic feed or sitemap is known.
- ``/sitemap.xml`` is Drupal's conventional sitemap path; unverified.
Markup (from the two real English pages of 2019 in the corpus): Drupal blocks, JSON-LD
NewsArticle in an ``@graph`` with ``datePublished``, a "Published <Month> <day>th, <year> -
HH:MM GMT" line, an AddToAny share bar, an image caption in ``div.abn-image-caption`` ending
in the agency credit, a "Highlights" field repeating a body sentence, a SyndiGate credit block
("Via SyndiGate.info", "Copyright @ <year> <source>."), "You may also like" widgets, a
newsletter box (``sub-box-*``), Latest/Popular quick tabs and Disqus comments. The Arabic
article template is assumed to be the same; unverified.
"""

from __future__ import annotations

from scraper.extract.cruft import CruftRules
from scraper.sites.definition import SiteDefinition, Source
from spiders.base import NewsSiteSpider

BAWABA = "https://www.albawaba.com"

SITE = SiteDefinition(
    name="albawaba",
    title="Al Bawaba",
    domains=("albawaba.com",),
    languages=("en", "ar"),
    sources=(
        Source(f"{BAWABA}/rss/all", "rss",
               "listed for Al Bawaba in several public feed lists on GitHub; unverified",
               language="en"),
        Source(f"{BAWABA}/rss/ar-all", "rss",
               "Arabic feed known from public configs (issue 13, 2026-12); unverified",
               language="ar"),
        Source(f"{BAWABA}/sitemap.xml", "sitemap",
               "Drupal's conventional sitemap path (a urlset or an index); unverified"),
        Source(f"{BAWABA}/ar", "section",
               "Arabic front page, linked by the language switcher of the corpus pages",
               language="ar"),
    ),
    # /news/<slug>-1322354, /business/<slug>-1322432, /ar/<قسم>/<slug>-1590001 (node id last);
    # some teasers in the corpus link /node/<long-slug> aliases without the id.
    article_pattern=r"^/(?:ar/)?[^/]+/[^/]+-\d{6,8}/?$|^/node/[a-z0-9]+(?:-[a-z0-9]+){3,}$",
    deny=(r"^/search", r"^/(?:ar/)?(?:tags?|author|authors|taxonomy)/", r"^/quicktabs/",
          r"^/abstatic/", r"^/newsletter", r"^/subscribe", r"^/node/\d+$", r"^/(?:ar/)?slideshows",
          r"^/(?:ar/)?(?:video|videos)/", r"/amp/?$", r"[?&]page=\d{2,}"),
    cruft=CruftRules(
        prune_tokens=("abn-image-caption", "a2a_kit", "addtoany", "block-addtoany",
                      "block-syndigate", "syndigate", "field--name-field-highlights",
                      "field--name-field-comments", "block-field-blocknodearticlecreated",
                      "sub-box", "quicktabs", "block-ads-system", "language-switcher"),
        # og:title, twitter:title and meta title carry " | Al Bawaba"; without them the title
        # comes from the JSON-LD headline. The "You may also like" blocks have no own class.
        prune_xpaths=("//head/meta[@property='og:title' or @name='twitter:title' or @name='title']",
                      "//section[h2[contains(., 'You may also like') or contains(., 'قد يعجبك')]]"),
        # "This article has been adapted from its original source." stays: readers (and the
        # benchmark's annotators) count it as part of the article.
        drop_patterns=(r"^via syndigate\.info$",
                       r"^copyright\s*(@|©)\s*\d{4}\b.{0,80}$",
                       r"^published [a-z]+ \d{1,2}(st|nd|rd|th)?, \d{4} - \d{1,2}:\d\d gmt$",
                       r"^(you may also like|قد يعجبك أيضاً?)$",
                       r"^(تم نشره|نشر) .{0,40}\d{4}\s*-\s*\d{1,2}:\d\d\s*(gmt|غرينتش)$"),
    ),
    paywall="none",
    politeness={"DOWNLOAD_DELAY": 1.0, "CONCURRENT_REQUESTS_PER_DOMAIN": 2},
    notes="English (news, business, entertainment, sport, opinion, The Node) and Arabic "
          "(/ar/...) editions on one host. Many English articles are syndicated (SyndiGate) "
          "from other Arab outlets; their JSON-LD author is the organization \"Al-Bawaba\". "
          "Feed, sitemap and the Arabic article template are unverified.",
)


class Spider(NewsSiteSpider):
    site = SITE
