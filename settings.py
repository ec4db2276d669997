"""Scrapy settings for the scraper, plus our own, grouped and documented where they are defined.

The ``scraper`` CLI loads this module and overrides a few values from its options and from
environment variables; ``scrapy crawl`` / ``scrapy list`` load it through ``scrapy.cfg``.
Our own settings carry the prefixes ``SCRAPER_``, ``WARC_``, ``ROBOTSTXT_`` and ``RETRY_AFTER_``.
"""

from scrapy.settings import default_settings as _scrapy_defaults

from scraper import __version__

BOT_NAME = "mena-scraper"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# --- Identity -------------------------------------------------------------------------------
# Where site owners can read who we are and how to reach us (``--contact``, SCRAPER_CONTACT).
SCRAPER_CONTACT_URL = "https://github.com/mena-scraper/mena-scraper"
USER_AGENT = f"mena-scraper/{__version__} (+{SCRAPER_CONTACT_URL}; research web archiving)"
# Operator contact written into every warcinfo record (``--operator``); None leaves it out.
SCRAPER_OPERATOR = None

# --- Collection -----------------------------------------------------------------------------
# The collection folder: WARC files in ``warc/``, CDXJ indexes in ``indexes/``.
SCRAPER_DATA_DIR = "data"
# Name written as ``isPartOf`` in warcinfo; the CLI sets it to the collection folder's name.
SCRAPER_COLLECTION = None

# --- WARC capture (archive/, scraper/crawl/warc_capture.py) -----------------------------
WARC_ENABLED = True
# First part of every WARC file name: {prefix}-{timestamp17}-{serial}-{host}-{pid}.warc.gz
WARC_PREFIX = "mena"
# A file is closed and the next one started once it reaches this size, in bytes.
WARC_MAX_SIZE = 1_000_000_000
# zlib level for each record's gzip member. Measured per page (zlib, 2026-12-02): on 53 KB
# synthetic pages level 6 took 0.74 ms for 21.3% of the raw size, level 4 0.36 ms for 22.0%;
# on the 181 real benchmark pages (~166 KB) level 6 2.66 ms for 20.4%, level 4 1.53 ms for
# 21.4%. Level 4 halves the crawl's compression CPU for files 3-5% larger; 6 (as small as
# warcio's 9) or 9 for the smallest files, 1 for the least CPU (+14-19% size).
WARC_GZIP_LEVEL = 4
# Build and compress records on a separate thread instead of the crawl's event loop. Measured
# on 2 cores (bench/crawl_speed.py): the thread waits for the GIL behind the busy event loop and
# falls thousands of records behind, holding their bodies in memory; writing in place costs
# ~0.8 ms per 50 KB page and keeps memory flat. So it is off by default.
WARC_WRITER_THREAD = False
# Replace the values of Authorization, Proxy-Authorization, Cookie and Set-Cookie in the WARC
# (header names are kept). ``--keep-secrets`` turns this off.
WARC_REDACT_SECRETS = True

# --- Catalog and recurring runs (scraper/store, scraper/crawl) --------------------------------
# Index captures, article versions and runs in DATA/catalog.sqlite (rebuild: `scraper reindex`).
SCRAPER_CATALOG_ENABLED = True
# The storage class of the catalog (like HTTPCACHE_STORAGE): its constructor takes the path.
SCRAPER_CATALOG_STORE = "scraper.store.catalog.CatalogStore"
# The crawl component holding the catalog; the WARC capture (revisits), extraction (versions)
# and incremental runs (what is due) ask it through crawler.get_extension().
SCRAPER_CATALOG_COMPONENT = "scraper.crawl.catalog_extension.CatalogExtension"
# ``--incremental``: skip article URLs already archived unless due for a re-check.
SCRAPER_INCREMENTAL = False
# Re-check schedule of an article, measured from when it was first seen (``--recheck-after``).
SCRAPER_RECHECK_AFTER = "1h,6h,24h,72h"
# Keep the URLs discovered and not yet fetched in the catalog's frontier table, so a run that
# is killed or stopped leaves them for the next run to fetch (scraper/crawl/frontier.py).
SCRAPER_FRONTIER_ENABLED = True
# Keep the requests waiting to be fetched on disk (Scrapy's disk queues, in DATA/.queue/<site>,
# removed when the run ends) instead of in memory. Measured (bench/long_run.py's site, 20,202
# pages, 200 sections, no extraction): peak RSS 165 MB in memory, 125 MB on disk, and 12%
# faster. The catalog's frontier, not this folder, is what survives a crash. Not in distributed
# mode: the queue is in Redis there.
SCRAPER_DISK_QUEUE = True
# Set by the CLI for each run: names the run's JSONL file and its catalog rows.
SCRAPER_RUN_ID = None
# One-line progress display on stderr; the CLI turns it on for a terminal without --quiet.
SCRAPER_PROGRESS = False

