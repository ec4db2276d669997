"""``scraper demo``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from scraper.cli.common import recover_and_report
from scraper.extract.record import ArticleRecord

#: How much of an article's text the demo prints (the record on disk has all of it).
TEXT_SHOWN = 160


@click.command()
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
              default="demo-data", show_default=True, help="Collection folder to crawl into.")
@click.option("--port", type=click.IntRange(0, 65535), default=8642, show_default=True,
              help="Port of the demo site on 127.0.0.1 (0: any free port).")
@click.option("--quiet", "-q", is_flag=True, help="Only the summary and the next commands.")
@click.option("--verbose", "-v", is_flag=True, help="Scrapy's full log on stderr.")
def demo(data_dir: Path, port: int, quiet: bool, verbose: bool) -> None:
    """Crawl a small bundled news site (English and Arabic) on 127.0.0.1: no network needed.

    Serves the demo site, crawls it with the whole pipeline (WARC capture, extraction,
    catalog) into DATA, prints the run summary, two article records and the commands to try
    next. Exits with the crawl's exit code.
    """
    from scraper.crawl.demo import run_demo

    outcome = run_demo(data_dir, lambda data: recover_and_report(data, quiet),
                       port=port, progress=not quiet and sys.stderr.isatty(),
                       log_level="INFO" if verbose else "WARNING")
    click.echo(f"demo site served at {outcome.origin}/ (stopped now)")
    click.echo(outcome.job.summary)
    click.echo(f"{len(outcome.articles)} article records in {data_dir / 'articles'}")
    if not quiet:
        for record in _two_examples(outcome.articles):
            click.echo(json.dumps(_shortened(record), ensure_ascii=False, indent=2))
    for line in next_commands(data_dir):
        click.echo(line)
    sys.exit(outcome.job.exit_code)


def _two_examples(records: list[ArticleRecord]) -> list[ArticleRecord]:
    """One English and one Arabic record when there are both, else the first two."""
    by_language = {r.get("language"): r for r in reversed(records)}
    picked = [by_language[lang] for lang in ("en", "ar") if lang in by_language]
    return picked if len(picked) == 2 else records[:2]


def _shortened(record: ArticleRecord) -> dict[str, Any]:
    text = record.get("text") or ""
    if len(text) <= TEXT_SHOWN:
        return dict(record)
    return {**record, "text": text[:TEXT_SHOWN] + f"... ({len(text)} characters)"}


def next_commands(data_dir: Path) -> list[str]:
    """What to try on the demo collection next."""
    data = str(data_dir)
    return [
        "",
        "Next, try:",
        f"  scraper status --data {data}",
        f"  scraper export --data {data} --format jsonl -o demo.jsonl   # or csv, parquet",
        f"  scraper report --data {data} -o demo-report.html  # one page, opens offline",
        f"  scraper package --data {data} -o demo.wacz        # open it in ReplayWeb.page "
        "(https://replayweb.page: the file stays on your machine)",
        f"  scraper verify {data}/warc",
        f"  replay in pywb: a collection with archive_paths {data}/warc/ and index_paths "
        f"{data}/indexes/",
    ]
