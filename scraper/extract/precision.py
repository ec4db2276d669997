"""Lines of page furniture that survive extraction, and how to drop them without losing text.

trafilatura keeps, on table-layout pages and inside article containers: navigation rows
("About Us | Feedback | Contact Us"), lines made only of ``|``, share/print/e-mail rows, polls,
copyright and legal lines, breadcrumbs, "Advanced Search", empty list bullets, "related" and
"don't miss" headings, and the headline repeated as the first body line. Each rule is written
for every language of the corpus (English, Arabic, Persian, Hebrew, Turkish, and the European
languages of the benchmark) and matches a whole short line, never a sentence of the article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import html as lxml_html

from scraper.extract.cruft import text_length

#: A teaser card nested in the article holds less than this share of the article's text.
TEASER_SHARE = 0.5
#: A run of paragraphs repeating earlier ones word for word is a hidden copy of the article
#: (microdata shown as text): the run must start with a line this long.
MIN_REPEATED_CHARS = 40
MIN_REPEATED_RUN = 5
#: ... and repeat the text from its start (one of its first lines): a day's menu repeated in
#: a meal plan is no copy of the article.
COPY_STARTS_WITHIN = 3
MIN_REPEATED_RUN_CHARS = 600
#: Longest line a furniture rule may drop: furniture is short, article sentences are not.
MAX_FURNITURE_CHARS = 160
_CELL_SPLIT = re.compile(r"\s*(?:\||¦|•|·|::)\s*")
_CELL_MAX_WORDS = 4

_FURNITURE = tuple(re.compile(p, re.IGNORECASE) for p in (
    # a machine date: a microdata value shown as text
    r"^\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d)?(?:\.\d+)?(?:z|[+-]\d\d:?\d\d)?)?$",
    # only separators, dashes and bullets: table-layout leftovers and empty list items
    r"^[\s|¦•·:\-–—=*>»›]*$",
    # share, print, e-mail, comment and save rows
    r"^(?:print(?:er[- ]friendly)?(?: version| this (?:story|article|page)| article)?"
    r"|order reprints|reprints|e-?mail"
    r"(?: this (?:story|article|page)| to a friend)?|send to (?:a )?friend|share(?: this)?"
    r"(?: on \w+)?|tweet|comments?|\d+\s+comments?|save|bookmark|copy link|back|top"
    r"|back to top|whatsapp|facebook|twitter|linkedin|telegram|pinterest|reddit)\s*:?$",
    r"^(?:طباعة|اطبع|أرسل(?: إلى| ل)صديق|ارسل لصديق|إرسال|مشاركة|شارك(?: الخبر| المقال)?"
    r"|تعليقات|حفظ|نسخ الرابط|چاپ|ارسال(?: به دوستان)?|اشتراک‌?گذاری|هم‌رسانی|ذخیره|הדפס|שתף"
    r"|שלח לחבר|תגובות|yazdır|paylaş|e-posta(?: gönder)?|yorumlar?|kaydet)\s*:?$",
    # polls
    r"^(?:poll|quick poll|vote|view results|results|استطلاع(?: رأي| الرأي)?|شارك في الاستطلاع"
    r"|نتائج الاستطلاع|نظرسنجی|anket|סקר)\s*:?(?:\s.{0,80}[?؟])?$",
    # copyright and legal lines
    r"^(?:©|\(c\)\s*\d{4}|copyright\b)|all rights reserved|جميع الحقوق محفوظة"
    r"|كل الحقوق محفوظة|حقوق (?:النشر|الطبع) محفوظة|کلیه حقوق|تمامی حقوق|حقوق .{0,40}محفوظ"
    r"|tüm hakları saklıdır|כל הזכויות שמורות|for your personal,? non-commercial use only",
    r"^(?:terms of (?:use|service)|privacy policy|cookie policy|سياسة الخصوصية|شروط الاستخدام"
    r"|حریم خصوصی|gizlilik politikası|kullanım koşulları|מדיניות פרטיות|תנאי שימוש)$",
    # breadcrumbs
    r"^(?:home|homepage|الرئيسية|الصفحة الرئيسية|خانه|صفحه اصلی|صفحه نخست|ana ?sayfa|ראשי"
    r"|דף הבית)\s*(?:[>»/›|:]|$)",
    r"^[^.!?؟]{1,40}(?:\s+[>»›]\s+[^.!?؟]{1,40}){2,}$",
    # search boxes
    r"^(?:advanced search|search|بحث(?: متقدم)?|البحث المتقدم|جستجو(?:ی پیشرفته)?|ara"
    r"|detaylı arama|חיפוש(?: מתקדם)?)\s*:?$",
    # "related" and "don't miss" headings over lists of other stories
    r"^(?:don'?t miss|you (?:may|might) also like|more from .{1,40}|popular on .{1,40}"
    r"|trending(?: now)?|most (?:read|popular|viewed)|related(?: stories| articles| news)?"
    r"|leggi anche|lire aussi|à lire aussi|lesen sie auch|ilginizi çekebilir|bunlar da ilginizi"
    r" çekebilir|الأكثر قراءة|الأكثر مشاهدة|أخبار ذات صلة|مواضيع ذات صلة|اخبار مرتبط|پربازدیدترین"
    r"|כתבות נוספות|עוד באתר)\s*(?:\.{3}|…|:)?$",
))


#: "Tags:" headings; they and the short list items after them are the page's tag list.
_TAGS_HEADING = re.compile(
    r"^[-•\s]*(?:tags?|keywords|topics|etiketler|etiket|konular|schlagwörter|stichwörter"
    r"|mots[- ]clés|الكلمات المفتاحية|كلمات مفتاحية|وسوم|الوسوم|برچسب‌?ها|کلیدواژه‌?ها|תגיות)"
    r"\s*[:：]?\s*-?$", re.IGNORECASE)
#: Appeals for money or membership after the article.
_APPEAL = re.compile(
    r"^(?:(?:did you|do you) (?:like|enjoy) this (?:article|story)|hat ihnen dieser artikel"
    r" gefallen|support (?:our|independent) journalism|become a (?:member|supporter)"
    r"|ادعم(?:نا| الصحافة)|از ما حمایت کنید|haberimizi beğendiniz mi)\b.{0,200}$", re.IGNORECASE)
#: Comment-section notices and disclaimers ("the views expressed below do not reflect ...").
_COMMENT_NOTICE = re.compile(
    r"(?:^(?:the )?(?:views|opinions) expressed (?:in (?:the )?comments |below |here )?"
    r"(?:are|do not)|comments? (?:are|is) (?:moderated|reviewed before)|^(?:please )?read our "
    r"(?:comment|community) (?:guidelines|policy)|الآراء الواردة.{0,60}لا تعبر|التعليقات.{0,80}"
    r"(?:قبل نشرها|لا تعبر)|yorumlar.{0,80}(?:sorumluluk|yazarlarına aittir)"
    r"|نظرات.{0,80}منتشر نخواهد شد|התגובות.{0,80}(?:באחריות|אינן משקפות)"
    r"|coment[áa]rios.{0,120}(?:moderador|aprovados)|kommentare.{0,80}(?:moderiert|freigeschaltet)"
    r"|^this copy is for your personal,? non-commercial use)", re.IGNORECASE)
MAX_NOTICE_CHARS = 400
TAG_ITEM_WORDS = 4


def _without_tag_lists(lines: list[str]) -> list[str]:
    kept: list[str] = []
    in_tags = False
    for line in lines:
        stripped = line.strip()
        if _TAGS_HEADING.match(stripped):
            in_tags = True
            continue
        if in_tags and stripped and len(stripped.strip("-• ").split()) <= TAG_ITEM_WORDS \
                and not stripped.endswith((".", "!", "?", "؟")):
            continue
        in_tags = False
        kept.append(line)
    return kept


def drop_furniture(text: str, headlines: Iterable[str | None] = (),
                   own_urls: Iterable[str | None] = ()) -> str:
    """The text without furniture lines, without the headline repeated (as its first line, or
    a line of the headline's words alone further down) and without lines that are only the
    page's own address (``own_urls``: the captured and the canonical URL).

    Rows of a data table (three rows or more, as trafilatura writes them: "| a | b |") are
    kept whole: a header row has no digits and looks like a navigation row.
    """
    all_lines = text.split("\n")
    in_table = _data_table_rows(all_lines)
    lines = _without_tag_lists(_without_repeats([
        line for i, line in enumerate(all_lines) if i in in_table or not is_furniture(line)]))
    wanted = {words_of(h) for h in headlines if h and words_of(h)}
    while lines and wanted and _repeats_headline(lines[0], wanted):
        lines.pop(0)
    # the headline shown again further down (a share box, a hidden copy): the same words
    own = {url.strip().rstrip("/") for url in own_urls if url}
    lines = [line for line in lines if (not wanted or words_of(line) not in wanted)
             and line.strip().rstrip("/") not in own]
    return "\n".join(lines).strip()


def unwrap_layout_tables(tree: lxml_html.HtmlElement) -> int:
    """Turn layout tables (cells holding paragraphs, headings, lists or tables) into divs.

    trafilatura writes a table cell as one "| ... |" line: on a table-layout page the whole
    article, its navigation rows and its footer become one line no line rule can clean.
    Data tables (cells of plain text) are left alone. Returns how many tables were unwrapped.
    """
    unwrapped = 0
    for table in list(tree.iter("table")):
        parts = table.xpath("./tr | ./*/tr")
        cells = [cell for row in parts for cell in row if cell.tag in ("td", "th")]
        if not any(cell.xpath(_BLOCK_INSIDE) for cell in cells):
            continue
        for element in (table, *table.xpath("./thead | ./tbody | ./tfoot"), *parts, *cells):
            element.tag = "div"
        unwrapped += 1
    return unwrapped


_BLOCK_INSIDE = ".//p | .//div | .//h1 | .//h2 | .//h3 | .//ul | .//ol | .//table"


def prune_teasers(tree: lxml_html.HtmlElement) -> int:
    """Remove <article> cards nested in an <article> (other stories' teasers, "related posts")
    that hold less than half of the enclosing article's text; return how many."""
    removed = 0
    for card in tree.xpath("//article[ancestor::article]"):
        outer = next(card.iterancestors("article"), None)
        if outer is None or card.getparent() is None:
            continue
        if text_length(card) < TEASER_SHARE * text_length(outer):
            card.drop_tree()
            removed += 1
    return removed


#: A list is a list of other stories when its links hold this share of its text.
LINK_LIST_SHARE = 0.6
MIN_LINK_ITEMS = 3
#: A paragraph that is one link of at least this many words is a promo of another story.
LINK_PARAGRAPH_WORDS = 3


def prune_link_blocks(tree: lxml_html.HtmlElement) -> int:
    """Remove lists of links to other stories and paragraphs that are a single link: trafilatura
    keeps both when they sit inside the article container. Returns how many."""
    removed = 0
    for block in tree.xpath("//ul | //ol"):
        items = [li for li in block if li.tag == "li"]
        if len(items) < MIN_LINK_ITEMS or block.getparent() is None:
            continue
        if all(li.find(".//a") is not None for li in items) and \
                _link_share(block) >= LINK_LIST_SHARE:
            block.drop_tree()
            removed += 1
    for paragraph in tree.xpath("//p[.//a]"):
        text = " ".join(paragraph.text_content().split())
        links = paragraph.xpath(".//a")
        if len(links) == 1 and len(text.split()) >= LINK_PARAGRAPH_WORDS and \
                " ".join(links[0].text_content().split()) == text:
            paragraph.drop_tree()
            removed += 1
    return removed


def _link_share(element: lxml_html.HtmlElement) -> float:
    total = text_length(element)
    linked = sum(text_length(a) for a in element.iter("a"))
    return linked / total if total else 0.0



def _without_repeats(lines: list[str]) -> list[str]:
    """Drop a second copy of the article's opening (a hidden duplicate of the article): at least
    MIN_REPEATED_RUN consecutive lines repeating, in order, the text's first lines. A line or
    a block seen twice elsewhere (an interview's recurring question, a meal plan) stays."""
    keys = [" ".join(line.split()) for line in lines]
    first: dict[str, int] = {}
    drop: set[int] = set()
    i = 0
    while i < len(keys):
        j = first.get(keys[i]) if len(keys[i]) >= MIN_REPEATED_CHARS else None
        run = 0
        if j is not None and j < COPY_STARTS_WITHIN:
            while i + run < len(keys) and j + run < i and keys[j + run] == keys[i + run]:
                run += 1
        if run >= MIN_REPEATED_RUN and \
                sum(map(len, keys[i:i + run])) >= MIN_REPEATED_RUN_CHARS:
            drop.update(range(i, i + run))
            i += run
            continue
        first.setdefault(keys[i], i)
        i += 1
    return [line for n, line in enumerate(lines) if n not in drop]


def _data_table_rows(lines: list[str]) -> set[int]:
    """Indexes of the lines that belong to a run of at least three "| ... |" data rows."""
    rows: set[int] = set()
    run: list[int] = []
    for i, line in enumerate(lines):
        if line.lstrip().startswith("|"):
            run.append(i)
        elif run and line.strip():  # blank lines between rows do not end a table
            _keep_if_table(run, lines, rows)
            run = []
    _keep_if_table(run, lines, rows)
    return rows


def _keep_if_table(run: list[int], lines: list[str], rows: set[int]) -> None:
    if sum(1 for j in run if not _TABLE_RULE.match(lines[j])) >= 3:
        rows.update(run)


_TABLE_RULE = re.compile(r"^\s*\|?[\s|:\-]*$")


def is_furniture(line: str) -> bool:
    """A short line that is navigation, sharing, a poll, a legal line or a breadcrumb."""
    stripped = line.strip()
    if not stripped:
        return False
    if stripped[:2] in ("- ", "• ", "* ") and stripped[2:].strip():
        stripped = stripped[2:].strip()  # a list item: "- Print Article"
    if len(stripped) <= MAX_NOTICE_CHARS and _COMMENT_NOTICE.search(stripped):
        return True
    if len(stripped) > MAX_FURNITURE_CHARS:
        return bool(_APPEAL.match(stripped))
    return any(p.search(stripped) for p in _FURNITURE) or _navigation_row(stripped) or \
        bool(_APPEAL.match(stripped))


def _navigation_row(line: str) -> bool:
    """"Print Version | Back | Send To Friend": two or more short cells and no digits (a data
    table row keeps its numbers), no sentence."""
    cells = [c for c in _CELL_SPLIT.split(line.strip("|¦•· ")) if c]
    if len(cells) < 2 or len(_CELL_SPLIT.findall(line)) < 1:
        return False
    if any(ch.isdigit() for ch in line) or re.search(r"[.!?؟]\s", line):
        return False
    return all(len(c.split()) <= _CELL_MAX_WORDS for c in cells)


def _repeats_headline(line: str, headlines: set[str]) -> bool:
    words = words_of(line)
    if not words:
        return False
    return any(words == h or (len(words) >= 20 and h.startswith(words)) for h in headlines)


_WORD = re.compile(r"\w+")


def words_of(text: str) -> str:
    """The text's words, case-folded, one space apart: how headlines are compared."""
    return " ".join(_WORD.findall(text.casefold()))
