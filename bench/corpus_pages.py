"""The benchmark pages and their truths, read from ../shared/corpus at run time (never copied).

Two sets: the 181 pages of the article-extraction-benchmark (``aeb/``) with their human-annotated
bodies, and the Middle East pages of ``manifest.jsonl`` with whatever truth their source gives
(body, title, date, authors). A manifest row that is an aeb page (its 5 ME pages) is not a page
of its own: it points at the aeb page, so each page is written to the WARC once.
"""

from __future__ import annotations

import gzip
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"  # ../shared/corpus from the repository
AEB_REPO = "scrapinghub/article-extraction-benchmark"


class CorpusError(Exception):
    """The corpus folder is missing or not laid out as its README says."""


@dataclass(frozen=True)
class CorpusPage:
    """One page to archive: a key unique in the run, its URL, bytes and Content-Type header."""

    key: str
    url: str
    html: bytes
    content_type: str


@dataclass(frozen=True)
class ManifestEntry:
    """A manifest row: which page it is, who published it, and the truth its source gives."""

    id: str
    page_key: str
    publisher: str
    language: str
    source_repo: str
    truth_kind: str
    body: str | None = None  # plain text; None when the source gives no body
    fields: dict[str, Any] = field(default_factory=dict)  # title / date / authors as given
    page_type: str = ""  # the manifest's own description when given ("listing (...)")
    notes: str = ""  # the manifest's notes (documented truth errata among them)
    #: The body truth starts with the page's summary (fundus' ``summary``): the standfirst.
    body_has_summary: bool = False

    @property
    def holds_no_article(self) -> bool:
        """The manifest says the HTML holds no article (a bot-protection challenge page):
        right when it gets no record; its truth is about the article behind it, which the
        page never shows, so its fields are listed apart and not scored."""
        return "no article content" in self.notes

    @property
    def is_listing(self) -> bool:
        """A home page, section front or tag page: right when it gets no article record."""
        return self.page_type.startswith("listing")


@dataclass
class Corpus:
    pages: list[CorpusPage]
    aeb_bodies: dict[str, str]  # page key -> articleBody
    manifest: list[ManifestEntry]
    aeb_provenance: str

    @property
    def summary_keys(self) -> set[str]:
        """Page keys whose body truth includes the summary under the headline."""
        return {e.page_key for e in self.manifest if e.body_has_summary}


def corpus_dir(option: str | None) -> Path:
    """``--corpus``, else ``$SCRAPER_CORPUS``, else ../shared/corpus next to the repository."""
    chosen = Path(option or os.environ.get("SCRAPER_CORPUS") or DEFAULT_CORPUS)
    for needed in ("aeb/ground-truth.json", "aeb/html", "manifest.jsonl"):
        if not (chosen / needed).exists():
            raise CorpusError(
                f"{chosen / needed} not found: point --corpus (or SCRAPER_CORPUS) "
                "at the shared corpus folder"
            )
    return chosen


def load_corpus(root: Path) -> Corpus:
    pages, bodies = _aeb_pages(root)
    aeb_keys = {page.key for page in pages}
    manifest: list[ManifestEntry] = []
    for row in _manifest_rows(root):
        aeb_key = _aeb_key_of(row)
        if aeb_key is not None and aeb_key not in aeb_keys:
            raise CorpusError(f"manifest row {row['id']} names aeb page {aeb_key}, not found")
        if aeb_key is None:
            pages.append(
                CorpusPage(
                    row["id"], row["url"], (root / row["file"]).read_bytes(), _content_type(row)
                )
            )
        manifest.append(_entry(row, aeb_key or row["id"]))
    provenance = root / "aeb" / "PROVENANCE.txt"
    text = provenance.read_text(encoding="utf-8").strip() if provenance.exists() else AEB_REPO
    return Corpus(pages, bodies, manifest, text.splitlines()[0])


def _aeb_pages(root: Path) -> tuple[list[CorpusPage], dict[str, str]]:
    truth = json.loads((root / "aeb" / "ground-truth.json").read_text(encoding="utf-8"))
    pages, bodies = [], {}
    for full_id, item in sorted(truth.items()):
        key = f"aeb/{full_id}"
        html = gzip.decompress((root / "aeb" / "html" / f"{full_id}.html.gz").read_bytes())
        pages.append(CorpusPage(key, item["url"], html, "text/html"))
        bodies[key] = item.get("articleBody") or ""
    return pages, bodies


def _manifest_rows(root: Path) -> list[dict[str, Any]]:
    with open(root / "manifest.jsonl", encoding="utf-8") as stream:
        return [json.loads(line) for line in stream if line.strip()]


def _aeb_key_of(row: dict[str, Any]) -> str | None:
    """The aeb page this row is, from ``aeb_full_id``, its source, or an ``also_in`` entry."""
    if row.get("aeb_full_id"):
        return f"aeb/{row['aeb_full_id']}"
    places = [(row.get("source_repo"), row.get("source_path"))]
    places += [(other.get("repo"), other.get("path")) for other in row.get("also_in") or []]
    for repo, path in places:
        if repo == AEB_REPO and path and path.startswith("html/"):
            return "aeb/" + Path(path).name.removesuffix(".html.gz")
    return None


def _content_type(row: dict[str, Any]) -> str:
    # The corpus keeps no HTTP headers; page_info.charset_declared is the charset the page
    # itself declares, so the header says what a server configured like the page would send.
    charset = (row.get("page_info") or {}).get("charset_declared")
    return f"text/html; charset={charset}" if charset else "text/html"


def _entry(row: dict[str, Any], page_key: str) -> ManifestEntry:
    truth = row.get("truth") or {}
    body = truth.get("body")
    return ManifestEntry(
        id=row["id"],
        page_key=page_key,
        publisher=row["publisher"],
        language=row.get("language") or "",
        source_repo=row.get("source_repo") or "",
        truth_kind=row.get("truth_kind") or "",
        body=_body_text(body) if body is not None else None,
        fields={k: truth[k] for k in ("title", "date", "authors") if k in truth},
        page_type=row.get("page_type") or "",
        notes=row.get("notes") or "",
        body_has_summary=isinstance(body, dict) and any(
            part.strip() for part in body.get("summary") or []),
    )


def _body_text(body: str | dict[str, Any]) -> str:
    """A body as plain text; fundus' structure becomes summary, then headlines and paragraphs."""
    if isinstance(body, str):
        return body
    parts = list(body.get("summary") or [])
    for section in body.get("sections") or []:
        parts += list(section.get("headline") or []) + list(section.get("paragraphs") or [])
    return "\n\n".join(parts)
