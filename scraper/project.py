"""The project's Scrapy settings module (``settings.py``, or ``SCRAPY_SETTINGS_MODULE``)."""

from __future__ import annotations

import os

from scrapy.settings import Settings


def project_settings() -> Settings:
    """A fresh copy of the project settings, at ``project`` priority, as ``scrapy crawl`` has."""
    settings = Settings()
    settings.setmodule(os.environ.get("SCRAPY_SETTINGS_MODULE", "settings"), priority="project")
    return settings
