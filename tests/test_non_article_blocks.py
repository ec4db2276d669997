"""Blocks that are not the article: hidden metadata, the dek, story grids, hover cards; and the
page-level rules that sit with them (own URL and headline lines, single-link paragraphs)."""

from __future__ import annotations

from datetime import datetime, timezone

from lxml import html as lxml_html

from scraper.extract.extractor import Extracted, ExtractionOptions, PageInput, extract_page
from scraper.extract.non_article_blocks import (
    prune_card_grids,
    prune_hidden_blocks,
    prune_hover_cards,
    take_standfirst,
)
from scraper.extract.precision import drop_furniture, prune_link_blocks

PARAGRAPH = ("The ministry said on Tuesday that the new pipeline would carry gas from the "
             "southern fields to the coast within two years, after a decade of delays.")

#: A real article's length: the header and a grid of other stories hold a small share of it.
ARTICLE = f"<p>{PARAGRAPH}</p>" * 8


def _tree(body: str) -> lxml_html.HtmlElement:
    return lxml_html.document_fromstring(f"<html><body>{body}</body></html>")


def _text(tree: lxml_html.HtmlElement) -> str:
    return " ".join(tree.text_content().split())


def test_hidden_microdata_block_goes_collapsed_article_text_stays() -> None:
    tree = _tree(
        '<div style="display: none;" itemscope><div itemprop="headline">Gas deal signed</div>'
        '<div itemprop="keywords">gas, pipeline</div></div>'
        f'<div style="display:none"><p>{PARAGRAPH}</p></div>'
        '<div hidden><p>Streamed in by a script, shown to the reader.</p></div>'
        f"<p>{PARAGRAPH}</p>")
    assert prune_hidden_blocks(tree) == 1
    text = _text(tree)
    assert "gas, pipeline" not in text
    assert text.count("The ministry said") == 2  # the collapsed "read more" copy stays
    assert "Streamed in by a script" in text  # <div hidden> is how React streams articles


def test_standfirst_is_taken_from_the_headline_block() -> None:
    tree = _tree(
        '<header class="article-header"><span class="kicker">Energy</span>'
        "<h1>Gas deal signed after a decade</h1>"
        '<h2 class="sub-head">The pipeline will reach the coast within two years.</h2>'
        '<div class="byline">By Lina Haddad</div>'
        '<time datetime="2024-03-05">5 March 2024</time></header>'
        f"<article><p>{PARAGRAPH}</p><h2>What comes next for the southern fields</h2>"
        f"{ARTICLE}</article>")
    standfirst = take_standfirst(tree, ["Gas deal signed after a decade | Levant Ledger"])
    assert standfirst == "The pipeline will reach the coast within two years."
    text = _text(tree)
    assert "reach the coast within two years." not in text
    assert "By Lina Haddad" in text  # the byline is not a dek: metadata reads it
    assert "What comes next" in text  # a subheading of the article is not in the header


def test_no_standfirst_without_a_headline_block_or_for_a_logo() -> None:
    logo = _tree('<header id="site-header"><h1>Levant Ledger</h1><h2>News of the region, '
                 'every day since 1998</h2></header>'
                 f"<article><h1>Gas deal signed after a decade</h1><p>{PARAGRAPH}</p>"
                 "<h2>What comes next for the southern fields</h2></article>")
    assert take_standfirst(logo, ["Gas deal signed after a decade"]) is None
    assert "What comes next" in _text(logo)
    assert take_standfirst(logo, []) is None


def test_story_card_grid_goes_gallery_stays() -> None:
    cards = "".join(
        f'<li><a href="/news/{i}"><img src="/i/{i}.jpg"></a><h3><a href="/news/{i}">Other '
        f"story number {i}</a></h3><h4>Its teaser line {i}</h4></li>" for i in range(4))
    gallery = "".join(f'<figure><img src="/g/{i}.jpg"><p>Photo {i} of the harbour</p></figure>'
                      for i in range(4))
    tree = _tree(f"<article>{ARTICLE}<div>{gallery}</div></article>"
                 f'<ul class="latest">{cards}</ul>')
    assert prune_card_grids(tree) == 1
    text = _text(tree)
    assert "Other story number" not in text and "teaser line" not in text
    assert "Photo 3 of the harbour" in text


def test_hover_card_goes_the_name_stays() -> None:
    tree = _tree(
        '<p>The envoy met <span class="people"><a href="/people/x">Rania Saleh</a>'
        '<span class="card"><img src="/p.jpg"><a href="/a/1">Her latest story</a>'
        '<a href="/a/2">Another of her stories</a></span></span> in Amman.</p>')
    assert prune_hover_cards(tree) == 1
    assert _text(tree) == "The envoy met Rania Saleh in Amman."


def test_single_link_paragraph_goes_even_in_bold() -> None:
    tree = _tree(f'<p><strong><a href="/other">CLICK HERE TO GET THE APP</a></strong></p>'
                 f'<p>{PARAGRAPH} <a href="/more">More here</a>.</p>')
    assert prune_link_blocks(tree) == 1
    assert "CLICK HERE" not in _text(tree) and "The ministry said" in _text(tree)


def test_own_url_and_headline_lines_go_other_urls_stay() -> None:
    text = ("First paragraph of the story.\nhttps://news.example/a/1\nGas deal signed\n"
            "http://amzn.to/2iJFhRj\nLast paragraph.")
    kept = drop_furniture(text, ["Gas deal signed"], ["https://news.example/a/1/"])
    assert kept == "First paragraph of the story.\nhttp://amzn.to/2iJFhRj\nLast paragraph."


def test_record_keeps_the_standfirst_apart_from_the_text() -> None:
    html = (
        "<html><head><title>Gas deal signed after a decade - Levant Ledger</title></head><body>"
        '<header class="story-head"><h1>Gas deal signed after a decade</h1>'
        '<p class="standfirst">The pipeline will reach the coast within two years.</p>'
        f"</header><article><p>{PARAGRAPH}</p><p>{PARAGRAPH.replace('Tuesday', 'Monday')}</p>"
        f"<p>{PARAGRAPH.replace('two', 'three')}</p><p>{PARAGRAPH.replace('gas', 'oil')}</p>"
        "</article></body></html>")
    page = PageInput("https://news.example/2024/03/05/gas-deal", html.encode(),
                     "text/html; charset=utf-8", None, datetime(2024, 3, 6, tzinfo=timezone.utc))
    result = extract_page(page, ExtractionOptions())
    assert isinstance(result, Extracted)
    assert result.fields["standfirst"] == "The pipeline will reach the coast within two years."
    assert "reach the coast within two years" not in result.fields["text"]
    assert result.fields["text"].startswith("The ministry said on Tuesday")
