"""Blocks of the page that are not the article, though trafilatura keeps them in the body.

- **Hidden metadata blocks.** Pages repeat the article's headline, keywords, dates, image URLs
  and publisher name in a ``display:none`` microdata block for search engines; trafilatura
  writes them out as lines of the article. A hidden element is removed unless it holds a real
  paragraph: a collapsed "read more" part of the article is hidden too, and stays.
- **The standfirst (dek).** The one or two sentences under the headline, in the headline's own
  header block (``<h2 class="sub-head">``, ``article-subline``, ``standfirst``), are a summary,
  not the article: they are taken out of the tree and kept in the record's ``standfirst``
  field, so the text starts where the article starts and nothing the page shows is lost.
- **Story cards.** Grids of other stories (image link plus headline each) after the article.
- **Hover cards.** A name in a paragraph that opens a card of the person's latest stories
  (an image and several links inside an inline ``<span>``): the name stays, the card goes.
"""

from __future__ import annotations

import re

from lxml import html as lxml_html

from scraper.extract.cruft import visible_length
from scraper.extract.precision import words_of

#: A hidden element holding a paragraph at least this long is collapsed article text: kept.
HIDDEN_KEEP_PARAGRAPH_CHARS = 80
#: A standfirst is a sentence or two, not a section of the article.
STANDFIRST_MIN_CHARS = 20
STANDFIRST_MAX_CHARS = 400
#: The headline's block holds little of the page's text; a wrapper of the whole article is
#: no header, and what follows its headline is the article.
HEADER_MAX_SHARE = 0.2
#: An <h1> of fewer words is a logo or a section name, not a headline.
HEADLINE_MIN_WORDS = 3
#: How far up from the headline its header block may be.
HEADER_LEVELS = 3

_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_HEADER_TOKEN = re.compile(r"(?:^|[\s_-])(?:head|header|headline|heading|title)(?:$|[\s_-])",
                           re.IGNORECASE)
_DEK_TOKEN = re.compile(
    r"(?:^|[\s_-])(?:sub-?head(?:line)?|subline|sub-?title|dek|standfirst|strapline|"
    r"summary|article-summary|excerpt|deck)(?:$|[\s_-])", re.IGNORECASE)
#: Bylines, datelines and times share the header block; none of them is a dek.
_NOT_DEK_TOKEN = re.compile(r"byline|author|name|date|time|meta|credit|kicker|label|categor",
                            re.IGNORECASE)


def prune_hidden_blocks(tree: lxml_html.HtmlElement) -> int:
    """Remove elements of the body hidden by an inline ``display:none`` or
    ``visibility:hidden`` that hold no real paragraph; return how many.

    The ``hidden`` attribute is not enough: streamed pages (React/Next.js) send the article
    in a ``<div hidden>`` that a script moves into place.
    """
    removed = 0
    for element in tree.xpath("//body//*[@style]"):
        if element.getparent() is None or not _is_hidden(element):
            continue
        if any(visible_length(p) >= HIDDEN_KEEP_PARAGRAPH_CHARS for p in element.iter("p")):
            continue
        element.drop_tree()
        removed += 1
    return removed


def take_standfirst(tree: lxml_html.HtmlElement, titles: list[str],
                    page_chars: int | None = None) -> str | None:
    """Remove the dek under the page's headline from the tree and return its text, or None.

    The headline is the first ``<h1>`` whose words are found in one of ``titles`` (JSON-LD
    ``headline``, ``og:title``, ``<title>``): a site logo in an ``<h1>`` is no headline. Its
    header block is the nearest ``<header>`` or element with
    a head/title class, at most HEADER_LEVELS up, holding under HEADER_MAX_SHARE of the page's
    text (``page_chars``, counted here when not given). In that block, an ``<h2>``/``<h3>``
    after the headline or an element with a dek class is the standfirst.
    """
    h1 = _headline_element(tree, [words_of(t) for t in titles if t])
    block = _header_block(h1, page_chars or visible_length(tree)) if h1 is not None else None
    if h1 is None or block is None:
        return None
    deks: list[lxml_html.HtmlElement] = []
    for element in _after(block, h1):
        if _is_dek(element) and not any(d in element.iterancestors() for d in deks):
            deks.append(element)
    if not deks:
        return None
    text = "\n".join(" ".join(e.text_content().split()) for e in deks)
    for element in deks:
        element.drop_tree()
    return text


def _is_hidden(element: lxml_html.HtmlElement) -> bool:
    return bool(_HIDDEN.search(element.get("style") or ""))


