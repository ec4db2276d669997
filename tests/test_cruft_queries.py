"""The cruft module's faster queries give what the plain XPath definitions give."""

from __future__ import annotations

from lxml import etree
from lxml import html as lxml_html

from scraper.extract import cruft
from scraper.extract.cruft import CROSS_SITE, prune, text_length, visible_length

PAGE = """<html><head><style>p { color: red }</style><title>T</title></head><body>
<div id="a">Lead text <b>bold</b> tail<script>var x = "hidden words";</script> after script
  <noscript><p id="n">Enable <i>scripts</i></p></noscript>
  <style>.x{}</style><p>Second paragraph of text.</p></div>
<div class="share-bar">Share on X</div><footer>Footer words</footer>
</body></html>"""

VISIBLE = etree.XPath(".//text()[not(ancestor::script) and not(ancestor::style)"
                      " and not(ancestor::noscript)]")
OUTSIDE_CODE = etree.XPath(".//text()[not(ancestor::script) and not(ancestor::style)]")


def _chars(texts: list[str]) -> int:
    return sum(len(text.strip()) for text in texts)


def test_lengths_equal_the_ancestor_definitions_on_every_element() -> None:
    tree = lxml_html.fromstring(PAGE)
    elements = [tree, *tree.iter(etree.Element)]
    assert len(elements) > 10
    for element in elements:
        assert visible_length(element) == _chars(VISIBLE(element)), element.tag
        assert text_length(element) == _chars(OUTSIDE_CODE(element)), element.tag
    # What the cases are: code elements themselves count nothing, inside noscript only one does.
    assert visible_length(tree.get_element_by_id("n")) == 0
    assert text_length(tree.get_element_by_id("n")) == len("Enable") + len("scripts")
    assert visible_length(tree.find(".//script")) == text_length(tree.find(".//script")) == 0


def test_many_class_values_are_found_as_the_or_chain_finds_them() -> None:
    classes = [f"share-{n}" for n in range(12)] + ["related"]
    # The list query joins values with a private-use separator: a class holding it must not
    # match across two listed values, and a listed value holding it is still found.
    odd = ["share-1\ue000share-2", "odd\ue000share"]
    body = "".join(f'<div class="{c}">x{n}</div><p class="keep-{n}">k</p>'
                   for n, c in enumerate(classes + odd))
    tree = lxml_html.fromstring(f"<html><body>{body}<p id='promo-1'>p</p></body></html>")

    def wanted(values: list[str]) -> list[object]:
        return [e for e in tree.iter() if e.get("class") in values or e.get("id") == "promo-1"]

    assert len(cruft._by_value(tree, classes, ["promo-1"])) == len(classes) + 1
    assert cruft._by_value(tree, classes, ["promo-1"]) == wanted(classes)
    assert cruft._by_value(tree, classes + odd[1:], ["promo-1"]) == wanted(classes + odd[1:])


def test_prune_removes_share_and_footer_blocks_and_keeps_the_body() -> None:
    tree = lxml_html.fromstring(PAGE)
    result = prune(tree, CROSS_SITE)
    text = tree.text_content()
    assert result.removed == 2 and not result.paywall_marked
    assert "Share on X" not in text and "Footer words" not in text
    assert "Second paragraph of text." in text
