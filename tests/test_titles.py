"""Titles: never the bare site name; site-name tails and heads stripped in every form."""

from __future__ import annotations

import pytest

from scraper.extract.titles import TitleCandidate, host_names, pick_title

SITE = ["Levant Ledger", "levant-ledger"]


@pytest.mark.parametrize("raw, expected", [
    ("Water talks resume on the Euphrates | Levant Ledger", "Water talks resume on the Euphrates"),
    ("Water talks resume on the Euphrates - Levant Ledger", "Water talks resume on the Euphrates"),
    ("Water talks resume on the Euphrates – LEVANT LEDGER", "Water talks resume on the Euphrates"),
    ("Levant Ledger - Water talks resume on the Euphrates", "Water talks resume on the Euphrates"),
    ("Levant Ledger: Water talks resume on the Euphrates", "Water talks resume on the Euphrates"),
    ("Water talks resume on the Euphrates - Levant Ledger - Slogan of the day",
     "Water talks resume on the Euphrates"),
    ("Water talks resume on the Euphrates | Levant Ledger English",
     "Water talks resume on the Euphrates"),
    ("Talks: what comes next - the view from Baghdad",
     "Talks: what comes next - the view from Baghdad"),
])
def test_site_name_tails(raw: str, expected: str) -> None:
    assert pick_title([TitleCandidate(raw, "html-title")], SITE) == (expected, "html-title")


def test_arabic_site_name_tail() -> None:
    candidates = [TitleCandidate("الجزيرة نت | مزارعو البصرة يعودون إلى الأهوار", "og:title")]
    expected = ("مزارعو البصرة يعودون إلى الأهوار", "og:title")
    assert pick_title(candidates, ["الجزيرة نت"]) == expected


def test_bare_site_name_gives_way_to_the_headline() -> None:
    candidates = [TitleCandidate("Levant Ledger", "html-title"),
                  TitleCandidate("Water talks resume on the Euphrates", "h1")]
    assert pick_title(candidates, SITE) == ("Water talks resume on the Euphrates", "h1")


def test_site_name_and_section_give_way_to_the_headline() -> None:
    candidates = [TitleCandidate("Levant Ledger | Economy", "og:title"),
                  TitleCandidate("Water talks resume on the Euphrates", "json-ld")]
    assert pick_title(candidates, SITE) == ("Water talks resume on the Euphrates", "json-ld")


def test_nothing_but_the_site_name_gives_no_title() -> None:
    assert pick_title([TitleCandidate("Levant Ledger", "html-title")], SITE) == (None, None)


def test_host_names() -> None:
    assert host_names("www.aa.com.tr") == ["aa", "aa.com.tr"]
    assert host_names("www.levant-ledger.test")[0] == "levant-ledger"
