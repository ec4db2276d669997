"""Extraction quality: `scraper extract` against plain trafilatura, same pages, same run.

Archives the 181 pages of the article-extraction-benchmark (../shared/corpus/aeb) and the Middle
East pages of ../shared/corpus/manifest.jsonl into one WARC file in a temporary collection, as a
crawl would (bench/corpus_warc.py), re-extracts it twice with `scraper extract --workers 2`
(with the built-in sites' rules: "ours"; with `--no-site-rules`, cross-site rules only: "ours,
generic"), runs plain `trafilatura.extract(page_bytes)` (default options, raw bytes: what a plain
user does) on the same pages in a 2-process pool, then `trafilatura.extract(favor_precision=True)`
(body text only), and prints:

- body text scores with the benchmark's own metric (bench/shingle_metric.py: evaluate.py is not
  in the corpus copy, so the metric is re-implemented there and documented), on aeb and on the
  manifest's article pages that have a body truth, and in a row per language; a page without a
  record counts as an empty text; the manifest's listing pages (section fronts) are listed
  apart, the right answer for them being no record;
- title / date / authors accuracy on the manifest pages that have that truth, against plain
  `trafilatura.bare_extraction(page_bytes, url=url, with_metadata=True)`;
- F1 per manifest publisher, so a per-site rule can be checked not to lower any publisher;
- the aeb pages where ours loses most against plain trafilatura, with a hint of why;
- site rules vs generic extraction: every corpus page whose URL belongs to a built-in site
  (spiders/), its body F1 and fields with and without that site's rules, the mean per site, and
  which pages the site rules lower (bench/site_rules_report.py).

Pages/s is over every page in the WARC; ours is the wall time of the whole `scraper extract`
process (start-up, WARC reading, decoding and metadata included), plain is the pool's.
The corpus is read at run time and never copied: --corpus, else $SCRAPER_CORPUS, else
../shared/corpus next to the repository.

    .venv/bin/python bench/extraction_quality.py
    .venv/bin/python bench/extraction_quality.py --json quality.json --keep --worst 20
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import trafilatura

if not __package__:  # run as a script: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus_pages import Corpus, CorpusError, CorpusPage, corpus_dir, load_corpus
from bench.corpus_warc import write_corpus_warc
from bench.quality_report import Results, print_report, results_json
from bench.site_rules_report import print_site_rules, site_rules_json
from scraper.store.jsonl import read_json_lines

STDERR_TAIL = 2000
OURS, GENERIC = "ours", "ours, generic"  # with the built-in sites' rules, with cross-site only
PRECISE = "trafilatura precision"  # trafilatura.extract(favor_precision=True)


@dataclass
class ExtractorRun:
    """What one extractor gave per page key: text, metadata, and how long the run took."""

    name: str
    seconds: float
    texts: dict[str, str]
    metadata: dict[str, dict[str, Any]]
    errors: int = 0
    note: str = ""


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    try:
        corpus = load_corpus(corpus_dir(args.corpus))
    except CorpusError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
    folder = Path(tempfile.mkdtemp(prefix="extraction-quality-"))
    try:
        warc, record_keys = write_corpus_warc(corpus.pages, folder / "warc")
        print(f"archived {len(corpus.pages)} pages into {warc}", flush=True)
        startup = startup_seconds(corpus.pages[0], folder / "startup", args.workers)
        ours = run_ours(folder, record_keys, args.workers, site_rules=True)
        ours.note += (
            f"; start-up (a one-page run) {startup:.1f} s, so "
            f"{len(corpus.pages) / max(ours.seconds - startup, 1e-9):.1f} pages/s "
            "once running"
        )
        plain = run_plain(corpus, args.workers)
        precise = run_plain_precision(corpus, args.workers)
        generic = run_ours(folder, record_keys, args.workers, site_rules=False)
        # ours and plain first: the two-way tables compare them
        runs = (ours, plain, precise, generic)
        results = Results(
            corpus,
            {r.name: r.texts for r in runs},
            {r.name: r.metadata for r in runs},
            {r.name: r.seconds for r in runs},
            {"ours_startup_seconds": startup},
        )
        print_report(results, [r.note for r in runs], args.worst)
        print_site_rules(results, OURS, GENERIC)
        if args.json:
            figures = results_json(results) | {
                "site_rules": site_rules_json(results, OURS, GENERIC)
            }
            args.json.write_text(
                json.dumps(figures, indent=1, ensure_ascii=False) + "\n",
                encoding="utf-8",
            )
            print(f"figures saved to {args.json}")
    finally:
        if args.keep:
            print(f"kept {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--corpus", help="shared corpus folder (default: $SCRAPER_CORPUS, else ../shared/corpus)"
    )
    parser.add_argument("--workers", type=int, default=2, help="processes for each extractor")
    parser.add_argument("--json", type=Path, help="also save every figure to this file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary collection")
    parser.add_argument(
        "--worst", type=int, default=10, help="how many aeb pages to list where ours loses most"
    )
    return parser.parse_args(argv)


def scraper_command() -> list[str]:
    script = Path(sys.executable).parent / "scraper"
    return [str(script)] if script.exists() else [sys.executable, "-m", "scraper"]


def output_file(folder: Path, site_rules: bool) -> Path:
    return folder / ("ours.jsonl" if site_rules else "ours-generic.jsonl")


def extract_command(
    folder: Path, workers: int, site_rules: bool = True
) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run `scraper extract FOLDER/warc -o FOLDER/ours[-generic].jsonl` and time it (wall clock).

    Without ``site_rules`` the run gets `--no-site-rules`: cross-site rules only.
    """
    command = scraper_command() + [
        "extract",
        str(folder / "warc"),
        "-o",
        str(output_file(folder, site_rules)),
        "--workers",
        str(workers),
        "--site-rules" if site_rules else "--no-site-rules",
    ]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    # Exit 1 means some pages failed: the others are in the output all the same.
    if done.returncode not in (0, 1):
        raise SystemExit(
            f"`{' '.join(command)}` exited {done.returncode}:\n{done.stderr[-STDERR_TAIL:]}"
        )
    return done, seconds


