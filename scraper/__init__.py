"""Scrape and archive the Middle East press into WARC files and clean article records."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["Collection", "__version__"]


def __getattr__(name: str) -> object:
    # Lazy: `import scraper` (settings.py does) must not load the catalog and date parsers.
    if name == "Collection":
        from scraper.store.collection import Collection

        return Collection
    raise AttributeError(f"module 'scraper' has no attribute {name!r}")
