"""The local mirror: generation, URL scheme, reachability, server, faults, conditional requests."""

from __future__ import annotations

import difflib
import http.client
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import deque
from email.utils import format_datetime
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from gpscrape.mirror import FaultPlan, MirrorServer, MirrorSite
from gpscrape.mirror.faults import KINDS, TRANSIENT_KINDS
from gpscrape.mirror.urls import STIR_LABEL, parse_target

BASE = "http://127.0.0.1/"
TEAMS = ("GP Team", "IPRI Team", "NIAS Africa Team", "STIR Team", "Global Politics Team")


class _Hrefs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href and not href.startswith("#"):
            self.hrefs.append(href)


def hrefs(body: bytes) -> list[str]:
    parser = _Hrefs()
    parser.feed(body.decode("utf-8"))
    return parser.hrefs


def target_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def crawl(site: MirrorSite, starts: list[str]) -> set[int]:
    """Follow every same-site link from `starts` (root-relative targets); return recordNos seen."""
    seen_targets, records = set(starts), set()
    queue = deque(starts)
    while queue:
        target = queue.popleft()
        page = site.respond(target, BASE)
        if page.status != 200:
            continue
        if page.record_no is not None:
            records.add(page.record_no)
        for href in hrefs(page.body):
            url = urljoin(BASE.rstrip("/") + target, href)
            if not url.startswith(BASE):
                continue
            nxt = target_of(url)
            if nxt not in seen_targets:
                seen_targets.add(nxt)
                queue.append(nxt)
    return records


@pytest.fixture(scope="module")
def site() -> MirrorSite:
    return MirrorSite.generate(records=60, seed=7)


# --- generation --------------------------------------------------------------------------------

def test_same_seed_gives_byte_identical_pages_and_other_seeds_differ() -> None:
    one, two = MirrorSite.generate(records=40, seed=3), MirrorSite.generate(records=40, seed=3)
    assert one.record_nos() == two.record_nos()
    for number in one.record_nos():
        for target in one.article_targets(number):
            assert one.respond(target).body == two.respond(target).body
        assert one.expected(number) == two.expected(number)
    other = MirrorSite.generate(records=40, seed=4)
    first = one.record_nos()[0]
    assert other.render(first) != one.render(first)


def test_record_numbers_start_at_150_with_404_gaps() -> None:
    site = MirrorSite.generate(records=50, seed=2, missing_rate=0.2)
    numbers, missing = site.record_nos(), site.missing_record_nos()
    assert len(numbers) == 50 and numbers[0] >= 150 and numbers == sorted(numbers)
    assert missing and not set(missing) & set(numbers)
    assert min(numbers + missing) == 150
    for number in missing:
        assert site.respond(f"/view_cir_articles.php?url=X&recordNo={number}").status == 404
    assert site.respond(f"/view_cir_articles.php?recordNo={numbers[-1] + 100}").status == 404
    assert site.respond("/view_cir_articles.php?url=X&recordNo=abc").status == 404
    assert site.respond("/no-such-page.php").status == 404


def test_generation_is_fast_and_dates_rise_over_the_real_span() -> None:
    started = time.perf_counter()
    big = MirrorSite.generate(records=2000, seed=0)
    assert time.perf_counter() - started < 5
    days = [big.entry(n).day for n in big.record_nos()]
    assert days[0].isoformat() < "2019-01-01" and days[-1].isoformat() >= "2026-01-01"
    assert all(b >= a for a, b in zip(days[::50], days[50::50], strict=False))
    cwa = [big.entry(n).cwa for n in big.record_nos()]
    assert cwa == sorted(set(cwa)) and cwa[0] < big.record_nos()[0]
    assert {big.entry(n).series for n in big.record_nos()} == {
        "twtw", "cw", "africa", "stir", "em", "es", "cwa", "interview"}
    assert {big.entry(n).style for n in big.record_nos()} == {"legacy", "pipe", "modern", "cwa"}


@pytest.mark.long
def test_twenty_thousand_records_generate_quickly_and_serve_lazily() -> None:
    started = time.perf_counter()
    huge = MirrorSite.generate(records=20_000, seed=1)
    assert time.perf_counter() - started < 10
    numbers = huge.record_nos()
    assert len(numbers) == 20_000
    for number in numbers[::97]:
        page = huge.respond(huge.article_targets(number)[0])
        assert page.status == 200 and page.record_no == number


