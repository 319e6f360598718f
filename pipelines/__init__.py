"""Item pipelines, one job each: normalise -> validate (or quarantine) -> Parquet.

Each step is a small Scrapy component built with `from_crawler`; their order is the
`ITEM_PIPELINES` setting alone, which `pipelines.chain.process` also follows without Scrapy
(e.g. rebuilding from archives). The Parquet writer keeps one row per key (see
`gpscrape.dataset.writer`), so no separate dedupe step is needed.
"""
