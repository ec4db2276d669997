"""``scraper sites --match``: every article URL quoted in issue 13 is accepted, no feed is."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from scraper.sites.matching import match_url
from tests.conftest import run_scraper

#: (URL shape quoted in issue 13, the site that must own it). Slugs and ids complete the shapes
#: the issue gives with a placeholder.
ARTICLES = [
    ("https://www.dailysabah.com/turkiye/turkiye-launches-action-plan-to-reduce-massive-food-"
     "waste-levels/news", "daily-sabah"),
    ("https://www.dailysabah.com/politics/turkiye-proposes-deal-to-end-black-sea-attacks/news",
     "daily-sabah"),
    ("https://www.middleeasteye.net/live-blog/live-blog-update/israeli-strikes-hit-gaza-city",
     "middle-east-eye"),
    ("https://www.rudaw.net/english/middleeast/iraq/27052025", "rudaw-en"),
    ("https://www.rudaw.net/english/kurdistan/18022026", "rudaw-en"),
    ("https://www.alaraby.co.uk/%D8%A7%D9%84%D8%A3%D8%B1%D8%AF%D9%86-%D9%8A%D9%81%D8%AA%D8%AA%D8"
     "%AD-%D9%85%D8%AD%D8%B7%D8%A9", "al-araby-al-jadeed"),
    ("https://aawsat.com/%D8%A7%D9%84%D8%B9%D8%A7%D9%84%D9%85-%D8%A7%D9%84%D8%B9%D8%B1%D8%A8%D9"
     "%8A/%D8%A7%D9%84%D8%AE%D9%84%D9%8A%D8%AC/5306603", "asharq-al-awsat-ar"),
    ("https://english.aawsat.com/home/article/3212471/oman-expands-desert-solar-farm",
     "asharq-al-awsat-en"),
    ("https://www.thenationalnews.com/uae/government/abu-dhabi-mangrove-drive-1.289304",
     "the-national"),
    ("https://www.thenational.ae/uae/government/abu-dhabi-mangrove-drive-1.289304",
     "the-national"),
    ("https://www.lbcgroup.tv/news/d/lebanon/512345/beirut-port-silos-memorial/en", "lbci"),
]
#: Feeds and sitemaps quoted in issue 13, and the sponsored pages: never articles.
NOT_ARTICLES = [
    "https://www.middleeasteye.net/opinion/rss", "https://www.middleeasteye.net/rss",
    "https://www.rudaw.net/english/rss", "https://www.dailysabah.com/sitemap/news.xml",
    "https://www.alaraby.co.uk/rss.xml", "https://www.alaraby.co.uk/rss",
    "https://www.lbcgroup.tv/sitemap.xml", "https://www.lbcgroup.tv/Rss/latest-news/en",
    "https://www.lbcgroup.tv/Rss/latest-news/ar", "https://www.lbcgroup.tv/newssitemap.xml",
    "https://www.jpost.com/PromoContent/article-881999",
    "https://rss.jpost.com/rss/rssfeedsheadlines.aspx",
    "https://www.jpost.com/GoogleNewsSiteMap/GNSiteMap",
    "https://www.haaretz.com/srv/all-headlines-rss", "https://www.albawaba.com/rss/ar-all",
    "https://english.ahram.org.eg/rss.aspx", "https://www.aljazeera.com/xml/rss/all.xml",
    "https://www.al-monitor.com/rss", "https://www.middleeastmonitor.com/feed/",
    "https://www.thenationalnews.com/arc/outboundfeeds/news-sitemap/?outputType=xml",
    "https://www.timesofisrael.com/feed/", "https://aawsat.com/feed",
]


def test_match_accepts_every_quoted_article_and_no_feed() -> None:
    result = run_scraper("sites", "--match", *[u for u, _ in ARTICLES], *NOT_ARTICLES)
    assert result.returncode == 0, result.stderr
    lines = [line.split("\t") for line in result.stdout.splitlines()]
    assert len(lines) == len(ARTICLES) + len(NOT_ARTICLES)
    verdicts = {cells[0]: cells for cells in lines}
    for url, site in ARTICLES:
        assert verdicts[url][1:3] == [site, "article"], verdicts[url]
    for url in NOT_ARTICLES:
        assert verdicts[url][2] in ("denied", "not article"), verdicts[url]
        assert verdicts[url][1] != "-", url  # every one is owned by its site
    assert verdicts["https://www.jpost.com/PromoContent/article-881999"][2:4] == \
        ["denied", r"^/PromoContent(?:/|$)"]


def test_match_with_the_rules_of_a_date() -> None:
    old = "https://www.alaraby.co.uk/english/news/2019/3/1/gulf-ports-expand"
    assert match_url(old).site == "the-new-arab"
    assert match_url(old).verdict == "not article"  # today's rules
    then = match_url(old, datetime(2019, 3, 1, tzinfo=timezone.utc))
    assert (then.verdict, then.period) == ("article", "until 2021-01-01")


@pytest.mark.parametrize("bad", ["not-a-url", "ftp://example.com/x"])
def test_match_rejects_what_is_not_an_http_url(bad: str) -> None:
    result = run_scraper("sites", "--match", bad)
    assert result.returncode == 2 and "give absolute http(s) URLs" in result.stderr
