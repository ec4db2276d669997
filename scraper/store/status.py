"""``scraper status``: the collection at a glance, per site, from the catalog and the files."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from scraper.store.catalog import CatalogStore
from scraper.table import format_table


@dataclass(frozen=True)
class SiteStatus:
    site: str
    articles: int
    versions: int
    last_fetch: str | None
    last_new_article: str | None
    failures_last_run: int
    disk_bytes: int
    #: URLs found blocked (bot walls), and all discovered URLs never captured since.
    blocked: int = 0
    not_captured: int = 0


def collection_status(store: CatalogStore, data_dir: Path
                      ) -> tuple[list[SiteStatus], dict[str, Any]]:
    """Per-site rows, and the last run (its manifest) or {}."""
    last_run = next(store.query("SELECT manifest_file FROM runs ORDER BY started_at DESC "
                                "LIMIT 1"), None)
    manifest = _manifest(Path(data_dir) / last_run[0]) if last_run else {}
    failures = {name: counts.get("failed", 0) for name, counts in
                manifest.get("sites", {}).items()}
    disk = _disk_by_site(store, Path(data_dir))
    rows = []
    for site, articles, versions, new, last in store.query(
            "SELECT COALESCE(site, '?'), COUNT(DISTINCT url), COUNT(*), "
            "MAX(CASE WHEN version = 1 THEN fetched_at END), MAX(fetched_at) "
            "FROM articles GROUP BY 1 ORDER BY 1"):
        rows.append(SiteStatus(site, articles, versions, last, new, failures.get(site, 0),
                               disk.get(site, 0)))
    return _with_missing(rows, store, failures, disk), manifest


def _with_missing(rows: list[SiteStatus], store: CatalogStore, failures: dict[str, int],
                  disk: dict[str, int]) -> list[SiteStatus]:
    """Rows with their blocked and not-captured counts; a site blocked from its first run on
    (no article yet) gets a row too, so it shows."""
    blocked = store.blocked_counts()
    missing: dict[str, int] = {}
    for entry in store.not_captured():
        missing[entry["site"]] = missing.get(entry["site"], 0) + 1
    by_site = {r.site: r for r in rows}
    for site in sorted(set(missing) - set(by_site)):
        by_site[site] = SiteStatus(site, 0, 0, None, None, failures.get(site, 0),
                                   disk.get(site, 0))
    return [replace(row, blocked=blocked.get(name, 0), not_captured=missing.get(name, 0))
            for name, row in sorted(by_site.items())]


def _manifest(path: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return manifest
    except (OSError, ValueError):
        return {}


def _disk_by_site(store: CatalogStore, data_dir: Path) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for site, warc_file in store.query("SELECT DISTINCT COALESCE(site, '?'), warc_file "
                                       "FROM captures"):
        path = data_dir / warc_file
        if path.exists():
            sizes[site] = sizes.get(site, 0) + path.stat().st_size
    return sizes


def format_status(rows: list[SiteStatus], manifest: dict[str, Any]) -> list[str]:
    table = [("site", "articles", "versions", "last fetch", "last new article",
              "failed (last run)", "blocked", "not captured", "disk")]
    table += [(r.site, str(r.articles), str(r.versions), r.last_fetch or "-",
               r.last_new_article or "-", str(r.failures_last_run), str(r.blocked),
               str(r.not_captured), f"{r.disk_bytes / 1e6:.1f} MB") for r in rows]
    lines = format_table(table)
    if manifest:
        code = manifest["exit_code"]
        ending = "not finished (running, or killed: the next run marks it interrupted)" \
            if code is None else f"exit {code}" + (", interrupted" if manifest.get(
                "interrupted") else "")
        lines.append(f"last run {manifest['run_id']}: {manifest['started_at']} -> "
                     f"{manifest['ended_at']}, {ending}")
    else:
        lines.append("no run recorded yet")
    return lines
