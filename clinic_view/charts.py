"""Bar charts as inline SVG (matplotlib), text kept as text so it scales and can be read aloud.

A count under the report's threshold is drawn as a hatched bar of the
threshold's height, labelled "<5": the chart never encodes the real value.
"""
from __future__ import annotations

import io
import re
import textwrap
from html import escape
from typing import List, Optional

import warnings

with warnings.catch_warnings():  # matplotlib 3.5 (the newest Rasa 3.6 allows) calls pyparsing's old names
    warnings.simplefilter("ignore", DeprecationWarning)
    import matplotlib

    matplotlib.use("svg")
    import matplotlib.pyplot as plt

COLOUR = "#0b5cad"
HIDDEN_COLOUR = "#9bb7d6"
LABEL_WIDTH = 34  # characters per line of a bar's label
plt.rcParams.update({
    "svg.fonttype": "none",            # text as <text>, in the page's font (see page.STYLE): nothing to load
    "font.family": "sans-serif",
    "font.size": 10,
    "svg.hashsalt": "clinic-report",   # the same data gives the same file
})


def _svg(figure: plt.Figure, title: str) -> str:
    """The figure as an <svg> element to put inside HTML: no prolog, DOCTYPE or metadata; it scales with the page."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    plt.close(figure)
    text = re.sub(r"^.*?(?=<svg)", "", buffer.getvalue(), flags=re.S)
    text = re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)
    opening = f'<svg role="img" aria-label="{escape(title)}" '
    return re.sub(r'<svg ([^>]*?)width="[^"]*" height="[^"]*"', lambda m: opening + m.group(1), text, count=1)


def bar_chart(labels: List[str], values: List[int], hidden: List[bool], threshold: int,
              title: str, horizontal: bool = True, tick_every: Optional[int] = None) -> str:
    """A bar chart of counts; `hidden` bars show only that the count is under the threshold."""
    heights = [threshold if h else v for v, h in zip(values, hidden)]
    colours = [HIDDEN_COLOUR if h else COLOUR for h in hidden]
    if horizontal:
        wrapped = [textwrap.fill(label, LABEL_WIDTH) for label in labels]
        lines = sum(label.count("\n") for label in wrapped)
        figure, axes = plt.subplots(figsize=(7.5, 0.45 * len(labels) + 0.18 * lines + 0.9))
        bars = axes.barh(range(len(labels)), heights, color=colours)
        axes.set_yticks(range(len(labels)), wrapped)
        axes.invert_yaxis()
        axes.xaxis.get_major_locator().set_params(integer=True)
    else:
        figure, axes = plt.subplots(figsize=(9, 3.2))
        bars = axes.bar(range(len(labels)), heights, color=colours)
        step = tick_every or 1
        axes.set_xticks(range(0, len(labels), step), labels[::step], rotation=60, ha="right")
        axes.yaxis.get_major_locator().set_params(integer=True)
    for bar, is_hidden in zip(bars, hidden):
        if is_hidden:
            bar.set_hatch("///")
    axes.bar_label(bars, labels=[f"<{threshold}" if h else str(v) if v else "" for v, h in zip(values, hidden)],
                   padding=2, fontsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure, title)
