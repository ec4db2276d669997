"""What became of one page sent to extraction: a record, a non-article, or a counted failure."""

from __future__ import annotations

import concurrent.futures
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from pebble import ProcessExpired

from scraper.errors import LimitExceeded, ScraperError
from scraper.extract.extractor import Extracted, NotArticle
from scraper.extract.record import ArticleRecord, CaptureRef, ExtractorInfo, build_record


@dataclass(frozen=True)
class Outcome:
    category: str  # "article", "not_article/<reason>" or "failed/<kind>"
    record: ArticleRecord | None = None
    message: str | None = None
    #: JSON-LD blocks skipped for their size (EXTRACT_MAX_JSON_LD_BYTES).
    json_ld_skipped: int = 0

    @property
    def failed(self) -> bool:
        return self.category.startswith("failed/")


def outcome_of(future: Future[Any], url: str, site: str | None, capture: CaptureRef,
               extractor: ExtractorInfo, timeout: float) -> Outcome:
    try:
        result = future.result()
    except concurrent.futures.TimeoutError:
        return Outcome("failed/timeout", message=f"extraction took over {timeout:g}s")
    except ProcessExpired as error:
        return Outcome("failed/worker_died", message=f"worker died ({error})")
    except MemoryError:
        return Outcome("failed/memory", message="over the worker memory limit")
    except LimitExceeded as error:
        return Outcome("failed/limit", message=str(error))
    except ScraperError as error:
        return Outcome("failed/unreadable", message=str(error))
    except Exception as error:  # a parser bug must cost one page, not the run; it is counted
        return Outcome("failed/error", message=f"{type(error).__name__}: {error}")
    if isinstance(result, NotArticle):
        return Outcome(f"not_article/{result.reason}")
    assert isinstance(result, Extracted)
    return Outcome("article", build_record(url, site, result.fields, capture, extractor),
                   json_ld_skipped=result.json_ld_skipped)
