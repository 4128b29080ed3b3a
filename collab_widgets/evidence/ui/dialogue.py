"""The Dialogue tab: a Data-Driven Dialogue about one assessment, run live through the
protocol runner and its board. Members write predictions before the chart appears; it
shows from the step after Predict. Earlier dialogues about the assessment follow."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from collab_widgets.core.db import TeamScope
from collab_widgets.core.errors import NotFound
from collab_widgets.core.ui.chart_view import ChartView
from collab_widgets.core.ui.feedback import StatusLine, guarded
from collab_widgets.core.ui.layout import heading, note, note_html, refill, text_block
from collab_widgets.evidence import saved, store, views
from collab_widgets.protocols import store as runs
from collab_widgets.protocols.library import Library, load_library
from collab_widgets.protocols.model import FINISHED, Run
from collab_widgets.protocols.render import run_html

DIALOGUE = "data-driven-dialogue"
PREDICT = "predict"


def dialogue_library() -> Library:
    """The protocols a dialogue's live panel offers: the Data-Driven Dialogue alone."""
    library = load_library()
    return Library({DIALOGUE: library.get(DIALOGUE)}) if library.get(DIALOGUE) else library


class DialoguePanel(widgets.VBox):
    def __init__(
        self,
        scope: TeamScope,
        status: StatusLine,
        make_live: Callable[[Callable[[Run | None], None]], widgets.Widget],
    ):
        """``make_live(follow)`` makes the live protocol panel (protocols' LivePanel over
        :func:`dialogue_library`, given by the app) telling ``follow`` of each refresh."""
        self.scope = scope
        self.status = status
        self.filling = False  # while refresh changes the choice, its observer waits
        self.shown: int | None = None  # the assessment whose chart is on screen
        self.assessment = widgets.Dropdown(
            description="Talk about", layout=widgets.Layout(width="100%")
        )
        self.assessment.add_class("collab-dialogue-assessment")
        self.assessment.observe(
            guarded(status)(lambda _c: None if self.filling else self._chose()), "value"
        )
        self.chart = ChartView()
        self.chart.add_class("collab-dialogue-chart")
        self.earlier = text_block()
        self.earlier.add_class("collab-dialogue-earlier")
        self.live = make_live(self._follow)
        super().__init__(
            [
                heading("Data-Driven Dialogue"),
                note(
                    "Predict first (anonymous notes), then look at the chart together, state "
                    "what you observe (facts only), then infer and question. Everything is "
                    "saved with the assessment and the meeting."
                ),
                self.assessment,
                self.chart,
                self.live,
                heading("Earlier dialogues about this assessment", 4),
                self.earlier,
            ]
        )
        self.add_class("collab-dialogue")

    def refresh(self) -> None:
        """The team's assessments again (one added, renamed or trashed), and the live run."""
        self.filling = True
        try:
            refill(self.assessment, [(a.name, a.id) for a in store.assessments(self.scope)])
        finally:
            self.filling = False
        self._chose()
        self.live.refresh()

    def settings_changed(self) -> None:
        """The team's settings changed: the chart on screen is drawn with the new ones."""
        self.shown = None
        self._follow(runs.live_run(self.scope))

    def _chose(self) -> None:
        self.live.about(self.assessment.value)
        self._show_earlier()

    def _show_earlier(self) -> None:
        if self.assessment.value is None:
            self.earlier.value = note_html("Add an assessment under Add scores first.")
            return
        finished = [
            r
            for r in runs.assessment_runs(self.scope, self.assessment.value)
            if r.state.status == FINISHED
        ]
        self.earlier.value = "".join(run_html(self.scope, r) for r in finished) or (
            note_html("None yet.")
        )

    def _follow(self, run: Run | None) -> None:
        """Show the running dialogue's chart, once its predictions are made."""
        if run is None or run.assessment_id is None:
            self.shown = None
            self.chart.show(None, "The chart shows here while a dialogue about it runs.")
            self._show_earlier()  # a dialogue that just ended is listed at once
            return
        if run.current.key == PREDICT:
            self.shown = None
            self.chart.show(
                None,
                "Predictions first: the chart appears when the facilitator moves on from Predict.",
            )
            return
        if self.shown == run.assessment_id:
            return
        try:
            scores = saved.load(self.scope, run.assessment_id)
        except NotFound as exc:
            self.chart.show(None, str(exc))
            return
        _, chart = views.items_view(scores, store.settings(self.scope))
        self.chart.show(chart)
        self.shown = run.assessment_id
