"""The byte scan in C (`gpscrape/extract/_scan.pyx`): built from the source in the tree, and
telling UTF-8 and control bytes exactly as Python's strict decoder and `blocks._CONTROL` do;
pages it lets through undecoded give the blocks the decoded text gives. Its digit test finds
what `\\d` finds, in texts of one, two and four bytes a character."""

from __future__ import annotations

import hashlib
import random
import re
from pathlib import Path

import pytest

from gpscrape.extract import _scan
from gpscrape.extract.blocks import _CONTROL, decode, parse_blocks

SOURCE = Path(__file__).resolve().parents[1] / "gpscrape" / "extract" / "_scan.pyx"


def expected_flags(data: bytes) -> int:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        utf8 = _scan.NOT_UTF8
    else:
        utf8 = 0
    control = _scan.CONTROL if _CONTROL.search(data.decode("latin-1")) else 0
    return utf8 | control


def test_the_compiled_scan_is_built_from_the_source_in_the_tree() -> None:
    built = hashlib.sha256(SOURCE.read_bytes()).hexdigest()
    assert built == _scan.SOURCE_SHA256, "stale build of _scan.pyx: run `make setup`"


@pytest.mark.parametrize("data", [
    b"", b"plain ascii, long enough to take the eight-byte path\r\n\tand more",
    "caf\u00e9 \u20ac \U0001f600".encode(), b"\xef\xbb\xbfBOM", b"tab\there", b"bell\x07",
    b"del\x7f", b"nul\x00", b"\x1f", b"\xc0\xaf", b"\xc2", b"\xe0\x80\x80", b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80", b"\xf5\x80\x80\x80", b"\xe2\x82", b"\x80 stray", b"12345678\x01",
    b"\xff\x01 both",
])
def test_the_edges_of_utf8_and_of_control_bytes(data: bytes) -> None:
    assert _scan.scan(data) == expected_flags(data)


def test_random_bytes_are_judged_as_the_strict_decoder_judges_them() -> None:
    rng = random.Random(14)
    alphabet = [*range(0, 0x20), 0x7f, *range(0x80, 0x100)] + [ord("a")] * 40
    for _ in range(20_000):
        data = bytes(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        assert _scan.scan(data) == expected_flags(data), data
    for _ in range(2_000):  # valid UTF-8 of every length, cut anywhere
        text = "".join(chr(rng.choice([rng.randint(0x20, 0x7e), rng.randint(0x80, 0x7ff),
                                       rng.randint(0x800, 0xd7ff), rng.randint(0xe000, 0xffff),
                                       rng.randint(0x10000, 0x10ffff)])) for _ in range(12))
        data = text.encode()[: rng.randint(0, 40)]
        assert _scan.scan(data) == expected_flags(data), data


@pytest.mark.parametrize("prefix", [b"", b"\xef\xbb\xbf", b"  \n", "\u3000".encode()])
def test_an_xml_declaration_is_dropped_from_undecoded_pages_too(prefix: bytes) -> None:
    page = prefix + ("<?xml version=\"1.0\" encoding=\"utf-8\"?><html><body><p>\u00e9t\u00e9</p>"
                     "</body></html>").encode()
    assert [b.text for b in parse_blocks(page)] == ["\u00e9t\u00e9"]
    assert [b.text for b in parse_blocks(decode(page))] == ["\u00e9t\u00e9"]


def test_a_digit_is_what_the_expression_calls_one() -> None:
    digit = re.compile(r"\d")
    for code in range(0x110000):  # each character alone: a one-, two- or four-byte text
        assert _scan.has_digit(chr(code)) == bool(digit.search(chr(code))), hex(code)
    rng = random.Random(46)
    alphabet = "ab 1\u00e9\u00b2\u2019\u0663\u00bd\U0001f600\U0001d7ce\u2167"
    for _ in range(5_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert _scan.has_digit(text) == bool(digit.search(text)), text
