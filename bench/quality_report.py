"""Figures of an extraction-quality run: body scores, field accuracy, per publisher, worst pages."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any

from bench.corpus_pages import Corpus
from bench.field_accuracy import FIELDS, FieldTally, judge, judge_with_errata
from bench.shingle_metric import PageCounts, Scores, page_counts, shingles, summarize
from scraper.extract.metadata import detect_language

#: The extra tally of dates that accepts documented truth errata (see field_accuracy).
DATE_ERRATA = "date, errata"

HINT_CHARS = 90
Case = tuple[str, str, str]  # (case id, page key, truth body)


@dataclass
class Results:
    """Per extractor name: page key -> text, page key -> {title, date, authors}, seconds."""

    corpus: Corpus
    texts: dict[str, dict[str, str]]
    metadata: dict[str, dict[str, dict[str, Any]]]
    seconds: dict[str, float]
    timing_notes: dict[str, float]

    @property
    def extractors(self) -> list[str]:
        return list(self.texts)

    def text(self, extractor: str, key: str) -> str:
        """The text scored against ``key``'s truth (empty for no record). Where the truth's body
        starts with the page's summary (fundus: summary + sections), the record's
        ``standfirst`` (the dek we keep out of ``text``) is put back in front of the text."""
        text = self.texts[extractor].get(key, "")
        if key in self.corpus.summary_keys:
            standfirst = self.metadata[extractor].get(key, {}).get("standfirst")
            if standfirst and text:
                return f"{standfirst}\n{text}"
        return text

    def pages_per_second(self, extractor: str) -> float:
        return len(self.corpus.pages) / self.seconds[extractor]


def aeb_cases(corpus: Corpus) -> list[Case]:
    return [(key, key, body) for key, body in corpus.aeb_bodies.items()]


def manifest_body_cases(corpus: Corpus) -> list[Case]:
    """Article pages with a body truth; listing pages (section fronts) are scored apart: for
    them the right answer is no article record (see listing_rows)."""
    return [(e.id, e.page_key, e.body) for e in corpus.manifest
            if e.body is not None and not e.is_listing]


def language_rows(results: Results) -> list[dict[str, Any]]:
    """Body scores per language over aeb and the manifest's article pages: the manifest's
    language, else the one detected from the truth ("other" for languages we do not tell)."""
    languages = {e.page_key: e.language for e in results.corpus.manifest if e.language}
    by_language: dict[str, list[Case]] = defaultdict(list)
    for case in aeb_cases(results.corpus) + manifest_body_cases(results.corpus):
        if case[0].startswith("aeb-"):
            continue  # a manifest row that is an aeb page is already in through aeb
        language = languages.get(case[1]) or detect_language(case[2][:2000]) or "other"
        by_language[language].append(case)
    rows = []
    for language, cases in sorted(by_language.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        for extractor in results.extractors:
            scores = summarize(list(counts_of(results, extractor, cases).values()))
            rows.append({"language": language, "extractor": extractor, **asdict(scores)})
    return rows


def listing_rows(results: Results) -> list[dict[str, Any]]:
    """Listing pages of the manifest and whether each extractor gave them an article record
    (plain trafilatura always gives text: it has no notion of a non-article)."""
    return [{"id": e.id, "page_type": e.page_type,
             "records": {x: bool(results.text(x, e.page_key).strip())
                         for x in results.extractors}}
            for e in results.corpus.manifest if e.is_listing]


def counts_of(results: Results, extractor: str, cases: list[Case]) -> dict[str, PageCounts]:
    return {
        case_id: page_counts(truth, results.text(extractor, key)) for case_id, key, truth in cases
    }


def body_rows(results: Results) -> list[dict[str, Any]]:
    rows = []
    sets = [
        ("aeb", aeb_cases(results.corpus)),
        ("manifest (body truth)", manifest_body_cases(results.corpus)),
    ]
    for set_name, cases in sets:
        for extractor in results.extractors:
            scores = summarize(list(counts_of(results, extractor, cases).values()))
            empty = sum(not results.text(extractor, key).strip() for _, key, _ in cases)
            rows.append(
                {
                    "set": set_name,
                    "extractor": extractor,
                    **asdict(scores),
                    "no_text": empty,
                    "pages_per_s": results.pages_per_second(extractor),
                }
            )
    return rows


def field_tallies(results: Results) -> dict[str, dict[str, FieldTally]]:
    """Per extractor and field, over the manifest's article pages with that truth."""
    names = (*FIELDS, DATE_ERRATA)
    tallies = {x: {name: FieldTally() for name in names} for x in results.extractors}
    for entry in results.corpus.manifest:
        if entry.is_listing or entry.holds_no_article:
            continue
        for name, truth in entry.fields.items():
            for extractor in results.extractors:
                got = results.metadata[extractor].get(entry.page_key, {}).get(name)
                tallies[extractor][name].add(entry.id, truth, judge(name, truth, got))
                if name == "date":
                    tallies[extractor][DATE_ERRATA].add(
                        entry.id, truth, judge_with_errata(truth, got, entry.notes))
    return tallies


