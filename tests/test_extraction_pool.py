"""Pages sent to the extraction workers in batches: each page keeps its own outcome.

A batch is one task for several pages (less work for the process that feeds the workers). A
page that raises fails alone; a page that overruns the time limit makes the batch run again
page by page, so it alone times out and the others of its batch still give their records.
"""

from __future__ import annotations

import concurrent.futures
import concurrent.futures.process
from datetime import datetime, timezone

import pytest

from scraper.errors import ContentError
from scraper.extract.extractor import Extracted, ExtractionOptions, PageInput
from scraper.extract.workers import ExtractionPool, ExtractionPoolBroken

AT = datetime(2026, 11, 20, tzinfo=timezone.utc)
WORDS = " ".join(f"word{i}" for i in range(300))


def _page(name: str, body: bytes) -> PageInput:
    return PageInput(f"http://127.0.0.1/news/{name}", body, "text/html; charset=utf-8", None, AT)


def _article(n: int) -> PageInput:
    return _page(f"story-{n}", f"<html><head><title>Story {n}</title></head><body><article>"
                 f"<h1>Story {n}</h1><p>Story {n} begins. {WORDS}.</p></article></body></html>"
                 .encode())


def _too_deep() -> PageInput:
    # deeper than libxml2 reads: extract_page raises ContentError for it
    return _page("deep", b"<html><body>" + b"<div>" * 300 + b"<p>deep</p>" + b"</div>" * 300
                 + b"</body></html>")


def _slow() -> PageInput:
    paragraphs = "".join(f"<div><p>Paragraph {i} of a page that is slow to extract, "
                         f"words {i * 7}.</p><span>x</span></div>" for i in range(60000))
    return _page("slow", f"<html><body><article>{paragraphs}</article></body></html>".encode())


@pytest.fixture
def pool():
    pool = ExtractionPool(ExtractionOptions(), workers=2, timeout=2.0, memory_mb=0)
    yield pool
    pool.close()


def test_a_batch_gives_each_page_its_own_result(pool: ExtractionPool) -> None:
    futures = pool.submit_batch([_article(1), _too_deep(), _article(2)])
    assert len(futures) == 3
    first, deep, second = futures
    assert isinstance(first.result(timeout=60), Extracted)
    assert "Story 1 begins" in first.result().fields["text"]
    with pytest.raises(ContentError, match="nested deeper"):
        deep.result(timeout=60)
    assert "Story 2 begins" in second.result(timeout=60).fields["text"]


@pytest.mark.slow
def test_a_page_over_the_time_limit_fails_alone(pool: ExtractionPool) -> None:
    futures = pool.submit_batch([_article(1), _slow(), _article(2), _article(3)])
    done, _ = concurrent.futures.wait(futures, timeout=120)
    assert len(done) == 4
    assert isinstance(futures[1].exception(), concurrent.futures.TimeoutError)
    stories = [futures[0].result(), futures[2].result(), futures[3].result()]
    assert [type(r) for r in stories] == [Extracted] * 3
    assert "Story 3 begins" in stories[2].fields["text"]



class _BrokenPebblePool:
    """pebble's pool once every worker died before its first task: the task in hand fails
    with BrokenProcessPool ("All workers expired"), and scheduling more raises."""

    def __init__(self) -> None:
        self.broken = False

    def schedule(self, function: object, args: object = (), timeout: float = 0) -> object:
        if self.broken:
            raise RuntimeError("Unexpected error within the Pool")
        self.broken = True
        future: concurrent.futures.Future[object] = concurrent.futures.Future()
        future.set_exception(concurrent.futures.process.BrokenProcessPool("All workers expired"))
        return future


def test_pages_fail_with_a_reason_when_no_worker_can_start() -> None:
    # The failed batch was resubmitted page by page from its callback; that raised, and the
    # pages' futures were never resolved: the crawl waited for them forever.
    pool = ExtractionPool.__new__(ExtractionPool)
    pool.options, pool.limits, pool.timeout = ExtractionOptions(), None, 5.0
    pool._pool = _BrokenPebblePool()  # type: ignore[assignment]
    futures = pool.submit_batch([_article(1), _article(2), _article(3)])
    for future in futures:
        assert future.done()
        with pytest.raises(ExtractionPoolBroken, match="no extraction worker can run"):
            future.result()
    for late in (*pool.submit_batch([_article(4), _article(5)]), pool.submit(_article(6))):
        with pytest.raises(ExtractionPoolBroken, match="check EXTRACT_MEMORY_MB"):
            late.result()
