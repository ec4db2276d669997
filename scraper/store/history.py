"""``scraper history URL``: every version of an article, with a unified diff of its text."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from scraper.errors import UsageError
from scraper.store.catalog import CatalogStore
from scraper.store.lines import CatalogLineReader, ReadProblems


@dataclass(frozen=True)
class Version:
    version: int
    article_id: str
    fetched_at: str
    title: str | None
    text: str
    capture: str  # "warc/<file>@<offset>"


def article_history(store: CatalogStore, data_dir: Path, url: str,
                    problems: ReadProblems | None = None) -> list[Version]:
    """Every version of ``url`` the catalog knows and its JSONL files still hold.

    A version whose record is not where the catalog says is looked up by id; one that is in no
    file is left out and counted in ``problems``.
    """
    rows = store.versions(url)
    if not rows:
        raise UsageError(f"no article archived at {url} (`scraper status` shows what there is)")
    reader = CatalogLineReader(Path(data_dir))
    versions = []
    try:
        for row in rows:
            record = reader.record(row["jsonl_file"], row["jsonl_line"], row["id"])
            if record is None:
                continue
            versions.append(Version(row["version"], row["id"], row["fetched_at"], row["title"],
                                    record.get("text") or "", f"{record['capture']['warc_file']}@"
                                                              f"{record['capture']['offset']}"))
    finally:
        reader.close()
    if problems is not None:
        problems.moved += reader.problems.moved
        problems.missing += reader.problems.missing
        for name, numbers in reader.problems.not_records.items():
            problems.not_records.setdefault(name, []).extend(numbers)
    return versions


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
