"""The site's keys in a URL: `recordNo` and `ArticleNo` (the CWA number).

Read with a regular expression over the query rather than `parse_qsl`, because `url=` values
can hold an unescaped `&` (`url=NIAS%20Fortnightly…%20&%20International%20Relations`).
"""

from __future__ import annotations

import re

_RECORD_NO = re.compile(r"[?&;]\s*recordNo\s*=\s*(\d+)", re.I)
_ARTICLE_NO = re.compile(r"[?&;]\s*ArticleNo\s*=\s*(\d+)", re.I)


def record_no_in(url: str | None) -> int | None:
    """`…?url=Conflict%20Weekly&recordNo=1012` -> 1012; None when absent."""
    match = _RECORD_NO.search(url or "")
    return int(match.group(1)) if match else None


def article_no_in(url: str | None) -> int | None:
    """`…?ArticleNo=67&url=…` -> 67 (the CWA number); None when absent."""
    match = _ARTICLE_NO.search(url or "")
    return int(match.group(1)) if match else None
