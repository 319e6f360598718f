"""An extraction worker reads an HTML page whose encoding Scrapy takes from its headers or its
own declaration from the bytes alone, without Scrapy (half a worker's start): the encoding and
the agreement of the two decodings it reads from the bytes are those of Scrapy's response, and
it imports Scrapy only for a page that needs it."""

from __future__ import annotations

import codecs
import subprocess
import sys
from pathlib import Path

from run_command import ROOT
from scrapy.http import HtmlResponse

from gpscrape.commands.fixtures import load_cases
from gpscrape.extract.response import declared_encoding, same_bytes_decoding, same_decoding
from gpscrape.outcome import judge_html, judge_response

CASES = load_cases(Path(__file__).parent / "fixtures" / "pages")
URL = "http://127.0.0.1:8000/view_cir_articles.php?recordNo=7"
PAGE = "<html><head>{meta}</head><body><p>{text}</p><a href='/a'>a</a></body></html>"


def _bodies() -> list[tuple[bytes, bytes | None, str | None]]:
    """(body, Content-Type, encoding given) of pages whose decodings agree or do not."""
    pages = [(case.page_path.read_bytes(), f"text/html; charset={charset}".encode(), None)
             for case in CASES for charset in ("utf-8", "iso-8859-1", "utf8")]
    odd = [
        (PAGE.format(meta="", text="caf\u00e9").encode(), b"text/html; charset=utf-8", None),
        (PAGE.format(meta="", text="plain").encode(), b"text/html", None),  # inferred
        (PAGE.format(meta='<meta charset="utf-8">', text="caf\u00e9").encode(), None, None),
        (PAGE.format(meta="", text="caf\u00e9").encode("cp1252"), b"text/html; charset=utf-8",
         None),  # not UTF-8 at all
        (PAGE.format(meta="", text="\ufffd literal").encode(), b"text/html; charset=utf-8",
         None),
        (b"\xef\xbb\xbf" + PAGE.format(meta="", text="bom \u00e9").encode(), b"text/html",
         None),
        (PAGE.format(meta="", text="caf\u00e9").encode("utf-16"), b"text/html", None),
        (PAGE.format(meta="", text="bell \x07 here").encode(), b"text/html; charset=utf-8",
         None),
        (PAGE.format(meta="", text="caf\u00e9").encode(), b"text/html; charset=cp1252", None),
        (PAGE.format(meta="", text="caf\u00e9").encode(), b"text/html; charset=utf-8",
         "cp1252"),
        (PAGE.format(meta="", text="plain").encode(), b"text/html; charset=x-no-such", None),
        (b"no markup at all", b"text/html; charset=utf-8", None),
    ]
    return pages + odd


def test_the_bytes_tell_scrapys_declared_encoding_and_whether_the_decodings_agree() -> None:
    declared_somewhere = 0
    for body, content_type, given in _bodies():
        headers = {b"Content-Type": content_type} if content_type else None
        response = HtmlResponse(URL, body=body, headers=headers, encoding=given)
        declared = declared_encoding(body, content_type, given)
        if declared is None:  # Scrapy infers it from the bytes: the worker asks Scrapy
            assert response._declared_encoding() is None
            continue
        declared_somewhere += 1
        assert declared == response.encoding, (body[:80], content_type)
        try:
            codecs.lookup(declared)
        except LookupError:  # Scrapy's own check fails on it: the worker asks Scrapy
            assert not same_bytes_decoding(body, declared)
            continue
        assert same_bytes_decoding(body, declared) == same_decoding(response), (
            body[:80], content_type, given)
    assert declared_somewhere >= len(CASES) * 3


JUDGE = """
import sys
from gpscrape.extract_worker import judge_job
body = open(sys.argv[1], "rb").read()
verdict, links, digest, checked = judge_job(
    (sys.argv[2], body, "html", sys.argv[3].encode() or None, None, None))
print(verdict.name, len(links) > 0, "scrapy" in sys.modules, "parsel" in sys.modules,
      "gpscrape.run_report" in sys.modules, "dateparser" in sys.modules)
"""


def _judged_in_a_fresh_process(page: Path, url: str, content_type: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", JUDGE, str(page), url, content_type],
                          capture_output=True, text=True, cwd=ROOT, timeout=120, check=True)
    return done.stdout.split()


def test_a_worker_imports_scrapy_and_parsel_only_for_a_page_that_needs_them(tmp_path: Path) -> None:
    """Nor, for any page, the run reports (the validator's stats key lives with it) or
    dateparser (the site's date formats never need it)."""
    case = next(c for c in CASES if same_bytes_decoding(c.page_path.read_bytes(), "utf-8")
                and declared_encoding(c.page_path.read_bytes(), None, None) is None)
    assert _judged_in_a_fresh_process(case.page_path, case.url,
                                      "text/html; charset=utf-8") == [
        "record", "True", "False", "False", "False", "False"]
    # No charset anywhere: Scrapy infers the encoding from the bytes, so the worker asks it.
    assert _judged_in_a_fresh_process(case.page_path, case.url, "text/html") == [
        "record", "True", "True", "True", "False", "False"]


def test_a_page_read_from_its_bytes_gets_the_verdict_and_links_of_its_response() -> None:
    index = PAGE.format(meta="", text="Home").encode()  # nothing to extract: an index page
    pages = [(body, content_type, given) for body, content_type, given in _bodies()
             if content_type is not None] + [(index, b"text/html; charset=utf-8", None)]
    read = 0
    for body, content_type, given in pages:
        for url, guess in ((URL, None), (URL, "probe"), ("http://127.0.0.1:8000/", None)):
            judged = judge_html(body, url, content_type, given, guess)
            if judged is None:
                continue
            read += 1
            response = HtmlResponse(url, body=body, headers={b"Content-Type": content_type},
                                    encoding=given)
            assert judged == judge_response(response, 200, guess, from_body=True), body[:80]
    assert read >= len(CASES) * 3
