"""The one documented extraction error."""


class ExtractError(ValueError):
    """Raised when a page cannot be turned into a page record; `reason` says why.

    `no_content` is True for a readable page that holds neither an article nor listing
    entries (an error page, an index of links): crawlers count it as missing, not broken.
    """

    def __init__(self, reason: str, *, no_content: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.no_content = no_content
