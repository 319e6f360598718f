"""Scrapy project settings for gpscrape (`scrapy.cfg` points here).

Polite, identified defaults for the real site. Every gpscrape-specific setting is prefixed
`GPSCRAPE_` and documented where it is defined below; each can also be set by an environment
variable of the same name. Override any setting on the command line with `-s NAME=VALUE`
(`scrapy crawl` and every `gpscrape` command that reads settings); `gpscrape/config.py` gives
the whole order and derives the folders and size caps from the result.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from gpscrape import __version__

BOT_NAME = "gpscrape"
SPIDER_MODULES = ["gpscrape.spiders"]
NEWSPIDER_MODULE = "gpscrape.spiders"

# --- gpscrape's own settings ------------------------------------------------------------

# GPSCRAPE_BASE_URL: the site to crawl; the spider argument `base_url` wins over it.
GPSCRAPE_BASE_URL = "https://globalpolitics.in/"
# GPSCRAPE_START_PATHS: pages, relative to the base URL, where discovery starts besides the
# base URL itself (landing pages). Discovery never depends on any one of them existing.
GPSCRAPE_START_PATHS = ["europe/"]
# GPSCRAPE_SEEDS: article URLs (relative to the base URL) or bare recordNos (fetched through
# GPSCRAPE_BACKFILL_URL_TEMPLATE) where discovery also starts; each article's PREVIOUS COMMENTS
# leads on to others. Default: the newest recordNo observed on the real site (Jan 2026).
GPSCRAPE_SEEDS = ["1946"]
# GPSCRAPE_CONTACT: the contact URL sent in the User-Agent.
GPSCRAPE_CONTACT = "https://github.com/gpscrape/gpscrape"
# GPSCRAPE_BACKFILL_URL_TEMPLATE: the article URL tried for each recordNo `{n}` in a backfill,
# relative to the base URL.
GPSCRAPE_BACKFILL_URL_TEMPLATE = "view_cir_articles.php?recordNo={n}"
# GPSCRAPE_RETRY_BACKOFF_BASE / _MAX: seconds before retry k is sent: base * 2**(k-1), at most
# MAX; a `Retry-After` header (seconds or HTTP date) wins, also capped at MAX.
GPSCRAPE_RETRY_BACKOFF_BASE = 1.0
GPSCRAPE_RETRY_BACKOFF_MAX = 60.0
# GPSCRAPE_OUTPUT: the output root where the Parquet tables are published, with the run
# reports under OUTPUT/runs/ (a command's `--output`, or `wacz --dataset`, wins).
GPSCRAPE_OUTPUT = "output"
# GPSCRAPE_WARC_ENABLED: archive every request and response as gzip WARC files under
# GPSCRAPE_WARC_DIR (default: GPSCRAPE_OUTPUT/warc; `--warc` of reextract and wacz wins); a
# file is rolled over once it reaches GPSCRAPE_WARC_MAX_BYTES.
GPSCRAPE_WARC_ENABLED = True
GPSCRAPE_WARC_DIR = ""
GPSCRAPE_WARC_MAX_BYTES = 100 * 1024 * 1024
# GPSCRAPE_REFETCH: article pages whose recordNo the dataset holds are `none`: not fetched
# again (incremental runs, the default); `all`: fetched again (--refresh); `revalidate`:
# fetched with If-None-Match / If-Modified-Since, a 304 keeping the stored row (--revalidate).
GPSCRAPE_REFETCH = "none"
# GPSCRAPE_PROBE_MISSES: a crawl probes recordNos above the highest known one until this many
# in a row are missing (0: no probing).
GPSCRAPE_PROBE_MISSES = 25
# GPSCRAPE_MAX_LISTING_PAGE: listing pages whose `page` number is above this are not requested
# (a site answering every `page=N+1` with a page linking the next would never end a crawl);
# the run summary and report count the pages left (0: no cap).
GPSCRAPE_MAX_LISTING_PAGE = 500
# GPSCRAPE_EXTRACT_WORKERS / _FROM: worker processes that read fetched pages into records and
# links (gpscrape/extract_worker.py), so that extraction runs on another core than the crawl's
# reactor; 0: every page is read in the crawl's own process. The workers start with the crawl;
# while they start, the crawl reads the first FROM pages itself, then pages wait for them (FROM
# 0: the crawl waits for them before its first request). A page a worker cannot take at once
# (too many waiting, or the workers behind) is read in-process.
GPSCRAPE_EXTRACT_WORKERS = 1
GPSCRAPE_EXTRACT_WORKERS_FROM = 20
# GPSCRAPE_QUEUE_IN_MEMORY: the newest requests waiting to be fetched that are kept in memory,
# on top of those waiting on disk (gpscrape/request_queue.py); 0: all wait on disk.
GPSCRAPE_QUEUE_IN_MEMORY = 1000

# Incremental runs: known article pages skipped (or revalidated), probes for new records.
SPIDER_MIDDLEWARES = {
    # A response's output passes on only once its WARC exchange is written (the first to see
    # it; gpscrape/archive/middleware.py).
    "gpscrape.archive.middleware.ArchiveGate": 990,
    "gpscrape.incremental.middleware.IncrementalMiddleware": 950,
    # Listing pages past GPSCRAPE_MAX_LISTING_PAGE are not requested.
    "gpscrape.listing_cap.ListingCapMiddleware": 940,
    # Off: every page's requests pass each spider middleware, and these do nothing the crawl
    # needs (the spider follows only its own short record and listing URLs, keeps no depth
    # limit, never copies a response's meta into a request). The Referer middleware stays:
    # without it Scrapy's redirect middlewares warn at every crawl's start.
    "scrapy.spidermiddlewares.urllength.UrlLengthMiddleware": None,
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
    "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,
}
# Counts, coverage and quarantine reasons for the run report (OUTPUT/runs/<run id>.json).
EXTENSIONS = {
    "gpscrape.run_report.extension.RunReportExtension": 500,
    # A progress bar on a terminal, a log line every 10 s otherwise (ETA for a backfill).
    "gpscrape.progress.ProgressExtension": 510,
    # The cyclic garbage collector tuned for throughput while the engine runs (gpscrape/garbage.py).
    "gpscrape.garbage.CrawlGarbageCollection": 520,
    # The heap's free memory given back to the OS every 2 s (gpscrape/heap.py).
    "gpscrape.garbage.HeapRelease": 530,
    # Off, as the telnet console is: Scrapy's remote control serves the running crawl's
    # Python to any local process holding its token, over an HTTP server it starts with the
    # engine, and writes that token to a job file in the user's home folder (which a killed
    # crawl leaves there).
    "scrapy.extensions.remote_control.RemoteControl": None,
}
# Run checks (gpscrape/run_report/; each also a command-line flag): quarantined pages at
# most, share of failed or broken pages at most, share of records with each field at least.
GPSCRAPE_MAX_QUARANTINED = 0
GPSCRAPE_MAX_ERROR_RATE = 0.05
GPSCRAPE_MIN_COVERAGE = {"title": 0.9, "published": 0.75, "topics": 0.9}
GPSCRAPE_COVERAGE_MIN_RECORDS = 20  # coverage is enforced on runs with at least this many
# GPSCRAPE_MAX_WARNED: share of the run's records carrying an extractor warning (the codes of
# gpscrape/extract/warnings.py), at most; like coverage, enforced from
# GPSCRAPE_COVERAGE_MIN_RECORDS records.
GPSCRAPE_MAX_WARNED = 0.05
# GPSCRAPE_HISTORY_RUNS / _MARGIN: a run also fails when the coverage of a field checked by
# GPSCRAPE_MIN_COVERAGE is more than MARGIN (a share, 0.1 = 10 points) below, or its warned
# share more than MARGIN above, the median of the last RUNS earlier runs of the same command
# that had at least GPSCRAPE_COVERAGE_MIN_RECORDS records (0 runs: no history checks).
GPSCRAPE_HISTORY_RUNS = 5
GPSCRAPE_HISTORY_MARGIN = 0.1

# normalise -> validate (or quarantine) -> Parquet tables under GPSCRAPE_OUTPUT (one row per
# key: the writer keeps the best fetch of each record). `gpscrape reextract` runs the same list.
ITEM_PIPELINES = {
    "pipelines.normalise.NormalisePipeline": 100,
    "pipelines.validate.ValidatePipeline": 200,
    "pipelines.parquet.ParquetPipeline": 900,
}

_own_names = tuple(name for name in dict(globals()) if name.startswith("GPSCRAPE_"))


def from_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """The gpscrape settings above that environment variables of the same names set (as text,
    read the way `-s NAME=VALUE` is)."""
    return {name: environ[name] for name in _own_names if name in environ}


# Every GPSCRAPE_* setting above: an environment variable of the same name wins over its
# default (read here, so `scrapy crawl` sees it too, and again by gpscrape/config.py).
globals().update(from_environment(os.environ))

USER_AGENT = f"gpscrape/{__version__} (+{GPSCRAPE_CONTACT})"

# --- politeness ------------------------------------------------------------------------
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_DELAY = 1.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# Measured: Scrapy's default of 100 costs about a third of the CPU per page.
CONCURRENT_ITEMS = 10

# --- robustness ------------------------------------------------------------------------
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
DOWNLOAD_TIMEOUT = 30
# Response size cap; it also bounds the decompressed size of compressed responses, fetched
# and replayed from the WARC archive (reextract, the recovery of a killed crawl).
DOWNLOAD_MAXSIZE = 5 * 1024 * 1024
DOWNLOAD_WARNSIZE = 1024 * 1024
# 404 reaches the spider, which counts the page as missing.
HTTPERROR_ALLOWED_CODES = [404]

DOWNLOADER_MIDDLEWARES = {
    # Retries wait (exponential backoff, or the server's Retry-After).
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "gpscrape.middlewares.BackoffRetryMiddleware": 550,
    # Redirects off the site or in a loop fail through the request's errback instead of being
    # dropped silently by OffsiteMiddleware or the dupefilter at scheduling time.
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "gpscrape.middlewares.SiteMetaRefreshMiddleware": 580,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "gpscrape.middlewares.SiteRedirectMiddleware": 600,
    # Every response as received (before decompression at 590) to OUTPUT/warc/.
    "gpscrape.archive.middleware.WarcMiddleware": 890,
    # Off: the site asks for no login (HTTP auth); cookies are off (COOKIES_ENABLED below).
    "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware": None,
}
# The site's pages are public and need no session: no cookie is kept or sent.
COOKIES_ENABLED = False
# Scrapy's per-request byte and status counts (`downloader/...` stats), which nothing here
# reads, off: they cost a request's full serialisation each (the run report counts pages).
DOWNLOADER_STATS = False

# CONCURRENT_REQUESTS held at most CONCURRENT_REQUESTS_PER_DOMAIN, which Scrapy's downloader
# alone does not keep with DOWNLOAD_DELAY 0 (see gpscrape/concurrency.py).
ADDONS = {"gpscrape.concurrency.SiteConcurrency": 0}

# Requests waiting to be fetched are kept on disk, in a folder of the run's own
# (gpscrape/request_queue.py); a full disk there stops the crawl as elsewhere. With that folder
# Scrapy's dupefilter is off (the spider requests each record and page once); a JOBDIR the
# user sets keeps it, for Scrapy's resume.
SCHEDULER_DISK_QUEUE = "gpscrape.request_queue.DiskQueue"

# Off by default, available with -s HTTPCACHE_ENABLED=True.
HTTPCACHE_ENABLED = False
HTTPCACHE_DIR = "httpcache"
HTTPCACHE_EXPIRATION_SECS = 0

FEED_EXPORT_ENCODING = "utf-8"
# Feeds (`-O items.jsonl`) write a page item as its record plus the fetch fields, one flat row
# (gpscrape/feeds.py), the shape `gpscrape extract` prints.
FEED_EXPORTERS = {
    "json": "gpscrape.feeds.JsonExporter",
    "jsonlines": "gpscrape.feeds.JsonLinesExporter",
    "jsonl": "gpscrape.feeds.JsonLinesExporter",
    "jl": "gpscrape.feeds.JsonLinesExporter",
    "csv": "gpscrape.feeds.CsvExporter",
    "xml": "gpscrape.feeds.XmlExporter",
    "marshal": "gpscrape.feeds.MarshalExporter",
    "pickle": "gpscrape.feeds.PickleExporter",
}
# REQUEST_FINGERPRINTER_IMPLEMENTATION is gone from Scrapy 2.19 (its only behaviour is the
# default), so it is not set; TWISTED_REACTOR keeps Scrapy's default (asyncio).
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"
# Scrapy's DEBUG lines for every response and item are not even built above DEBUG
# (gpscrape/log_formatter.py).
LOG_FORMATTER = "gpscrape.log_formatter.QuietLogFormatter"
