"""``scraper merge FOLDER... --into DATA``: one collection from the folders of several machines.

Workers on different machines each write their own folder. File names are unique per process
(host and pid are in every WARC, JSONL and manifest name), so merging is moving files: WARC
files, their CDXJ indexes, article JSONL files and run manifests go into DATA's folders, then
DATA's catalog is rebuilt from them (``scraper/store/reindex.py``), as one machine would have
it. A folder with ``.open`` WARC files (a crawl running or crashed) is refused: recover first.
"""

from __future__ import annotations

import filecmp
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from scraper.errors import StorageError, UsageError
from scraper.store.reindex import ReindexSummary, reindex
from scraper.store.runs import RunLock

#: Subfolder -> file pattern merged from every source folder.
MERGED = {"warc": "*.warc.gz", "indexes": "*.cdxj", "articles": "*.jsonl", "runs": "*.json"}


@dataclass
class MergeSummary:
    moved: dict[str, int] = field(default_factory=dict)
    identical: int = 0
    catalog: ReindexSummary | None = None


def merge_collections(sources: list[Path], into: Path) -> MergeSummary:
    """Move every source's files into ``into`` and rebuild its catalog."""
    into = Path(into)
    resolved = {Path(s).resolve() for s in sources}
    if into.resolve() in resolved:
        raise UsageError(f"{into} is both a source and the target; name it only in --into")
    for source in sources:
        _check_source(Path(source))
    summary = MergeSummary(moved={sub: 0 for sub in MERGED})
    with RunLock(into):
        for source in sources:
            with RunLock(Path(source)):
                _move_files(Path(source), into, summary)
        summary.catalog = reindex(into)
    return summary


def _check_source(source: Path) -> None:
    if not (source / "warc").is_dir():
        raise UsageError(f"{source} is not a collection folder (it has no warc/ folder)")
    left_open = sorted((source / "warc").glob("*.warc.gz.open"))
    if left_open:
        raise UsageError(f"{source} has WARC files still open ({left_open[0].name}, ...): wait "
                         f"for its crawl to end, or run `scraper recover --data {source}`")


def _move_files(source: Path, into: Path, summary: MergeSummary) -> None:
    for sub, pattern in MERGED.items():
        target_dir = into / sub
        try:
            target_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StorageError(f"cannot create {target_dir}: {error.strerror}") from error
        for path in sorted((source / sub).glob(pattern)):
            target = target_dir / path.name
            if target.exists():
                if not filecmp.cmp(path, target, shallow=False):
                    raise UsageError(f"{path} and {target} have the same name but differ; "
                                     "nothing more was moved")
                summary.identical += 1
                path.unlink()
                continue
            _move(path, target)
            summary.moved[sub] += 1


def _move(path: Path, target: Path) -> None:
    """Rename when on one filesystem, else copy then delete (never a half-copied target)."""
    try:
        os.replace(path, target)
        return
    except OSError:
        pass
    partial = target.with_name(target.name + ".partial")
    try:
        shutil.copy2(path, partial)
        os.replace(partial, target)
        path.unlink()
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise StorageError(f"cannot move {path} to {target}: {error.strerror}") from error
