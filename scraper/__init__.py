"""Scrape and archive the Middle East press into WARC files and clean article records."""

from __future__ import annotations

__version__ = "0.1.0"
