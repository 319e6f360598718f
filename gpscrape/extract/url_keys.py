"""The site's keys in a URL: `recordNo` and `ArticleNo` (the CWA number).

The one reading of these keys, used by the extractor and the crawler alike. The query is split
by hand rather than with `parse_qsl`, because `url=` values can hold an unescaped `&`
(`url=NIAS%20Fortnightly…%20&%20International%20Relations`); names match in any case, values
may be percent- or `+`-encoded, `&amp;` and `;` separate too, and the first numeric value wins.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import unquote_plus

_DIGITS = re.compile(r"\d+")


@lru_cache(maxsize=4096)
def _number(url: str | None, name: str) -> int | None:
    """The first numeric value of the key `name` (lower case); once per distinct URL, as the
    listings of consecutive pages link the same articles."""
    _, question, query = (url or "").partition("?")
    if not question:
        return None
    for part in query.split("#", 1)[0].replace(";", "&").split("&"):  # `&` and `;` separate
        key, equals, value = part.partition("=")
        if equals and _decoded(key).strip().lower().removeprefix("amp;") == name:
            value = _decoded(value).strip()
            if value.isdecimal():  # (what `_DIGITS` matches whole, without a call of it)
                return int(value)
            digits = _DIGITS.match(value)
            if digits:
                return int(digits.group())
    return None


def _decoded(text: str) -> str:
    """`unquote_plus(text)`, which gives back a text without `%` or `+` as it is."""
    return unquote_plus(text) if "%" in text or "+" in text else text


def record_no_in(url: str | None) -> int | None:
    """`…?url=Conflict%20Weekly&recordNo=1012` -> 1012; None when absent."""
    return _number(url, "recordno")


def article_no_in(url: str | None) -> int | None:
    """`…?ArticleNo=67&url=…` -> 67 (the CWA number); None when absent."""
    return _number(url, "articleno")
