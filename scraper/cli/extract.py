"""``scraper extract``."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from scraper.cli.common import quiet_option


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", default="-", show_default=True,
              help="JSONL file to write (- for stdout).")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="Extraction processes.")
@click.option("--timeout", type=click.FloatRange(min=0.001), default=30.0, show_default=True,
              help="Seconds one page may take.")
@click.option("--site-rules/--no-site-rules", default=True, show_default=True,
              help="Apply the built-in sites' cruft rules and article patterns.")
@quiet_option
def extract(paths: tuple[Path, ...], output: str, workers: int, timeout: float,
            site_rules: bool, quiet: bool) -> None:
    """Re-derive article records from WARC files alone (no network).

    Same WARC files and same version of this tool give byte-identical output.

    \b
    Example:
      scraper extract data/warc/*.warc.gz -o articles.jsonl
    """
    from scraper.extract.extractor import ExtractionOptions
    from scraper.progress import ProgressLine
    from scraper.store.jsonl import JsonlWriter
    from scraper.store.reextract import extract_warcs, total_size, warc_paths

    # The output is derived, so it is rewritten whole: into a temporary file next to it that
    # replaces it only once records were written (a failed run never empties a good file).
    target = None if output == "-" else Path(output)
    temporary = None if target is None else target.with_name(f".{target.name}.{os.getpid()}.tmp")
    writer = JsonlWriter(temporary or "-")
    files = warc_paths(paths)
    progress = ProgressLine("extract", len(files), total_size(files),
                            enabled=False if quiet else None)
    try:
        summary = extract_warcs(files, writer, ExtractionOptions(), workers, timeout,
                                site_rules=site_rules, progress=progress)
    except BaseException:
        progress.close()
        writer.close()
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise
    progress.close()
    writer.close()
    where = _keep_output(target, temporary, writer.count)
    for error in summary.damaged:
        click.echo(f"Error: {error}", err=True)
    counts = ", ".join(f"{n} {k}" for k, n in sorted(summary.counts.items()))
    click.echo(f"{writer.count} articles written {where} ({counts or 'no pages'})", err=True)
    click.echo(_read_line(summary.read), err=True)
    if summary.damaged or summary.failures:
        sys.exit(1)


def _read_line(read: Any) -> str:
    """What the reader saw: records by type, bodies de-chunked, revisits resolved."""
    records = ", ".join(f"{n} {kind}" for kind, n in sorted(read.records.items()))
    return (f"read {sum(read.records.values())} records ({records or 'none'}); "
            f"{read.dechunked} bodies de-chunked, {read.revisits_resolved} revisits resolved, "
            f"{read.revisits_unresolved} without their payload in the input, "
            f"{read.non_http} non-HTTP responses (dns: and the like)")


def _keep_output(target: Path | None, temporary: Path | None, written: int) -> str:
    """Move the records into place; an existing file stays as it was when none were written."""
    if target is None or temporary is None:
        return "to -"
    if written == 0 and target.exists():
        temporary.unlink(missing_ok=True)
        return f"({target} left as it was)"
    if written == 0:
        temporary.touch()
    os.replace(temporary, target)
    return f"to {target}"
