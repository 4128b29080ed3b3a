"""The Workshops & feedback tab: the class's teacher plans family workshops (a title in
English and, if written, Spanish; a day, a time, a place and the type of involvement it
serves), sees who signed up on their own page and marks who came; and runs the anonymous
family feedback survey in rounds, whose totals show only once the survey's minimum of
families has answered, trended over the year.

A teammate, a coach or a visitor holding the team link reads the numbers only."""

from __future__ import annotations

import contextlib
import datetime as dt
import html

import ipywidgets as widgets

from collab_widgets.core.db import TeamScope
from collab_widgets.core.errors import CollabError, InvalidInput, NotFound
from collab_widgets.core.model import plural
from collab_widgets.core.ui.confirm import Confirm
from collab_widgets.core.ui.feedback import SavedIndicator, StatusLine, guarded
from collab_widgets.core.ui.layout import (
    button,
    form_button,
    heading,
    html_table,
    note,
    note_html,
    refill,
    set_shown,
    side_by_side,
    stacked,
    text_block,
)
from collab_widgets.families import library
from collab_widgets.families.model import FeedbackSummary, Workshop
from collab_widgets.families.store import class_meetings, family_workshops, guardians
from collab_widgets.families.ui import family_words as words
from collab_widgets.families.ui.state import FamilyState
from collab_widgets.families.ui.ticks import refill_ticks

DEFAULT_ROUND = "After the class family meeting"


def _card(children: list[widgets.Widget], css: str) -> widgets.VBox:
    box = stacked(children)
    box.add_class("collab-card")
    box.add_class(css)
    return box


def feedback_table(
    rounds: list[FeedbackSummary], questions: list[tuple[str, str]]
) -> tuple[list[str], list[list[str]]]:
    """The feedback's trend: a row per question (``(id, English text)``), a column per
    round, oldest first; a round under its minimum shows no figure, and says why."""
    columns = ["Statement"] + [
        f"{r.title} ({r.opened_on:%d %b %Y}{', open' if r.open else ''})" for r in rounds
    ]
    rows = [
        ["Families who answered"]
        + [
            f"{r.answered}" if r.means else f"{r.answered} (shown once {r.minimum} have answered)"
            for r in rounds
        ]
    ]
    for question_id, text in questions:
        rows.append(
            [text]
            + [
                f"{r.means[question_id]:.1f} of 4" if question_id in r.means else "—"
                for r in rounds
            ]
        )
    return columns, rows