def test_expected_records_follow_the_contract(site: MirrorSite) -> None:
    numbers = set(site.record_nos())
    for number in site.record_nos():
        record = site.expected(number)
        assert record.record_no == number and record.url == site.article_urls(number, BASE)[0]
        assert not any(name in TEAMS for name in record.authors)
        assert len(record.authors) == len(set(record.authors))
        texts = [text for t in record.topics
                 for text in [t.standfirst, *(s.text for s in t.sections)] if text]
        assert record.body_text == "\n\n".join(texts) and record.body_text
        assert all(s.kind in {"what_happened", "background", "what_it_means", "in_the_news",
                              "issues_at_large", "in_perspective", "other"}
                   for t in record.topics for s in t.sections)
        assert 30 <= len(record.listing) <= 45
        for entry in record.listing:
            assert entry.record_no in numbers and entry.record_no != number
            assert entry.url is not None and f"recordNo={entry.record_no}" in entry.url
            assert entry.month is not None and entry.month.day == 1
        html = site.render(number)
        assert escape(record.title or "", quote=False) in html
        assert "PREVIOUS COMMENTS" in html and "<script>" in html and "Photo Source:" in html
        assert "National Institute of Advanced Studies (NIAS)" in html


def test_issue_numbers_and_dates_are_printed_in_the_page(site: MirrorSite) -> None:
    for number in site.record_nos():
        record, html = site.expected(number), site.render(number)
        if record.issue_line_raw:
            assert escape(record.issue_line_raw, quote=False) in html
        if record.published_raw:
            assert record.published_raw in html
        for topic in record.topics:
            for section in topic.sections:
                first = section.text.split("\n\n")[0]
                assert escape(first, quote=False) in html


def test_a_full_size_mirror_exercises_the_site_notes_variants() -> None:
    big = MirrorSite.generate(records=2000, seed=0)
    records = [big.expected(n) for n in big.record_nos()]
    targets = [t for n in big.record_nos() for t in big.article_targets(n)]
    found = {
        "triple issue": any(len(r.issue_numbers) == 3 for r in records),
        "double issue": any(len(r.issue_numbers) == 2 for r in records),
        "IPRI counter line": any(r.series == "Conflict Weekly" and r.issue_line_raw is None
                                 and r.issue_numbers for r in records),
        "undated TWTW": any(r.series == "The World This Week" and r.published is None
                            for r in records),
        "date with comma": any(r.published_raw and "," in r.published_raw for r in records),
        "STIR trailing period": any(r.series == "STIR" and (r.issue_line_raw or "").endswith(".")
                                    for r in records),
        "topic standfirst": any(t.standfirst for r in records for t in r.topics),
        "interview": any(r.series is None and r.series_raw for r in records),
        "about the author": any(r.about_author for r in records),
        "spelling variant": any(a not in r.authors for r in records for t in r.topics
                                for a in t.authors),
        "empty photo source": any(r.photo_source is None for r in records),
        "CWA number": any(r.cwa_no for r in records),
        "State of Global Politics label": any("State%20of%20Global" in t for t in targets),
        "ArticleNo in URL": any("ArticleNo=" in t for t in targets),
        "plus for spaces": any("+" in t for t in targets),
        "parameters reordered": any(t.split("?")[1].startswith("recordNo") for t in targets),
        "STIR raw ampersand": any("%20&%20" in t for t in targets),
    }
    assert [name for name, seen in found.items() if not seen] == []
    glued = [r for r in records if r.issue_line_raw and r.record_no is not None
             and f"{escape(r.issue_line_raw, quote=False)} An initiative" in big.render(r.record_no)]
    assert glued and all("initiative" not in (r.issue_line_raw or "") for r in glued)


# --- URL scheme ----------------------------------------------------------------------------------

