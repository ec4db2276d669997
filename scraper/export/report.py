"""``scraper report``: one self-contained HTML page about a collection, to look at, not read.

What it shows: articles per day per site (an inline SVG chart, one series per site), languages,
the paywalled share per site, failures and blocked hosts per site (from the run manifests and
the catalog's captures), the newest articles with links to replay them (URL + capture
timestamp, in a pywb or ReplayWeb.page URL template), and the largest WARC files.

The page has no external resources (CSS and SVG inline, no script), so it opens from a file,
offline, and can be mailed. The article records are streamed once through ``Collection``;
memory holds only the aggregates and the newest ``newest`` articles.
"""

from __future__ import annotations

import heapq
import json
import os
import tempfile
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from archive.records import parse_warc_date
from scraper.errors import StorageError, UsageError
from scraper.export.report_data import NewestArticle, ReportData, SiteProblems
from scraper.export.report_html import render_report
from scraper.extract.record import ArticleRecord
from scraper.store.collection import Collection

#: pywb's default port and path layout; the collection name is the data folder's name.
DEFAULT_REPLAY_URL = "http://localhost:8080/{collection}/{timestamp}/{url}"
#: HTTP statuses that mean the site refused us (auth, forbidden, rate limit, legal, overload).
BLOCKED_STATUSES = (401, 403, 429, 451, 503)
TEMPLATE_FIELDS = ("url", "url_quoted", "timestamp", "collection")

__all__ = ["DEFAULT_REPLAY_URL", "ReportData", "collect_report", "write_report"]


def check_replay_template(template: str) -> None:
    """Raise UsageError unless ``template`` formats with the documented fields only."""
    try:
        template.format(**{name: "x" for name in TEMPLATE_FIELDS})
    except (KeyError, IndexError, ValueError) as error:
        raise UsageError(f"--replay-url {template!r}: use only the fields "
                         f"{', '.join('{' + f + '}' for f in TEMPLATE_FIELDS)} ({error})") from None
    if "{url" not in template:
        raise UsageError(f"--replay-url {template!r} has no {{url}} or {{url_quoted}}")


def collect_report(collection: Collection, newest: int = 25, largest: int = 10,
                   replay_url: str = DEFAULT_REPLAY_URL, title: str | None = None,
                   now: datetime | None = None) -> ReportData:
    """Aggregate the collection into what the report shows.

    Args:
        collection: the collection to describe.
        newest: how many of the newest articles to list.
        largest: how many of the largest WARC files to list.
        replay_url: a template for each listed article's replay link, with ``{url}`` (or
            ``{url_quoted}``), ``{timestamp}`` (14 digits, UTC) and ``{collection}``.
        title: the page's title (default: from the folder name).
        now: the generation time written in the page (tests pass a fixed one).
    """
    check_replay_template(replay_url)
    name = collection.path.resolve().name
    moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    data = ReportData(title=title or f"Collection {name}",
                      generated_at=moment.strftime("%Y-%m-%d %H:%M UTC"))
    heap: list[NewestArticle] = []
    for record in collection.articles():
        _count_record(data, record)
        article = _newest_entry(record, replay_url, name)
        if len(heap) < newest:
            heapq.heappush(heap, article)
        elif newest and article > heap[0]:
            heapq.heapreplace(heap, article)
    data.newest = sorted(heap, reverse=True)
    data.versions = next(collection.catalog.query("SELECT COUNT(*) FROM articles"))[0]
    data.problems, data.unreadable_manifests = _problems(collection, data.sites)
    _warc_sizes(collection, data, largest)
    return data


def write_report(collection: Collection | str | Path, output: str | Path,
                 **options: Any) -> ReportData:
    """Write the report of ``collection`` to ``output`` (atomically); return what it shows.

    Options are those of ``collect_report``. Raises UsageError for a missing collection or a
    bad replay template, StorageError when the file cannot be written.
    """
    if not isinstance(collection, Collection):
        collection = Collection(collection)
    data = collect_report(collection, **options)
    page = render_report(data).encode("utf-8")
    output = Path(output)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent)
        with os.fdopen(fd, "wb") as stream:
            stream.write(page)
        os.chmod(temporary, 0o644)
        os.replace(temporary, output)
    except OSError as error:
        raise StorageError(f"cannot write {output}: {error.strerror or error}") from error
    return data


