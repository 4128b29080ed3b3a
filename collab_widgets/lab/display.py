"""Tables and charts in a notebook as the pages show them: no row numbers, headings in
words, whole numbers without decimals, dates as the pages write them, a hidden figure
written “–” as on the page (never NaN), what people typed as text; a chart as the same
picture."""

from __future__ import annotations

import datetime as dt
import html
import math

import pandas as pd
from IPython.display import Image
from pandas.io.formats.style import Styler

from collab_widgets.core.charts import Chart
from collab_widgets.evidence.analysis import Table

HIDDEN = "–"  # what the pages write for a figure not shown
# the analysis' column names as the pages head them
HEADINGS = {
    "n": "students",
    "pct_correct": "percent correct",
    "top_distractor": "most chosen wrong answer",
    "top_share": "chosen by (%)",
    "mean_percent": "average percent",
    "pre": "before (%)",
    "post": "after (%)",
    "change": "change (points)",
}


def _heading(column) -> str:
    return HEADINGS.get(str(column), str(column).replace("_", " "))


def _cell(decimals: int):
    def shown(value) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return HIDDEN
        if isinstance(value, dt.date):
            return f"{value:%d %b %Y}"
        if isinstance(value, float):
            return f"{value:.0f}" if value.is_integer() else f"{value:.{decimals}f}"
        # what people typed, in any kind of cell (a list too), is shown as text
        return html.escape(str(value))

    return shown


def readable(table: pd.DataFrame | pd.Series | Table, decimals: int = 1) -> Styler:
    """``table`` without row numbers (a named index becomes its first column), headings
    in words, numbers to ``decimals`` places (whole numbers without), dates as the pages
    write them, and “–” where a figure is hidden or missing. What people typed is shown
    as text, never as HTML. The values themselves stay in ``.data``."""
    if isinstance(table, Table):
        frame = table.frame().drop(columns="suppressed", errors="ignore")
    elif isinstance(table, pd.Series):
        frame = table.reset_index()
    else:
        frame = table
    # a named index (the student, the item) is a column; row numbers, perhaps out of
    # order after sorting, are noise
    frame = frame.reset_index(drop=frame.index.name is None).rename(columns=_heading)
    styled = frame.style.hide(axis="index").format(_cell(decimals))
    return styled.format_index(escape="html", axis=1)


def picture(chart: Chart | None) -> Image | None:
    """The chart the page draws; nothing (and a line saying so) where the page has none."""
    if chart is None:
        print("No chart: the page shows none for this either.")
        return None
    return Image(data=chart.png, format="png", alt=chart.alt)
