"""Furniture lines and repeated headlines, in every language of the corpus; data stays."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from scraper.extract.precision import (
    drop_furniture,
    is_furniture,
    prune_teasers,
    unwrap_layout_tables,
)


@pytest.mark.parametrize("line", [
    "|", "| |", "- ", "•", "Print Version | Back | Send To Friend",
    "About Us | Feedback | Contact Us", "E-mail this Story | Print this Story", "Print",
    "Share on Facebook", "Advanced Search", "Poll: Should the marshes be protected?", "Vote",
    "View Results", "© 2009 Levant Ledger", "Copyright 2024 Levant Ledger Media",
    "Home > Middle East > Iraq", "News » Region » Gulf", "Don't miss", "You may also like...",
    "2019-11-19T08:57:40+01:00",
    # Arabic, Persian, Hebrew, Turkish
    "الرئيسية > أخبار", "طباعة", "أرسل لصديق", "استطلاع رأي", "جميع الحقوق محفوظة لشبكة الجزيرة",
    "بحث متقدم", "من نحن | اتصل بنا | أعلن معنا", "چاپ", "کلیه حقوق این سایت محفوظ است",
    "صفحه اصلی > سیاسی", "הדפס", "כל הזכויות שמורות", "דף הבית > חדשות", "Yazdır", "Paylaş",
    "Tüm hakları saklıdır.", "Ana Sayfa > Gündem", "Anket",
])
def test_furniture(line: str) -> None:
    assert is_furniture(line)


@pytest.mark.parametrize("line", [
    "Vote counting continued through the night in Basra and Mosul.",
    "The copyright dispute between the two broadcasters went to court in March.",
    "| 2019 | 5.4% | 3.1% |",  # a data row keeps its numbers
    "___", "http://amzn.to/2iJFhRj", "طبعت الوزارة مليون كتاب مدرسي هذا العام.",
])
def test_article_lines_stay(line: str) -> None:
    assert not is_furniture(line)


def test_data_table_header_row_stays() -> None:
    table = "| Ticker | Security | Last |\n|---|---|---|\n| HD | Home Depot | 225.86 |\n" \
            "| LOW | Lowe's | 113.40 |"
    assert drop_furniture(table) == table


def test_repeated_headline_at_the_start_goes() -> None:
    text = "Basra farmers return to the marshes\nThe first boats came back in February."
    assert drop_furniture(text, ["Basra farmers return to the marshes"]) == \
        "The first boats came back in February."
    assert drop_furniture(text, ["Another headline"]) == text


def test_hidden_copy_of_the_article_goes_but_a_repeated_question_stays() -> None:
    paragraphs = [f"Paragraph {n} of the article, long enough to count as one of its lines, "
                  "and then some more words so that the copy is clearly a copy." for n in range(6)]
    doubled = "\n".join(paragraphs + ["Metadata line"] + paragraphs)
    assert drop_furniture(doubled) == "\n".join(paragraphs + ["Metadata line"])
    interview = "\n".join(["What inspired you to start cooking for others?", "My mother.",
                           "What inspired you to start cooking for others?", "My grandmother."])
    assert drop_furniture(interview) == interview


def test_layout_table_becomes_blocks_and_data_table_stays() -> None:
    tree = lxml_html.document_fromstring(
        "<html><body><table><tr><td><p>Nav</p><p>Story</p></td></tr></table>"
        "<table><tr><td>2019</td><td>5%</td></tr></table></body></html>")
    assert unwrap_layout_tables(tree) == 1
    assert len(tree.xpath("//table")) == 1 and tree.xpath("//table//td/text()") == ["2019", "5%"]


def test_teaser_cards_nested_in_the_article_are_pruned() -> None:
    story = "<p>" + "The story itself, told at length. " * 20 + "</p>"
    card = "<article class='postbox'><h2><a href='/x'>Other story</a></h2><p>Teaser…</p></article>"
    tree = lxml_html.document_fromstring(
        f"<html><body><article><h1>Title</h1>{story}{card}{card}</article></body></html>")
    assert prune_teasers(tree) == 2
    assert "Teaser" not in tree.text_content() and "told at length" in tree.text_content()