def test_same_record_via_two_scripts_differs_only_in_the_label_line() -> None:
    site = MirrorSite.generate(records=80, seed=11)
    checked = 0
    for number in site.record_nos():
        targets = site.article_targets(number)
        if len(targets) < 2:
            continue
        labels = [parse_target(t).params["url"] for t in targets[:2]]
        pages = [site.respond(t).body.decode().splitlines() for t in targets[:2]]
        diff = [line for line in difflib.unified_diff(*pages, lineterm="", n=0)
                if line[:1] in "+-" and not line.startswith(("+++", "---"))]
        for line in diff:
            label = labels[0] if line.startswith("-") else labels[1]
            assert escape(label, quote=False) in line
        one, two = (site.expected(number, BASE, site.article_urls(number, BASE)[i])
                    for i in range(2))
        assert (one.series_raw, two.series_raw) == tuple(labels)
        one.url = two.url = one.series_raw = two.series_raw = ""
        assert one == two
        checked += 1
    assert checked >= 10


def test_parameters_in_any_order_with_plus_or_percent_spaces(site: MirrorSite) -> None:
    number = site.record_nos()[5]
    forms = [
        f"/view_cir_articles.php?url=Conflict%20Weekly&recordNo={number}",
        f"/view_cir_articles.php?recordNo={number}&url=Conflict+Weekly",
        f"/TWTW_view_articles.php?ArticleNo=9&recordNo={number}&url=Conflict+Weekly",
        f"/europe/view_em_comments.php?url=Conflict%20Weekly&ArticleNo=9&recordNo={number}",
    ]
    pages = [site.respond(form) for form in forms]
    assert all(p.status == 200 and p.record_no == number for p in pages)
    assert len({p.body for p in pages}) == 1
    assert "Conflict Weekly" in pages[0].body.decode()


def test_unescaped_ampersand_in_the_stir_label_still_resolves(site: MirrorSite) -> None:
    number = site.record_nos()[3]
    raw = ("/view_cir_articles.php?url=NIAS%20Fortnightly%20on%20Science,%20Technology%20"
           f"&%20International%20Relations&recordNo={number}")
    parsed = parse_target(raw)
    assert parsed.record_no == number and parsed.params["url"] == STIR_LABEL
    assert parse_target(f"/view_cir_articles.php?recordNo={number}&utm=x&url=A+B").params == {
        "recordNo": str(number), "url": "A B"}
    page = site.respond(raw)
    assert page.status == 200 and page.record_no == number
    assert escape(STIR_LABEL, quote=False) in page.body.decode()


def test_stir_records_link_the_raw_ampersand_form() -> None:
    big = MirrorSite.generate(records=600, seed=5)
    stir = [n for n in big.record_nos() if big.entry(n).series == "stir"]
    assert stir
    target = big.article_targets(stir[0])[0]
    assert "Technology%20&%20International" in target
    assert big.expected(stir[0]).series == "STIR"
    assert big.expected(stir[0]).series_raw == STIR_LABEL


def test_robots_txt_default_and_configured() -> None:
    assert MirrorSite.generate(records=5).respond("/robots.txt").body == (
        b"User-agent: *\nDisallow: /admin/\n")
    custom = MirrorSite.generate(records=5, disallow=["/private/", "/europe/"])
    assert custom.robots_txt().splitlines()[1:] == ["Disallow: /private/", "Disallow: /europe/"]


# --- reachability ------------------------------------------------------------------------------

def test_every_record_is_reachable_from_the_home_page(site: MirrorSite) -> None:
    assert crawl(site, ["/"]) == set(site.record_nos())


