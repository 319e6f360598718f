"""Item pipelines, one job each: normalise -> validate (or quarantine) -> dedupe -> Parquet.

Each step is a plain function plus a small Scrapy component built with `from_crawler`;
`pipelines.chain.process` runs the same steps without Scrapy (e.g. rebuilding from archives).
"""
