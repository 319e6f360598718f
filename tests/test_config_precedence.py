"""Every command resolves its settings in one order (gpscrape/config.py): the default, the
environment, the command's own defaults, `-s NAME=VALUE`, the command's flag. Each command is run
in-process and stops where it first uses the folder it resolved, so its message names it."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from test_disk_full import page_item

import gpscrape
from gpscrape import exit_codes, settings
from gpscrape.archive.writer import Exchange, WarcWriter
from gpscrape.cli import main
from gpscrape.commands import crawl
from gpscrape.config import PRECEDENCE, command_settings
from gpscrape.dataset.read import read_frame
from gpscrape.incremental.resume import recover
from gpscrape.locations import Locations
from gpscrape.mirror import MirrorSite
from pipelines.chain import process

BASE = "https://globalpolitics.in/"


@pytest.fixture(autouse=True)
def no_gpscrape_environment(monkeypatch, tmp_path):
    """No GPSCRAPE_* variable from the caller's environment; relative paths land in tmp_path."""
    for name in [name for name in dir(settings) if name.startswith("GPSCRAPE_")]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def run(argv: list[str], capsys) -> tuple[int, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


# (command and its other options, the flag for the output root, what it prints about the root
# it resolved, how to make each candidate root give that message)
def _as_file(path: Path) -> None:
    path.write_text("not a folder")  # the crawl cannot write there: it says where


COMMANDS = {
    "crawl": (["crawl", "--base-url", "http://127.0.0.1:9/"], "--output",
              "cannot write to {root}", _as_file),
    "backfill": (["backfill", "--from", "1", "--to", "2", "--base-url", "http://127.0.0.1:9/"],
                 "--output", "cannot write to {root}", _as_file),
    "reextract": (["reextract"], "--output", "no WARC folder at {root}/warc", None),
    "wacz": (["wacz"], "--dataset", "no published dataset under {root}", None),
    "report": (["report"], "--output", "page written to {root}/report.html", Path.mkdir),
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("given", ["default", "env", "env -s", "env -s -s", "env -s flag"])
def test_each_command_resolves_the_output_root_in_the_one_order(command, given, tmp_path,
                                                                monkeypatch, capsys):
    if command == "report":
        pytest.importorskip("matplotlib")
    argv, flag, message, prepare = COMMANDS[command]
    roots = {name: tmp_path / name for name in ("output", "env", "s1", "s2", "flag")}
    for root in roots.values():
        if prepare is not None:
            prepare(root)
    extra: list[str] = []
    if "env" in given:
        monkeypatch.setenv("GPSCRAPE_OUTPUT", str(roots["env"]))
    for number in range(1, given.split().count("-s") + 1):
        extra += ["-s", f"GPSCRAPE_OUTPUT={roots[f's{number}']}"]
    if "flag" in given:
        extra += [flag, str(roots["flag"])]
    want = {"default": "output", "env": "env", "env -s": "s1", "env -s -s": "s2",
            "env -s flag": "flag"}[given]
    code, text = run([*argv, *extra], capsys)
    root = roots[want] if want != "output" else Path("output")
    assert message.format(root=root) in text, text
    assert code == (exit_codes.OK if command == "report" else exit_codes.BAD_INPUT), text


@pytest.mark.parametrize("command", ["reextract", "wacz"])
def test_the_warc_folder_resolves_in_the_same_order(command, tmp_path, monkeypatch, capsys):
    dataset = tmp_path / "dataset"
    process([page_item(1)], dataset)  # a published dataset, so wacz goes on to its archive
    message = "no WARC folder at {}" if command == "reextract" else "no WARC archive in {}"
    base = [command, "--dataset" if command == "wacz" else "--output", str(dataset)]
    monkeypatch.setenv("GPSCRAPE_WARC_DIR", str(tmp_path / "env"))
    for extra, want in (([], "env"), (["-s", f"GPSCRAPE_WARC_DIR={tmp_path / 's'}"], "s"),
                        (["-s", f"GPSCRAPE_WARC_DIR={tmp_path / 's'}",
                          "--warc", str(tmp_path / "flag")], "flag")):
        code, text = run([*base, *extra], capsys)
        assert code == exit_codes.BAD_INPUT and message.format(tmp_path / want) in text, text
    monkeypatch.delenv("GPSCRAPE_WARC_DIR")
    code, text = run(base, capsys)
    assert message.format(dataset / "warc") in text, text  # the default: under the root


@pytest.mark.parametrize("command", ["crawl", "reextract"])
def test_a_threshold_flag_wins_over_s_which_wins_over_the_environment(command, tmp_path,
                                                                      monkeypatch, capsys):
    root = tmp_path / "root"
    base = [command, "--output", str(root)]
    if command == "crawl":
        _as_file(root)  # past the checks, the crawl stops at its root: BAD_INPUT
        base += ["--base-url", "http://127.0.0.1:9/"]
        passed = exit_codes.BAD_INPUT
    else:
        (root / "warc").mkdir(parents=True)  # an empty archive: past the checks, nothing to do
        passed = exit_codes.OK
    monkeypatch.setenv("GPSCRAPE_MAX_WARNED", "lots")
    code, text = run(base, capsys)
    assert code == exit_codes.USAGE and "GPSCRAPE_MAX_WARNED must be a share" in text, text
    code, text = run([*base, "-s", "GPSCRAPE_MAX_WARNED=0.2"], capsys)
    assert code == passed, text  # -s over the environment
    code, text = run([*base, "-s", "GPSCRAPE_MAX_WARNED=2"], capsys)
    assert code == exit_codes.USAGE and "got '2'" in text, text
    code, text = run([*base, "-s", "GPSCRAPE_MAX_WARNED=2", "--max-warned", "0.2"], capsys)
    assert code == passed, text  # the flag over -s


def test_command_settings_apply_the_documented_order(monkeypatch, tmp_path):
    assert len(PRECEDENCE) == 5
    name = "GPSCRAPE_PROBE_MISSES"
    assert command_settings().getint(name) == settings.GPSCRAPE_PROBE_MISSES
    monkeypatch.setenv(name, "7")
    assert command_settings().getint(name) == 7
    assert command_settings(command_defaults={name: 8}).getint(name) == 8
    assert command_settings([(name, "9")], command_defaults={name: 8}).getint(name) == 9
    assert command_settings([(name, "9")], {name: 10}, {name: 8}).getint(name) == 10
    assert command_settings([(name, "9")], {name: None}).getint(name) == 9  # flag not given
    monkeypatch.setenv("GPSCRAPE_NOT_A_SETTING", "x")
    assert "GPSCRAPE_NOT_A_SETTING" not in command_settings()


def test_locations_derive_from_the_settings_alone(monkeypatch, tmp_path):
    default = Locations.of(command_settings())
    assert default.output == Path(settings.GPSCRAPE_OUTPUT)
    assert (default.warc, default.runs) == (default.output / "warc", default.output / "runs")
    assert default.max_body == settings.DOWNLOAD_MAXSIZE
    assert default.warc_max_bytes == settings.GPSCRAPE_WARC_MAX_BYTES
    monkeypatch.setenv("GPSCRAPE_OUTPUT", str(tmp_path / "env"))
    moved = Locations.of(command_settings([("DOWNLOAD_MAXSIZE", "1000"),
                                           ("GPSCRAPE_WARC_MAX_BYTES", "5000")]))
    assert (moved.output, moved.warc) == (tmp_path / "env", tmp_path / "env" / "warc")
    assert (moved.max_body, moved.warc_max_bytes) == (1000, 5000)
    assert Locations.from_environment().output == tmp_path / "env"  # gpscrape.read's
    process([page_item(1)], tmp_path / "env")
    assert list(gpscrape.read("articles")["record_no"]) == [1]


def _archive_one_article(warc: Path) -> None:
    """One real-size mirror article, gzip-coded as served, in the archive under `warc`."""
    site = MirrorSite.generate(records=1, seed=4)
    (number,) = site.record_nos()
    body = site.render(number, BASE).encode()
    assert len(body) > 10_000
    with WarcWriter(warc, "20260101T000000Z-aaaaaa") as writer:
        writer.write(Exchange(site.article_urls(number, BASE)[0], "GET", [], b"", 200,
                              [("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
                              gzip.compress(body), datetime.now(UTC)))


def test_s_download_maxsize_caps_the_replay_as_it_caps_the_fetch(tmp_path, capsys):
    output = tmp_path / "out"
    _archive_one_article(output / "warc")
    code, text = run(["reextract", "--output", str(output), "-s", "DOWNLOAD_MAXSIZE=10000"],
                     capsys)
    assert code == exit_codes.CHECKS_FAILED, text
    (reason,) = read_frame(output, "quarantine")["reason"]
    assert "larger than 10000 bytes" in reason
    code, text = run(["reextract", "--output", str(output)], capsys)  # the default: 5 MB
    assert code == exit_codes.OK, text
    assert len(read_frame(output, "articles")) == 1


def test_the_crawl_recovers_a_cut_run_with_the_resolved_cap(tmp_path, monkeypatch, capsys):
    output = tmp_path / "out"
    _archive_one_article(output / "warc")  # a run without a report: cut short
    assert recover(output, output / "warc", max_body=10000).quarantined == 1
    seen: list[tuple[Path, Path, int]] = []

    def stop_after_recover(root: Path, warc: Path, max_body: int, settings: Any) -> None:
        seen.append((root, warc, max_body))
        assert settings.getint("DOWNLOAD_MAXSIZE") == 12345  # the run's own settings
        raise OSError("stopped here by the test")

    monkeypatch.setattr(crawl, "recover", stop_after_recover)
    code, text = run(["crawl", "--base-url", "http://127.0.0.1:9/", "--output", str(output),
                      "-s", "DOWNLOAD_MAXSIZE=12345", "-s", f"GPSCRAPE_WARC_DIR={tmp_path / 'w'}"],
                     capsys)
    assert code == exit_codes.BAD_INPUT and "stopped here by the test" in text, text
    assert seen == [(output, tmp_path / "w", 12345)]