def startup_seconds(page: CorpusPage, folder: Path, workers: int) -> float:
    """Wall time of `scraper extract` on a one-page WARC: start-up, imports, worker spawn."""
    write_corpus_warc([page], folder / "warc")
    return extract_command(folder, workers)[1]


def run_ours(
    folder: Path, record_keys: dict[str, str], workers: int, site_rules: bool = True
) -> ExtractorRun:
    """`scraper extract` on the collection; records are matched to pages by record ID."""
    done, seconds = extract_command(folder, workers, site_rules)
    output = output_file(folder, site_rules)  # not created when no page gave an article
    records = read_json_lines(output.read_text(encoding="utf-8")) if output.exists() else []
    texts, metadata = {}, {}
    for record in records:
        key = record_keys.get(record["capture"]["record_id"])
        if key is None:
            continue
        texts[key] = record.get("text") or ""
        metadata[key] = {
            "page_kind": record.get("page_kind"),
            "title": record.get("title"),
            "date": record.get("published"),
            "authors": record.get("authors") or [],
            "standfirst": record.get("standfirst"),
        }
    summary = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
    name = OURS if site_rules else GENERIC
    return ExtractorRun(
        name, seconds, texts, metadata, note=f"{name}: exit {done.returncode}; {summary}"
    )


def _plain_text(html: bytes) -> tuple[str, str | None]:
    try:
        return trafilatura.extract(html) or "", None
    except Exception as error:  # one bad page must not stop the benchmark; it is counted
        return "", f"{type(error).__name__}: {error}"


def _precise_text(html: bytes) -> tuple[str, str | None]:
    try:
        return trafilatura.extract(html, favor_precision=True) or "", None
    except Exception as error:  # one bad page must not stop the benchmark; it is counted
        return "", f"{type(error).__name__}: {error}"


def run_plain_precision(corpus: Corpus, workers: int) -> ExtractorRun:
    """trafilatura.extract(favor_precision=True) on every page: its body text only."""
    started = time.perf_counter()
    with multiprocessing.Pool(workers) as pool:
        outputs = pool.map(_precise_text, [page.html for page in corpus.pages], chunksize=1)
    seconds = time.perf_counter() - started
    errors = sum(1 for _, error in outputs if error)
    texts = {page.key: text for page, (text, _) in zip(corpus.pages, outputs)}
    return ExtractorRun(PRECISE, seconds, texts, {}, errors,
                        f"{PRECISE}: {errors} errors")


def _plain_metadata(job: tuple[bytes, str]) -> dict[str, Any]:
    html, url = job
    try:
        document = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    except Exception as error:  # counted as "no metadata", reported in the note
        return {"error": f"{type(error).__name__}: {error}"}
    if document is None:
        return {}
    return {
        "title": document.title,
        "date": document.date,
        "authors": [a.strip() for a in (document.author or "").split(";") if a.strip()],
    }


def run_plain(corpus: Corpus, workers: int) -> ExtractorRun:
    """trafilatura.extract on every page (timed), then bare_extraction where fields have truth."""
    pages = corpus.pages
    started = time.perf_counter()
    with multiprocessing.Pool(workers) as pool:
        outputs = pool.map(_plain_text, [page.html for page in pages], chunksize=1)
        seconds = time.perf_counter() - started
        wanted = _pages_with_field_truth(corpus)
        meta = pool.map(_plain_metadata, [(p.html, p.url) for p in wanted], chunksize=1)
    errors = [(page.url, error) for page, (_, error) in zip(pages, outputs) if error]
    errors += [(page.url, m["error"]) for page, m in zip(wanted, meta) if "error" in m]
    for url, error in errors:
        print(f"plain trafilatura failed on {url}: {error}", file=sys.stderr)
    texts = {page.key: text for page, (text, _) in zip(pages, outputs)}
    metadata = {page.key: m for page, m in zip(wanted, meta)}
    return ExtractorRun(
        "plain trafilatura",
        seconds,
        texts,
        metadata,
        len(errors),
        f"plain trafilatura {trafilatura.__version__}: {len(errors)} errors",
    )


def _pages_with_field_truth(corpus: Corpus) -> list[CorpusPage]:
    keys = {entry.page_key for entry in corpus.manifest if entry.fields}
    return [page for page in corpus.pages if page.key in keys]


if __name__ == "__main__":
    sys.exit(main())