# --- Article extraction (scraper/extract) ------------------------------------------------------
# Extract article pages during the crawl into DATA/articles/*.jsonl (``--no-extract`` to skip).
EXTRACT_ENABLED = True
# Worker processes for trafilatura; the crawl's event loop never runs extraction itself.
EXTRACT_WORKERS = 2
# Pages waiting for extraction before the crawl pauses (resumes at half): keeps memory flat when
# fetching is faster than extraction.
EXTRACT_MAX_PENDING = 64
# Pages sent to a worker in one task (each task costs the crawl's event loop ~0.5 ms of CPU);
# a batch goes when full or EXTRACT_BATCH_WAIT seconds after its first page. 1: page by page.
# A page over EXTRACT_TIMEOUT fails alone either way (scraper/extract/workers.py).
EXTRACT_BATCH_PAGES = 8
EXTRACT_BATCH_WAIT = 0.05
# Seconds one page may take before its worker is killed and the page counted as failed.
EXTRACT_TIMEOUT = 30.0
# Address-space cap per worker, in MiB (0: none; else at least 256, see
# scraper/crawl/setting_checks.py): a page over it fails alone.
EXTRACT_MEMORY_MB = 2048
# trafilatura options. Its fallback extractors (readability, jusText) run only when its fast pass
# gives thin or menu-like text (scraper/extract/extractor.py); EXTRACT_FAST never runs them.
# Precision drops doubtful text.
EXTRACT_FAST = False
EXTRACT_FAVOR_PRECISION = False

# --- Limits (spiders/discovery.py, scraper/extract, scraper/crawl/limits.py) ---------------------
# Everything a site sends is bounded. A feed, sitemap or page over a limit is a failed source or
# page: what was read up to the limit is kept, the failure is logged with the URL and the limit,
# listed in the run manifest's errors and the site's ``failed`` count, and the run exits 1;
# other sites of the run go on.
# Largest feed or sitemap, in bytes, downloaded or once its gzip is undone (the sitemap
# protocol's 50 MB); sources are downloaded up to this size rather than DOWNLOAD_MAXSIZE.
SCRAPER_SOURCE_MAX_BYTES = 50 * 1024 * 1024
# URLs taken from one feed, sitemap or section page (the sitemap protocol's 50,000); the first
# ones are kept.
SCRAPER_SOURCE_MAX_URLS = 50_000
# Child sitemaps followed from one sitemap index; the first ones are followed.
SCRAPER_SITEMAP_MAX_CHILDREN = 1_000
# Articles scheduled per site in one crawl, over all its sources (an index of 1,000 sitemaps of
# 50,000 URLs would otherwise queue 50 million requests in memory).
SCRAPER_SITE_MAX_URLS = 100_000
# Longest URL taken from a source (as Scrapy's URLLENGTH_LIMIT); longer ones are left out.
SCRAPER_MAX_URL_LENGTH = 2_083
# Longest title a feed or news sitemap may give an article, in characters; longer ones are cut.
SCRAPER_MAX_TITLE_CHARS = 1_000
# Deepest nesting of XML elements in a feed or sitemap (real ones nest 3-6 deep; libxml2 stops
# at 256 without saying so). huge_tree stays off, so libxml2 also refuses a text node over 10 MB,
# and a feed or sitemap that declares XML entities (a billion-laughs bomb) is refused outright.
SCRAPER_XML_MAX_DEPTH = 32
# Largest response head (status line and headers), in bytes; past it the connection is dropped.
# Twisted already refuses a single header line over 16 KiB.
SCRAPER_MAX_HEADER_BYTES = 256 * 1024
# Largest page body once its Content-Encoding (gzip, deflate, br, zstd) is undone, in bytes:
# the extraction worker stops decompressing at once past it (a gzip bomb costs milliseconds).
EXTRACT_MAX_DECODED_BYTES = 20 * 1024 * 1024
# JSON-LD blocks larger than this, in bytes, are skipped (and counted) by the extraction.
EXTRACT_MAX_JSON_LD_BYTES = 1024 * 1024

