"""The WARC archive of a crawl: every request and response, as received, under `OUTPUT/warc/`.

    OUTPUT/warc/gpscrape-<run id>-<n>.warc.gz        closed files (ISO 28500, WARC/1.1)
    OUTPUT/warc/gpscrape-<run id>-<n>.warc.gz.open   the file being written
    OUTPUT/warc/gpscrape-<run id>-<n>.warc.gz.index.json   a closed file's member index (a
                                                     rebuild's cache, see `member_index`)

Each record is its own gzip member, flushed and fsynced with its exchange, so a crash loses
at most the exchange being written. Readers stop at a torn last member and drop it; the next
writer seals files a killed run left open (torn tail cut, `.open` suffix removed).
"""

from gpscrape.archive.reader import ArchivedResponse, iter_responses, read_response, warc_files
from gpscrape.archive.writer import WarcWriter, seal_open_files

__all__ = [
    "ArchivedResponse",
    "WarcWriter",
    "iter_responses",
    "read_response",
    "seal_open_files",
    "warc_files",
]
