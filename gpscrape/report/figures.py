"""matplotlib figures rendered to inline SVG text (no pyplot, no global backend state)."""

from __future__ import annotations

import io
import re

from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.figure import Figure

WIDTH = 9.0  # inches; the page scales the SVG to its column
STYLE = {
    "svg.fonttype": "none",  # text stays text: smaller, selectable, searchable
    "text.parse_math": False,  # a `$` in a name or title is text, not TeX
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
}
_PROLOGUE = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)


def new_axes(height: float) -> tuple[Figure, Axes]:
    """A figure of the page's width and `height` inches, with one axes."""
    figure = Figure(figsize=(WIDTH, height), layout="constrained")
    return figure, figure.add_subplot()


def to_svg(figure: Figure, salt: str) -> str:
    """The figure as an `<svg>` element; `salt` keeps element ids unique within the page."""
    buffer = io.StringIO()
    with rc_context({**STYLE, "svg.hashsalt": salt}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return _PROLOGUE.sub("", buffer.getvalue(), count=1)
