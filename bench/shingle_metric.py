"""The article-extraction-benchmark's body metric: 4-token shingles, per-page normalized counts.

The corpus copy (../shared/corpus/aeb) holds the data and README.rst but not evaluate.py; the
README only says "precision, recall, F1". This is a re-implementation of what upstream
evaluate.py (scrapinghub/article-extraction-benchmark) computes, read as reference:

- tokens are the matches of ``\\w+`` (Unicode, case kept), so any script works;
- a text's shingles are its runs of 4 consecutive tokens, counted as a multiset; a text of
  1-3 tokens is one short shingle, an empty text has none;
- per page, TP/FP/FN are the overlapping/extra/missing shingle counts, divided by their sum so
  that long pages weigh no more than short ones;
- precision is averaged over the pages that predicted something (TP + FP > 0): an empty
  prediction is left out of precision but scores recall 0 (when the truth is not empty);
- recall is averaged over the pages whose truth is not empty (TP + FN > 0);
- F1 is the harmonic mean of those two averages (not an average of per-page F1).
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass

SHINGLE_TOKENS = 4
_TOKEN = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class PageCounts:
    """One page's TP, FP and FN, normalized to sum to 1 (all 0 when both texts are empty)."""

    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float:
        if self.fp == self.fn == 0:
            return 1.0
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        if self.fp == self.fn == 0:
            return 1.0
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        """This page's own F1 (for ranking pages; the benchmark's F1 is :func:`summarize`)."""
        if self.fp == self.fn == 0:
            return 1.0
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn)


@dataclass(frozen=True)
class Scores:
    pages: int
    f1: float
    precision: float
    recall: float


def shingles(text: str, size: int = SHINGLE_TOKENS) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    return Counter(tuple(tokens[i : i + size]) for i in range(max(1, len(tokens) - size + 1)))


def page_counts(truth: str, predicted: str) -> PageCounts:
    """Shingle overlap of one page, normalized so that every page weighs the same."""
    true, pred = shingles(truth), shingles(predicted)
    tp = sum((true & pred).values())
    fp = sum((pred - true).values())
    fn = sum((true - pred).values())
    total = tp + fp + fn
    if total == 0:
        return PageCounts(0.0, 0.0, 0.0)
    return PageCounts(tp / total, fp / total, fn / total)


def summarize(counts: list[PageCounts]) -> Scores:
    """The benchmark's precision, recall and F1 over pages."""
    precisions = [c.precision for c in counts if c.tp + c.fp > 0]
    recalls = [c.recall for c in counts if c.tp + c.fn > 0]
    precision = statistics.mean(precisions) if precisions else 0.0
    recall = statistics.mean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(len(counts), f1, precision, recall)
