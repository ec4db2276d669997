"""``scraper history``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from scraper.cli.common import data_option, open_catalog, report_reading


@click.command()
@click.argument("url")
@data_option
def history(url: str, data_dir: Path) -> None:
    """Every archived version of the article at URL, with a unified diff of its text.

    \b
    Example:
      scraper history https://www.al-monitor.com/originals/2026/11/some-story
    """
    from scraper.store.history import article_history, format_history
    from scraper.store.lines import ReadProblems

    problems = ReadProblems()
    versions = article_history(open_catalog(data_dir), data_dir, url, problems)
    for line in format_history(versions, url):
        click.echo(line)
    if report_reading(problems):
        sys.exit(1)
