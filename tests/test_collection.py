"""The Python API: Collection(path).articles(...) with every filter."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from scraper import Collection
from scraper.errors import UsageError
from scraper.store.jsonl import read_json_lines
from tests.test_sites import crawl_mirror


@pytest.fixture(scope="module")
def collection(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("collection")
    crawl_mirror("al-monitor", data)
    crawl_mirror("aljazeera-ar", data)
    crawl_mirror("haaretz-en", data)  # one page declares isAccessibleForFree true, one false
    return data


def stored(data: Path) -> list[dict]:
    return [r for p in sorted((data / "articles").glob("*.jsonl"))
            for r in read_json_lines(p.read_text(encoding="utf-8"))]


def test_all_articles_are_the_stored_records(collection: Path) -> None:
    got = list(Collection(collection).articles())
    assert sorted(r["id"] for r in got) == sorted(r["id"] for r in stored(collection))
    assert Collection(collection).sites() == ["al-monitor", "aljazeera-ar", "haaretz-en"]


def test_filters(collection: Path) -> None:
    api = Collection(collection)
    everything = stored(collection)
    assert {r["site"] for r in api.articles(site="al-monitor")} == {"al-monitor"}
    assert len(list(api.articles(site=["al-monitor", "aljazeera-ar", "haaretz-en"]))) == \
        len(everything)
    arabic = list(api.articles(language="ar"))
    assert arabic and all(r["language"] == "ar" for r in arabic)
    assert len(arabic) == sum(r["language"] == "ar" for r in everything)
    moment = datetime(2026, 11, 22, tzinfo=timezone.utc)
    later = list(api.articles(since=moment))
    assert later and all(r["published"] and datetime.fromisoformat(r["published"]) >= moment
                         for r in later)
    earlier = list(api.articles(until="2026-11-22"))
    assert len(later) + len(earlier) == sum(1 for r in everything if r["published"])
    fetched_today = list(api.articles(since="1d", by="fetched"))
    assert len(fetched_today) == len(everything)
    free, closed = list(api.articles(paywalled=False)), list(api.articles(paywalled=True))
    assert free and closed
    assert all(r["paywalled"] is False for r in free)
    assert all(r["paywalled"] is True for r in closed)
    assert len(free) + len(closed) == sum(r["paywalled"] is not None for r in everything)


def test_bad_arguments_and_missing_collection(tmp_path: Path, collection: Path) -> None:
    with pytest.raises(UsageError, match="no collection"):
        Collection(tmp_path)
    with pytest.raises(UsageError):
        list(Collection(collection).articles(by="modified"))  # type: ignore[arg-type]
