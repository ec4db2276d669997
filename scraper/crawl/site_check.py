"""``scraper sites --check``: is each site's discovery still working, and its extraction clean?

Crawls a few articles of each site into a scratch folder and reads the outcome: how many
discovery sources answered, how many articles they listed, how many were extracted, and how
often known cruft phrases survived into the text. A site is BLOCKED when it answered with bot
walls (challenge pages, cf-mitigated, refusals of its home page or feeds): its rules may be right,
it refuses us. It is BROKEN when, unblocked, no source answers or no article is extracted; its
pattern is STALE-PATTERN when its feeds list URLs the article pattern does not match. Meant for
a user online; the tests run it against local mirrors.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scraper.crawl.options import CrawlOptions
from scraper.crawl.process import run_crawl
from scraper.sites.registry import get_site
from scraper.store.jsonl import read_json_lines
from scraper.table import format_table

#: Phrases that signal cruft leaking into article text when they appear anywhere in it.
CRUFT_SIGNALS = re.compile(
    r"skip to (main )?content|subscribe (now|to our)|sign up for (our|the)|newsletter|"
    r"read more:|related (stories|articles)|accept (all )?cookies|follow us on|"
    r"اشترك|اقرأ أيضا|اقرأ أيضاً|تابعونا", re.IGNORECASE)


@dataclass(frozen=True)
class SiteCheck:
    site: str
    sources_ok: int
    sources_total: int
    articles_found: int
    articles_extracted: int
    cruft_hits: int
    blocked: int = 0
    pattern_misses: int = 0
    #: What the bot walls looked like: "<url>: 403 with cf-mitigated: challenge".
    evidence: tuple[str, ...] = ()

    @property
    def broken(self) -> bool:
        return self.sources_ok == 0 or self.articles_extracted == 0

    @property
    def status(self) -> str:
        if self.blocked:
            return "BLOCKED"
        if self.broken:
            return "BROKEN"
        if self.pattern_misses:
            return "STALE-PATTERN"
        return "CRUFT" if self.cruft_hits else "ok"

    @property
    def failed(self) -> bool:
        """Whether ``sites --check`` exits 1 for this site (blocked or broken)."""
        return self.status in ("BLOCKED", "BROKEN")


def check_sites(names: tuple[str, ...], articles: int, options: dict[str, Any]) -> list[SiteCheck]:
    """Crawl up to ``articles`` articles of each site and judge the result."""
    with tempfile.TemporaryDirectory(prefix="scraper-check-") as scratch:
        data = Path(scratch)
        result = run_crawl(CrawlOptions(data_dir=data, sites=names, limit=articles, **options))
        texts = _texts_by_site(data)
        checks = []
        for name in names:
            stats = result.per_spider.get(name, {})
            checks.append(SiteCheck(
                site=name,
                sources_ok=stats.get(f"discovery/{name}/sources_fetched", 0),
                sources_total=get_site(name).discovery_slots(),
                articles_found=stats.get(f"discovery/{name}/articles_scheduled", 0),
                articles_extracted=stats.get("extract/article", 0),
                cruft_hits=sum(len(CRUFT_SIGNALS.findall(t)) for t in texts.get(name, [])),
                blocked=stats.get("blocked/responses", 0) + stats.get("blocked/skipped", 0),
                pattern_misses=stats.get(f"discovery/{name}/pattern_misses", 0),
                evidence=tuple(stats.get("blocked/evidence", ()))))
        return checks


def _texts_by_site(data: Path) -> dict[str, list[str]]:
    texts: dict[str, list[str]] = {}
    for path in sorted((data / "articles").glob("*.jsonl")):
        for record in read_json_lines(path.read_text(encoding="utf-8")):
            texts.setdefault(record["site"] or "?", []).append(record["text"])
    return texts


def format_checks(checks: list[SiteCheck]) -> list[str]:
    rows = [("site", "sources", "articles found", "extracted", "cruft hits", "pattern misses",
             "blocked", "status")]
    rows += [(c.site, f"{c.sources_ok}/{c.sources_total}", str(c.articles_found),
              str(c.articles_extracted), str(c.cruft_hits), str(c.pattern_misses),
              str(c.blocked), c.status) for c in checks]
    seen = [f"{c.site} BLOCKED: {line}" for c in checks if c.blocked for line in c.evidence]
    return format_table(rows) + seen
