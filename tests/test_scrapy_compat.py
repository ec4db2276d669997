"""Every private Scrapy name we use exists in the pinned Scrapy, and a missing one is named."""

from __future__ import annotations

import pytest

from scraper.crawl import scrapy_compat
from scraper.crawl.scrapy_compat import (
    REQUIRED,
    PrivateName,
    missing_private_names,
    require_scrapy_compat,
)


def test_every_private_name_exists_in_the_installed_scrapy() -> None:
    assert missing_private_names() == []
    require_scrapy_compat()  # does not raise


@pytest.mark.parametrize("name", REQUIRED, ids=lambda n: n.describe().split(" ")[0])
def test_each_private_name_is_found(name: PrivateName) -> None:
    assert name.present(), name.describe()


def test_a_removed_name_stops_the_crawl_with_a_message_naming_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    class Renamed:
        def __init__(self) -> None:
            self._kept = 1

    gone = (PrivateName(Renamed, "_removed_in_next_scrapy", "an example"),
            PrivateName(Renamed, "_kept", "assigned in __init__"))
    monkeypatch.setattr(scrapy_compat, "REQUIRED", gone)
    with pytest.raises(RuntimeError) as raised:
        require_scrapy_compat()
    message = str(raised.value)
    assert "Renamed._removed_in_next_scrapy (an example)" in message
    assert "_kept" not in message
    assert "tested with Scrapy 2.19.0" in message


def test_the_console_extensions_are_never_loaded() -> None:
    """Scrapy's extension manager imports every extension the settings list: ours leave the
    telnet console and the remote control (its module imports aiohttp, 90 ms of start-up) out
    of EXTENSIONS_BASE, not merely disabled."""
    from scrapy.settings import Settings
    from scrapy.utils.conf import build_component_list

    import settings

    configured = Settings()
    configured.setmodule(settings)
    names = [str(path).rsplit(".", 1)[-1]
             for path in build_component_list(configured.getwithbase("EXTENSIONS"))]
    assert {"CoreStats", "LogStats", "CloseSpider", "WarcCaptureExtension"} <= set(names)
    assert "TelnetConsole" not in names and "RemoteControl" not in names


def test_importing_the_crawl_reads_no_source_and_leaves_inspect_as_it_was() -> None:
    """Scrapy's deprecated TLS classes look up their module with inspect.stack(), which reads
    the source of every frame (0.2 s of each crawl's start-up); the crawl imports them with a
    stack of frames only. cdxj-indexer (0.1 s) is not imported until an index needs it."""
    import subprocess
    import sys

    probe = """
import inspect, json, sys
real = inspect.stack
calls = []
inspect.stack = lambda *args, **kwargs: calls.append(1) or real(*args, **kwargs)
counting = inspect.stack
import scraper.crawl.job
from scrapy.core.downloader.contextfactory import ScrapyClientContextFactory
print(json.dumps({"calls": len(calls), "restored": inspect.stack is counting,
                  "module": ScrapyClientContextFactory.__module__,
                  "cdxj": "cdxj_indexer" in sys.modules}))
"""
    import json

    shown = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                           check=True)
    assert json.loads(shown.stdout) == {"calls": 0, "restored": True, "cdxj": False,
                                        "module": "scrapy.core.downloader.contextfactory"}