def publisher_scores(results: Results) -> dict[str, dict[str, Scores]]:
    by_publisher: dict[str, list[Case]] = defaultdict(list)
    for entry in results.corpus.manifest:
        if entry.body is not None and not entry.is_listing:
            by_publisher[entry.publisher].append((entry.id, entry.page_key, entry.body))
    return {
        publisher: {
            x: summarize(list(counts_of(results, x, cases).values())) for x in results.extractors
        }
        for publisher, cases in sorted(by_publisher.items())
    }


def worst_pages(results: Results, how_many: int) -> list[dict[str, Any]]:
    """aeb pages ranked by how much lower ours' page F1 is than plain's (first two extractors)."""
    ours, plain = results.extractors[:2]
    rows = []
    for case_id, key, truth in aeb_cases(results.corpus):
        mine, theirs = (
            page_counts(truth, results.text(ours, key)),
            page_counts(truth, results.text(plain, key)),
        )
        if mine.f1 >= theirs.f1:
            continue
        rows.append(
            {
                "id": case_id.removeprefix("aeb/"),
                "url": _url(results, key),
                "f1": [mine.f1, theirs.f1],
                "precision": [mine.precision, theirs.precision],
                "recall": [mine.recall, theirs.recall],
                "record": key in results.texts[ours],
                "hint": loss_hint(truth, results.text(ours, key), results.text(plain, key)),
            }
        )
    rows.sort(key=lambda row: row["f1"][0] - row["f1"][1])
    return rows[:how_many]


def _url(results: Results, key: str) -> str:
    return next(page.url for page in results.corpus.pages if page.key == key)


def loss_hint(truth: str, ours: str, plain: str) -> str:
    """The first truth paragraph plain kept and ours lost, and the first line only ours added."""
    if not ours.strip():
        return "ours gave no text"
    mine, theirs, true = shingles(ours), shingles(plain), shingles(truth)
    flat_ours, flat_plain = " ".join(ours.split()), " ".join(plain.split())
    hints = []
    for paragraph in filter(str.strip, truth.split("\n")):
        flat = " ".join(paragraph.split())
        if (flat in flat_plain and flat not in flat_ours) or _share(paragraph, theirs) - _share(
            paragraph, mine
        ) > 0.5:
            hints.append(f"lost {_clip(paragraph)!r}")
            break
    flat_truth = " ".join(truth.split())
    for line in filter(str.strip, ours.split("\n")):
        if " ".join(line.split()) in flat_truth:  # a piece of a cut paragraph, not an addition
            continue
        if _share(line, true) < 0.3 and _share(line, theirs) < 0.3:
            hints.append(f"added {_clip(line)!r}")
            break
    return "; ".join(hints) or "small differences spread over the text"


