"""What ``scraper report`` shows, computed once by ``report.collect_report``, formatted by
``report_html.render_report``."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class NewestArticle:
    """An article as the report lists it; ordered by ``sort_key`` (its date in UTC)."""

    sort_key: str
    site: str = field(compare=False)
    title: str = field(compare=False)
    url: str = field(compare=False)
    published: str | None = field(compare=False)
    timestamp: str = field(compare=False)
    language: str | None = field(compare=False)
    replay_url: str = field(compare=False)


@dataclass
class SiteProblems:
    """Per site: failures over all runs and in the last one, robots.txt skips, blocked hosts."""

    site: str
    runs: int = 0
    failed: int = 0
    failed_last_run: int = 0
    skipped_by_robots: int = 0
    blocked: Counter[str] = field(default_factory=Counter)  # host -> blocked responses


@dataclass
class ReportData:
    """Everything the page shows, computed once (render_report only formats it)."""

    title: str
    generated_at: str
    articles: int = 0
    versions: int = 0
    undated: int = 0
    per_day: dict[str, Counter[str]] = field(default_factory=dict)  # site -> day -> articles
    languages: Counter[str] = field(default_factory=Counter)
    paywalled: dict[str, Counter[str]] = field(default_factory=dict)  # site -> yes/no/unknown
    newest: list[NewestArticle] = field(default_factory=list)
    problems: list[SiteProblems] = field(default_factory=list)
    largest_warcs: list[tuple[str, int, int]] = field(default_factory=list)  # name, bytes, records
    warc_files: int = 0
    warc_bytes: int = 0
    runs: int = 0
    unreadable_manifests: int = 0

    @property
    def sites(self) -> list[str]:
        return sorted(self.per_day)
