"""``scraper history URL``: every version of an article, with a unified diff of its text."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from scraper.errors import UsageError
from scraper.extract.record import ArticleRecord
from scraper.store.catalog import CatalogStore
from scraper.store.jsonl import read_json_lines


@dataclass(frozen=True)
class Version:
    version: int
    article_id: str
    fetched_at: str
    title: str | None
    text: str
    capture: str  # "warc/<file>@<offset>"


def article_history(store: CatalogStore, data_dir: Path, url: str) -> list[Version]:
    rows = store.versions(url)
    if not rows:
        raise UsageError(f"no article archived at {url} (`scraper status` shows what there is)")
    versions = []
    for row in rows:
        record = _record_at(Path(data_dir) / row["jsonl_file"], row["jsonl_line"])
        versions.append(Version(row["version"], row["id"], row["fetched_at"], row["title"],
                                record["text"], f"{record['capture']['warc_file']}@"
                                                f"{record['capture']['offset']}"))
    return versions


def _record_at(path: Path, line: int) -> ArticleRecord:
    try:
        return read_json_lines(path.read_text(encoding="utf-8"))[line - 1]
    except (OSError, IndexError) as error:
        raise UsageError(f"{path} line {line} is missing: run `scraper reindex`") from error


def format_history(versions: list[Version], url: str) -> list[str]:
    lines = [f"{len(versions)} version(s) of {url}"]
    previous: Version | None = None
    for version in versions:
        lines.append(f"version {version.version}  fetched {version.fetched_at}  "
                     f"id {version.article_id}  capture {version.capture}")
        if previous is not None:
            lines += difflib.unified_diff(
                previous.text.splitlines(), version.text.splitlines(),
                f"version {previous.version}", f"version {version.version}", lineterm="")
        previous = version
    return lines
