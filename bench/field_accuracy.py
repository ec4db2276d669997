"""Title, date and author comparison against a source's truth, and per-field tallies.

A truth of None or empty means the source states "none" (newspaper4k ``authors: []``, WCXB
``date: null``): there the right answer is to give none too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from scraper.extract.dates import parse_date

FIELDS = ("title", "date", "authors")
#: A manifest note saying the source's date truth has day and month swapped (fundus' Anadolu
#: expectations): the "date, errata" tally also accepts the swapped date there.
SWAPPED_NOTE = re.compile(r"day/month[- ]swapped", re.IGNORECASE)
_SITE_SEPARATOR = re.compile(r" [-|] ")  # " - Site" or " | Site" after a title


@dataclass
class FieldTally:
    """Pages with truth for one field, how many were right, and (authors) partly right."""

    with_truth: int = 0
    truth_none: int = 0
    correct: int = 0
    partial: int = 0
    wrong_ids: list[str] = field(default_factory=list)

    def add(self, page_id: str, truth: Any, verdict: str) -> None:
        self.with_truth += 1
        self.truth_none += _is_none(truth)
        self.correct += verdict == "correct"
        self.partial += verdict == "partial"
        if verdict != "correct":
            self.wrong_ids.append(page_id)

    @property
    def accuracy(self) -> float:
        return self.correct / self.with_truth if self.with_truth else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "with_truth": self.with_truth,
            "truth_none": self.truth_none,
            "correct": self.correct,
            "partial": self.partial,
            "accuracy": round(self.accuracy, 4),
            "not_correct": self.wrong_ids,
        }


def judge(name: str, truth: Any, predicted: Any) -> str:
    """``correct``, ``partial`` (authors only) or ``wrong`` for one field of one page."""
    if _is_none(truth):
        return "correct" if _is_none(predicted) else "wrong"
    if _is_none(predicted):
        return "wrong"
    if name == "title":
        return "correct" if _title_forms(str(truth)) & _title_forms(str(predicted)) else "wrong"
    if name == "date":
        return "correct" if same_day(str(truth), str(predicted)) else "wrong"
    return _judge_authors(author_set(truth), author_set(predicted))


def judge_with_errata(truth: Any, predicted: Any, notes: str) -> str:
    """The date verdict, accepting the day/month-swapped truth where the manifest says so."""
    verdict = judge("date", truth, predicted)
    if verdict == "correct" or not SWAPPED_NOTE.search(notes) or _is_none(truth):
        return verdict
    swapped = re.sub(r"^(\d{4})-(\d\d)-(\d\d)", r"\1-\3-\2", str(truth))
    return judge("date", swapped, predicted)


def _is_none(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == "None"


def _normalized(title: str) -> str:
    return " ".join(title.casefold().split())


def _title_forms(title: str) -> set[str]:
    """The title, and the title without a trailing " - Site" / " | Site" (either may match)."""
    whole = _normalized(title)
    separators = list(_SITE_SEPARATOR.finditer(whole))
    return {whole, whole[: separators[-1].start()]} if separators else {whole}


def same_day(truth: str, predicted: str) -> bool:
    """Same calendar day; an aware prediction is read in the truth's zone when it has one."""
    expected, got = parse_date(truth), parse_date(predicted)
    if expected is None or got is None:
        return False
    if isinstance(got, datetime) and got.tzinfo and expected.tzinfo:
        got = got.astimezone(expected.tzinfo)
    return got.date() == expected.date()


def author_set(value: Any) -> set[str]:
    """Casefolded names from a list, or from trafilatura's "A; B" byline string."""
    names = value if isinstance(value, list) else str(value).split(";")
    return {" ".join(str(n).casefold().split()) for n in names if str(n).strip()}


def _judge_authors(expected: set[str], got: set[str]) -> str:
    if expected == got:
        return "correct"
    return "partial" if expected & got else "wrong"
