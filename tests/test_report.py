"""`gpscrape report`: the page and summary over a demo crawl, empty and broken inputs, and the
page rendered in headless Chromium."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from lxml import html as lxml_html
from run_command import Finished, in_process

pytest.importorskip("matplotlib", reason="gpscrape report needs the report extra (matplotlib)")

from gpscrape import exit_codes  # noqa: E402
from gpscrape.dataset import DatasetWriter  # noqa: E402
from gpscrape.report.build import write_report  # noqa: E402
from gpscrape.report.charts import CHARTS, build_charts  # noqa: E402
from gpscrape.report.data import ReportData, empty_frame, load  # noqa: E402
from gpscrape.report.measures import (  # noqa: E402
    field_coverage,
    issues_per_year,
    records_per_month,
    section_kinds_by_series,
    top_authors,
    undated,
)
from gpscrape.report.summary import text_summary  # noqa: E402
from gpscrape.run_report import Check, RunReport  # noqa: E402
from gpscrape.schema import TABLES  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
RUNS = [  # run id, counts, error URLs, failed check
    ("20260101T000000Z-aaaaaa", {"pages_fetched": 70, "new_records": 60, "quarantined": 0,
                                 "missing": 1}, [], None),
    ("20260102T000000Z-bbbbbb", {"pages_fetched": 12, "new_records": 2, "quarantined": 1,
                                 "missing": 0}, ["https://example.test/a"], "quarantined"),
]


def write_runs(output: Path) -> None:
    """Run reports as the crawl commands write them."""
    for run_id, counts, errors, failed in RUNS:
        checks = [Check("quarantined", failed != "quarantined", counts["quarantined"], 0, "")]
        RunReport(run_id=run_id, command="crawl", started="", finished="", seconds=1.0,
                  counts=counts, errors=[{"url": url, "reason": "500"} for url in errors],
                  coverage={"title": 1.0}, records=counts["new_records"],
                  checks=checks).write(output)


BROWSER_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
# Appended to a copy of the page: the browser notes the laid-out size of every chart.
MEASURE = """<script>
for (const figure of document.querySelectorAll('figure.chart')) {
  const svg = figure.querySelector('svg');
  if (!svg) continue;
  const box = svg.getBoundingClientRect(), drawn = svg.getBBox();
  figure.dataset.box = `${Math.round(box.width)}x${Math.round(box.height)}`;
  figure.dataset.drawn = `${Math.round(drawn.width)}x${Math.round(drawn.height)}`;
}
</script>"""


@pytest.fixture(scope="module")
def demo(demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the session's demo crawl output (conftest), with two run reports added."""
    output = tmp_path_factory.mktemp("report") / "demo"
    shutil.copytree(demo, output, symlinks=True)
    write_runs(output)
    return output


@pytest.fixture(scope="module")
def reported(demo: Path) -> Finished:
    done = in_process("report", "--output", str(demo))
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def charts_of(page: Path) -> dict[str, lxml_html.HtmlElement]:
    tree = lxml_html.fromstring(page.read_text(encoding="utf-8"))
    return {figure.get("id"): figure for figure in tree.xpath("//figure[@class='chart']")}


def test_summary_gives_the_tables_row_counts(demo, reported):
    for name in TABLES:
        rows = len(pd.read_parquet(demo / name))
        assert f"{rows} {name}" in reported.stdout
    assert f"page written to {demo / 'report.html'}" in reported.stdout
    run_ids = sorted(path.stem for path in (demo / "runs").glob("*.json"))
    assert len(run_ids) == 1 + len(RUNS)  # the demo crawl's own run report, and ours
    assert f"runs: {len(run_ids)}; last {run_ids[-1]} " in reported.stdout


def test_page_names_the_published_version(demo, reported):
    version = (demo / ".current").readlink().name
    assert f"(published version {version})" in (demo / "report.html").read_text()


def test_every_chart_is_an_inline_svg(demo, reported):
    charts = charts_of(demo / "report.html")
    assert len(charts) == len(CHARTS)
    for key, figure in charts.items():
        svgs = figure.xpath(".//*[local-name()='svg']")
        assert len(svgs) == 1, key
        assert len(svgs[0].xpath(".//*[local-name()='path']")) > 10, key
        assert not figure.xpath(".//*[@class='empty']"), key


