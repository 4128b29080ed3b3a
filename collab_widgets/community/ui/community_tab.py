"""What the community tabs share: a panel that redraws when something was saved from the
page, a card, dates and counts in words, and the coverage of the six types (a chart and
its table)."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Sequence

import ipywidgets as widgets

from collab_widgets.community import rules
from collab_widgets.community.model import Coverage
from collab_widgets.community.ui.state import READ_ONLY, CommunityState
from collab_widgets.core.errors import CollabError, InvalidInput
from collab_widgets.core.ui.chart_view import ChartView
from collab_widgets.core.ui.feedback import StatusLine, guarded
from collab_widgets.core.ui.layout import (
    html_table,
    note,
    refill,
    side_by_side,
    stacked,
    text_block,
)
from collab_widgets.core.ui.looks import shared_layout


def wide() -> widgets.Layout:
    """The page's one layout for a control as wide as its text (and no wider)."""
    return shared_layout(width="auto")


def card(children: Sequence[widgets.Widget], css: str) -> widgets.VBox:
    box = stacked(children)
    box.add_class("collab-card")
    box.add_class(css)
    return box


def row(children: Sequence[widgets.Widget]) -> widgets.HBox:
    """Controls side by side that wrap onto the next line on a narrow screen."""
    return side_by_side(children, flex_flow="row wrap")


def day(when: dt.date | None) -> str:
    return f"{when:%d %b %Y}" if when else "—"


def students(count: int | None, minimum: int = rules.MIN_GROUP) -> str:
    """A count of students, or "fewer than 5" when the store hid it (None) or it is small."""
    if count is None or 0 < count < minimum:
        return f"fewer than {minimum}"
    return str(count)


def hours(value: float) -> str:
    return f"{value:g}"


def words(items: Sequence[str], names: dict[str, str] | None = None) -> str:
    names = names or {}
    return ", ".join(names.get(item, item) for item in items) or "—"


def typed_list(text: str) -> list[str]:
    """Words typed with commas between them ("robotics, football"), blanks dropped."""
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def need(value, what: str):
    """``value``, or a plain message that ``what`` must be chosen first."""
    if value is None:
        raise InvalidInput(f"Choose {what} first.")
    return value


def involvement_options() -> list[tuple[str, str]]:
    try:
        return [(name, kind) for kind, name in rules.involvement_names().items()]
    except CollabError:  # the library file is broken: its message shows on the page
        return []


def fill(dropdown: widgets.Dropdown, panel: Panel, options: list[tuple[str, object]]) -> None:
    """New options for a dropdown the panel observes (its observer waits: ``filling``)."""
    panel.filling = True
    try:
        refill(dropdown, options)
    finally:
        panel.filling = False


def coverage_rows(coverage: Sequence[Coverage]) -> list[list[str]]:
    names = rules.involvement_names()
    return [
        [
            names.get(c.involvement, c.involvement),
            str(c.planned),
            str(c.happened),
            str(c.done),
            ", ".join(f"{source}: {n}" for source, n in c.sources.items() if n) or "—",
        ]
        for c in coverage
    ]


class CoverageView(widgets.VBox):
    """The coverage chart (with its alt text written out) and the same numbers as a table."""

    def __init__(self, title: str):
        self.chart = ChartView(title)
        self.table = text_block()
        self.table.add_class("collab-community-coverage")
        super().__init__([self.chart, self.table])

    def show(self, coverage: Sequence[Coverage]) -> None:
        coverage = tuple(coverage)
        self.chart.show(
            rules.coverage_chart(coverage) if coverage else None,
            "The chart appears once the school has a plan or an activity.",
        )
        self.table.value = html_table(
            ["Type of involvement", "Planned", "Planned and happened", "Done", "Where from"],
            coverage_rows(coverage),
            "collab-table collab-community-coverage-table",
        )


class Panel(widgets.VBox):
    """A tab of the community page: ``refresh()`` draws it from the store, and it redraws
    when something was saved from the page (``state.revision``). ``editing`` holds the
    coordinator's controls, built only for the coordinator: the principal's page has none
    (and the store refuses the principal's writes anyway)."""

    def __init__(self, state: CommunityState, status: StatusLine):
        self.state, self.scope, self.status = state, state.scope, status
        self.filling = False
        self.guard = guarded(status)
        self.redraw = guarded(status, flush=False)
        self.watching: list[tuple[Callable, str]] = []
        super().__init__()

    def lay_out(self, children: Sequence[widgets.Widget], css: str) -> None:
        shown = list(children)
        if not self.state.can_change:
            shown.insert(1, note(READ_ONLY))
        self.children = tuple(shown)
        self.add_class(css)
        self.watch("revision")

    def watch(self, name: str) -> None:
        handler = self.redraw(lambda _change: self.refresh())
        self.state.observe(handler, name)
        self.watching.append((handler, name))

    def on_pick(self, dropdown: widgets.Dropdown, action: Callable[[object], None]) -> None:
        """``action(value)`` when the visitor picks in ``dropdown`` (not while it is filled)."""

        def picked(change) -> None:
            if not self.filling:
                action(change["new"])

        dropdown.observe(self.redraw(picked), "value")

    def refresh(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        for handler, name in self.watching:
            with contextlib.suppress(ValueError):
                self.state.unobserve(handler, name)
        self.watching = []
        super().close()