# --- Safety ---------------------------------------------------------------------------------
# Allow loopback, private and link-local addresses (local mirrors, tests): ``--allow-private``.
SCRAPER_ALLOW_PRIVATE = False
# Private hosts allowed one by one (``--allow-host 127.0.0.1``); redirects elsewhere stay refused.
SCRAPER_ALLOWED_PRIVATE_HOSTS: list[str] = []
# No console into the crawl: neither Twisted's telnet nor Scrapy's HTTP code runner. Their
# extensions are also taken out of Scrapy's base list (EXTENSIONS_BASE, below): Scrapy imports
# every extension named there, even one set to None, and the remote control's module imports
# aiohttp, 90 ms of every run's start-up.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
TWISTED_DNS_RESOLVER = "scraper.crawl.safety.PublicAddressResolver"

# --- Politeness -----------------------------------------------------------------------------
ROBOTSTXT_OBEY = True
# How long a host stays disallowed after its robots.txt answered 5xx/429 or was unreachable.
ROBOTSTXT_ERROR_RETRY_AFTER = 600
# Largest robots.txt Crawl-delay we honour, in seconds; longer ones are capped to this.
ROBOTSTXT_CRAWL_DELAY_MAX = 30
# Longest pause a Retry-After header can impose on a host, in seconds.
RETRY_AFTER_MAX = 300
CONCURRENT_REQUESTS = 16
# News sites: a few parallel requests per site, spaced by AutoThrottle.
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
RETRY_TIMES = 2
DOWNLOAD_TIMEOUT = 60

# --- Downloading ----------------------------------------------------------------------------
DOWNLOAD_HANDLERS = {
    "http": "scraper.crawl.download_handler.CapturingHTTP11DownloadHandler",
    "https": "scraper.crawl.download_handler.CapturingHTTP11DownloadHandler",
}
# Pages larger than this are cut and stored with WARC-Truncated: length (20 MiB).
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 10 * 1024 * 1024
# A body cut by a lost connection is kept (WARC-Truncated: disconnect), not thrown away.
DOWNLOAD_FAIL_ON_DATALOSS = False
DOWNLOADER_MIDDLEWARES = {
    "scraper.crawl.safety.PrivateAddressMiddleware": 50,
    "scraper.crawl.incremental.IncrementalMiddleware": 60,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "scraper.crawl.politeness.FailClosedRobotsTxtMiddleware": 100,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "scraper.crawl.politeness.RetryAfterMiddleware": 550,
    # After decompression (590), before retries (550): a bot wall is not retried or parsed.
    "scraper.crawl.blocking.BlockedHostMiddleware": 580,
    # Redirect loops and chains past REDIRECT_MAX_TIMES count as failed (Scrapy drops them).
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "scraper.crawl.redirects.CountedRedirectMiddleware": 600,
}
# Bot walls (scraper/crawl/blocking.py): a challenge page, cf-mitigated, a JavaScript or
# cookie wall, or a 401/403/429/503 on a home page or feed is "blocked", never an article.
BLOCKED_DETECTION_ENABLED = True
# After a block the host's next request waits this long, doubling per block up to the maximum.
BLOCKED_BACKOFF_START = 30.0
BLOCKED_BACKOFF_MAX = 600.0
# Blocks after which a host is given up for the run (its other URLs: discovered, not captured).
BLOCKED_HOST_GIVE_UP = 3
# After each spider's own start requests, incremental runs add the articles due a re-check.
# The frontier middleware sits closest to the engine: it sees what is really scheduled.
SPIDER_MIDDLEWARES = {
    "scraper.crawl.frontier.FrontierMiddleware": 10,
    "scraper.crawl.incremental.RecheckStartMiddleware": 900,
}
EXTENSIONS_BASE = {name: order for name, order in _scrapy_defaults.EXTENSIONS_BASE.items()
                   if name not in ("scrapy.extensions.telnet.TelnetConsole",
                                   "scrapy.extensions.remote_control.RemoteControl")}