def test_page_needs_no_network(demo, reported):
    tree = lxml_html.fromstring((demo / "report.html").read_bytes())
    assert not tree.xpath("//script | //link | //iframe | //object")
    for element in tree.iter():
        for attribute, value in element.attrib.items():
            if attribute.rpartition("}")[2] in {"src", "href"}:
                assert value.startswith(("#", "data:")), (element.tag, value)


def test_runs_are_charted_and_listed_newest_first(demo, reported):
    tree = lxml_html.fromstring((demo / "report.html").read_bytes())
    rows = [[cell.text_content() for cell in row.xpath("td")]
            for row in tree.xpath("//table[@class='runs']/tr[td]")]
    run_ids = sorted(path.stem for path in (demo / "runs").glob("*.json"))
    assert [row[0] for row in rows] == run_ids[::-1]
    checks = {row[0]: row[1:3] for row in rows}
    assert checks["20260102T000000Z-bbbbbb"] == ["crawl", "quarantined"]
    assert checks["20260101T000000Z-aaaaaa"] == ["crawl", "passed"]
    runs = charts_of(demo / "report.html")["last-runs"]
    legend = runs.xpath("string(.)")
    for count in ("pages_fetched", "new_records", "quarantined", "missing", "errors"):
        assert count in legend
    coverage = "".join(charts_of(demo / "report.html")["run-coverage"].itertext())
    assert "title" in coverage and all(run_id in coverage for run_id, *_ in RUNS)


def test_charts_show_the_tables(demo, reported):
    text = (demo / "report.html").read_text(encoding="utf-8")
    articles = pd.read_parquet(demo / "articles")
    for series in articles["series"].dropna().unique():
        assert series in text  # legend entries are SVG text
    busiest = pd.read_parquet(demo / "authors")["record_nos"].map(len).max()
    top = top_authors(pd.read_parquet(demo / "authors"), 15)
    assert top["records"].iloc[0] == busiest
    assert top.index[0] in text


def test_measures_add_up_to_the_tables(demo):
    data = load(demo)
    articles, sections = data.table("articles"), data.table("sections")
    assert records_per_month(articles).to_numpy().sum() == len(articles) - undated(articles)
    assert section_kinds_by_series(sections, articles).to_numpy().sum() == len(sections)
    issues = articles.dropna(subset=["published", "series"]).explode("issue_numbers")
    distinct = issues.dropna(subset=["issue_numbers"]).drop_duplicates(
        ["series", "issue_numbers"])
    assert issues_per_year(articles).to_numpy().sum() == len(distinct)
    coverage = field_coverage(articles)["filled %"]
    assert coverage["record_no"] == 100
    expected = round(100 * articles["cwa_no"].notna().mean(), 1)
    assert coverage["cwa_no"] == expected


def test_misprinted_dates_are_left_out_of_the_dated_charts():
    articles = pd.DataFrame({
        "record_no": [1, 2, 3, 4], "series": ["Conflict Weekly", None, "STIR", "STIR"],
        "published": [date(1, 1, 1), date(9999, 12, 31), date(2021, 3, 4), None],
        "issue_numbers": [[7], [8], [9], []],
    })
    tables = {name: empty_frame(name) for name in TABLES} | {"articles": articles}
    charts = {chart.key: chart for chart in build_charts(ReportData(Path("x"), tables))}
    assert records_per_month(articles).to_dict() == {"STIR": {"2021-03": 1}}
    assert issues_per_year(articles).to_dict() == {"STIR": {2021: 1}}
    assert "3 without a date" in charts["records-per-month"].caption
    assert charts["records-per-month"].svg and charts["issues-per-year"].svg


def test_names_are_drawn_as_plain_text():
    authors = pd.DataFrame({"name": ["$\\frac{$ Rao", "A <b>&amp; B"],
                            "record_nos": [[1, 2], [3]], "bios": [[], []]})
    tables = {name: empty_frame(name) for name in TABLES} | {"authors": authors}
    chart = next(c for c in build_charts(ReportData(Path("x"), tables)) if c.key == "top-authors")
    text = "".join(lxml_html.fromstring(chart.svg).itertext())
    assert "$\\frac{$ Rao" in text and "A <b>&amp; B" in text


