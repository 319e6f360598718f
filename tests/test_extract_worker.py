"""Extraction in worker processes (`GPSCRAPE_EXTRACT_WORKERS`): a worker judges a page as the
crawl's own process does, a worker that dies costs the pages it held (quarantined, with the
reason) but never the crawl, and no worker outlives its crawl, even one killed by SIGKILL."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from run_command import ROOT, crawl_argv, crawl_settings, gpscrape, newest_report, output_of
from scrapy import Request
from scrapy.http import HtmlResponse, Response, TextResponse, XmlResponse
from scrapy.utils.test import get_crawler

from gpscrape import exit_codes
from gpscrape.commands.fixtures import load_cases
from gpscrape.content_version import version_of
from gpscrape.extract import EXTRACTOR_VERSION, extract_page
from gpscrape.extract.response import link_urls
from gpscrape.extract_pool import ExtractPool, WorkerDied, job_of
from gpscrape.extract_worker import (
    checked_verdict,
    decode_job,
    decode_judged,
    encode_job,
    encode_judged,
    judge_job,
)
from gpscrape.items import PageItem
from gpscrape.mirror import MirrorServer, MirrorSite
from gpscrape.outcome import QUARANTINED, Verdict, judge_page, judge_response
from gpscrape.spiders.gp import GpSpider
from pipelines.normalise import normalise_record
from pipelines.validate import validate_item

CASES = load_cases(Path(__file__).parent / "fixtures" / "pages")
URL = "http://127.0.0.1:8000/view_cir_articles.php?recordNo=7"
DEADLINE = 30.0


def _in_process(response: Response) -> tuple:
    """What the crawl's own process makes of `response`: the verdict, with its record as the
    normalise pipeline leaves it, and the URLs the spider follows."""
    if isinstance(response, TextResponse):
        verdict, hrefs = judge_response(response)
    else:
        verdict, hrefs = judge_page(response.body, response.url), []
    links = link_urls(response.url, hrefs, verdict.record)
    if verdict.record is not None:
        verdict = Verdict(verdict.name, verdict.reason, normalise_record(verdict.record))
    return verdict, links


def _valid(verdict: Verdict, digest: str) -> bool:
    """Whether the validate pipeline passes the verdict's record's item as it is."""
    if verdict.record is None:
        return False
    item = PageItem(verdict.record, datetime.now(UTC), digest, EXTRACTOR_VERSION)
    return validate_item(item) is item


def _responses() -> list[Response]:
    """Every fixture page under each charset a server may claim, and the odd kinds."""
    responses: list[Response] = []
    for case in CASES:
        body = case.page_path.read_bytes()
        for charset in (None, "utf-8", "iso-8859-1"):
            headers = {"Content-Type": f"text/html; charset={charset}"} if charset else {}
            responses.append(HtmlResponse(case.url, body=body, headers=headers))
    article = CASES[0].page_path.read_bytes()
    responses += [
        XmlResponse(URL, body=b"<?xml version='1.0'?><r><a href='/x'>x</a></r>"),
        TextResponse(URL, body=article, headers={"Content-Type": "text/plain"}),
        HtmlResponse(URL, body=article, encoding="cp1252"),
        HtmlResponse(URL, body=b"\x00\x01 no markup at all"),
        HtmlResponse(URL, body=b"<html><body><a href='/a'>index</a></body></html>"),
        Response(URL, body=article),
    ]
    return responses


def test_a_worker_judges_every_page_as_the_crawl_process_does() -> None:
    checks = 0
    for response in _responses():
        verdict, links, digest, version = judge_job(job_of(response, None))
        assert (verdict, links) == _in_process(response), response
        assert digest == hashlib.sha256(response.body).hexdigest()
        assert (version is not None) == _valid(verdict, digest), response
        if version is not None:  # the version the dataset's history would hash
            assert version == version_of(verdict.record)
            checks += 1
    assert checks >= len(CASES)  # the fixture pages' records are checked, under any charset


def test_a_record_that_breaks_the_contract_comes_back_unchecked_for_the_pipelines() -> None:
    records = (extract_page(case.page_path.read_bytes(), case.url) for case in CASES)
    record = replace(next(r for r in records if r.title), title="  A  title ")
    broken = Verdict("record", record=replace(record, title=None, topics=[], listing=[]))
    assert checked_verdict(broken, "0" * 64) == (broken, None)
    verdict, version = checked_verdict(Verdict("record", record=record), "0" * 64)
    assert verdict.record == normalise_record(record) != record
    assert version == version_of(verdict.record) != version_of(record)
    assert verdict.record.title == "A title"


def _first_sent(judged: list[tuple]) -> list[tuple]:
    """`(verdict, links)` of pages judged in turn by one worker: each link with its first
    page only."""
    sent: set[str] = set()
    answers = []
    for verdict, links in judged:
        answers.append((verdict, [url for url in links if url not in sent]))
        sent.update(links)
    return answers


async def _ready(pool: ExtractPool) -> None:
    deadline = time.monotonic() + DEADLINE
    while not pool.ready:
        assert time.monotonic() < deadline, "no extraction worker became ready"
        await asyncio.sleep(0.02)


def test_a_pool_answers_in_order_and_a_dead_worker_fails_only_its_pages() -> None:
    responses = [HtmlResponse(case.url, body=case.page_path.read_bytes()) for case in CASES[:6]]

    async def scenario() -> None:
        pool = ExtractPool(1)
        pool.launch()
        try:
            await _ready(pool)
            judged = await asyncio.gather(*(pool.judge(r, None) for r in responses))
            assert [j[:2] for j in judged] == _first_sent([_in_process(r) for r in responses])
            assert len(judged[1][1]) < len(_in_process(responses[1])[1])  # chrome links once
            worker = pool.workers[0]
            os.kill(worker.process.pid, signal.SIGSTOP)  # the page is held, not yet judged
            held = pool.judge(responses[0], None)
            os.kill(worker.process.pid, signal.SIGKILL)
            with pytest.raises(WorkerDied, match="killed by signal 9"):
                await held
            await _ready(pool)  # another worker took its place
            assert pool.workers[0] is not worker
            assert (await pool.judge(responses[1], None))[:2] == _in_process(responses[1])
        finally:
            await pool.close()
        assert all(w.process.poll() is not None for w in [worker])

    asyncio.run(scenario())


HOLDER = """
import asyncio, sys
from gpscrape.extract_pool import ExtractPool

