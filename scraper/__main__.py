"""``python -m scraper`` runs the CLI (as cron jobs and tests do without relying on PATH)."""

from scraper.cli import run

run()
