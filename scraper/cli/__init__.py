"""The command-line interface: ``scraper`` and its commands, one module each."""

from __future__ import annotations

from scraper.cli.group import main, run

__all__ = ["main", "run"]
