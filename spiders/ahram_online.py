"""Ahram Online (english.ahram.org.eg): the English-language news site of Egypt's state-owned
Al-Ahram group. Al-Ahram's Arabic sites (gate.ahram.org.eg and others) are not covered.

Provenance of the discovery URLs (this machine has no internet, so none is verified live; run
``scraper sites --check ahram-online`` online):
- Eight conflicting feed paths in public configs on GitHub, none verified (issue 13): tried in
  order, most cited first, until one answers with items: ``/rss.aspx`` (also spelt
  ``RSS.aspx``; it may be a page listing the section feeds), ``/RSS/All.aspx``,
  ``/RSS/Main/News.xml``, ``/rss/feed.aspx``, ``/rss/news.xml``, ``/rss/index.aspx``,
  ``/RSS/3.aspx``, ``/rss/World.aspx``.
- The home page, as a section source, because no feed or sitemap could be established.
No page of this publisher is in ../shared/corpus. The article URL shapes
``/NewsContent/<section>/<category>/<id>/<Section>/<Category>/<slug>.aspx``,
``/NewsContentP/<section>/<id>/<Section>/<slug>.aspx`` and ``/News/<id>.aspx`` come from links
to the site in public repositories; the test pages imitate its ASP.NET markup from memory.
"""

from __future__ import annotations

from scraper.extract.cruft import CruftRules
from scraper.sites.definition import SiteDefinition, Source
from spiders.base import NewsSiteSpider

#: Feed paths of public configs on GitHub, most cited first (issue 13 found eight, none
#: verified): tried in this order until one answers with items.
FEED_CANDIDATES = (
    ("/rss.aspx", "given by three public feed lists on GitHub (also spelt RSS.aspx); it may be "
                  "a directory of feeds"),
    ("/RSS/All.aspx", "one public feed list on GitHub"),
    ("/RSS/Main/News.xml", "one public source registry on GitHub"),
    ("/rss/feed.aspx", "one public config on GitHub"),
    ("/rss/news.xml", "one public config on GitHub"),
    ("/rss/index.aspx", "one public config on GitHub"),
    ("/RSS/3.aspx", "one public config on GitHub (a section feed)"),
    ("/rss/World.aspx", "one public config on GitHub (a section feed)"),
)

SITE = SiteDefinition(
    name="ahram-online",
    title="Ahram Online",
    domains=("english.ahram.org.eg",),
    languages=("en",),
    sources=(
        *(Source(f"https://english.ahram.org.eg{path}", "rss",
                 f"{why}; unverified (issue 13: eight conflicting paths)", group="feed")
          for path, why in FEED_CANDIDATES),
        Source("https://english.ahram.org.eg/", "section",
               "the site's home page (no feed or sitemap could be established)"),
    ),
    article_pattern=(r"^/(?:NewsContent/\d+/\d+/\d+/|NewsContentP/\d+/\d+/|News/\d+\.aspx)"),
    deny=(r"(?i)^/search", r"(?i)/print\.aspx", r"(?i)^/(NewsContentPrint|Multimedia|Gallery|"
          r"Video|Photo)", r"(?i)^/(Keyword|Tag)s?/", r"(?i)[?&]page=\d{2,}"),
    cruft=CruftRules(
        prune_tokens=("ContentPlaceHolder1_divKeywords", "ContentPlaceHolder1_divShortLink",
                      "ContentPlaceHolder1_divRelated", "ContentPlaceHolder1_divComment",
                      "short-link", "keywords", "comment"),
        # The date beside the writer's name ("Hossam Ezzat , Monday 23 Nov 2026") would be read
        # as a second author; dates are read from the page before pruning, so it is not lost.
        prune_xpaths=("//*[@id='ContentPlaceHolder1_divDate']",),
        drop_patterns=(
            r"^short link:?.*$",
            r"^search keywords:?$",
            r"^(comments?|comment's title)( here)?:?$",
            r"^for more (sports )?news and exclusives,? follow ahram online\b.*$",
            r"^.{0,200}\((photo|file photo)?:?\s*(ahram|ap|afp|reuters|mena)\)\.?$",
        ),
    ),
    paywall="none",
    politeness={"DOWNLOAD_DELAY": 1.0, "CONCURRENT_REQUESTS_PER_DOMAIN": 2},
    notes="English only (Ahram Online); Al-Ahram's Arabic sites are separate hosts, not covered. "
          "Free to read. The feed path is uncertain; the home page is crawled as a section "
          "source so the site is covered even if the feed path is wrong.",
)


class Spider(NewsSiteSpider):
    site = SITE