class WorkshopsPanel(widgets.VBox):
    """``refresh()`` draws the open class's workshops and feedback rounds."""

    def __init__(
        self,
        scope: TeamScope,
        state: FamilyState,
        status: StatusLine,
        indicator: SavedIndicator,
    ):
        self.scope, self.state, self.status, self.indicator = scope, state, status, indicator
        self.filling = False
        self.found_workshops: list[Workshop] = []
        self.family_names: dict[int, str] = {}
        self.came_boxes: dict[int, widgets.Checkbox] = {}
        self.open_round: FeedbackSummary | None = None
        guard = guarded(status)
        redraw = guarded(status, flush=False)
        try:
            self.types = library.load_involvement()
            self.survey = library.load_feedback_survey()
        except CollabError as exc:
            status.error(str(exc))
            self.types, self.survey = (), None

        # --- a new workshop --------------------------------------------------------------
        today = scope.store.clock.today()
        self.title_en = widgets.Text(
            description="Title",
            placeholder="e.g. Fraction games at home",
            layout=widgets.Layout(width="auto"),
        )
        self.title_es = widgets.Text(
            description="En español",
            placeholder="título (optional)",
            tooltip="Spanish-speaking families read this title; without it, the English one",
            layout=widgets.Layout(width="auto"),
        )
        self.day = widgets.DatePicker(description="Day", value=today + dt.timedelta(days=14))
        self.starts_at = widgets.Text(description="At", value="17:30", placeholder="e.g. 17:30")
        self.place = widgets.Text(description="Place", placeholder="e.g. the library")
        self.kind = widgets.Dropdown(
            description="Involvement",
            options=[(t.name, t.id) for t in self.types],
            value="parenting" if any(t.id == "parenting" for t in self.types) else None,
            tooltip="The type of involvement the workshop serves",
        )
        add = form_button(
            "Add the workshop",
            "Families see it on their own page and can sign up",
            [self.title_en, self.title_es, self.starts_at, self.place],
            "primary",
            "add-family-workshop",
        )
        add.on_click(guard(lambda _b: self._add()))
        self.adding = _card(
            [
                heading("Plan a family workshop", 4),
                side_by_side([self.title_en, self.title_es], flex_flow="row wrap"),
                side_by_side([self.day, self.starts_at, self.place], flex_flow="row wrap"),
                self.kind,
                add,
            ],
            "collab-family-workshop-add",
        )
        self.table = text_block()
        self.table.add_class("collab-family-workshops")
        self.workshop = widgets.Dropdown(
            description="Workshop", options=[], layout=widgets.Layout(width="auto")
        )
        self.workshop.observe(
            redraw(lambda _c: None if self.filling else self._draw_workshop()), "value"
        )
        self.came_count = text_block()
        self.came_list = widgets.GridBox(
            [], layout=widgets.Layout(grid_template_columns="repeat(auto-fill, minmax(220px, 1fr))")
        )
        self.came_list.add_class("collab-family-workshop-attendance")
        self.delete = Confirm(
            "Delete this workshop",
            "The workshop and its sign-ups",
            "Delete this workshop with its sign-ups and attendance? Families no longer see it.",
            "Yes, delete it",
            lambda: self._delete(),
            status,
            style="danger",
            name="delete-family-workshop",
        )
        self.one = _card(
            [
                heading("Who signed up, who came", 4),
                self.workshop,
                self.came_count,
                self.came_list,
                self.delete,
            ],
            "collab-family-workshop-one",
        )
        self.no_workshops = note("No family workshop yet.")

        # --- feedback ---------------------------------------------------------------------
        self.round_title = widgets.Text(
            description="Round", value=DEFAULT_ROUND, layout=widgets.Layout(width="auto")
        )
        opener = form_button(
            "Open a feedback round",
            "Families answer on their own page, without their name",
            [self.round_title],
            name="open-feedback",
        )
        opener.on_click(guard(lambda _b: self._open_round()))
        self.close_round = button(
            "Close the open round", "Families can no longer answer it", name="close-feedback"
        )
        self.close_round.on_click(guard(lambda _b: self._close_round()))
        self.round_state = text_block()
        self.results = text_block()
        self.results.add_class("collab-family-feedback")
        minimum = self.survey.min_respondents if self.survey else 0
        self.feedback = _card(
            [
                heading("Family feedback", 4),
                note(
                    "An anonymous survey on the families' own pages: no name and no time is "
                    f"kept with an answer, and a round's totals show only once {minimum} "
                    "families have answered. Opening a round closes the one still open."
                ),
                side_by_side([self.round_title, opener], flex_flow="row wrap"),
                self.round_state,
                self.close_round,
                self.results,
            ],
            "collab-family-feedback-card",
        )
        self.outsiders = note("")
        self.numbers = text_block()
        self.no_class = note("Choose a class on the Families tab first.")
        self.teacher = stacked(
            [self.adding, self.table, self.no_workshops, self.one, self.feedback]
        )
        self.body = stacked([self.outsiders, self.numbers, self.teacher])
        super().__init__(
            [
                heading("Workshops & feedback"),
                note(
                    "Workshops for the class's families, and what families tell you, "
                    "without their names."
                ),
                self.no_class,
                self.body,
            ]
        )
        self.add_class("collab-family-workshops-tab")
        self.watching = [
            (redraw(lambda _c: self.refresh()), "class_id"),
            (redraw(lambda _c: self.refresh()), "revision"),
        ]
        for handler, name in self.watching:
            state.observe(handler, name)

    # --- drawing --------------------------------------------------------------------------

    def refresh(self) -> None:
        class_id = self.state.class_id
        set_shown(self.no_class, class_id is None)
        set_shown(self.body, class_id is not None)
        if class_id is None:
            return
        yours = self.state.yours
        set_shown(self.outsiders, not yours)
        set_shown(self.numbers, not yours)
        set_shown(self.teacher, yours)
        if not yours:
            self.outsiders.value = note_html(
                words.outsiders_note(self.state.member, self.state.teacher_name)
            )
            counts = class_meetings.participation(self.scope, class_id)
            self.numbers.value = html_table(
                ["", "Number"],
                [
                    ["Families", str(counts.families)],
                    ["Families at workshops", str(counts.workshop_attendance)],
                ],
            )
            return
        self.family_names = {
            f.id: self.state.child_of(f) for f in guardians.families(self.scope, class_id)
        }
        self.found_workshops = family_workshops.workshops(self.scope, class_id)
        names = {t.id: t.name for t in self.types}
        set_shown(self.no_workshops, not self.found_workshops)
        set_shown(self.table, bool(self.found_workshops))
        set_shown(self.one, bool(self.found_workshops))
        self.table.value = html_table(
            ["When", "Title", "In Spanish", "Place", "Involvement", "Signed up", "Came"],
            [
                [
                    words.when(w.held_on, w.starts_at),
                    w.title.get("en", ""),
                    w.title.get("es", "—"),
                    w.place or "—",
                    names.get(w.involvement, w.involvement),
                    str(len(w.signed_up)),
                    str(len(w.attended)),
                ]
                for w in self.found_workshops
            ],
            "collab-table collab-family-workshop-table",
        )
        self.filling = True
        try:
            refill(
                self.workshop,
                [
                    (f"{w.title.get('en', '')} · {w.held_on:%d %b %Y}", w.id)
                    for w in self.found_workshops
                ],
            )
        finally:
            self.filling = False
        self._draw_workshop()
        self._draw_feedback(class_id)

    def _shown_workshop(self) -> Workshop | None:
        return next((w for w in self.found_workshops if w.id == self.workshop.value), None)

    def _draw_workshop(self) -> None:
        workshop = self._shown_workshop()
        if workshop is None:
            return
        wanted = [
            (family_id, child + (" (signed up)" if family_id in workshop.signed_up else ""))
            for family_id, child in self.family_names.items()
        ]
        self.came_boxes = refill_ticks(self.came_boxes, self.came_list, wanted, self._marker)
        self.filling = True
        try:
            for family_id, box in self.came_boxes.items():
                box.value = family_id in workshop.attended
        finally:
            self.filling = False
        self.came_count.value = note_html(
            f"{len(workshop.signed_up)} signed up on their page; {len(workshop.attended)} "
            f"of {plural(len(self.family_names), 'family', 'families')} came. Tick those who came."
        )

    def _marker(self, family_id: int):
        @guarded(self.status)
        def marked(change) -> None:
            workshop = self._shown_workshop()
            if self.filling or workshop is None:
                return
            family_workshops.set_attended(self.scope, workshop.id, family_id, bool(change["new"]))
            self.indicator.saved()
            self.state.changed()

        return marked

    def _draw_feedback(self, class_id: int) -> None:
        if self.survey is None:
            self.results.value = ""
            return
        rounds = family_workshops.feedback(self.scope, class_id, self.survey)
        self.open_round = next((r for r in rounds if r.open), None)
        set_shown(self.close_round, self.open_round is not None)
        if self.open_round is not None:
            r = self.open_round
            self.round_state.value = (
                f"<p><b>Open:</b> {html.escape(r.title)} · "
                f"{html.escape(plural(r.answered, 'family', 'families'))} answered.</p>"
            )
        else:
            self.round_state.value = note_html("No round is open.")
        if not rounds:
            self.results.value = ""
            return
        questions = [(q.id, q.text.get("en", q.id)) for q in self.survey.questions]
        columns, rows = feedback_table(rounds, questions)
        hidden = [r for r in rounds if not r.means]
        said = (
            note_html(
                f"A round's answers are shown once {self.survey.min_respondents} families "
                "have answered: fewer could point at a family."
            )
            if hidden
            else ""
        )
        self.results.value = (
            "<h5>Results, round by round (1 = not at all, 4 = very much)</h5>"
            + html_table(columns, rows, "collab-table collab-family-feedback-table")
            + said
        )

    # --- actions --------------------------------------------------------------------------

    def _add(self) -> None:
        if self.day.value is None:
            raise InvalidInput("Choose the workshop's day.")
        if self.kind.value is None:
            raise InvalidInput("Choose the type of involvement the workshop serves.")
        family_workshops.add_workshop(
            self.scope,
            self.state.open_class_id(),
            {"en": self.title_en.value, "es": self.title_es.value},
            self.day.value,
            self.starts_at.value,
            self.place.value,
            self.kind.value,
        )
        self.title_en.value = self.title_es.value = self.place.value = ""
        self.state.changed()
        self.status.ok("The workshop is planned: families see it on their page and can sign up.")

    def _delete(self) -> None:
        workshop = self._shown_workshop()
        if workshop is None:
            raise NotFound("Choose a workshop first.")
        family_workshops.delete_workshop(self.scope, workshop.id)
        self.state.changed()
        self.status.ok("The workshop is deleted.")

    def _open_round(self) -> None:
        family_workshops.open_round(self.scope, self.state.open_class_id(), self.round_title.value)
        self.state.changed()
        self.status.ok("The feedback round is open: families answer on their own page.")

    def _close_round(self) -> None:
        if self.open_round is None:
            raise NotFound("No feedback round is open.")
        family_workshops.close_round(self.scope, self.open_round.round_id)
        self.state.changed()
        self.status.ok("The round is closed: families can no longer answer it.")

    def close(self) -> None:
        for handler, name in getattr(self, "watching", []):
            with contextlib.suppress(ValueError):
                self.state.unobserve(handler, name)
        self.watching = []
        super().close()