def test_without_index_pages_links_alone_reach_every_record() -> None:
    site = MirrorSite.generate(records=60, seed=8, index_pages=False)
    assert site.respond("/").status == 404 and site.respond("/europe/").status == 404
    numbers = site.record_nos()
    for seed_no in (numbers[0], numbers[len(numbers) // 2], numbers[-1]):
        assert crawl(site, [site.article_targets(seed_no)[0]]) == set(numbers)


def test_added_records_become_reachable_and_change_only_the_old_newest_page() -> None:
    site = MirrorSite.generate(records=30, seed=9, index_pages=False)
    before = {n: site.render(n) for n in site.record_nos()}
    newest = site.record_nos()[-1]
    added = site.add_records(5)
    assert len(added) == 5 and added[0] > newest and site.record_nos()[-5:] == added
    changed = [n for n, html in before.items() if site.render(n) != html]
    assert changed == [newest]
    assert set(added) <= crawl(site, [site.article_targets(site.record_nos()[0])[0]])
    assert site.last_modified(newest) > site.last_modified(site.record_nos()[0])
    assert added[0] in {e.record_no for e in site.expected(newest).listing}


# --- against the extractor ---------------------------------------------------------------------

def assert_extracts_as_expected(site: MirrorSite) -> None:
    from gpscrape.extract import extract_page

    mismatches = []
    for number in site.record_nos():
        for url, target in zip(site.article_urls(number, BASE), site.article_targets(number),
                               strict=True):
            got = extract_page(site.respond(target, BASE).body, url).to_dict()
            want = site.expected(number, BASE, url).to_dict()
            mismatches += [(number, site.entry(number).style, key) for key in want
                           if got.get(key) != want[key]]
    assert mismatches == []


def test_extractor_reads_every_page_of_a_small_mirror_as_expected(site: MirrorSite) -> None:
    assert_extracts_as_expected(site)


def test_extractor_reads_the_opt_in_font_style_as_expected() -> None:
    site = MirrorSite.generate(records=40, seed=21, styles=("font",))
    assert {site.entry(n).style for n in site.record_nos()} <= {"font", "cwa"}
    fonts = [n for n in site.record_nos() if site.entry(n).style == "font"]
    assert fonts and "<FONT FACE=" in site.render(fonts[0])
    assert_extracts_as_expected(site)
    with pytest.raises(ValueError):
        MirrorSite.generate(records=5, styles=("fancy",))


def test_extractor_reads_the_europe_landing_as_a_listing() -> None:
    from gpscrape.extract import extract_page

    site = MirrorSite.generate(records=300, seed=2)
    got = extract_page(site.respond("/europe/", BASE).body, BASE + "europe/")
    want = site.expected_europe(BASE)
    assert want.listing and got == want


@pytest.mark.long
@pytest.mark.parametrize("seed", range(5))
def test_extractor_reads_large_mirrors_as_expected(seed: int) -> None:
    assert_extracts_as_expected(MirrorSite.generate(records=600, seed=100 + seed))


# --- server ------------------------------------------------------------------------------------

def fetch(url: str, headers: dict[str, str] | None = None, timeout: float = 5.0
          ) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        conn.request("GET", target_of(url), headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def test_server_serves_pages_and_logs_requests(site: MirrorSite) -> None:
    with MirrorServer(site) as srv:
        assert srv.base_url.startswith("http://127.0.0.1:")
        numbers = site.record_nos()[:5]
        for number in numbers:
            status, headers, body = fetch(srv.article_urls(number)[0])
            assert status == 200 and headers["Content-Type"].startswith("text/html")
            assert body.decode() == site.render(number, srv.base_url)
        assert fetch(srv.url("/robots.txt"))[0] == 200
        assert fetch(srv.url(f"/view_cir_articles.php?recordNo={numbers[-1] + 10**6}"))[0] == 404
        log = srv.requests
        assert len(log) == 7 == srv.count() and srv.count(404) == 1
        assert [r.status for r in log] == [200] * 6 + [404]
        assert srv.article_requests()[:5] == [(n, srv.article_urls(n)[0]) for n in numbers]
        assert srv.expected(numbers[0]).url == srv.article_urls(numbers[0])[0]


def test_server_handles_many_parallel_requests_quickly(site: MirrorSite) -> None:
    from concurrent.futures import ThreadPoolExecutor

    urls = [u for n in site.record_nos() for u in site.article_urls(n)] * 3
    with MirrorServer(site) as srv, ThreadPoolExecutor(8) as pool:
        started = time.perf_counter()
        statuses = list(pool.map(lambda u: fetch(srv.url(target_of(u)))[0], urls))
        elapsed = time.perf_counter() - started
    assert statuses == [200] * len(urls) and srv.count() == len(urls)
    assert elapsed < 10


def test_etag_and_last_modified_answer_conditional_requests(site: MirrorSite) -> None:
    with MirrorServer(site) as srv:
        url = srv.article_urls(site.record_nos()[2])[0]
        status, headers, _ = fetch(url)
        etag, modified = headers["ETag"], headers["Last-Modified"]
        assert fetch(url, {"If-None-Match": etag, "User-Agent": "probe"})[0] == 304
        assert [(r.conditional, r.status) for r in srv.requests] == [(False, 200), (True, 304)]
        assert srv.requests[-1].user_agent == "probe"
        assert fetch(url, {"If-None-Match": '"other"'})[0] == 200
        assert fetch(url, {"If-Modified-Since": modified})[0] == 304
        earlier = format_datetime(site.last_modified(site.record_nos()[2]).replace(year=2025),
                                  usegmt=True)
        assert fetch(url, {"If-Modified-Since": earlier})[0] == 200
        assert "ETag" not in fetch(srv.url("/robots.txt"))[1]


def test_added_records_change_validators_only_where_pages_changed() -> None:
    site = MirrorSite.generate(records=20, seed=13)
    oldest, newest = site.record_nos()[0], site.record_nos()[-1]
    with MirrorServer(site) as srv:
        before = {n: fetch(srv.article_urls(n)[0])[1] for n in (oldest, newest)}
        added = site.add_records(3)
        for number, headers in before.items():
            status, now, _ = fetch(srv.article_urls(number)[0], {"If-None-Match": headers["ETag"]})
            assert status == (200 if number == newest else 304)
            status, _, _ = fetch(srv.article_urls(number)[0],
                                 {"If-Modified-Since": headers["Last-Modified"]})
            assert status == (200 if number == newest else 304)
        assert fetch(srv.article_urls(added[-1])[0])[0] == 200


def test_head_requests_get_headers_only(site: MirrorSite) -> None:
    with MirrorServer(site) as srv:
        url = srv.article_urls(site.record_nos()[0])[0]
        conn = http.client.HTTPConnection("127.0.0.1", urlsplit(url).port, timeout=5)
        conn.request("HEAD", target_of(url))
        response = conn.getresponse()
        assert response.status == 200 and response.read() == b""
        assert int(response.getheader("Content-Length")) == len(fetch(url)[2])
        conn.close()
        assert [r.method for r in srv.requests] == ["HEAD", "GET"]


def test_latency_is_added_to_each_response() -> None:
    site = MirrorSite.generate(records=5, seed=1)
    with MirrorServer(site, latency=0.2) as srv:
        started = time.perf_counter()
        fetch(srv.article_urls(site.record_nos()[0])[0])
        assert time.perf_counter() - started >= 0.2


# --- faults ------------------------------------------------------------------------------------

def only(kind: str, **options: object) -> FaultPlan:
    return FaultPlan(rates={kind: 1.0}, **options)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def small() -> MirrorSite:
    return MirrorSite.generate(records=10, seed=12)


@pytest.mark.parametrize("kind", ["500", "503", "429"])
def test_http_error_faults_recover_on_retry(small: MirrorSite, kind: str) -> None:
    with MirrorServer(small, faults=only(kind)) as srv:
        url = srv.article_urls(small.record_nos()[0])[0]
        status, headers, _ = fetch(url)
        assert status == int(kind)
        assert ("Retry-After" in headers) == (kind != "500")
        assert fetch(url)[0] == 200
        assert [r.fault for r in srv.requests] == [kind, None]


def test_connection_reset_then_recovery(small: MirrorSite) -> None:
    with MirrorServer(small, faults=only("reset")) as srv:
        url = srv.article_urls(small.record_nos()[0])[0]
        with pytest.raises((ConnectionError, http.client.HTTPException)):
            fetch(url)
        assert fetch(url)[0] == 200
        assert srv.requests[0].status is None


def test_truncated_body_then_recovery(small: MirrorSite) -> None:
    with MirrorServer(small, faults=only("truncate")) as srv:
        url = srv.article_urls(small.record_nos()[0])[0]
        with pytest.raises(http.client.IncompleteRead):
            fetch(url)
        assert fetch(url)[2].endswith(b"</html>\n")


def test_slow_response_times_out_then_recovers(small: MirrorSite) -> None:
    with MirrorServer(small, faults=only("slow", slow_seconds=1.0)) as srv:
        url = srv.article_urls(small.record_nos()[0])[0]
        with pytest.raises(TimeoutError):
            fetch(url, timeout=0.3)
        assert fetch(url, timeout=0.9)[0] == 200


def test_redirect_loop_goes_back_and_forth(small: MirrorSite) -> None:
    with MirrorServer(small, faults=only("redirect_loop")) as srv:
        url = srv.article_urls(small.record_nos()[0])[0]
        for _ in range(3):
            status, headers, _ = fetch(url)
            assert status == 302
            middle = headers["Location"]
            status, headers, _ = fetch(middle)
            assert status == 302 and headers["Location"] == url
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(url, timeout=5)


def test_offsite_redirect(small: MirrorSite) -> None:
    plan = only("offsite", offsite_url="http://127.0.0.2:9/moved")
    with MirrorServer(small, faults=plan) as srv:
        number = small.record_nos()[0]
        status, headers, _ = fetch(srv.article_urls(number)[0])
        assert status == 302 and headers["Location"] == f"http://127.0.0.2:9/moved?recordNo={number}"


def test_broken_layout_is_a_200_without_the_article(small: MirrorSite) -> None:
    with MirrorServer(small, faults=only("broken")) as srv:
        number = small.record_nos()[0]
        status, _, body = fetch(srv.article_urls(number)[0])
        assert status == 200 and b"<script>" in body
        assert small.expected(number).title not in body.decode()
        assert b"class=\"sidebar\"" not in body and b"Photo Source" not in body


def test_attempts_and_permanent_faults(small: MirrorSite) -> None:
    first, second = small.record_nos()[:2]
    with MirrorServer(small, faults=only("500", attempts=2)) as srv:
        url = srv.article_urls(first)[0]
        assert [fetch(url)[0] for _ in range(3)] == [500, 500, 200]
    with MirrorServer(small, faults=only("503", permanent=True)) as srv:
        url = srv.article_urls(first)[0]
        assert [fetch(url)[0] for _ in range(3)] == [503, 503, 503]
    with MirrorServer(small, faults=only("429", permanent={second})) as srv:
        assert [fetch(srv.article_urls(first)[0])[0] for _ in range(2)] == [429, 200]
        assert [fetch(srv.article_urls(second)[0])[0] for _ in range(2)] == [429, 429]


def test_fault_choice_is_deterministic_and_spares_other_pages() -> None:
    site = MirrorSite.generate(records=200, seed=1)
    plan = FaultPlan.uniform(0.3, seed=5)
    chosen = plan.faulty(site.record_nos())
    assert chosen == FaultPlan.uniform(0.3, seed=5).faulty(site.record_nos())
    assert chosen != FaultPlan.uniform(0.3, seed=6).faulty(site.record_nos())
    assert 30 < len(chosen) < 90 and set(chosen.values()) <= set(KINDS)
    assert set(TRANSIENT_KINDS) < set(KINDS)
    with MirrorServer(site, faults=FaultPlan(rates={"500": 1.0})) as srv:
        assert fetch(srv.url("/robots.txt"))[0] == 200 and fetch(srv.url("/"))[0] == 200
    with pytest.raises(ValueError):
        FaultPlan(rates={"teapot": 0.1})
    with pytest.raises(ValueError):
        FaultPlan(rates={"500": 0.7, "503": 0.7})


# --- command line ------------------------------------------------------------------------------

def test_mirror_command_serves_until_sigterm() -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "gpscrape", "mirror", "--records", "20", "--disallow", "/x/"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        assert process.stdout is not None
        base = process.stdout.readline().decode().strip()
        assert base.startswith("http://127.0.0.1:")
        assert fetch(base + "robots.txt")[2] == b"User-agent: *\nDisallow: /x/\n"
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0


def test_mirror_command_rejects_bad_options(capsys: pytest.CaptureFixture[str]) -> None:
    from gpscrape.cli import main

    assert main(["mirror", "--fault-rate", "0.1", "--faults", "teapot"]) == 2
    assert main(["mirror", "--fault-rate", "0.1", "--faults", ","]) == 2
    assert main(["mirror", "--records", "0"]) == 2
    assert "teapot" in capsys.readouterr().err


def test_mirror_command_dump(tmp_path: Path) -> None:
    from gpscrape.cli import main

    assert main(["mirror", "--records", "12", "--seed", "3", "--dump", str(tmp_path)]) == 0
    expected = sorted(tmp_path.glob("expected/*.json"))
    site = MirrorSite.generate(records=12, seed=3)
    assert [int(p.stem) for p in expected] == site.record_nos()
    record = json.loads(expected[0].read_text(encoding="utf-8"))
    assert record["record_no"] == site.record_nos()[0]
    rows = (tmp_path / "index.tsv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == len(list((tmp_path / "pages").iterdir()))
    assert all(row.split("\t")[2] == "200" for row in rows)
