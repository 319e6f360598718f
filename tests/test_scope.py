"""Limits and scope: requests stay on the configured site and on http(s) (redirects included),
responses are capped in size (decompressed too, also when the archive is replayed) and in time,
file names never come from a page or a URL, and page content is never executed.

robots.txt, off-site links and the plain size cap are tested in test_spider_policy.py; the
mirror's redirect to another host in test_faults.py.
"""

from __future__ import annotations

import ast
import gzip
import os
import socket
import subprocess
import threading
import time
import zlib
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest
from loopback_site import Reply, links
from run_command import QUICK_RETRIES, ROOT, crawl_settings, gpscrape, in_process

from gpscrape import exit_codes
from gpscrape.archive.members import iter_members
from gpscrape.archive.reader import ArchiveError, read_response
from gpscrape.archive.writer import Exchange, WarcWriter
from gpscrape.extract import extract_page
from gpscrape.mirror import MirrorSite
from gpscrape.urls import is_on_site

ARTICLE = "/view_cir_articles.php?recordNo="
# Fast and impolite; the run checks keep their defaults (they decide the exit code).
FAST = crawl_settings(QUICK_RETRIES, DOWNLOAD_TIMEOUT=2, RETRY_TIMES=1, GPSCRAPE_PROBE_MISSES=0)
PRODUCT = [ROOT / "gpscrape", ROOT / "pipelines"]


def gzip_bomb(size: int) -> bytes:
    """`size` zero bytes, gzip-compressed (about a thousandth of `size`)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = bytes(1024 * 1024)
    parts = [packer.compress(chunk) for _ in range(size // len(chunk))]
    return b"".join([*parts, packer.flush()])


def run(argv: list[str], cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return gpscrape(*argv, cwd=cwd, env={**os.environ, "PYTHONPATH": str(ROOT)})


def quarantine(output: Path) -> dict[str, str]:
    frame = pd.read_parquet(output / "quarantine")
    return dict(zip(frame["url"], frame["reason"], strict=True))


class Listener:
    """A bare TCP port on loopback that counts the connections made to it."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except TimeoutError:
                continue
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.socket.close()


def test_meta_refresh_redirects_and_other_schemes_never_leave_the_site(
        make_site, tmp_path: Path) -> None:
    other = make_site({}, host="127.0.0.2")
    away = f"{other.base_url}view_cir_articles.php?recordNo=9"
    refresh = f'<html><head><meta http-equiv="refresh" content="0; url={away}"></head></html>'
    ftp = Listener()  # the site's own host, but FTP on another port
    ftp_article = f"ftp://127.0.0.1:{ftp.port}{ARTICLE}8"
    site = make_site({
        "/": Reply(body=links(f"{ARTICLE}1", f"{ARTICLE}2", f"{ARTICLE}3", f"{ARTICLE}5", away,
                              ftp_article)),
        f"{ARTICLE}1": Reply(body=refresh),
        f"{ARTICLE}2": Reply(301, headers={"Location": away}),
        f"{ARTICLE}3": Reply(302, headers={"Location": f"/moved?to={ARTICLE}4"}),
        f"/moved?to={ARTICLE}4": Reply(307, headers={"Location": away}),
        f"{ARTICLE}5": Reply(302, headers={"Location": ftp_article}),
    })
    try:
        done = run(["crawl", "--base-url", site.base_url, "--output", str(tmp_path / "out"),
                    *FAST])
    finally:
        ftp.close()
    assert {f"{ARTICLE}{n}" for n in (1, 2, 3, 5)} <= set(site.paths()), done.stderr
    assert other.paths() == []
    assert ftp.connections == 0
    reasons = quarantine(tmp_path / "out")
    for n in (1, 2, 3, 5):
        (reason,) = [r for url, r in reasons.items() if url.endswith(f"recordNo={n}")]
        assert "redirected off the site to" in reason or (n == 5 and "302" in reason), reasons
    assert done.returncode == exit_codes.CHECKS_FAILED