async def main():
    pool = ExtractPool(1)
    pool.launch()
    while not pool.ready:
        await asyncio.sleep(0.02)
    print(pool.workers[0].process.pid, flush=True)
    await asyncio.Event().wait()

asyncio.run(main())
"""


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"  # a zombie has ended; only its parent's reaping is left


def test_a_worker_ends_when_its_crawl_is_killed() -> None:
    with subprocess.Popen([sys.executable, "-c", HOLDER], stdout=subprocess.PIPE,
                          text=True) as holder:  # (closes its pipe and waits for it on exit)
        try:
            worker_pid = int(holder.stdout.readline())
            assert _running(worker_pid)
        finally:
            holder.kill()
    deadline = time.monotonic() + DEADLINE
    while _running(worker_pid):
        assert time.monotonic() < deadline, f"worker {worker_pid} outlived its killed crawl"
        time.sleep(0.02)


def _crawl(server: MirrorServer, output: Path, workers: int) -> tuple[dict, list[dict], str]:
    """A crawl's run report, its page items (fetch times left out) and its log."""
    items = output / "items.jsonl"
    feed = {str(items): {"format": "jsonlines", "item_classes": ["gpscrape.items.PageItem"]}}
    done = gpscrape(*crawl_argv(server.base_url, output, *crawl_settings(
        GPSCRAPE_EXTRACT_WORKERS=workers, GPSCRAPE_EXTRACT_WORKERS_FROM=0,
        CONCURRENT_REQUESTS_PER_DOMAIN=1, LOG_LEVEL="INFO", FEEDS=json.dumps(feed))))
    assert done.returncode == 0, output_of(done)
    rows = [json.loads(line) for line in items.read_text().splitlines()]
    for row in rows:
        del row["fetched_at"]
    return newest_report(output), sorted(rows, key=lambda row: row["url"]), done.stderr


def _by_record(rows: list[dict]) -> dict[object, dict]:
    return {row["record_no"] or row["url"]: row for row in rows}


