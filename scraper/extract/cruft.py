"""Navigation, paywall and credit cruft: what to prune from the page and which lines to drop.

Two layers. :data:`CROSS_SITE` applies to every page; each site definition in ``spiders/`` adds
its own :class:`CruftRules` (XPath to prune, phrases to drop). Plain trafilatura keeps paywall
promos that sit inside the article container ("Subscribe", "Only $100 per year."), and photo
credit lines, so both layers act before (pruning) and after (line filter) extraction.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from lxml import html as lxml_html

#: A pruned element must hold less than this share of the page's text: a class name like
#: "share" on a wrapper of the whole article must not take the article with it.
MAX_PRUNED_SHARE = 0.35


@dataclass(frozen=True)
class CruftRules:
    """What to prune before extraction and which lines to drop after it.

    ``prune_tags`` and ``prune_tokens`` (prefixes of class or id tokens) are matched in one pass
    over the tree; ``prune_xpaths`` are for site rules that need more. ``paywall_*`` only mark a
    page as paywalled: those containers often hold the article itself and are never pruned.
    """

    prune_tags: tuple[str, ...] = ()
    prune_tokens: tuple[str, ...] = ()
    prune_xpaths: tuple[str, ...] = ()
    drop_patterns: tuple[str, ...] = ()
    paywall_tokens: tuple[str, ...] = ()
    paywall_xpaths: tuple[str, ...] = ()
    paywall_phrases: tuple[str, ...] = ()
    #: The drop patterns as one alternation: one search per line, not one per pattern.
    _drop: re.Pattern[str] | None = field(default=None, compare=False, repr=False)
    _prune_class: re.Pattern[str] | None = field(default=None, compare=False, repr=False)
    _prune_id: re.Pattern[str] | None = field(default=None, compare=False, repr=False)
    _paywall_class: re.Pattern[str] | None = field(default=None, compare=False, repr=False)
    _paywall_id: re.Pattern[str] | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        for pattern in self.drop_patterns:  # each alone first: an error names its pattern
            re.compile(pattern, re.IGNORECASE)
        joined = "|".join(f"(?:{pattern})" for pattern in self.drop_patterns)
        object.__setattr__(self, "_drop", re.compile(joined, re.IGNORECASE) if joined else None)
        for name, tokens in (("prune", self.prune_tokens), ("paywall", self.paywall_tokens)):
            object.__setattr__(self, f"_{name}_class", _token_pattern(tokens, r"(?:^|\s)"))
            object.__setattr__(self, f"_{name}_id", _token_pattern(tokens, "^"))

    def plus(self, other: CruftRules) -> CruftRules:
        return CruftRules(*(getattr(self, f) + getattr(other, f) for f in _RULE_FIELDS))

    def fingerprint(self) -> dict[str, list[str]]:
        return {name: list(getattr(self, name)) for name in _RULE_FIELDS}


_RULE_FIELDS = ("prune_tags", "prune_tokens", "prune_xpaths", "drop_patterns",
                "paywall_tokens", "paywall_xpaths", "paywall_phrases")


def _token_pattern(prefixes: tuple[str, ...], anchor: str) -> re.Pattern[str] | None:
    """Whole-token prefixes, not substrings: ``subType-unsubscribed`` or
    ``f_lightbox_newsletter_on`` on a <body> must not match "subscribe" or "newsletter"."""
    if not prefixes:
        return None
    return re.compile(anchor + "(?:" + "|".join(map(re.escape, prefixes)) + ")", re.IGNORECASE)


CROSS_SITE = CruftRules(
    prune_tags=("figcaption", "aside", "nav", "footer"),
    prune_tokens=(
        "caption", "credit", "image-credit", "photo-credit", "skip-link", "skip-to", "skiplink",
        "newsletter", "subscribe", "subscription", "signup", "sign-up",
        "share", "social", "follow-us", "sharing", "related", "read-more", "more-stories",
        "recommended", "cookie", "consent", "gdpr", "promo", "advert", "ad-slot",
        "ad-container",
    ),
    prune_xpaths=(
        "//a[starts-with(@href, '#') and contains(translate(., 'SKIP', 'skip'), 'skip')]",),
    drop_patterns=(
        r"^skip to (main )?content\.?$",
        r"^(subscribe|subscribe now|sign up|log ?in|register|register now)\.?$",
        r"^only \$?\d+([.,]\d+)? (per|a|/) ?(year|month|week)\.?$",
        r"^(access|get) the .{0,80} you can trust\.?$",
        r"^join our community of .*",
        r"^(subscribe|sign in|log in|register) (now )?to (continue|keep) reading\b.*",
        r"^(already a subscriber|this (article|content) is (for|only for) subscribers)\b.*",
        r"^to (read|continue reading) the full (article|story)\b.*",
        r"^(sign up|subscribe) (for|to) (our|the) .{0,40}newsletters?\b.*",
        r"^(read more|read also|see also|also read)\b:?.{0,80}$",
        r"^(related|recommended)( (stories|articles|news))?:?$",
        r"^(share|share this( article| story)?|follow us)( on .{0,40})?:?$",
        r"^(we|this (web)?site) uses? cookies\b.*",
        r"^(accept|reject)( all)? cookies\.?$",
        r"^.{0,300}(\bvia|/)\s*(reuters|afp|ap|getty images|epa)\b(\s*[-–]\s*[A-Z0-9]{8,16})?\.?$",
        r"^(photo|image|picture)( credit)?\s*[:/].{0,200}$",
        r"^\(?(photo|image)\s*(by|:)\s*.{0,100}\)?$",
        r"^(اقرأ|إقرأ) (أيضا|أيضاً|المزيد).{0,80}$",
        r"^(اشترك|اشترك الآن|اشترك في النشرة.*)$",
        r"^(تابعونا|تابعنا) على.{0,60}$",
        r"^(شارك|شارك المقال|مشاركة)\s*:?$",
    ),
    paywall_tokens=("paywall", "piano-", "tp-modal", "premium-content", "subscriber-only"),
    paywall_phrases=(
        "subscribe to continue reading", "subscribe to read", "to read the full article",
        "this article is for subscribers", "subscribers only", "already a subscriber",
        "للمشتركين فقط",
    ),
)


_NEVER_PRUNED = frozenset({"html", "body", "head"})
# Compiled, and without lxml's "smart" strings (each result would carry a proxy of its parent
# element). The text inside script, style (and noscript) is taken away from all the text rather
# than tested node by node with ``ancestor::`` (a third of the cost; the same sums, tested).
_ALL_TEXT = etree.XPath(".//text()", smart_strings=False)
_CODE_TEXT: dict[tuple[str, ...], etree.XPath] = {
    tags: etree.XPath("(" + "|".join(f"descendant-or-self::{tag}" for tag in tags) + ")//text()",
                      smart_strings=False)
    for tags in (("script", "style", "noscript"), ("script", "style"))}

# The page's visible text nodes themselves, once, for both its size and the paywall phrases
# (their order and joins matter there; a page's text less its code text gives only the size).
_VISIBLE_TEXT = etree.XPath(".//text()[not(ancestor::script) and not(ancestor::style)"
                            " and not(ancestor::noscript)]", smart_strings=False)


def _text_chars(element: lxml_html.HtmlElement, code: tuple[str, ...]) -> int:
    """Characters of stripped text nodes in ``element`` that are not inside one of ``code``."""
    if next(element.iterancestors(*code), None) is not None:
        return 0
    inside = sum(len(text.strip()) for text in _ALL_TEXT(element))
    return inside - sum(len(text.strip()) for text in _CODE_TEXT[code](element))


@dataclass(frozen=True)
class PruneResult:
    removed: int
    paywall_marked: bool


def visible_length(element: lxml_html.HtmlElement) -> int:
    """Characters of text a reader sees in ``element`` (script, style and noscript excluded)."""
    return _text_chars(element, ("script", "style", "noscript"))


def text_length(element: lxml_html.HtmlElement) -> int:
    """Characters of text in ``element`` outside script and style (noscript text counted)."""
    return _text_chars(element, ("script", "style"))


def prune(tree: lxml_html.HtmlElement, rules: CruftRules) -> PruneResult:
    """Remove cruft elements that hold a small share of the visible text; note paywall marks."""
    visible = _VISIBLE_TEXT(tree)
    total = sum(len(text.strip()) for text in visible) or 1
    marked = _has_phrase(" ".join(visible).lower(), rules.paywall_phrases)
    classes, ids = set(_CLASS_VALUES(tree)), set(_ID_VALUES(tree))
    candidates = _by_tag(tree, rules.prune_tags) + _by_value(
        tree, _matching(classes, rules._prune_class), _matching(ids, rules._prune_id))
    candidates += _xpath_matches(tree, rules.prune_xpaths)
    marked = marked or bool(_by_value(tree, _matching(classes, rules._paywall_class),
                                      _matching(ids, rules._paywall_id))) or \
        bool(_xpath_matches(tree, rules.paywall_xpaths))
    removed = 0
    for element in candidates:
        # An ancestor pruned before leaves its descendants in a detached subtree.
        attached = element.getparent() is not None and element.getroottree().getroot() is tree
        if attached and element.tag not in _NEVER_PRUNED and \
                visible_length(element) / total < MAX_PRUNED_SHARE:
            element.drop_tree()
            removed += 1
    return PruneResult(removed, marked)


# Attribute values, not elements: making an element object for each of the hundreds of elements
# with a class costs more than matching the few distinct values and fetching those elements.
_CLASS_VALUES = etree.XPath("//@class", smart_strings=False)
_ID_VALUES = etree.XPath("//@id", smart_strings=False)


def _matching(values: set[str], pattern: re.Pattern[str] | None) -> list[str]:
    return sorted(v for v in values if pattern.search(v)) if pattern else []


def _by_value(tree: lxml_html.HtmlElement, classes: list[str], ids: list[str]) -> list[Any]:
    """Elements, in document order, whose class or id is one of the values (never html, body
    or head)."""
    if not classes and not ids:
        return []
    if len(classes) + len(ids) > _FEW_VALUES and not any(_SEPARATOR in v for v in classes + ids):
        found = _VALUE_IN_LISTS(tree, classes=_value_list(classes), ids=_value_list(ids))
    else:
        tests = [f"@class=$c{n}" for n in range(len(classes))] + \
            [f"@id=$i{n}" for n in range(len(ids))]
        values = {f"c{n}": v for n, v in enumerate(classes)} | \
            {f"i{n}": v for n, v in enumerate(ids)}
        found = tree.xpath(f"//*[{' or '.join(tests)}]", **values)
    return [element for element in found if element.tag not in _NEVER_PRUNED]


# Past a few values, one test per element against a list of them beats one test per value
# (real pages match 10 on average, up to 60: the "or" chain was 2 ms of a 166 KB page). The
# separator is a private-use character; a value that holds it goes the "or" way.
_FEW_VALUES = 4
_SEPARATOR = "\ue000"
_VALUE_IN_LISTS = etree.XPath(
    f"//*[(@class and not(contains(@class, '{_SEPARATOR}'))"
    f" and contains($classes, concat('{_SEPARATOR}', @class, '{_SEPARATOR}')))"
    f" or (@id and not(contains(@id, '{_SEPARATOR}'))"
    f" and contains($ids, concat('{_SEPARATOR}', @id, '{_SEPARATOR}')))]")


def _value_list(values: list[str]) -> str:
    return _SEPARATOR + _SEPARATOR.join(values) + _SEPARATOR if values else ""


def _by_tag(tree: lxml_html.HtmlElement, tags: tuple[str, ...]) -> list[Any]:
    return tree.xpath("|".join(f"//{tag}" for tag in tags)) if tags else []


def _xpath_matches(tree: lxml_html.HtmlElement, xpaths: tuple[str, ...]) -> list[Any]:
    found: list[Any] = []
    for xpath in xpaths:
        try:
            found += [e for e in tree.xpath(xpath) if isinstance(e, etree._Element)]
        except etree.XPathError:
            continue
    return found


def _has_phrase(text: str, phrases: tuple[str, ...]) -> bool:
    return any(phrase in text for phrase in phrases)


def drop_lines(text: str, rules: CruftRules) -> str:
    """The text without the lines that match a drop pattern."""
    drop = rules._drop
    if drop is None:
        return text.strip()
    kept = [line for line in text.split("\n") if not drop.search(line.strip())]
    return "\n".join(kept).strip()


def rules_sha256(rules: CruftRules, options: dict[str, object]) -> str:
    payload = json.dumps({"rules": rules.fingerprint(), "options": options}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()