def test_gzip_bomb_is_capped_when_fetched_and_when_the_archive_is_replayed(
        make_site, tmp_path: Path) -> None:
    bomb = gzip_bomb(64 * 1024 * 1024)
    assert len(bomb) < 200_000
    site = make_site({
        "/": Reply(body=links(f"{ARTICLE}1")),
        f"{ARTICLE}1": Reply(body=bomb, headers={"Content-Encoding": "gzip"}),
    })
    output = tmp_path / "out"
    crawled = run(["crawl", "--base-url", site.base_url, "--output", str(output), *FAST])
    (reason,) = quarantine(output).values()
    assert "exceeded DOWNLOAD_MAXSIZE" in reason, crawled.stdout + crawled.stderr[-2000:]

    replayed = run(["reextract", "--output", str(output)])
    reasons = quarantine(output)
    assert replayed.returncode == exit_codes.CHECKS_FAILED, replayed.stdout + replayed.stderr
    (reason,) = reasons.values()
    assert "larger than" in reason, reason


class Trickle(BaseHTTPRequestHandler):
    """`/` links one article, which promises a megabyte and sends a byte every 50 ms."""

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        if self.path != f"{ARTICLE}1":
            body = links(f"{ARTICLE}1").encode() if self.path == "/" else b""
            self.send_response(200 if self.path == "/" else 404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(1024 * 1024))
        self.end_headers()
        try:
            for _ in range(2400):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.05)
        except OSError:
            return  # the crawler gave up

    def log_message(self, *args: object) -> None:
        pass


def test_an_answer_that_never_ends_fails_after_the_download_timeout(tmp_path: Path) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Trickle)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        started = time.monotonic()
        done = run(["crawl", "--base-url", f"http://127.0.0.1:{server.server_address[1]}/",
                    "--output", str(tmp_path / "out"), *FAST])
        elapsed = time.monotonic() - started
    finally:
        server.shutdown()
        server.server_close()
    (reason,) = quarantine(tmp_path / "out").values()
    assert "took longer than 2.0 seconds" in reason, done.stdout + done.stderr[-2000:]
    assert done.returncode == exit_codes.CHECKS_FAILED
    assert elapsed < 60


def test_archived_body_is_decoded_up_to_a_cap(tmp_path: Path) -> None:
    with WarcWriter(tmp_path / "warc", "bomb") as writer:
        for name, body in (("small", gzip.compress(b"<html>ok</html>")),
                           ("bomb", gzip_bomb(8 * 1024 * 1024))):
            writer.write(Exchange(f"http://127.0.0.1/{name}", "GET", [], b"", 200,
                                  [("Content-Encoding", "gzip")], body, datetime.now(UTC)))
    (path,) = (tmp_path / "warc").glob("*.warc.gz")
    offsets = [offset for offset, data in iter_members(path) if b"WARC-Type: response" in data]
    assert read_response(path, offsets[0], max_size=1024 * 1024).body == b"<html>ok</html>"
    with pytest.raises(ArchiveError, match="larger than 1048576 bytes"):
        read_response(path, offsets[1], max_size=1024 * 1024)
    assert len(read_response(path, offsets[1], max_size=16 * 1024 * 1024).body) == 8 * 1024 * 1024


HOSTILE_TARGETS = [
    "/view_cir_articles.php?url=../../../../escape&recordNo=5",
    "/view_cir_articles.php?url=%2Fetc%2Fescape&recordNo=6",
    "/view_cir_articles.php?url=a%00b%2F..%2F..%2Fescape&recordNo=7",
    "/../../escape/view_cir_articles.php?recordNo=8",
    "/view_cir_articles.php/..%2F..%2Fescape?recordNo=9",
]


def test_names_from_pages_and_urls_never_write_outside_the_output(make_site, tmp_path: Path) -> None:
    mirror = MirrorSite.generate(records=3, seed=2)
    n = mirror.record_nos()[0]
    page = mirror.render(n, "http://127.0.0.1/", label="../../../escape").replace(
        "</body>", links(*HOSTILE_TARGETS, "/%2E%2E/%2E%2E/escape.php?recordNo=10") + "</body>")
    routes = {target: Reply(body=page) for target in HOSTILE_TARGETS}
    routes["/"] = Reply(body=links(*HOSTILE_TARGETS))
    site = make_site(routes)
    work = tmp_path / "deep" / "er" / "cwd"
    work.mkdir(parents=True)
    output = work / "out"
    before = set(tmp_path.rglob("*"))
    done = run(["crawl", "--base-url", site.base_url, "--output", "out", *FAST], cwd=work)
    assert done.returncode in (exit_codes.OK, exit_codes.CHECKS_FAILED), done.stderr
    assert len([p for p in site.paths() if "recordNo=" in p]) >= 3, site.paths()
    written = set(tmp_path.rglob("*")) - before
    assert written and all(p == output or output in p.parents for p in written), sorted(written)
    assert not any("escape" in p.name or "\x00" in str(p) for p in written)


