"""Extractor warnings downstream of the record: counted per code and named in the run report,
the `--max-warned` threshold (flag, setting, environment), a rebuild whose pages warn, and
the HTML report's list of warned pages with their text escaped."""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from run_command import gpscrape, in_process

from gpscrape import exit_codes
from gpscrape.commands import reextract
from gpscrape.dataset.read import read_frame
from gpscrape.extract.record import PageRecord, Topic
from gpscrape.extract.warnings import WARNINGS
from gpscrape.run_report import (
    WARNED_PAGES_NAMED,
    Coverage,
    Thresholds,
    evaluate,
    make_report,
    new_run_id,
)

CODE, OTHER = list(WARNINGS)[:2]
HOSTILE_TITLE = "<script>alert(1)</script> and <b>bold</b> & more"


def record(number: int, warnings: list[str] = ()) -> PageRecord:
    return PageRecord(record_no=number, cwa_no=None,
                      url=f"https://example.test/view_cir_articles.php?recordNo={number}",
                      title=f"Title {number}", published=date(2025, 1, 1),
                      topics=[Topic(title="t")], warnings=list(warnings))


def coverage_of(records: list[PageRecord]) -> Coverage:
    coverage = Coverage()
    for one in records:
        coverage.add(one)
    return coverage


def report_of(records: list[PageRecord], thresholds: Thresholds | None = None):
    return make_report(run_id=new_run_id(), command="crawl", started=datetime.now(UTC),
                       counts={"pages_fetched": len(records)}, errors=[],
                       coverage=coverage_of(records), thresholds=thresholds or Thresholds())


def test_report_counts_each_code_exactly_and_names_the_first_pages(tmp_path) -> None:
    records = [record(n, [CODE]) for n in range(1, 61)]
    records += [record(61, [CODE, OTHER, CODE]), *(record(n) for n in range(62, 1001))]
    report = report_of(records)
    data = json.loads(report.write(tmp_path).read_text())
    warnings = data["warnings"]
    assert warnings["warned"] == 61 and warnings["share"] == pytest.approx(61 / 1000)
    assert set(warnings["codes"]) == {CODE, OTHER}
    assert warnings["codes"][CODE]["count"] == 61  # a code counts once per page
    assert warnings["codes"][CODE]["meaning"] == WARNINGS[CODE]
    named = warnings["codes"][CODE]["pages"]
    assert len(named) == WARNED_PAGES_NAMED
    assert named[0] == {"record_no": 1, "url": records[0].url}
    assert warnings["codes"][OTHER] == {"meaning": WARNINGS[OTHER], "count": 1,
                                        "pages": [{"record_no": 61, "url": records[60].url}]}
    table = report.table()
    assert table.index(f"warning {CODE}:") < table.index(f"warning {OTHER}:")  # most first
    assert f"warning {CODE}: 61 pages ({WARNINGS[CODE]})" in table
    assert f"    1  {records[0].url}" in table and "... 56 more" in table
    assert f"warning {OTHER}: 1 pages" in table and f"    61  {records[60].url}" in table
    assert "FAIL warned: 61 of 1000 records carry a warning (6.1%; at most 5.0% allowed)" in table
    assert report.exit_code() == exit_codes.CHECKS_FAILED


def test_warned_share_threshold() -> None:
    def warned_check(warned: int, records: int, thresholds: Thresholds):
        return next(c for c in evaluate({}, {}, records, thresholds, warned=warned)
                    if c.name == "warned")

    assert Thresholds().max_warned == 0.05  # the documented default
    assert warned_check(1, 20, Thresholds()).passed  # 5%: at the limit
    assert not warned_check(2, 20, Thresholds()).passed
    assert warned_check(2, 20, Thresholds(max_warned=0.1)).passed
    small = warned_check(3, 5, Thresholds())  # a share of a handful says little
    assert small.passed and "not enforced below 20 records" in small.message
    assert warned_check(0, 0, Thresholds()).passed  # nothing fetched: nothing to check
    assert report_of([record(n) for n in range(30)]).passed  # a healthy run


