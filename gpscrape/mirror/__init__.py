"""A local, generated globalpolitics.in for tests, the demo and benchmarks. The crawl, the
extractor and the pipelines never import it; only the `demo` and `mirror` commands do.

API (stable; spiders and tests code against it)::

    from gpscrape.mirror import FaultPlan, MirrorServer, MirrorSite

    site = MirrorSite.generate(records=2000, seed=0, index_pages=True, missing_rate=0.03,
                               disallow=("/admin/",), styles=("legacy", "pipe", "modern"))
                                      # styles may add the opt-in "font"; CWA pages use "cwa"
    site.record_nos()                 # existing recordNos, ascending (from 150; gaps answer 404)
    site.missing_record_nos()         # recordNos inside the range that answer 404
    site.article_targets(n)           # root-relative URLs linked for record n; [0] is canonical
    site.article_urls(n, base_url)    # the same, absolute
    site.expected_europe(base_url)    # the listing-only record of the /europe/ landing
    site.expected(n, base_url, url=None)  # the PageRecord the extractor must produce for `url`
                                      # (default canonical); only `url`/`series_raw` vary by URL
    site.add_records(k)               # append k records; returns their recordNos
    site.respond("/path?query", base_url) -> Page(status, body, content_type, record_no, ...)
    site.render(n, base_url, label=None)  # one article's HTML

    with MirrorServer(site, port=0, latency=0.0, faults=FaultPlan(...)) as srv:
        srv.base_url                  # "http://127.0.0.1:PORT/"
        srv.article_urls(n); srv.expected(n); srv.url("/robots.txt")
        srv.requests                  # [RequestRecord(method, target, status, time, record_no,
                                      #   fault, conditional, user_agent)]
        srv.article_requests()        # [(record_no, absolute url)] of article-script requests
        srv.count(status=None); srv.clear_log(); srv.faulty_records()

The site (see docs of each module):
- Article scripts: `/view_cir_articles.php`, `/TWTW_view_articles.php`, `/africa/africa-weekly.php`,
  `/europe/view_em_comments.php`, with `url=<label>&recordNo=N` and, on some records (all CWA
  Commentary ones), `ArticleNo=<CWA #>`; any order, `+` or `%20`, the STIR label's raw `&`.
  Every article script serves every existing recordNo; the label line echoes the request's
  `url=` value (the canonical label when absent). Unknown recordNos and paths answer 404.
- Each record is linked under one or two URLs (`article_targets`); all of them carry `ArticleNo`
  or none does, so every field but `url`/`series_raw` is the same whichever URL is fetched.
- Every article has a PREVIOUS COMMENTS sidebar (30-45 entries where the site has that many,
  `Month YYYY | CWA # N`, author or `Name | bio`, title cut at its colon) linking the next
  record, the previous one and earlier ones, so from any article every record is reachable.
  Links are root-relative or absolute (`base_url`, standing in for the site's mixed `http://`
  links).
- Pages weigh what the real site's do (mean about 43 KB): an inline style sheet, analytics and
  menu scripts, a top menu with drop-downs and its hidden mobile copy, a footer (`chrome.py`).
- Markup styles: `legacy` (divs, `<p><strong>` headings, label printed twice, `&nbsp;` byline),
  `pipe` (table rows, byline cell, one `<td>` of `<br>`-separated paragraphs, `<b>` headings),
  `modern` (`<article>`, `<h3>`), `cwa` (the CWA Commentary template), opt-in `font`.
  Each record has one style, whatever URL serves it.
- `index_pages=True`: `/` (latest 20 and one archive link per series), `/archive.php?series=KEY
  &page=P` (50 per page, newest first, `Older` link) and `/europe/` (the Europe Monitor listing).
  `index_pages=False`: those answer 404 and the menu links are `#`; discovery relies on seeds
  and PREVIOUS COMMENTS.
- `/robots.txt`: `User-agent: *` and one `Disallow:` per `disallow` path.
- Article pages carry `ETag` and `Last-Modified`; `If-None-Match` / `If-Modified-Since` get 304.
  `Last-Modified` is a logical clock: 2026-02-01 plus one hour per `add_records` that changed
  the page (new records, and the previous newest record whose sidebar gains a link).
- Faults (`FaultPlan`) apply to article pages only, chosen per recordNo from the plan's seed;
  transient kinds (500, 503 and 429 with `Retry-After`, reset, truncate, slow) hit the first
  `attempts` requests of each URL unless `permanent`; redirect_loop (A -> /moved.php?to=A -> A),
  offsite (302 to `offsite_url`) and broken (200 without an article) hit every request.
  `FaultPlan(endless_listing=True)`: every series archive goes on forever past its last page
  (empty pages, each linking `page=N+1`).
- `gpscrape mirror --help` serves or dumps a site from the command line.
"""

from gpscrape.mirror.faults import KINDS as FAULT_KINDS
from gpscrape.mirror.faults import TRANSIENT_KINDS, FaultPlan
from gpscrape.mirror.server import MirrorServer, RequestRecord
from gpscrape.mirror.site import MirrorSite, Page

__all__ = [
    "FAULT_KINDS",
    "TRANSIENT_KINDS",
    "FaultPlan",
    "MirrorServer",
    "MirrorSite",
    "Page",
    "RequestRecord",
]