def test_without_matplotlib_the_command_says_how_to_install_it(tmp_path):
    code = ("import sys; sys.modules['matplotlib'] = None; from gpscrape.cli import main; "
            f"sys.exit(main(['report', '--output', {str(tmp_path)!r}]))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == exit_codes.USAGE
    assert "pip install 'gpscrape[report]'" in done.stderr
    assert not (tmp_path / "report.html").exists()


def test_a_missing_output_folder_gives_a_page_that_says_so(tmp_path):
    page, data = write_report(tmp_path / "nowhere", tmp_path / "page.html")
    text = page.read_text(encoding="utf-8")
    assert "does not exist" in text
    assert "The dataset is empty" in text
    assert all(figure.xpath(".//*[@class='empty']") for figure in charts_of(page).values())
    assert "does not exist" in text_summary(data)


def test_empty_tables_give_a_page_that_says_so(tmp_path):
    with DatasetWriter(tmp_path) as writer:
        writer.publish()
    page, data = write_report(tmp_path)
    assert page == tmp_path / "report.html"
    assert data.empty and not data.problems
    notes = {key: figure.xpath("string(.//*[@class='empty'])")
             for key, figure in charts_of(page).items()}
    assert notes["records-per-month"] == "No article has a date."
    assert notes["last-runs"] == "No run reports under runs/."
    assert notes["run-coverage"] == "No run report under runs/ measured field coverage."


def test_summary_names_the_last_run_and_its_failed_checks(tmp_path):
    write_runs(tmp_path)
    summary = text_summary(load(tmp_path))
    assert ("runs: 2; last 20260102T000000Z-bbbbbb crawl: pages_fetched 12, new_records 2, "
            "quarantined 1, missing 0, errors 1; failed quarantined") in summary


def test_broken_tables_and_run_reports_are_reported(tmp_path):
    with DatasetWriter(tmp_path) as writer:
        writer.publish()
    (tmp_path / "articles" / "part-0.parquet").write_bytes(b"not parquet")
    authors = tmp_path / "authors" / "part-0.parquet"
    pd.DataFrame({"name": ["Asha Rao"], "bios": [[]]}).to_parquet(authors)  # no record_nos
    (tmp_path / "runs").mkdir()
    (tmp_path / "runs" / "1.json").write_text("{truncated")
    (tmp_path / "runs" / "2.json").write_text("[1, 2]")
    write_runs(tmp_path)
    page, data = write_report(tmp_path)
    problems = "\n".join(data.problems)
    assert "table `articles` could not be read" in problems
    assert "table `authors` lacks columns record_nos (shown as empty)" in problems
    assert "1.json could not be read" in problems
    assert "2.json is not a JSON object" in problems
    assert [run.run_id for run in data.runs] == [run_id for run_id, *_ in RUNS]
    figure = charts_of(page)["last-runs"]
    assert figure.xpath(".//*[local-name()='svg']")


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if found := shutil.which(name):
            return found
    pytest.skip("no Chromium found (make test installs Debian's chromium when it can)")


def test_page_renders_in_headless_chromium(demo, reported, tmp_path):
    browser = _chromium()
    page = (demo / "report.html").read_text(encoding="utf-8")
    measured = tmp_path / "measured.html"
    measured.write_text(page.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    flags = [browser, *BROWSER_FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
             "--window-size=1280,4800"]
    dom = subprocess.run([*flags, "--dump-dom", measured.as_uri()],
                         capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    figures = lxml_html.fromstring(dom.stdout).xpath("//figure[@class='chart']")
    assert len(figures) == len(CHARTS)
    for figure in figures:
        width, height = map(int, figure.get("data-box").split("x"))
        drawn_width, drawn_height = map(int, figure.get("data-drawn").split("x"))
        assert width > 400 and height > 100, figure.get("id")
        assert drawn_width > 300 and drawn_height > 100, figure.get("id")
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report.png"
    shot.unlink(missing_ok=True)
    done = subprocess.run([*flags, f"--screenshot={shot}", (demo / "report.html").as_uri()],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and shot.exists(), done.stderr[-2000:]
    from matplotlib.image import imread

    pixels = imread(shot)[..., :3]
    inked = (pixels < 0.9).any(axis=-1).mean()
    assert inked > 0.05  # charts drawn, not a blank or error page