def _share(text: str, pool: Any) -> float:
    own = shingles(text)
    total = sum(own.values())
    return sum((own & pool).values()) / total if total else 0.0


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= HINT_CHARS else text[: HINT_CHARS - 3] + "..."


def truth_sources(corpus: Corpus) -> list[str]:
    lines = [
        f"aeb: {len(corpus.aeb_bodies)} pages, body = aeb/ground-truth.json articleBody "
        f"(human-annotated). {corpus.aeb_provenance}"
    ]
    groups: dict[str, list[Any]] = defaultdict(list)
    for entry in corpus.manifest:
        groups[entry.source_repo].append(entry)
    for repo, entries in sorted(groups.items()):
        used = sorted(
            {f for e in entries for f in e.fields} | {"body" for e in entries if e.body is not None}
        )
        with_truth = [e for e in entries if e.body is not None or e.fields] or entries
        kind = with_truth[0].truth_kind.split(" (")[0]
        shared = sum(e.page_key != e.id for e in entries)
        lines.append(
            f"manifest, {repo}: {len(entries)} rows, scored fields: "
            f"{', '.join(used) or 'none'}; {kind}"
            + (f"; {shared} of them are aeb pages (written once)" if shared else "")
        )
    url_only = sum(e.body is None and not e.fields for e in corpus.manifest)
    lines.append(
        f"not scored: {url_only} manifest rows with a URL only; nous-aggregator "
        "'description' (a ~1000-character prefix with boilerplate, not a body)"
    )
    return lines


def print_report(results: Results, notes: list[str], worst: int) -> None:
    print("\n== Where the truths come from ==")
    for line in truth_sources(results.corpus):
        print(f"  {line}")
    _print_body(results, notes)
    _print_languages(results)
    _print_fields(results)
    _print_listings(results)
    _print_publishers(results)
    _print_worst(results, worst)


def _print_body(results: Results, notes: list[str]) -> None:
    print(
        "\n== Body text, the benchmark's metric (4-token shingles, per-page normalized; "
        "P and R averaged over pages) =="
    )
    print(
        f"{'set':<22} {'extractor':<18} {'pages':>5} {'no text':>7} {'F1':>6} "
        f"{'precision':>9} {'recall':>6} {'pages/s':>8}"
    )
    for row in body_rows(results):
        print(
            f"{row['set']:<22} {row['extractor']:<18} {row['pages']:>5} {row['no_text']:>7} "
            f"{row['f1']:>6.3f} {row['precision']:>9.3f} {row['recall']:>6.3f} "
            f"{row['pages_per_s']:>8.1f}"
        )
    print(
        f"  pages/s: all {len(results.corpus.pages)} pages of the WARC in one run, "
        "2 processes each; ours = whole `scraper extract` process wall time"
    )
    for note in notes:
        print(f"  {note}")


def _print_languages(results: Results) -> None:
    print("\n== Body F1 per language (aeb + manifest article pages; P / R) ==")
    rows = language_rows(results)
    extractors = results.extractors
    print(f"{'language':<9} {'pages':>5}  " + "  ".join(f"{x[:24]:>24}" for x in extractors))
    for start in range(0, len(rows), len(extractors)):
        group = rows[start:start + len(extractors)]
        cells = "  ".join(f"{r['f1']:.3f} ({r['precision']:.3f}/{r['recall']:.3f})"
                          for r in group)
        print(f"{group[0]['language']:<9} {group[0]['pages']:>5}  {cells}")


def _print_listings(results: Results) -> None:
    print("\n== Listing pages of the manifest (right answer: no article record) ==")
    for row in listing_rows(results):
        marks = ", ".join(f"{x}: {'record' if r else 'none'}" for x, r in row["records"].items())
        print(f"  {row['id']:<16} {row['page_type'][:40]:<40} {marks}")


