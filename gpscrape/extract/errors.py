"""The one documented extraction error."""


class ExtractError(ValueError):
    """Raised when a page cannot be turned into a page record; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
