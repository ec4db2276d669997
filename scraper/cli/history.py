"""``scraper history``."""

from __future__ import annotations

from pathlib import Path

import click

from scraper.cli.common import data_option, open_catalog


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

    for line in format_history(article_history(open_catalog(data_dir), data_dir, url), url):
        click.echo(line)
