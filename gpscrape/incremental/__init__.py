"""Incremental runs: what the dataset already holds, skipping or revalidating known article
pages, probing above the highest recordNo for new ones, and resuming a killed crawl from its
WARC archive."""
