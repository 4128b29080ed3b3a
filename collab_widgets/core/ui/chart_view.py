"""A chart (PNG bytes and alt text from :mod:`collab_widgets.core.charts`) on a page."""

from __future__ import annotations

import html

import ipywidgets as widgets

from collab_widgets.core.ui.browser_parts import ChartImage


class ChartView(widgets.VBox):
    """A chart picture with its alt text written out beneath it, or a note when empty.
    The picture carries the same text as its alt text; the written-out copy is hidden
    from screen readers, which would otherwise read it twice."""

    def __init__(self, title: str = ""):
        self.title = title
        self.heading = widgets.HTML()
        self.image = ChartImage(layout=widgets.Layout(max_width="700px"))
        self.image.add_class("collab-chart-frame")
        self.caption = widgets.HTML()
        super().__init__([self.heading, self.image, self.caption])

    def show(self, chart, empty: str = "The chart appears once someone has marked a norm.") -> None:
        self.heading.value = f"<b>{html.escape(self.title)}</b>" if self.title else ""
        if chart is None:
            self.image.layout.display = "none"
            self.caption.value = f"<p class='collab-note'>{html.escape(empty)}</p>"
            return
        with self.image.hold_sync():
            self.image.value, self.image.alt = chart.png, chart.alt
        self.image.layout.display = None
        self.caption.value = (
            f"<p class='collab-alt' aria-hidden='true'>{html.escape(chart.alt)}</p>"
        )
