"""w3lib's encoding readers, kept from stopping a run on a broken page.

Since w3lib 2.6 these readers run in native code (frostwork, written in Rust). On some broken
pages that code panics: frostwork 0.2.2 does on a page cut off just after a `<meta`. pyo3 raises
a panic as `pyo3_runtime.PanicException`, a `BaseException` that `except Exception` lets
through, so one such page would stop a crawl, an extraction worker or a rebuild. The readers
here take a panic as what the page is: one without a usable encoding declaration.
"""

from __future__ import annotations

from w3lib.encoding import html_body_declared_encoding, html_to_unicode

FALLBACK_ENCODING = "cp1252"  # the web's default for a page that declares nothing usable


def is_native_panic(error: BaseException) -> bool:
    """Whether `error` is a panic of native code raised through pyo3 (`PanicException`)."""
    kind = type(error)
    return kind.__name__ == "PanicException" and kind.__module__ == "pyo3_runtime"


def body_declared_encoding(body: bytes) -> str | None:
    """`html_body_declared_encoding(body)`; None where w3lib's native scan panics."""
    try:
        return html_body_declared_encoding(body)
    except BaseException as error:
        if not is_native_panic(error):
            raise
        return None


def body_to_unicode(body: bytes) -> str:
    """The text of `html_to_unicode(None, body)`; the bytes decoded as windows-1252 (bad bytes
    replaced) where w3lib's native scan panics."""
    try:
        return html_to_unicode(None, body)[1]
    except BaseException as error:
        if not is_native_panic(error):
            raise
        return body.decode(FALLBACK_ENCODING, errors="replace")
