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

from lxml import etree
from lxml import html as lxml_html

#: A pruned element must hold less than this share of the page's text: a class name like
#: "share" on a wrapper of the whole article must not take the article with it.
MAX_PRUNED_SHARE = 0.35


@dataclass(frozen=True)
class CruftRules:
    prune_xpaths: tuple[str, ...] = ()
    drop_patterns: tuple[str, ...] = ()
    paywall_xpaths: tuple[str, ...] = ()
    paywall_phrases: tuple[str, ...] = ()
    _compiled: tuple[re.Pattern[str], ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        compiled = tuple(re.compile(p, re.IGNORECASE) for p in self.drop_patterns)
        object.__setattr__(self, "_compiled", compiled)

    def plus(self, other: CruftRules) -> CruftRules:
        return CruftRules(self.prune_xpaths + other.prune_xpaths,
                          self.drop_patterns + other.drop_patterns,
                          self.paywall_xpaths + other.paywall_xpaths,
                          self.paywall_phrases + other.paywall_phrases)

    def fingerprint(self) -> dict[str, list[str]]:
        return {"prune": list(self.prune_xpaths), "drop": list(self.drop_patterns),
                "paywall": list(self.paywall_xpaths) + list(self.paywall_phrases)}


def _class_has(*words: str) -> str:
    tests = " or ".join(f"contains(concat(' ', normalize-space(@class), ' '), ' {w}')"
                        for w in words)
    return tests


CROSS_SITE = CruftRules(
    prune_xpaths=(
        "//figcaption", "//*[contains(@class, 'caption')]", "//*[contains(@class, 'credit')]",
        "//a[starts-with(@href, '#') and contains(translate(., 'SKIP', 'skip'), 'skip')]",
        "//*[contains(@class, 'skip-link') or contains(@class, 'skip-to')]",
        "//*[contains(@class, 'newsletter') or contains(@id, 'newsletter')]",
        "//*[contains(@class, 'subscribe') or contains(@class, 'subscription')]",
        "//*[contains(@class, 'paywall') or contains(@id, 'paywall')]",
        f"//*[{_class_has('share', 'social', 'follow-us', 'sharing')}]",
        f"//*[{_class_has('related', 'read-more', 'more-stories', 'recommended')}]",
        "//*[contains(@class, 'cookie') or contains(@id, 'cookie') or contains(@id, 'consent')]",
        f"//*[{_class_has('promo', 'advert', 'ad-slot', 'ad-container')}]",
        "//aside", "//nav", "//footer",
    ),
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
        r"^(read|see) (more|also)\b.{0,80}$",
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
    paywall_xpaths=(
        "//*[contains(@class, 'paywall') or contains(@id, 'paywall')]",
        "//*[contains(@class, 'piano') or contains(@id, 'piano') or contains(@class, 'tp-modal')]",
        "//*[contains(@class, 'premium-content') or contains(@class, 'subscriber-only')]",
    ),
    paywall_phrases=(
        "subscribe to continue reading", "subscribe to read", "to read the full article",
        "this article is for subscribers", "subscribers only", "already a subscriber",
        "للمشتركين فقط",
    ),
)


def prune(tree: lxml_html.HtmlElement, xpaths: tuple[str, ...]) -> int:
    """Remove matching elements that hold a small share of the text; return how many."""
    total = len(tree.text_content()) or 1
    removed = 0
    for xpath in xpaths:
        try:
            matches = tree.xpath(xpath)
        except etree.XPathError:
            continue
        for element in matches:
            if not isinstance(element, etree._Element) or element.getparent() is None:
                continue
            if len(element.text_content()) / total < MAX_PRUNED_SHARE:
                element.drop_tree()
                removed += 1
    return removed


def drop_lines(text: str, rules: CruftRules) -> str:
    """The text without the lines that match a drop pattern."""
    kept = [line for line in text.split("\n")
            if not any(p.search(line.strip()) for p in rules._compiled)]
    return "\n".join(kept).strip()


def rules_sha256(rules: CruftRules, options: dict[str, object]) -> str:
    payload = json.dumps({"rules": rules.fingerprint(), "options": options}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()
