"""A synthetic collection: schema-valid article records in JSONL files plus their catalog rows.

No crawl and no WARC files (the records' captures point at a WARC that is not there): enough
for everything that reads a collection through ``Collection`` (export, its tests and
bench/export_speed.py). Texts are 3-5 KB of English or Arabic paragraphs; a third of the
records are Arabic. Same arguments, same files.
"""

from __future__ import annotations

import hashlib
import random
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from scraper.extract.record import CaptureRef, build_record
from scraper.store.catalog import CATALOG_NAME, CatalogStore, article_row
from scraper.store.jsonl import to_json_line

SITES = (("al-monitor", "en"), ("aljazeera-ar", "ar"), ("lbci", "ar"), ("aljazeera-en", "en"))
ENGLISH = ("the port officials said on Tuesday that shipping carriers would return to older "
           "routes within months leaving expensive quays half empty while governments weigh "
           "new budgets for water desalination energy and regional trade talks").split()
ARABIC = ("قال مسؤولون في الميناء يوم الثلاثاء إن شركات الشحن قد تعود إلى طرقها القديمة خلال "
          "أشهر بينما تدرس الحكومات ميزانيات جديدة لتحلية المياه والطاقة والتجارة الإقليمية "
          "وأسعار الفائدة في الأسواق الخليجية").split()
RUN_ID = "20261125T000000000000Z-1"
EXTRACTOR = {"name": "trafilatura", "version": "2.3.1", "pipeline": "mena-scraper/0.1.0",
             "config_sha256": "0" * 64}


def write_synthetic_collection(data: Path, count: int, *, per_file: int = 10_000,
                               seed: int = 7) -> list[dict[str, Any]]:
    """Write ``count`` records into ``data`` (articles/*.jsonl and catalog.sqlite).

    Returns the records when ``count`` is small (<= 1,000), else an empty list.
    """
    (data / "articles").mkdir(parents=True, exist_ok=True)
    store = CatalogStore(data / CATALOG_NAME)
    kept: list[dict[str, Any]] = []
    records = _records(count, random.Random(seed))
    try:
        for first in range(0, count, per_file):
            name = f"articles/synthetic-{first // per_file:05d}.jsonl"
            with open(data / name, "w", encoding="utf-8", newline="\n") as stream:
                for line, record in enumerate(_take(records, per_file), start=1):
                    stream.write(to_json_line(record))
                    index_article(store, record, name, line)
                    if count <= 1000:
                        kept.append(record)
    finally:
        store.close()
    return kept


def _take(records: Iterator[dict[str, Any]], limit: int) -> Iterator[dict[str, Any]]:
    for _, record in zip(range(limit), records):
        yield record


def _records(count: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    start = datetime(2026, 11, 1, tzinfo=timezone.utc)
    for number in range(count):
        site, language = SITES[number % len(SITES)]
        moment = start + timedelta(minutes=7 * number)
        yield _record(number, site, language, moment, rng)


def _record(number: int, site: str, language: str, moment: datetime,
            rng: random.Random) -> dict[str, Any]:
    url = f"https://{site}.example/news/{number}"
    vocabulary = ARABIC if language == "ar" else ENGLISH
    text = _text(vocabulary, rng)
    published = None if number % 17 == 0 else \
        moment.astimezone(timezone(timedelta(hours=3))).isoformat()
    fields = {"canonical_url": url, "title": f"{_words(vocabulary, 8, rng)} {number}",
              "description": _words(vocabulary, 20, rng),
              "text": text, "authors": [f"Author {number % 50}"] if number % 5 else [],
              "published": published, "modified": published,
              "date_source": "json-ld" if published else None, "language": language,
              "declared_language": language, "section": ("news", "economy", "sport")[number % 3],
              "tags": ["economy", "الخليج"] if number % 4 == 0 else [],
              "image": None, "paywalled": (None, True, False)[number % 3],
              "word_count": len(text.split()),
              "text_sha256": hashlib.sha256(text.encode()).hexdigest(),
              "encoding": {"name": "utf-8", "source": "http-header"}}
    capture = CaptureRef(
        warc_file=f"warc/{site}-20261125000000000-00000-synthetic-1.warc.gz",
        offset=number * 5000, length=4800,
        record_id=f"<urn:uuid:{uuid.UUID(int=rng.getrandbits(128), version=4)}>",
        fetched_at=moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), status=200,
        payload_digest="sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
    return build_record(url, site, fields, capture, EXTRACTOR)


def _text(vocabulary: list[str], rng: random.Random) -> str:
    size = rng.randint(3000, 5000)  # bytes in UTF-8: Arabic letters take two
    paragraphs: list[str] = []
    length = 0
    while length < size:
        paragraph = _words(vocabulary, rng.randint(30, 70), rng) + "."
        paragraphs.append(paragraph)
        length += len(paragraph.encode()) + 1
    return "\n".join(paragraphs)


def _words(vocabulary: list[str], count: int, rng: random.Random) -> str:
    return " ".join(rng.choice(vocabulary) for _ in range(count))


def index_article(store: CatalogStore, record: dict[str, Any], jsonl_file: str, line: int) -> None:
    """The catalog row the crawl writes (scraper/catalog_extension.py ``article_written``)."""
    store.add_article(**article_row(record, jsonl_file, line, RUN_ID))