def test_max_warned_from_settings_flag_and_environment(tmp_path) -> None:
    assert Thresholds.from_settings({"GPSCRAPE_MAX_WARNED": "0.2"}).max_warned == 0.2
    with pytest.raises(ValueError, match="GPSCRAPE_MAX_WARNED must be a share from 0 to 1"):
        Thresholds.from_settings({"GPSCRAPE_MAX_WARNED": "lots"})
    from gpscrape.cli import build_parser

    args = build_parser().parse_args(["reextract", "--max-warned", "0.25"])
    assert reextract.project_settings(args).get("GPSCRAPE_MAX_WARNED") == 0.25
    (tmp_path / "warc").mkdir()
    base = ["reextract", "--output", str(tmp_path)]
    out_of_range = in_process(*base, "--max-warned", "2")
    assert out_of_range.returncode == exit_codes.USAGE
    assert "must be a share from 0 to 1" in out_of_range.stderr
    # The environment is read when the settings load: a process of its own.
    env_run = gpscrape(*base, env={**os.environ, "GPSCRAPE_MAX_WARNED": "lots"}, timeout=60)
    assert env_run.returncode == exit_codes.USAGE, env_run.stdout + env_run.stderr
    assert "GPSCRAPE_MAX_WARNED must be a share from 0 to 1, got 'lots'" in env_run.stderr
    assert not (tmp_path / "runs").exists()  # refused before doing anything


@pytest.fixture(scope="module")
def warned_rebuild(demo, tmp_path_factory) -> tuple[Path, object, set[int]]:
    """The demo crawl's archive rebuilt with an extractor that warns on every third record
    (and gives those a title with markup): the output, the run report and the warned records."""
    output = tmp_path_factory.mktemp("warned-rebuild")
    shutil.copytree(demo / "warc", output / "warc")
    warned: set[int] = set()
    with pytest.MonkeyPatch.context() as patch:
        from gpscrape import outcome

        real = outcome.extract_page

        def warning_extractor(body: bytes, url: str) -> PageRecord:
            page = real(body, url)
            if page.record_no is not None and page.record_no % 3 == 0:
                page.warnings = [CODE]
                page.title = HOSTILE_TITLE
                warned.add(page.record_no)
            return page

        patch.setattr(outcome, "extract_page", warning_extractor)
        report = reextract.rebuild(output / "warc", output, Thresholds())
    report.write(output)
    return output, report, warned


def test_a_rebuild_whose_pages_warn_fails_and_names_them(warned_rebuild) -> None:
    output, report, warned = warned_rebuild
    assert warned and report.records > len(warned)
    assert report.exit_code() == exit_codes.CHECKS_FAILED
    assert [c.name for c in report.checks if not c.passed] == ["warned"]
    entry = report.warnings["codes"][CODE]
    assert entry["count"] == len(warned)
    assert {page["record_no"] for page in entry["pages"]} == warned
    articles = read_frame(output, "articles")
    stored = {int(n) for n, codes in zip(articles["record_no"], articles["warnings"],
                                         strict=True) if len(codes)}
    assert stored == warned


def test_html_report_lists_warned_pages_escaped(warned_rebuild) -> None:
    pytest.importorskip("matplotlib")
    from lxml import html as lxml_html

    from gpscrape.report.build import write_report
    from gpscrape.report.summary import text_summary

    output, _, warned = warned_rebuild
    page, data = write_report(output)
    text = page.read_text(encoding="utf-8")
    assert "<script>" not in text and "<b>bold</b>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; and &lt;b&gt;bold&lt;/b&gt; &amp; more" in text
    tree = lxml_html.fromstring(text)
    assert not tree.xpath("//script") and not tree.xpath("//section[@id='warnings']//b")
    rows = tree.xpath("//table[@class='warned']/tr[td]")
    assert [int(row.xpath("td")[0].text) for row in rows] == sorted(warned)
    link = rows[0].xpath("td/a")[0]
    assert link.text_content() == HOSTILE_TITLE
    assert link.get("href").startswith("http") and f"recordNo={min(warned)}" in link.get("href")
    assert rows[0].xpath("td/code")[0].text == CODE
    assert rows[0].xpath("td/code")[0].get("title") == WARNINGS[CODE]
    [code_row] = tree.xpath("//table[@class='warning-codes']/tr[td]")
    assert [td.text_content() for td in code_row.xpath("td")] == [CODE, str(len(warned)),
                                                                   WARNINGS[CODE]]
    assert f"warnings: {len(warned)} of " in text_summary(data)


def test_html_report_links_only_http_urls() -> None:
    pytest.importorskip("matplotlib")
    from gpscrape.report.page import _link

    assert _link("javascript:alert(1)", "x") == "x"
    assert _link('https://e.test/?a="b"', "<t>") == \
        '<a href="https://e.test/?a=&quot;b&quot;">&lt;t&gt;</a>'
