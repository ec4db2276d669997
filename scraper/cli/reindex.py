"""``scraper reindex``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

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
    Damage (a cut or damaged WARC file, JSONL lines that are not records, unreadable
    manifests) is reported and skipped; the catalog then holds only what can be read (exit 1).
    """
    from scraper.crawl.job import recover_collection
    from scraper.progress import ProgressLine
    from scraper.store.reindex import reindex as rebuild
    from scraper.store.runs import RunLock

    with RunLock(data_dir):
        summary = rebuild(data_dir, ProgressLine("reindex", enabled=False if quiet else None))
        pending = recover_collection(data_dir, extract)
    _report_damage(summary)
    click.echo(f"catalog rebuilt: {summary.captures} captures, {summary.articles} article "
               f"versions, {summary.runs} runs")
    if pending.describe():
        click.echo(pending.describe())
    if not summary.complete or any(k.startswith("failed/") for k in pending.counts):
        sys.exit(1)


def _report_damage(summary: Any) -> None:
    """What the rebuild could not read, one line each."""
    from scraper.store.lines import skipped_lines_message

    for error in summary.damaged:
        click.echo(f"Error: {error}", err=True)
    for name, numbers in sorted(summary.not_records.items()):
        click.echo(f"Error: {skipped_lines_message(name, numbers)}", err=True)
    if summary.without_capture:
        click.echo(f"Error: left out {summary.without_capture} article record(s) whose capture "
                   "is in no readable WARC record (a damaged or missing WARC file, or one "
                   "still .open: run `scraper recover` first)", err=True)
    for problem in summary.bad_manifests:
        click.echo(f"Error: {problem}: run manifest skipped", err=True)
