"""``scraper reindex``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from scraper.cli.common import data_option, quiet_option


@click.command()
@quiet_option
@data_option
@click.option("--extract/--no-extract", default=True, show_default=True,
              help="Then extract the article candidates that have no article record.")
def reindex(quiet: bool, data_dir: Path, extract: bool) -> None:
    """Rebuild DATA/catalog.sqlite from the WARC, JSONL and run-manifest files alone.

    An HTML page captured with no article record citing it (a crawl killed before extracting
    it) is extracted from its WARC record, unless the old catalog knew it is not an article.
    """
    from scraper.crawl.job import recover_collection
    from scraper.progress import ProgressLine
    from scraper.store.reindex import reindex as rebuild
    from scraper.store.runs import RunLock

    with RunLock(data_dir):
        summary = rebuild(data_dir, ProgressLine("reindex", enabled=False if quiet else None))
        pending = recover_collection(data_dir, extract)
    click.echo(f"catalog rebuilt: {summary.captures} captures, {summary.articles} article "
               f"versions, {summary.runs} runs")
    if pending.describe():
        click.echo(pending.describe())
    if any(k.startswith("failed/") for k in pending.counts):
        sys.exit(1)
