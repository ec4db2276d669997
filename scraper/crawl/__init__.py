"""The crawl: Scrapy process and job, the components wired through settings, politeness, safety."""