def test_a_crawl_through_a_worker_gives_the_records_and_verdicts_of_one_without(
        tmp_path: Path) -> None:
    site = MirrorSite.generate(records=30, seed=5, missing_rate=0.1)
    with MirrorServer(site) as server:
        report, rows, _ = _crawl(server, tmp_path / "in-process", 0)
        report_w, rows_w, log = _crawl(server, tmp_path / "worker", 1)
    judged = re.search(r"'gpscrape/extract_worker/pages': (\d+)", log)
    assert judged and int(judged.group(1)) >= 30, log[-3000:]
    # A record is fetched under the first of its URLs the crawl meets, which timing decides:
    # the rows of records met under the same URL in both crawls must be equal.
    by_record, by_record_w = _by_record(rows), _by_record(rows_w)
    assert by_record.keys() == by_record_w.keys() and len(by_record) > 30
    same_url = [key for key, row in by_record.items() if row["url"] == by_record_w[key]["url"]]
    assert len(same_url) >= len(by_record) - 3
    assert [by_record_w[key] for key in same_url] == [by_record[key] for key in same_url]
    assert report_w["counts"] == report["counts"]
    assert report_w["details"] == report["details"]


def test_the_spider_quarantines_the_pages_of_a_worker_that_died() -> None:
    class DeadPool:
        ready = has_room = True

        def judge(self, response, guess):
            future = asyncio.get_running_loop().create_future()
            future.set_exception(WorkerDied("extraction worker pid 1 ended (exit code 1)"))
            return future

    crawler = get_crawler(GpSpider, {"GPSCRAPE_SEEDS": []})
    spider = GpSpider.from_crawler(crawler, base_url="http://127.0.0.1:8000/")
    spider._extract_pool = DeadPool()
    response = HtmlResponse(URL, body=CASES[0].page_path.read_bytes(), request=Request(URL))

    async def parse() -> list:  # the page is sent to the pool at once, on the running loop
        return list(await spider.parse(response))

    items = asyncio.run(parse())
    assert [item.reason for item in items] == ["extraction worker pid 1 ended (exit code 1)"]
    assert spider.verdicts.counts[QUARANTINED] == 1
    assert items[0].content_sha256 == hashlib.sha256(response.body).hexdigest()


def test_jobs_and_verdicts_cross_the_socket_unchanged() -> None:
    for response in _responses():
        job = job_of(response, "probe")
        assert decode_job(encode_job(job)) == job
        judged = judge_job(job)
        assert decode_judged(encode_judged(judged)) == judged, response


# `gpscrape crawl` whose extraction worker is killed (SIGKILL) while it holds its third page
# (stopped before the page is sent, so it cannot answer first).
KILL_THE_WORKER = """
import os, signal, sys
from gpscrape import extract_pool
original, sent = extract_pool._Worker.send, []
def send(self, job):
    sent.append(job)
    if len(sent) == 3:
        os.kill(self.process.pid, signal.SIGSTOP)  # it holds the page until killed
    future = original(self, job)
    if len(sent) == 3:
        os.kill(self.process.pid, signal.SIGKILL)
    return future
extract_pool._Worker.send = send
from gpscrape.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_crawl_whose_worker_dies_quarantines_its_pages_and_fails(tmp_path: Path) -> None:
    site = MirrorSite.generate(records=20, seed=5, missing_rate=0)
    output = tmp_path / "out"
    with MirrorServer(site) as server:
        done = gpscrape(*crawl_argv(server.base_url, output, *crawl_settings(
            GPSCRAPE_EXTRACT_WORKERS=1, GPSCRAPE_EXTRACT_WORKERS_FROM=0,
            CONCURRENT_REQUESTS_PER_DOMAIN=1)), script=KILL_THE_WORKER)
    assert done.returncode == exit_codes.CHECKS_FAILED, output_of(done)
    died = re.search(r"extraction worker pid \d+ ended \(killed by signal 9\); (\d+) page",
                     done.stderr)
    assert died and int(died.group(1)) >= 1, done.stderr[-3000:]
    report = newest_report(output)
    reasons = [error["reason"] for error in report["errors"]]
    assert len(reasons) == int(died.group(1)), reasons
    assert all("killed by signal 9" in reason for reason in reasons), reasons
    # A new worker took over: every other record was read.
    assert report["counts"]["new_records"] >= len(site.record_nos()) - 1


def test_a_worker_whose_crawl_ended_before_it_was_ready_ends_quietly() -> None:
    ours, theirs = socket.socketpair()
    ours.close()  # the crawl ended (and closed its end) while the worker was starting
    try:
        worker = subprocess.run(
            [sys.executable, "-m", "gpscrape.extract_worker", str(theirs.fileno())],
            pass_fds=(theirs.fileno(),), capture_output=True, text=True, timeout=60, cwd=ROOT)
    finally:
        theirs.close()
    assert (worker.returncode, worker.stderr) == (0, "")
