"""A chart (PNG bytes and alt text from :mod:`collab_widgets.core.charts`) on a page."""

from __future__ import annotations

import html

import ipywidgets as widgets


class ChartView(widgets.VBox):
    """A chart picture with its alt text written out beneath it, or a note when empty."""

    def __init__(self, title: str = ""):
        self.title = title
        self.heading = widgets.HTML()
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="700px"))
        self.image.add_class("collab-chart")
        self.caption = widgets.HTML()
        super().__init__([self.heading, self.image, self.caption])

    def show(self, chart, empty: str = "The chart appears once someone has marked a norm.") -> None:
        self.heading.value = f"<b>{html.escape(self.title)}</b>" if self.title else ""
        if chart is None:
            self.image.layout.display = "none"
            self.caption.value = f"<p class='collab-note'>{html.escape(empty)}</p>"
            return
        self.image.value = chart.png
        self.image.layout.display = None
        self.caption.value = f"<p class='collab-alt'>{html.escape(chart.alt)}</p>"
