"""Distributed crawling on scrapy-redis: many workers, one job, one shared frontier in Redis.

The layer beside :mod:`scraper.crawl`: a leased queue (``queue``), a JSON serializer
(``serializer``), a dupefilter on Scrapy's fingerprinter and the job's scheduler
(``scheduler``), shared per-host politeness (``gate``, ``robots``), the job's lifecycle
(``lifecycle``: seeding once, acknowledging, closing job-wide), the settings that switch a crawl
to distributed mode (``settings``), a local redis-server (``server``), worker processes
(``workers``), job listing (``jobs``) and merging the folders of several machines (``merge``).
"""