def _headline_element(tree: lxml_html.HtmlElement,
                      titles: list[str]) -> lxml_html.HtmlElement | None:
    for h1 in tree.iter("h1"):
        words = words_of(h1.text_content())
        if len(words.split()) >= HEADLINE_MIN_WORDS and any(words in t for t in titles):
            return h1
    return None


def _header_block(h1: lxml_html.HtmlElement, page_chars: int) -> lxml_html.HtmlElement | None:
    total = page_chars or 1
    for level, ancestor in enumerate(h1.iterancestors()):
        if level >= HEADER_LEVELS or ancestor.tag in ("body", "html", "article", "main"):
            return None
        token = f"{ancestor.get('class') or ''} {ancestor.get('id') or ''}"
        if ancestor.tag == "header" or _HEADER_TOKEN.search(token):
            return ancestor if visible_length(ancestor) / total < HEADER_MAX_SHARE else None
    return None


def _after(block: lxml_html.HtmlElement,
           h1: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    """Elements of ``block`` after the headline in document order, outside it."""
    seen, found = False, []
    for element in block.iter():
        if element is h1:
            seen = True
        elif seen and h1 not in element.iterancestors():
            found.append(element)
    return found


def _is_dek(element: lxml_html.HtmlElement) -> bool:
    if not isinstance(element.tag, str) or element.getparent() is None:
        return False
    token = f"{element.get('class') or ''} {element.get('id') or ''}"
    if element.tag not in ("h2", "h3") and not (
            element.tag in ("p", "div", "span") and _DEK_TOKEN.search(token)):
        return False
    if _NOT_DEK_TOKEN.search(token) or element.find(".//time") is not None:
        return False
    if element.find(".//a") is not None or element.xpath(".//p|.//h2|.//h3|.//ul"):
        return False  # a link is a kicker or a related story; blocks inside are no dek
    return STANDFIRST_MIN_CHARS <= visible_length(element) <= STANDFIRST_MAX_CHARS


#: A grid of other stories has at least this many cards.
MIN_CARDS = 3
#: ... holds under this share of the page's text, and no paragraph this long.
CARD_GRID_MAX_SHARE = 0.25
CARD_MAX_PARAGRAPH_CHARS = 200


def prune_card_grids(tree: lxml_html.HtmlElement, page_chars: int | None = None) -> int:
    """Remove grids of story cards (each an image link and a headline: "latest news", "more
    from the section") that trafilatura keeps as list lines after the article; return how
    many. An article's photo gallery has captions, not headlines, and stays."""
    total = page_chars or visible_length(tree) or 1
    removed = 0
    for grid in tree.xpath("//body//*[count(*) >= $n][count(.//img) >= $n]", n=MIN_CARDS):
        if grid.getparent() is None or grid.tag in ("body", "article", "main"):
            continue
        cards = [child for child in grid if isinstance(child.tag, str)]
        if len(cards) < MIN_CARDS or not all(_is_card(card) for card in cards):
            continue
        if visible_length(grid) / total >= CARD_GRID_MAX_SHARE or any(
                visible_length(p) >= CARD_MAX_PARAGRAPH_CHARS for p in grid.iter("p")):
            continue
        grid.drop_tree()
        removed += 1
    return removed


def _is_card(element: lxml_html.HtmlElement) -> bool:
    """An image inside a link, and a headline (h2-h5) that is or sits in a link."""
    links = [element] if element.tag == "a" else list(element.iter("a"))
    if not any(link.find(".//img") is not None for link in links):
        return False
    return any(heading.find(".//a") is not None or any(
        a.tag == "a" for a in heading.iterancestors()) for heading in
        element.xpath(".//h2|.//h3|.//h4|.//h5"))


#: An inline hover card holds an image and at least this many links.
HOVER_CARD_LINKS = 2


def prune_hover_cards(tree: lxml_html.HtmlElement) -> int:
    """Remove ``<span>`` cards inside paragraphs that hold an image and several links (a
    person's latest stories, shown on hover); the paragraph's own words stay. Returns how many."""
    removed = 0
    for card in tree.xpath("//span[.//img][ancestor::p]"):
        if card.getparent() is None or len(card.xpath(".//a")) < HOVER_CARD_LINKS:
            continue
        if any(a.find(".//img") is not None for a in card.iterancestors("span")):
            continue  # the outermost span with the image is the one judged
        inner = [s for s in card.iter("span") if s is not card and s.find(".//img") is not None
                 and len(s.xpath(".//a")) >= HOVER_CARD_LINKS]
        (inner[0] if inner else card).drop_tree()
        removed += 1
    return removed
