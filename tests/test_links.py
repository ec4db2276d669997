"""Link discovery: what the generic spider follows from a page."""

from __future__ import annotations

from spiders.links import extract_links


def test_links_are_resolved_deduplicated_and_filtered() -> None:
    body = (b'<html><head><base href="/news/"></head><body>'
            b'<a href="a.html#top">a</a><a href="a.html">again</a>'
            b"<A HREF='/b?x=1&amp;y=2'>b</A><a href=c.pdf>pdf</a><a href=\"mailto:x@y.test\">m</a>"
            b'<a class="z" href="https://other.test/">o</a><area href="d"><a href="#only">f</a>'
            b'<a href="javascript:void(0)">j</a><link href="/style.css"></body></html>')
    assert extract_links(body, "http://h.test/x/y") == [
        "http://h.test/news/a.html", "http://h.test/b?x=1&y=2", "https://other.test/",
        "http://h.test/news/d"]


def test_non_ascii_hrefs_decode_with_the_page_encoding() -> None:
    href = "/ar/الأخبار?q=م"
    assert extract_links(f'<a href="{href}">x</a>'.encode("cp1256"), "http://h.test/",
                         "cp1256") == ["http://h.test/ar/الأخبار?q=م"]
