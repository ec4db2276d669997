"""Synthetic news site for benchmarks: a home page, section pages and ~55 KB article pages.

All text is generated here from small word lists written for this file (no real pages are
copied). The output is deterministic for a given seed, articles and sections. Every link
points at a page that exists, always in one spelling ("/", "/section/<k>/", "/article/<n>.html"),
so crawlers that deduplicate by URL fetch each page exactly once and see no 404s.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from html import escape
from pathlib import Path

SITE_NAME = "The Levant Ledger"
NAV_TRENDING = 69  # 1 home + the section links + these = ~100 links in the header
RELATED_LINKS = 10
MOST_READ = 10
BODY_PARAGRAPHS = 10
CSS_RULES = 200  # inline stylesheet size is what brings an article to ~55 KB, as on real sites

_WORDS_TEXT = (
    "the of and to in a on for with that by from as at is was said will has have after over "
    "government minister ministry officials talks agreement border water electricity fuel prices "
    "inflation market exports imports port harbour city province village council parliament vote "
    "election campaign coalition opposition reform budget deficit loan bank currency dinar pound "
    "lira riyal dirham investors company workers strike union farmers harvest drought rainfall "
    "river dam pipeline gas oil refinery tanker shipping route corridor railway airport flights "
    "tourism season visitors museum festival film music poets novel publishers school students "
    "university teachers exams hospital doctors clinic vaccine patients health insurance court "
    "judge ruling appeal lawyers rights protest police security forces ceasefire envoy summit "
    "delegation meeting week month year morning evening statement report survey data figures "
    "analysts expect growth rose fell percent million billion new local regional national public "
    "private first second last major small large early late record plan project programme housing "
    "construction roads bridges solar wind energy grid shortages supply demand families residents "
    "neighbourhood district capital coast desert mountains heat summer winter spring autumn "
    "according spokesman announced confirmed denied warned urged called expected planned "
    "launched opened closed signed approved rejected delayed resumed extended reduced raised"
)

_FIRST_NAMES_TEXT = (
    "Amal Bassem Dalia Fadi Ghada Hani Iman Jamil Karim Lina Maher Nadia Omar Rania Samir Tala "
    "Walid Yasmin Zaid Huda Rami Salma Tarek Mona"
)
_LAST_NAMES_TEXT = (
    "Haddad Khoury Nasser Saleh Farah Mansour Aziz Hamdan Qasim Rahal Shami Tamimi Yousef "
    "Zoubi Barakat Darwish Habib Jaber Kassem Masri"
)
_SECTION_NAMES_TEXT = (
    "Politics Economy Business Markets Energy World Region Gulf Levant Maghreb Culture Arts "
    "Books Film Music Sport Football Health Science Technology Climate Environment Education "
    "Opinion Editorial Analysis Travel Food Society Lifestyle"
)
# Word lists kept as text so they read like prose and wrap to the line length.
WORDS = _WORDS_TEXT.split()
FIRST_NAMES = _FIRST_NAMES_TEXT.split()
LAST_NAMES = _LAST_NAMES_TEXT.split()
SECTION_NAMES = _SECTION_NAMES_TEXT.split()


@dataclass(frozen=True)
class ArticleMeta:
    """What other pages need to know about an article to link to it."""

    number: int
    section: int
    headline: str
    summary: str
    author: str
    published: datetime

    @property
    def url(self) -> str:
        return f"/article/{self.number}.html"


def build_site(root: Path, articles: int = 3000, sections: int = 30, seed: int = 20261125) -> int:
    """Write the synthetic news site under root.

    Args:
        root: directory to write into (created if missing; existing files are overwritten).
        articles: number of article pages.
        sections: number of section pages; articles are spread evenly over them.
        seed: seed of the text generator; the same arguments always give the same bytes.

    Returns:
        The number of pages a crawler can fetch: articles + sections + home + robots.txt.
    """
    if articles < 1 or sections < 1:
        raise ValueError("articles and sections must be at least 1")
    rng = random.Random(seed)
    metas = [_article_meta(rng, n, sections) for n in range(articles)]
    chrome = _Chrome.build(rng, sections, metas)
    root.mkdir(parents=True, exist_ok=True)
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n", encoding="utf-8")
    (root / "index.html").write_text(_home_page(chrome, metas), encoding="utf-8")
    by_section: list[list[ArticleMeta]] = [[] for _ in range(sections)]
    for meta in metas:
        by_section[meta.section].append(meta)
    for k, members in enumerate(by_section):
        page_dir = root / "section" / str(k)
        page_dir.mkdir(parents=True, exist_ok=True)
        (page_dir / "index.html").write_text(_section_page(chrome, k, members), encoding="utf-8")
    article_dir = root / "article"
    article_dir.mkdir(parents=True, exist_ok=True)
    for meta in metas:
        html = _article_page(rng, chrome, meta, by_section[meta.section])
        (article_dir / f"{meta.number}.html").write_text(html, encoding="utf-8")
    return articles + sections + 2


# --- text ------------------------------------------------------------------------------------


def _sentence(rng: random.Random, low: int = 9, high: int = 26) -> str:
    words = rng.choices(WORDS, k=rng.randint(low, high))
    words[0] = words[0].capitalize()
    if rng.random() < 0.3:
        words.insert(rng.randrange(1, len(words)), f"{rng.randint(2, 980)}")
    return " ".join(words) + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(3, 7)))


def _headline(rng: random.Random) -> str:
    return " ".join(w.capitalize() for w in rng.choices(WORDS, k=rng.randint(6, 11)))


def _section_name(k: int) -> str:
    name = SECTION_NAMES[k % len(SECTION_NAMES)]
    return name if k < len(SECTION_NAMES) else f"{name} {k // len(SECTION_NAMES) + 1}"


def _article_meta(rng: random.Random, number: int, sections: int) -> ArticleMeta:
    published = datetime(2026, 11, 25, 18, 0, tzinfo=timezone.utc) - timedelta(minutes=17 * number)
    author = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    return ArticleMeta(
        number, number % sections, _headline(rng), _sentence(rng, 18, 30), author, published
    )


# --- page chrome shared by all pages -----------------------------------------------------------


@dataclass(frozen=True)
class _Chrome:
    """Site-wide blocks, built once: stylesheet, header navigation, most-read box, footer."""

    css: str
    nav: str
    most_read: str
    footer: str
    sections: int

    @classmethod
    def build(cls, rng: random.Random, sections: int, metas: list[ArticleMeta]) -> _Chrome:
        trending = rng.sample(metas, min(NAV_TRENDING, len(metas)))
        most_read = rng.sample(metas, min(MOST_READ, len(metas)))
        return cls(
            _stylesheet(rng),
            _nav(sections, trending),
            _most_read(most_read),
            _footer(rng, sections),
            sections,
        )


def _stylesheet(rng: random.Random) -> str:
    props = ("margin", "padding", "font-size", "line-height", "letter-spacing", "max-width")
    rules = []
    for i in range(CSS_RULES):
        chosen = rng.sample(props, 3)
        body = ";".join(f"{p}:{rng.randint(0, 48)}px" for p in chosen)
        colour = f"#{rng.randrange(0x1000000):06x}"
        rules.append(f".c-{i:03d},.c-{i:03d}__inner>span{{{body};color:{colour}}}")
    return "<style>\n" + "\n".join(rules) + "\n</style>"


def _link(href: str, text: str, css: str, track: str) -> str:
    return (
        f'<a class="{css}" href="{href}" data-track="{track}" '
        f'aria-label="{escape(text)}">{escape(text)}</a>'
    )


def _nav(sections: int, trending: list[ArticleMeta]) -> str:
    items = [f"<li>{_link('/', 'Home', 'nav__link nav__link--home', 'nav-home')}</li>"]
    for k in range(sections):
        link = _link(f"/section/{k}/", _section_name(k), "nav__link", f"nav-section-{k}")
        items.append(f'<li class="nav__item">{link}</li>')
    for meta in trending:
        link = _link(meta.url, meta.headline, "trending__link", f"nav-trending-{meta.number}")
        items.append(f'<li class="trending__item">{link}</li>')
    return (
        '<header class="site-header"><div class="site-header__brand">'
        f'<a href="/" class="brand">{SITE_NAME}</a></div>'
        '<nav class="nav" aria-label="Main"><ul class="nav__list">\n'
        + "\n".join(items)
        + "\n</ul></nav></header>"
    )


def _most_read(metas: list[ArticleMeta]) -> str:
    items = "\n".join(
        f'<li class="most-read__item"><span class="rank">{i + 1}</span>'
        f"{_link(m.url, m.headline, 'most-read__link', f'most-read-{i}')}</li>"
        for i, m in enumerate(metas)
    )
    return f'<aside class="most-read"><h2>Most read</h2><ol>\n{items}\n</ol></aside>'


def _footer(rng: random.Random, sections: int) -> str:
    links = "\n".join(
        f"<li>{_link(f'/section/{k}/', _section_name(k), 'footer__link', 'footer')}</li>"
        for k in range(sections)
    )
    legal = " ".join(_sentence(rng) for _ in range(4))
    return (
        f'<footer class="site-footer"><ul class="footer__sections">\n{links}\n</ul>'
        f'<p class="footer__legal">{legal}</p>'
        f"<p>&copy; 2026 {SITE_NAME}. All rights reserved.</p></footer>"
    )


def _page(chrome: _Chrome, title: str, path: str, main: str, head_extra: str = "") -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)} | {SITE_NAME}</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<link rel="canonical" href="{path}">{head_extra}\n{chrome.css}\n</head>\n'
        f'<body class="page">\n{chrome.nav}\n<main class="main">\n{main}\n</main>\n'
        f"{chrome.most_read}\n{chrome.footer}\n</body></html>\n"
    )


# --- pages -----------------------------------------------------------------------------------


def _teaser(meta: ArticleMeta) -> str:
    link = _link(meta.url, meta.headline, "teaser__link", f"teaser-{meta.number}")
    return (
        f'<article class="teaser"><h3>{link}</h3><p class="teaser__summary">'
        f'{escape(meta.summary)}</p><time datetime="{meta.published.isoformat()}">'
        f"{meta.published:%d %B %Y}</time></article>"
    )


def _home_page(chrome: _Chrome, metas: list[ArticleMeta]) -> str:
    blocks = [
        f'<section class="home__section"><h2><a href="/section/{k}/">{_section_name(k)}'
        "</a></h2></section>"
        for k in range(chrome.sections)
    ]
    top = "\n".join(_teaser(m) for m in metas[:12])
    main = f'<h1>{SITE_NAME}</h1>\n<div class="top-stories">\n{top}\n</div>\n' + "\n".join(blocks)
    return _page(chrome, "Home", "/", main)


def _section_page(chrome: _Chrome, k: int, members: list[ArticleMeta]) -> str:
    teasers = "\n".join(_teaser(m) for m in members)
    title = f'<h1 class="section__title">{_section_name(k)}</h1>'
    main = f'{title}\n<div class="teasers">\n{teasers}\n</div>'
    return _page(chrome, _section_name(k), f"/section/{k}/", main)


def _article_page(
    rng: random.Random, chrome: _Chrome, meta: ArticleMeta, siblings: list[ArticleMeta]
) -> str:
    related = [m for m in rng.sample(siblings, min(RELATED_LINKS + 1, len(siblings))) if m != meta]
    related_items = "\n".join(
        f"<li>{_link(m.url, m.headline, 'related__link', 'related')}</li>"
        for m in related[:RELATED_LINKS]
    )
    paragraphs = "\n".join(f"<p>{_paragraph(rng)}</p>" for _ in range(BODY_PARAGRAPHS))
    date = meta.published.isoformat()
    main = (
        f'<article class="article"><p class="kicker"><a href="/section/{meta.section}/">'
        f'{_section_name(meta.section)}</a></p>\n<h1 class="article__headline">'
        f"{escape(meta.headline)}</h1>\n"
        f'<p class="article__standfirst">{escape(meta.summary)}</p>\n'
        f'<p class="byline">By <span class="byline__author">{meta.author}</span></p>\n'
        f'<time class="article__date" datetime="{date}">{meta.published:%d %B %Y, %H:%M}</time>\n'
        f'<div class="article__body">\n{paragraphs}\n</div></article>\n'
        f'<aside class="related"><h2>Related</h2><ul>\n{related_items}\n</ul></aside>'
    )
    head = (
        f'<meta property="og:title" content="{escape(meta.headline)}">'
        f'<meta name="author" content="{meta.author}">'
        f'<meta property="article:published_time" content="{date}">'
    )
    return _page(chrome, meta.headline, meta.url, main, head)