def _print_fields(results: Results) -> None:
    tallies = field_tallies(results)
    ours, plain = results.extractors[:2]
    print("\n== Metadata on manifest pages with that truth (none: the source says none) ==")
    print(
        f"{'field':<12} {'truth':>6} {'(none)':>6} | {'ours ok':>7} {'acc':>6} "
        f"{'partial':>7} | {'plain ok':>8} {'acc':>6} {'partial':>7}"
    )
    for name in (*FIELDS, DATE_ERRATA):
        mine, theirs = tallies[ours][name], tallies[plain][name]
        print(
            f"{name:<12} {mine.with_truth:>6} {mine.truth_none:>6} | {mine.correct:>7} "
            f"{mine.accuracy:>6.3f} {mine.partial:>7} | {theirs.correct:>8} "
            f"{theirs.accuracy:>6.3f} {theirs.partial:>7}"
        )
    for name in FIELDS:
        print(
            f"  {name} not right, ours: {', '.join(tallies[ours][name].wrong_ids) or '-'}; "
            f"plain: {', '.join(tallies[plain][name].wrong_ids) or '-'}"
        )
    for entry in results.corpus.manifest:
        if entry.holds_no_article:
            got = {x: "record" if results.text(x, entry.page_key).strip() else "no record"
                   for x in (ours, plain)}
            print(f"  not scored: {entry.id} ({entry.notes}; truth {entry.fields}); "
                  f"ours: {got[ours]}, plain: {got[plain]}")


def _print_publishers(results: Results) -> None:
    ours, plain = results.extractors[:2]
    print("\n== Body F1 per manifest publisher (pages with a body truth) ==")
    print(f"{'publisher':<36} {'pages':>5} {'ours F1':>8} {'plain F1':>8} {'delta':>7}")
    for publisher, scores in publisher_scores(results).items():
        mine, theirs = scores[ours], scores[plain]
        print(
            f"{publisher[:36]:<36} {mine.pages:>5} {mine.f1:>8.3f} {theirs.f1:>8.3f} "
            f"{mine.f1 - theirs.f1:>+7.3f}"
        )


def _print_worst(results: Results, how_many: int) -> None:
    rows = worst_pages(results, how_many)
    print("\n== aeb pages where ours loses most against plain trafilatura (page F1) ==")
    print(f"{'id':<16} {'ours':>5} {'plain':>5} {'P ours/plain':>12} {'R ours/plain':>12}  hint")
    for row in rows:
        f1, p, r = row["f1"], row["precision"], row["recall"]
        print(
            f"{row['id'][:16]:<16} {f1[0]:>5.3f} {f1[1]:>5.3f} {p[0]:>5.2f}/{p[1]:<6.2f} "
            f"{r[0]:>5.2f}/{r[1]:<6.2f} {'' if row['record'] else '[no record] '}"
            f"{row['hint']}"
        )


def results_json(results: Results) -> dict[str, Any]:
    """Every figure, without page text (the corpus stays outside the project)."""
    pages: dict[str, dict[str, Any]] = {}
    for case_id, key, truth in aeb_cases(results.corpus) + manifest_body_cases(results.corpus):
        pages[case_id] = {
            x: asdict(page_counts(truth, results.text(x, key))) for x in results.extractors
        }
    worst = [{k: v for k, v in row.items() if k != "hint"} for row in worst_pages(results, 50)]
    return {
        "pages_in_warc": len(results.corpus.pages),
        "seconds": results.seconds,
        **results.timing_notes,
        "truth_sources": truth_sources(results.corpus),
        "body": body_rows(results),
        "languages": language_rows(results),
        "listings": listing_rows(results),
        "fields": {
            x: {name: tally.as_dict() for name, tally in t.items()}
            for x, t in field_tallies(results).items()
        },
        "publishers": {
            p: {x: asdict(s) for x, s in by_x.items()}
            for p, by_x in publisher_scores(results).items()
        },
        "worst_aeb_pages": worst,
        "pages": pages,
    }