# Calls that run or deserialise code; page data must never reach any of them.
FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__", "execfile"}
FORBIDDEN_ATTRIBUTES = {("pickle", "loads"), ("pickle", "load"), ("marshal", "loads"),
                        ("yaml", "load"), ("yaml", "unsafe_load"), ("os", "system"),
                        ("os", "popen"), ("dill", "loads"), ("shelve", "open")}


def dangerous_calls(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        if isinstance(function, ast.Name) and function.id in FORBIDDEN_CALLS:
            found.append(function.id)
        elif (isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name)
              and (function.value.id, function.attr) in FORBIDDEN_ATTRIBUTES):
            found.append(f"{function.value.id}.{function.attr}")
        elif any(k.arg == "shell" and getattr(k.value, "value", False) for k in node.keywords):
            found.append("shell=True")
    return found


def test_dangerous_call_finder_finds_them() -> None:
    code = "eval(x)\nimport pickle\npickle.loads(b)\nsubprocess.run(c, shell=True)\nyaml.load(s)"
    assert dangerous_calls(code) == ["eval", "pickle.loads", "shell=True", "yaml.load"]


def test_product_code_never_evaluates_or_unpickles_anything() -> None:
    files = [p for folder in PRODUCT for p in folder.rglob("*.py")]
    assert len(files) > 20
    found = {str(p.relative_to(ROOT)): calls for p in files
             if (calls := dangerous_calls(p.read_text(encoding="utf-8")))}
    assert found == {}


SCRIPTS = [
    "<script>require('fs').writeFileSync('{marker}', 'ran')</script>",
    "<script type=\"text/python\">open('{marker}', 'w').write('ran')</script>",
    "<img src=\"x\" onerror=\"open('{marker}', 'w')\">",
    "<?python open('{marker}', 'w') ?>",
]
TEMPLATE = " {{{{ __import__('os').system('touch {marker}') }}}}"


def after_first_sentence(html: str, sentence: str, payload: str) -> str:
    """`html` with `payload` inserted right after `sentence` (which it must contain)."""
    assert html.count(sentence) >= 1, sentence
    return html.replace(sentence, sentence + payload, 1)


def test_scripts_in_a_page_are_dropped_and_template_text_is_never_run(tmp_path: Path) -> None:
    mirror = MirrorSite.generate(records=3, seed=4)
    base = "http://127.0.0.1/"
    marker = tmp_path / "marker"
    for n in mirror.record_nos():
        url = mirror.article_urls(n, base)[0]
        html = mirror.render(n, base)
        clean = extract_page(html.encode(), url)
        sentence = clean.topics[0].sections[0].text.split(". ")[0] + "."
        for script in SCRIPTS:
            record = extract_page(after_first_sentence(html, sentence, script.format(marker=marker))
                                  .encode(), url)
            assert record == clean, script
        payload = TEMPLATE.format(marker=marker)
        record = extract_page(after_first_sentence(html, sentence, payload).encode(), url)
        assert sentence + payload in record.body_text  # kept as plain text, not run
    assert not marker.exists()


@pytest.mark.parametrize(("url", "on_site"), [
    ("http://127.0.0.1:8080/view_cir_articles.php?recordNo=1", True),
    ("HTTPS://sub.127.0.0.1/x", True),
    ("ftp://127.0.0.1/view_cir_articles.php?recordNo=1", False),
    ("file:///etc/passwd", False),
    ("data:text/html,<p>x</p>", False),
    ("s3://127.0.0.1/bucket", False),
    ("http://127.0.0.1.example.org/", False),
    ("http://127.0.0.1@example.org/", False),
])
def test_only_http_urls_of_the_site_are_on_site(url: str, on_site: bool) -> None:
    assert is_on_site(url, ["127.0.0.1"]) is on_site


@pytest.mark.parametrize("bad", ["globalpolitics.in", "ftp://127.0.0.1/", "file:///etc/", "http:///x"])
def test_a_base_url_that_is_not_http_is_a_usage_error(bad: str, tmp_path: Path) -> None:
    done = in_process("crawl", "--base-url", bad, "--output", str(tmp_path / "out"))
    assert done.returncode == exit_codes.USAGE
    assert "not an http(s) URL with a host" in done.stderr
    assert not (tmp_path / "out").exists()