EXTENSIONS = {
    "scraper.crawl.limits.LimitsReport": 90,
    "scraper.crawl.warc_capture.WarcCaptureExtension": 100,
    "scraper.crawl.catalog_extension.CatalogExtension": 105,
    "scraper.crawl.progress.ProgressDisplay": 120,
    "scraper.crawl.extraction_extension.ArticleExtractionExtension": 110,
    # Discovered URLs a run could not fetch, with the reason, for the manifest and catalog.
    "scraper.crawl.not_captured.NotCapturedExtension": 115,
    "scrapy.extensions.throttle.AutoThrottle": None,
    "scraper.crawl.politeness.CrawlDelayAutoThrottle": 0,
}

# Scrapy starts this many asyncio tasks for every callback's output, whatever it yields; our
# callbacks yield a few requests each, and 100 (the default) cost 10% of a crawl's CPU.
CONCURRENT_ITEMS = 4

# --- Distributed mode (scraper/distributed; `scraper crawl --redis URL` / `--workers N`) ------
# The CLI sets these three for each worker: the Redis (a RedisAddress, which never prints its
# password), the job's name and this worker's id. None: an ordinary one-process crawl.
DISTRIBUTED_REDIS = None
DISTRIBUTED_JOB = None
DISTRIBUTED_WORKER_ID = None
# A popped request is leased to its worker for this long, renewed every third of it while the
# worker lives; a lease that runs out (the worker died) puts the request back in the queue.
DISTRIBUTED_LEASE_SECONDS = 120.0
# A request that failed this many times (retries and expired leases) goes to the failed list.
DISTRIBUTED_MAX_TRIES = 3
# A worker leases this many requests in one round trip to Redis and hands them to Scrapy one by
# one; the ones not yet downloading are renewed and handed back like every other lease.
DISTRIBUTED_LEASE_BATCH = 8
# How long a worker waits for a Redis that went away before it gives up (exit 3).
DISTRIBUTED_REDIS_WAIT = 300.0
# The shared gate spaces a host's requests by the delay plus this fraction of it (a granted
# request may leave a busy worker a few ms late; the host must still see the whole delay).
DISTRIBUTED_GATE_MARGIN = 0.1
# robots.txt is fetched once per host for the whole job and shared for this long.
DISTRIBUTED_ROBOTS_TTL = 86400.0
# Name of the collection whose captures the machines of distributed jobs share in Redis, so
# that --incremental fetches each new article once in total (one name per collection).
DISTRIBUTED_CATALOG = "default"

# --- Crawl order ----------------------------------------------------------------------------
# Breadth-first: home, then sections, then articles.
DEPTH_PRIORITY = 1
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"

# The CLI shows warnings only unless --verbose; --log-file gets everything.
LOG_LEVEL = "INFO"
# Network errors (timeouts, refused connections, DNS) logged in one line, without traceback.
LOG_FORMATTER = "scraper.crawl.download_errors.OneLineDownloadErrors"
