"""``scraper reindex``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from scraper.cli.common import data_option


@click.command()
@data_option
def reindex(data_dir: Path) -> None:
    """Rebuild DATA/catalog.sqlite from the WARC, JSONL and run-manifest files alone.

    Damage (a cut or damaged WARC file, JSONL lines that are not records, unreadable
    manifests) is reported and skipped; the catalog then holds only what can be read (exit 1).
    """
    from scraper.store.lines import skipped_lines_message
    from scraper.store.reindex import reindex as rebuild
    from scraper.store.runs import RunLock

    with RunLock(data_dir):
        summary = rebuild(data_dir)
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
    click.echo(f"catalog rebuilt: {summary.captures} captures, {summary.articles} article "
               f"versions, {summary.runs} runs")
    if not summary.complete:
        sys.exit(1)
