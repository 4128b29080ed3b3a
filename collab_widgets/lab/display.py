"""Tables and charts in a notebook as the pages show them: no index column, a hidden
figure written “–” as on the page, never NaN; a chart as the same picture."""

from __future__ import annotations

import pandas as pd
from IPython.display import Image
from pandas.io.formats.style import Styler

from collab_widgets.core.charts import Chart
from collab_widgets.evidence.analysis import Table

HIDDEN = "–"  # what the pages write for a figure not shown


def _heading(column) -> str:
    return str(column).replace("pct_", "percent_").replace("_", " ")


def readable(table: pd.DataFrame | pd.Series | Table, decimals: int = 1) -> Styler:
    """``table`` without row numbers (a named index becomes its first column), headings
    in words, numbers to ``decimals`` places, and “–” where a figure is hidden or missing.
    The numbers themselves stay in ``.data``."""
    if isinstance(table, Table):
        frame = table.frame().drop(columns="suppressed", errors="ignore")
    elif isinstance(table, pd.Series):
        frame = table.reset_index()
    else:
        frame = table
    # a named index (the student, the item) is a column; row numbers, perhaps out of
    # order after sorting, are noise
    frame = frame.reset_index(drop=frame.index.name is None)
    frame = frame.rename(columns=_heading)
    # what people typed (a note, a norm, a name in a file) is shown as text, never as HTML
    styled = frame.style.hide(axis="index").format(precision=decimals, na_rep=HIDDEN, escape="html")
    return styled.format_index(escape="html", axis=1)


def picture(chart: Chart | None) -> Image | str:
    """The chart the page draws, or a line saying there is none."""
    if chart is None:
        return "No chart: the page shows none for this either."
    return Image(data=chart.png, format="png", alt=chart.alt)
