"""``scraper report``."""

from __future__ import annotations

from pathlib import Path

import click

from scraper.cli.common import data_option


@click.command()
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The .html file to write.")
@click.option("--newest", type=click.IntRange(min=0), default=25, show_default=True,
              help="How many of the newest articles to list.")
@click.option("--largest", type=click.IntRange(min=0), default=10, show_default=True,
              help="How many of the largest WARC files to list.")
@click.option("--replay-url", default="http://localhost:8080/{collection}/{timestamp}/{url}",
              show_default=True,
              help="Link of each listed article: fields {url}, {url_quoted}, {timestamp}, "
                   "{collection}.")
@click.option("--title", help="Page title (default: from the folder name).")
@data_option
def report(output: Path, newest: int, largest: int, replay_url: str, title: str | None,
           data_dir: Path) -> None:
    """Write one self-contained HTML page about the collection (opens offline).

    Articles per day per site (chart), languages, paywalled share, failures and blocked hosts
    per site, the newest articles with replay links, the largest WARC files.

    \b
    Examples:
      scraper report --data ./data -o report.html
      scraper report -o report.html --replay-url \\
        'https://replayweb.page/?source=https://example.org/c.wacz#view=pages&url={url_quoted}&ts={timestamp}'
    """
    from scraper.export.report import write_report

    data = write_report(data_dir, output, newest=newest, largest=largest,
                        replay_url=replay_url, title=title)
    click.echo(f"wrote {output}: {data.articles} articles, {len(data.sites)} sites, "
               f"{data.warc_files} WARC files")
