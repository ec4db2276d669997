"""Al Jazeera Arabic (aljazeera.net, الجزيرة نت): the network's Arabic news site, free to read.

Provenance of the discovery URLs (this machine has no internet, so none is verified live; run
``scraper sites --check aljazeera-ar`` online). The corpus has no aljazeera.net page.
- The RSS URL ``/aljazeerarss/a7c186be-1baa-4bd4-9d80-a84db769f779/73d0e1b4-532f-45ef-b135-
  bfdff8b8cab9`` is the "all news" feed several independent open-source aggregators use (code
  search); one of them notes it answered 200 with fresh items when it was measured. The short
  ``/rss`` and ``/aljazeerarss`` paths also appear in public code; they are not listed here
  because they are probably redirects to the same feed (unverified).
- ``/sitemap.xml`` is read by public scrapers as an index of daily sitemaps
  (``/sitemap.xml?yyyy=2026&mm=11&dd=24``), like aljazeera.com's; unverified.
Article URLs ``/news/2026/8/14/<percent-encoded Arabic slug>`` (older ones
``/news/politics/2022/3/8/...``) are those cited in public code. The page markup is assumed to be
the same platform as aljazeera.com (``article-header``, ``wysiwyg``, ``more-on`` lists), whose
pages are in the corpus: unverified for the Arabic site. Arabic cruft lines: "اقرأ أيضا" lists,
"المصدر: الجزيرة" source lines, "(الجزيرة)"/"(رويترز)" photo credits, newsletter and "تابع"
prompts.
"""

from __future__ import annotations

from scraper.extract.cruft import CruftRules
from scraper.sites.definition import SiteDefinition, Source
from spiders.base import NewsSiteSpider

SITE = SiteDefinition(
    name="aljazeera-ar",
    title="الجزيرة نت (Al Jazeera Arabic)",
    # Only the www host: balkans.aljazeera.net (Bosnian), chinese.aljazeera.net, studies.,
    # doc. and other subdomains of aljazeera.net are other editions or services.
    domains=("www.aljazeera.net",),
    languages=("ar",),
    sources=(
        Source("https://www.aljazeera.net/aljazeerarss/a7c186be-1baa-4bd4-9d80-a84db769f779/"
               "73d0e1b4-532f-45ef-b135-bfdff8b8cab9", "rss",
               "all-news RSS used by several open-source aggregators (code search), one reporting"
               " it answered 200 when measured; unverified here", language="ar"),
        Source("https://www.aljazeera.net/sitemap.xml", "sitemap-index",
               "read as an index of daily sitemaps (?yyyy=&mm=&dd=) by public scrapers (code"
               " search); unverified", language="ar"),
    ),
    # /news/2026/11/23/slug, /ebusiness/2026/11/24/slug, /news/politics/2022/3/8/slug.
    article_pattern=r"^/(?:[a-z0-9-]+/){1,2}\d{4}/\d{1,2}/\d{1,2}/[^/]+/?$",
    deny=(
        r"^/(?:programs|video|videos|podcasts|audio|live)(?:/|$)",  # TV programmes and video
        r"^/(?:tag|author|where|search|api|account)(?:/|$)",
        r"^/amp/", r"/amp/?$", r"[?&]page=\d{2,}",
    ),
    cruft=CruftRules(
        prune_tokens=("more-on", "sib-", "update-reading-list", "screen-reader-text", "ads",
                      "container--ads", "article-source", "bypass-block"),
        drop_patterns=(
            r"^(اقرأ|إقرأ) (أيضا|أيضاً)$",
            r"^قائمة (من )?\d+ (عناصر|عنصر)$", r"^نهاية القائمة$",
            r"^المصدر\s*:\s*(الجزيرة|وكالات|الصحافة).{0,40}$",
            r"^(تابع|تابعوا) الجزيرة نت على.{0,40}$",
            r"^(النشرة البريدية|اشترك في النشرة البريدية|سجل في النشرة البريدية).{0,80}$",
            r"^(إعلان|اعلان)$",
            # Caption credits: "... قرب جنين (الجزيرة)", "... (رويترز)".
            r"^.{0,300}\((?:الجزيرة|رويترز|الفرنسية|أسوشيتد برس|الأناضول|غيتي|وكالة الأنباء"
            r"[^)]{0,30}|مواقع التواصل|[^)]{0,40}-الجزيرة)\)$",
        ),
    ),
    paywall="none",
    politeness={"DOWNLOAD_DELAY": 1.0, "CONCURRENT_REQUESTS_PER_DOMAIN": 2},
    notes="Arabic edition (www.aljazeera.net) only; English is aljazeera-en. Al Jazeera Mubasher "
          "(aljazeeramubasher.net) and the Balkans edition (balkans.aljazeera.net) are not "
          "covered. TV programme and video pages are denied. Feed, sitemap and page markup are "
          "unverified (no aljazeera.net page in the corpus); bare aljazeera.net URLs are not "
          "owned (domains lists the www host only so the Balkans edition is excluded).",
)


class Spider(NewsSiteSpider):
    site = SITE
