"""Pulse surveys: the facilitator opens a round of an instrument; each member answers once
on their own device, anonymously; results (subscale means with their spread, trended over
the rounds) show only once the round's minimum have answered. The page follows other
members' answers through the live engine's change counter."""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as widgets

from collab_widgets.core import charts
from collab_widgets.core.db import Permission, TeamScope
from collab_widgets.core.ui.chart_view import ChartView
from collab_widgets.core.ui.feedback import StatusLine, guarded
from collab_widgets.core.ui.layout import (
    button,
    heading,
    html_table,
    note,
    refill,
    replace_children,
    set_shown,
    stacked,
    text_block,
)
from collab_widgets.instruments import store as surveys
from collab_widgets.instruments.library import load_instruments
from collab_widgets.instruments.model import SurveyRound
from collab_widgets.instruments.schema import Instrument
from collab_widgets.instruments.scoring import agreement, check_answer, summarise, trend_series
from collab_widgets.live.rules import LiveLoop


class SurveyPanel(widgets.VBox):
    def __init__(
        self, scope: TeamScope, status: StatusLine, chosen_meeting: Callable[[], int | None]
    ):
        self.scope = scope
        self.status = status
        self.chosen_meeting = chosen_meeting  # the meeting chosen at the page's top
        self.library = load_instruments()
        self.instrument = widgets.Dropdown(
            description="Instrument",
            options=[(i.title, key) for key, i in self.library.items()],
            layout=widgets.Layout(width="100%"),
        )
        self.instrument.add_class("collab-survey-instrument")
        self.minimum = widgets.BoundedIntText(
            description="Show results from",
            min=surveys.MIN_RESPONDENTS,
            max=50,
            value=3,
            style={"description_width": "140px"},
        )
        start = button("Open the survey", "Members answer on their own devices", name="open-survey")
        start.on_click(guarded(status)(lambda _b: self._open()))
        self.opener = stacked([self.instrument, self.minimum, start])
        self.round = widgets.Dropdown(description="Survey", layout=widgets.Layout(width="100%"))
        self.round.add_class("collab-survey-round")
        self.filling = False
        self.round.observe(
            guarded(status)(lambda _c: None if self.filling else self._show()), "value"
        )
        self.form = stacked()
        self.form.add_class("collab-survey-form")
        self.count = text_block()
        self.count.add_class("collab-survey-count")
        self.results = text_block()
        self.results.add_class("collab-survey-results")
        self.chart = ChartView()
        self.chart.add_class("collab-survey-chart")
        self.loop = LiveLoop(scope.revision, guarded(status)(self._show))
        super().__init__(
            [
                heading("Pulse survey"),
                note(
                    "Anonymous: the workbook keeps whether you answered apart from your "
                    "answer, and shows results only once enough members have answered."
                ),
                self.opener,
                self.round,
                self.count,
                self.form,
                self.results,
                self.chart,
            ]
        )
        self.add_class("collab-surveys")

    def refresh(self) -> None:
        set_shown(self.opener, self.scope.allows(Permission.FACILITATE))
        rounds = [r for r in surveys.rounds(self.scope) if r.instrument in self.library]
        self.filling = True
        try:
            refill(self.round, [(self._label(r), r.id) for r in reversed(rounds)])
        finally:
            self.filling = False
        self._show()
        self.loop.start()

    def close_live(self) -> None:
        self.loop.stop()

    @staticmethod
    def _label(survey: SurveyRound) -> str:
        state = "closed" if survey.closed_at else "open"
        return f"{survey.title} ({survey.opened_at.astimezone():%d %b %Y}, {state})"

    def _open(self) -> None:
        instrument = self.library[self.instrument.value]
        round_id = surveys.open_round(
            self.scope,
            instrument.key,
            instrument.title,
            self.minimum.value,
            self.chosen_meeting(),
        )
        self.refresh()
        self.round.value = round_id
        self.status.ok("The survey is open: everyone answers it on this page.")

    def _show(self) -> None:
        self.loop.seen = self.scope.revision()
        if self.round.value is None:
            self.count.value = "<p class='collab-note'>No survey yet.</p>"
            replace_children(self.form, [])
            self.results.value = ""
            self.chart.show(None, empty="")
            return
        survey = surveys.get_round(self.scope, self.round.value)
        instrument = self.library[survey.instrument]
        self.count.value = f"<p>{survey.answered} answered so far.</p>"
        self._show_form(survey, instrument)
        answers = surveys.results(self.scope, survey.id)
        if answers is None:
            self.results.value = (
                f"<p class='collab-note'>Results show once {survey.min_respondents} members "
                f"have answered ({survey.answered} so far).</p>"
            )
        else:
            summary = summarise(instrument, answers, survey.min_respondents)
            low, high = instrument.scale.min, instrument.scale.max
            rows = [
                [
                    s.title,
                    f"{s.mean:.2f}",
                    agreement(s.sd, low, high),
                    f"{s.min:g} to {s.max:g}",
                    str(s.n),
                ]
                for s in summary.subscales
                if s.shown and s.mean is not None
            ]
            self.results.value = html_table(
                [
                    "Part",
                    f"Average ({low} to {high})",
                    "How much we agree",
                    "Lowest to highest",
                    "Answers",
                ],
                rows,
            )
        self._show_trend(instrument)

    def _show_form(self, survey: SurveyRound, instrument: Instrument) -> None:
        if survey.closed_at is not None or self.scope.member_id is None:
            replace_children(self.form, [])
            return
        if surveys.has_answered(self.scope, survey.id):
            replace_children(self.form, [note("Thank you: you have answered this survey.")])
            return
        if getattr(self.form, "round_id", None) == survey.id and self.form.children:
            return  # the member may be half-way through: keep what they chose
        scale = instrument.scale
        self.choices = {}
        rows = []
        for item in instrument.items:
            choice = widgets.RadioButtons(
                options=[
                    (f"{p} {label}", p) for p, label in zip(scale.points, scale.labels, strict=True)
                ],
                value=None,
                description="",
                layout=widgets.Layout(width="auto"),
            )
            choice.add_class(f"collab-survey-item-{item.key}")
            self.choices[item.key] = choice
            rows += [text_block(f"<b>{html.escape(item.text)}</b>"), choice]
        send = button(
            "Send my answer",
            "Send it anonymously; it cannot be changed",
            "primary",
            name="send-answer",
        )
        send.on_click(guarded(self.status)(lambda _b: self._send_answer(survey.id, instrument)))
        replace_children(self.form, [*rows, send])
        self.form.round_id = survey.id

    def _send_answer(self, round_id: int, instrument: Instrument) -> None:
        given = {key: c.value for key, c in self.choices.items() if c.value is not None}
        surveys.answer(self.scope, round_id, check_answer(instrument, given))
        self.status.ok("Thank you: your answer is in, without your name.")
        self._show()

    def _show_trend(self, instrument: Instrument) -> None:
        rounds = [
            # each round hidden below its own minimum, as its table is
            (
                f"{r.opened_at.astimezone():%d %b}",
                surveys.results(self.scope, r.id) or [],
                r.min_respondents,
            )
            for r in surveys.rounds(self.scope, instrument.key)
        ]
        series = trend_series(instrument, rounds)
        if series is None:
            self.chart.show(None, empty="The trend appears from the second round on.")
            return
        self.chart.show(
            charts.survey_trend(
                f"{instrument.title} across rounds",
                [label for label, _answers, _minimum in rounds],
                series,
                (instrument.scale.min, instrument.scale.max),
            )
        )