def _count_record(data: ReportData, record: ArticleRecord) -> None:
    site = record.get("site") or "?"
    data.articles += 1
    day = _day(record.get("published"))
    if day is None:
        data.undated += 1
        day = _day(record["capture"]["fetched_at"]) or "?"
    data.per_day.setdefault(site, Counter())[day] += 1
    data.languages[record.get("language") or "unknown"] += 1
    paywalled = record.get("paywalled")
    label = "unknown" if paywalled is None else ("paywalled" if paywalled else "free")
    data.paywalled.setdefault(site, Counter())[label] += 1


def _day(value: str | None) -> str | None:
    """The calendar day an ISO date names, in the publisher's own offset (as printed)."""
    if not value or len(value) < 10 or value[4] != "-" or value[7] != "-":
        return None
    return value[:10]


def _newest_entry(record: ArticleRecord, template: str, collection: str) -> NewestArticle:
    fetched = parse_warc_date(record["capture"]["fetched_at"])
    published_text = record.get("published")
    published = parse_warc_date(published_text) if published_text else None
    moment = published or fetched
    sort_key = moment.astimezone(timezone.utc).isoformat() if moment else ""
    timestamp = fetched.astimezone(timezone.utc).strftime("%Y%m%d%H%M%S") if fetched else ""
    url = record["url"]
    link = template.format(url=url, url_quoted=quote(url, safe=""), timestamp=timestamp,
                           collection=collection)
    return NewestArticle(sort_key, record.get("site") or "?", record.get("title") or url, url,
                         record.get("published"), timestamp, record.get("language"), link)


def _problems(collection: Collection, sites: list[str]) -> tuple[list[SiteProblems], int]:
    """Per-site problems, and how many listed run manifests could not be read."""
    found = {site: SiteProblems(site) for site in sites}
    manifests, unreadable = _manifests(collection)
    for manifest in manifests:
        for site, counts in (manifest.get("sites") or {}).items():
            problems = found.setdefault(site, SiteProblems(site))
            problems.runs += 1
            problems.failed += int(counts.get("failed", 0))
            # Manifests come oldest first: the last one seen is the site's last run.
            problems.failed_last_run = int(counts.get("failed", 0))
            problems.skipped_by_robots += int(counts.get("skipped_by_robots", 0))
    marks = ", ".join("?" for _ in BLOCKED_STATUSES)
    for site, url, count in collection.catalog.query(
            f"SELECT COALESCE(site, '?'), url, COUNT(*) FROM captures WHERE status IN ({marks}) "
            "GROUP BY 1, 2", BLOCKED_STATUSES):
        host = urlsplit(url).hostname or url
        found.setdefault(site, SiteProblems(site)).blocked[host] += count
    return [found[site] for site in sorted(found)], unreadable


def _manifests(collection: Collection) -> tuple[list[dict[str, Any]], int]:
    """The run manifests the catalog lists, oldest first, and how many could not be read."""
    manifests, unreadable = [], 0
    for (manifest_file,) in collection.catalog.query(
            "SELECT manifest_file FROM runs WHERE manifest_file IS NOT NULL ORDER BY started_at"):
        try:
            manifests.append(json.loads((collection.path / manifest_file).read_text("utf-8")))
        except (OSError, ValueError):
            unreadable += 1  # the page says so; `scraper reindex` rebuilds the runs table
    return manifests, unreadable


def _warc_sizes(collection: Collection, data: ReportData, largest: int) -> None:
    records = dict(collection.catalog.query(
        "SELECT warc_file, COUNT(*) FROM captures GROUP BY warc_file"))
    sizes = []
    for path in collection.warc_files():
        size = path.stat().st_size
        data.warc_files += 1
        data.warc_bytes += size
        sizes.append((path.name, size, int(records.get(f"warc/{path.name}", 0))))
    data.largest_warcs = sorted(sizes, key=lambda item: (-item[1], item[0]))[:largest]
    data.runs = next(collection.catalog.query("SELECT COUNT(*) FROM runs"))[0]
