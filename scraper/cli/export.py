"""``scraper export``."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import click

from scraper.cli.common import check_sites, data_option, quiet_option, report_reading
from scraper.extract.record import ArticleRecord


@click.command()
@click.option("--format", "format_", type=click.Choice(["jsonl", "parquet", "csv"]),
              required=True, help="jsonl: records as stored; parquet: typed columns; csv: flat.")
@click.option("-o", "--output", default="-", show_default=True,
              help="File to write (- for stdout; not for parquet).")
@click.option("--site", "sites", multiple=True, metavar="NAME", help="Only this site; repeatable.")
@click.option("--since", help="Only articles dated since: 2026-11-01, yesterday, 3d.")
@click.option("--until", help="Only articles dated before this.")
@click.option("--date-field", type=click.Choice(["published", "fetched"]), default="published",
              show_default=True, help="The date --since/--until apply to.")
@click.option("--lang", "language", metavar="CODE", help="Only this detected language (ar, en).")
@click.option("--paywalled/--not-paywalled", default=None,
              help="Only articles behind / not behind a paywall (default: both).")
@click.option("--all-versions", is_flag=True,
              help="Every version of each article (default: only its latest).")
@click.option("--bom", is_flag=True, help="CSV: start with a UTF-8 BOM (for Excel).")
@click.option("--near-duplicates/--no-near-duplicates", default=True, show_default=True,
              help="Add near_duplicate_of: the id of an earlier record with near-identical text "
                   "(wire stories republished by several sites). Flagged, never dropped.")
@quiet_option
@data_option
def export(format_: str, output: str, sites: tuple[str, ...], since: str | None,
           until: str | None, date_field: str, language: str | None, paywalled: bool | None,
           all_versions: bool, bom: bool, near_duplicates: bool, quiet: bool,
           data_dir: Path) -> None:
    """Export article records to JSONL, Parquet or CSV, filtered.

    \b
    Examples:
      scraper export --format jsonl --site aljazeera-en --since 2026-11-01 --lang ar -o - | jq .
      scraper export --format parquet -o corpus.parquet
      scraper export --format csv --bom -o corpus.csv
    """
    from scraper.export.formats import export as write_export
    from scraper.progress import ProgressLine
    from scraper.store.collection import Collection

    collection = Collection(data_dir)
    check_sites(collection, sites)
    records = collection.articles(
        site=sites or None, since=since, until=until, by=date_field,  # type: ignore[arg-type]
        language=language, paywalled=paywalled,
        versions="all" if all_versions else "latest")
    if near_duplicates:
        from scraper.export.near_duplicates import apply_near_duplicates

        records = apply_near_duplicates(records)
    with ProgressLine("export", enabled=False if quiet else None) as progress:
        summary = write_export(counted(records, progress), format_, output, bom=bom)
    click.echo(summary.summary, err=True)
    if report_reading(collection.problems):
        sys.exit(1)


def counted(records: Iterable[ArticleRecord], progress: Any) -> Iterator[ArticleRecord]:
    """The records, counted on the progress line as the export takes them."""
    for record in records:
        progress.add()
        yield record
