"""The Mentoring tab: a programme (with a partner, its dates, minutes a week and what the
matching weighs), its mentors with their clearance (when the check was done, until when it
holds and who verified it: never what it found) and a link to their own page (shown once),
its mentees (students of the school's classes, by pseudonym and class), suggested matches
with their reasons for the coordinator to confirm one by one, and the matches with what
needs attention, their meeting logs and the close-out."""

from __future__ import annotations

import datetime as dt
import html

import ipywidgets as widgets

from collab_widgets.community import library, matching, rules
from collab_widgets.community.model import Match, Mentor, Programme, Suggestion, Unmatched
from collab_widgets.community.store import mentoring, partners
from collab_widgets.community.ui import community_tab as tab
from collab_widgets.community.ui.community_tab import Panel, card, row, wide
from collab_widgets.community.ui.state import CommunityState
from collab_widgets.core.errors import CollabError
from collab_widgets.core.ui.browser_parts import CopyLink
from collab_widgets.core.ui.confirm import Confirm
from collab_widgets.core.ui.feedback import StatusLine
from collab_widgets.core.ui.layout import (
    button,
    form_button,
    heading,
    html_table,
    note,
    note_html,
    replace_children,
    set_shown,
    stacked,
    text_block,
)
from collab_widgets.team import links

SHOWN_ONCE = (
    "Shown this once: copy the link and send it to the mentor now. It opens their own page "
    "(their mentee's first name, their own logs) with no account; a new link stops this one."
)
CRITERIA_WORDS = {
    "interests": "Shared interests",
    "language": "A shared language",
    "times": "Shared free times",
}


def clearance_words(mentor: Mentor, today: dt.date) -> str:
    problem = rules.clearance_problem(mentor.clearance, today)
    if problem is not None:
        return problem
    c = mentor.clearance
    return f"valid until {tab.day(c.expires_on)}"


def tick_grid(names: dict[str, str]) -> tuple[dict[str, widgets.Checkbox], widgets.GridBox]:
    boxes = {
        key: widgets.Checkbox(description=name, value=False, indent=False)
        for key, name in names.items()
    }
    grid = widgets.GridBox(
        list(boxes.values()),
        layout=widgets.Layout(grid_template_columns="repeat(auto-fill, minmax(200px, 1fr))"),
    )
    return boxes, grid


def ticked(boxes: dict[str, widgets.Checkbox]) -> list[str]:
    return [key for key, box in boxes.items() if box.value]


def untick(boxes: dict[str, widgets.Checkbox]) -> None:
    for box in boxes.values():
        box.value = False


class MentoringPanel(Panel):
    """``refresh()`` reads the programmes and the chosen one's people and matches."""

    def __init__(self, state: CommunityState, status: StatusLine):
        super().__init__(state, status)
        try:
            self.times = library.time_names()
            self.languages = library.language_names()
        except CollabError as exc:
            status.error(str(exc))
            self.times, self.languages = {}, {}
        self.found: list[Programme] = []
        self.mentor_list: list[Mentor] = []
        self.match_list: list[Match] = []
        self.programme = widgets.Dropdown(description="Programme", options=[], layout=wide())
        self.on_pick(self.programme, self._programme_picked)
        self.about = text_block()
        self.mentors_table = text_block()
        self.mentors_table.add_class("collab-community-mentors")
        self.mentees_table = text_block()
        self.mentees_table.add_class("collab-community-mentees")
        self.matches_table = text_block()
        self.matches_table.add_class("collab-community-matches")
        self.match = widgets.Dropdown(description="Match", options=[], layout=wide())
        self.on_pick(self.match, lambda _value: self._draw_match())
        self.match_view = text_block()
        self.match_view.add_class("collab-community-match")
        coordinator = state.can_change
        adding = [self._build_programme_form()] if coordinator else []
        people = self._build_people_forms() if coordinator else []
        matching_tools = self._build_matching() if coordinator else []
        closing = [self._build_closing()] if coordinator else []
        self.one_match = card(
            [heading("One match", 4), self.match, self.match_view, *closing],
            "collab-community-match-card",
        )
        self.chosen = stacked(
            [
                self.about,
                heading("Mentors", 4),
                self.mentors_table,
                *people[:1],
                heading("Mentees", 4),
                self.mentees_table,
                *people[1:],
                *matching_tools,
                heading("Matches", 4),
                self.matches_table,
                self.one_match,
            ]
        )
        self.lay_out(
            [
                heading("Mentoring"),
                note(
                    "Mentors need a clearance valid today to be matched and to open their "
                    "page; a match whose mentor's clearance lapses, or with no meeting "
                    "logged for three weeks, is flagged. Mentees show by pseudonym and class."
                ),
                *adding,
                self.programme,
                self.chosen,
            ],
            "collab-community-mentoring-tab",
        )

    # --- the coordinator's forms ------------------------------------------------------------

    def _build_programme_form(self) -> widgets.Widget:
        today = self.scope.store.clock.today()
        self.programme_name = widgets.Text(
            description="Name", placeholder="e.g. Reading buddies", layout=wide()
        )
        self.programme_partner = widgets.Dropdown(description="Partner", options=[], layout=wide())
        self.programme_starts = widgets.DatePicker(description="Starts", value=today)
        self.programme_ends = widgets.DatePicker(
            description="Ends", value=today + dt.timedelta(days=270)
        )
        self.minutes = widgets.BoundedIntText(
            description="Minutes a week",
            value=60,
            min=1,
            max=mentoring.MAX_MINUTES,
            style={"description_width": "initial"},
        )
        self.weights = {
            criterion: widgets.BoundedFloatText(
                description=CRITERIA_WORDS.get(criterion, criterion),
                value=matching.DEFAULT_WEIGHTS.get(criterion, 0.0),
                min=0,
                max=10,
                step=0.5,
                style={"description_width": "initial"},
                tooltip="How much it counts (0 to 10)"
                + (
                    f"; {matching.LANGUAGE_REQUIRED:g} or more makes it required"
                    if criterion == "language"
                    else ""
                ),
            )
            for criterion in matching.CRITERIA
        }
        add = form_button(
            "Start the programme",
            "A mentoring programme of the school",
            [self.programme_name],
            "primary",
            "add-programme",
        )
        add.on_click(self.guard(lambda _b: self._add_programme()))
        return card(
            [
                heading("Start a mentoring programme", 4),
                row([self.programme_name, self.programme_partner]),
                row([self.programme_starts, self.programme_ends, self.minutes]),
                note(
                    "What the matching weighs (0 to 10). Shared free times are always "
                    f"needed; a language weight of {matching.LANGUAGE_REQUIRED:g} or more "
                    "makes a shared language needed too."
                ),
                row(list(self.weights.values())),
                add,
            ],
            "collab-community-programme-add",
        )

    def _build_people_forms(self) -> list[widgets.Widget]:
        self.mentor_name = widgets.Text(
            description="Mentor's name", placeholder="name", layout=wide()
        )
        self.mentor_interests = widgets.Text(
            description="Mentor's interests",
            placeholder="e.g. robotics, football",
            layout=wide(),
        )
        self.mentor_times, mentor_time_grid = tick_grid(self.times)
        self.mentor_languages, mentor_language_grid = tick_grid(self.languages)
        self.cleared_on = widgets.DatePicker(description="Cleared on")
        self.expires_on = widgets.DatePicker(description="Expires on")
        self.verified_by = widgets.Text(
            description="Verified by",
            placeholder="who checked it",
            tooltip="Who verified the clearance: its content is never kept",
        )
        add_mentor = form_button(
            "Add the mentor",
            "A mentor of this programme",
            [self.mentor_name, self.mentor_interests, self.verified_by],
            name="add-mentor",
        )
        add_mentor.on_click(self.guard(lambda _b: self._add_mentor()))
        self.mentor = widgets.Dropdown(description="Mentor", options=[], layout=wide())
        self.on_pick(self.mentor, lambda _value: self._hide_link())
        set_clearance = form_button(
            "Record the clearance",
            "The dates above and who verified them, for this mentor",
            [self.verified_by],
            name="set-clearance",
        )
        set_clearance.on_click(self.guard(lambda _b: self._set_clearance()))
        new_link = Confirm(
            "New link",
            "A link to the mentor's own page",
            "Make a new link for this mentor? Their old link, if any, stops at once.",
            "Yes, make the link",
            lambda: self._new_link(),
            self.status,
            name="mentor-link",
        )
        self.link_copy = CopyLink(description="Copy the mentor's link")
        self.link_said = text_block()
        self.link_box = stacked([self.link_said, self.link_copy])
        self.link_box.add_class("collab-community-new-link")
        set_shown(self.link_box, False)
        mentor_form = card(
            [
                heading("Add a mentor, or record a clearance", 4),
                row([self.mentor_name, self.mentor_interests]),
                text_block("<p><b>Free at</b></p>"),
                mentor_time_grid,
                text_block("<p><b>Speaks</b></p>"),
                mentor_language_grid,
                note(
                    "The clearance: the day the check was done, the day it expires and who "
                    "verified it. Never type what the check found."
                ),
                row([self.cleared_on, self.expires_on, self.verified_by]),
                add_mentor,
                heading("A mentor already here", 5),
                row([self.mentor, set_clearance, new_link]),
                self.link_box,
            ],
            "collab-community-mentor-add",
        )

        self.student = widgets.Dropdown(
            description="Student", options=[], layout=wide(), tooltip="By pseudonym and class"
        )
        self.mentee_interests = widgets.Text(
            description="Mentee's interests", placeholder="e.g. drawing, animals", layout=wide()
        )
        self.mentee_times, mentee_time_grid = tick_grid(self.times)
        self.mentee_languages, mentee_language_grid = tick_grid(self.languages)
        add_mentee = form_button(
            "Add the mentee",
            "A student of the school's classes, in this programme",
            [self.mentee_interests],
            name="add-mentee",
        )
        add_mentee.on_click(self.guard(lambda _b: self._add_mentee()))
        mentee_form = card(
            [
                heading("Add a mentee", 4),
                row([self.student, self.mentee_interests]),
                text_block("<p><b>Free at</b></p>"),
                mentee_time_grid,
                text_block("<p><b>Speaks</b></p>"),
                mentee_language_grid,
                add_mentee,
            ],
            "collab-community-mentee-add",
        )
        return [mentor_form, mentee_form]

    def _build_matching(self) -> list[widgets.Widget]:
        suggest = button(
            "Suggest matches",
            "Pairs of mentors and mentees not yet matched, with the reasons",
            "primary",
            "suggest-matches",
        )
        suggest.on_click(self.guard(lambda _b: self._suggest()))
        self.suggested = stacked()
        self.suggested.add_class("collab-community-suggestions")
        self.left_out = text_block()
        return [
            card(
                [
                    heading("Suggested matches", 4),
                    note(
                        "Suggestions only: confirm each one you agree with. A mentor whose "
                        "clearance is not valid today is never suggested."
                    ),
                    suggest,
                    self.suggested,
                    self.left_out,
                ],
                "collab-community-matching",
            )
        ]

    def _build_closing(self) -> widgets.Widget:
        self.closing_note = widgets.Textarea(
            description="Closing note", placeholder="how the match went", layout=wide()
        )
        close = Confirm(
            "Close the match",
            "The close-out: the match ends today",
            "Close this match today? The mentor can no longer log meetings.",
            "Yes, close it",
            lambda: self._close_match(),
            self.status,
            style="warning",
            name="close-match",
        )
        return stacked([self.closing_note, close])

    # --- drawing ----------------------------------------------------------------------------

    def refresh(self) -> None:
        self.found = mentoring.programmes(self.scope)
        tab.fill(self.programme, self, [(p.name, p.id) for p in self.found])
        set_shown(self.programme, bool(self.found))
        if self.state.can_change:
            tab.fill(
                self.programme_partner,
                self,
                [("— no partner", None), *((n, i) for i, n in partners.partner_names(self.scope))],
            )
        self._programme_picked(self.programme.value)

    def _shown(self) -> Programme | None:
        return next((p for p in self.found if p.id == self.programme.value), None)

    def _programme_picked(self, programme_id) -> None:
        self.state.programme_id = programme_id
        programme = self._shown()
        set_shown(self.chosen, programme is not None)
        if programme is None:
            return
        weights = ", ".join(
            f"{CRITERIA_WORDS.get(k, k).lower()} {v:g}" for k, v in programme.weights.items()
        )
        self.about.value = (
            f"<p><b>{html.escape(programme.name)}</b> · with "
            f"{html.escape(programme.partner or 'no partner')} · {tab.day(programme.starts_on)}"
            f" – {tab.day(programme.ends_on)} · {programme.minutes_a_week} minutes a week</p>"
            f"<p class='collab-note'>The matching weighs {html.escape(weights)}.</p>"
        )
        self._draw_people(programme.id)
        self._draw_matches(programme.id)
        if self.state.can_change:
            self.suggested.children = ()
            self.left_out.value = ""

    def _draw_people(self, programme_id: int) -> None:
        today = self.scope.store.clock.today()
        self.mentor_list = mentoring.mentors(self.scope, programme_id)
        self.mentors_table.value = (
            html_table(
                [
                    "Mentor",
                    "Interests",
                    "Free at",
                    "Speaks",
                    "Clearance",
                    "Verified by",
                    "Page link",
                ],
                [
                    [
                        m.name,
                        tab.words(m.interests),
                        tab.words(m.times, self.times),
                        tab.words(m.languages, self.languages),
                        clearance_words(m, today),
                        m.clearance.verified_by or "—",
                        "given" if m.has_link else "none yet",
                    ]
                    for m in self.mentor_list
                ],
                "collab-table collab-community-mentor-table",
            )
            if self.mentor_list
            else note_html("No mentor yet.")
        )
        mentees = mentoring.mentees(self.scope, programme_id)
        self.mentees_table.value = (
            html_table(
                ["Mentee", "Class", "Interests", "Free at", "Speaks"],
                [
                    [
                        m.pseudonym,
                        m.class_name,
                        tab.words(m.interests),
                        tab.words(m.times, self.times),
                        tab.words(m.languages, self.languages),
                    ]
                    for m in mentees
                ],
                "collab-table collab-community-mentee-table",
            )
            if mentees
            else note_html("No mentee yet.")
        )
        if self.state.can_change:
            tab.fill(self.mentor, self, [(m.name, m.id) for m in self.mentor_list])
            taken = {(m.pseudonym, m.class_name) for m in mentees}
            tab.fill(
                self.student,
                self,
                [
                    (f"{s.pseudonym} · {s.class_name}", s.id)
                    for s in mentoring.students(self.scope)
                    if (s.pseudonym, s.class_name) not in taken
                ],
            )

    def _draw_matches(self, programme_id: int) -> None:
        self.match_list = mentoring.matches(self.scope, programme_id)
        self.matches_table.value = (
            html_table(
                ["Mentor", "Mentee", "Since", "Meetings", "Last met", "Needs attention", "Closed"],
                [
                    [
                        m.mentor,
                        m.mentee,
                        tab.day(m.started_on),
                        str(len(m.logs)),
                        tab.day(max((log.met_on for log in m.logs), default=None)),
                        "; ".join(m.flags) or "—",
                        tab.day(m.closed_on),
                    ]
                    for m in self.match_list
                ],
                "collab-table collab-community-match-table",
            )
            if self.match_list
            else note_html("No match yet.")
        )
        tab.fill(
            self.match,
            self,
            [
                (f"{m.mentor} and {m.mentee}" + (" (closed)" if m.closed_on else ""), m.id)
                for m in self.match_list
            ],
        )
        set_shown(self.one_match, bool(self.match_list))
        self._draw_match()

    def _shown_match(self) -> Match | None:
        return next((m for m in self.match_list if m.id == self.match.value), None)

    def _draw_match(self) -> None:
        match = self._shown_match()
        if match is None:
            self.match_view.value = ""
            return
        flags = "".join(
            f"<p class='collab-overdue' role='status'>{html.escape(flag)}</p>"
            for flag in match.flags
        )
        logs = (
            html_table(
                ["Met on", "Minutes", "Activity", "How it is going", "Note"],
                [
                    [
                        tab.day(log.met_on),
                        str(log.minutes),
                        log.activity,
                        mentoring.CHECK_INS.get(log.check_in, str(log.check_in)),
                        log.note or "—",
                    ]
                    for log in match.logs
                ],
                "collab-table collab-community-log-table",
            )
            if match.logs
            else note_html("No meeting logged yet.")
        )
        closed = (
            f"<p>Closed on {tab.day(match.closed_on)}: {html.escape(match.closing_note)}</p>"
            if match.closed_on
            else ""
        )
        self.match_view.value = (
            f"<p><b>{html.escape(match.mentor)}</b> and <b>{html.escape(match.mentee)}</b>, "
            f"since {tab.day(match.started_on)}. Why: {html.escape(match.reason or '—')}</p>"
            + flags
            + closed
            + "<h5>Meetings</h5>"
            + logs
        )

    def _draw_suggestions(self, found: list[Suggestion], left: list[Unmatched]) -> None:
        mentors = {m.id: m.name for m in self.mentor_list}
        mentees = {m.id: m.pseudonym for m in mentoring.mentees(self.scope, self._programme_id())}
        cards = []
        for suggestion in found:
            mentor = mentors.get(suggestion.mentor_id, "?")
            mentee = mentees.get(suggestion.mentee_id, "?")
            said = text_block(
                f"<p><b>{html.escape(mentor)}</b> with <b>{html.escape(mentee)}</b> "
                f"(score {suggestion.score:g})</p><ul>"
                + "".join(f"<li>{html.escape(reason)}</li>" for reason in suggestion.reasons)
                + "</ul>"
            )
            confirm = button(
                "Confirm this match",
                f"Match {mentor} with {mentee} from today",
                "primary",
                "confirm-match",
            )
            confirm.on_click(self.guard(lambda _b, s=suggestion: self._confirm(s)))
            cards.append(card([said, confirm], "collab-community-suggestion"))
        replace_children(self.suggested, cards)
        if not found:
            cards_note = note_html("No match to suggest: everyone is matched, or no pair fits.")
        else:
            cards_note = ""
        names = {"mentor": mentors, "mentee": mentees}
        self.left_out.value = cards_note + (
            "<h5>Left out</h5>"
            + html_table(
                ["Who", "Why"],
                [[names.get(u.kind, {}).get(u.id, u.kind), u.reason] for u in left],
                "collab-table collab-community-unmatched-table",
            )
            if left
            else ""
        )

    def _hide_link(self) -> None:
        self.link_copy.value = self.link_said.value = ""
        set_shown(self.link_box, False)

    # --- actions ----------------------------------------------------------------------------

    def _programme_id(self) -> int:
        return self.state.chosen("programme_id", "a mentoring programme")

    def _add_programme(self) -> None:
        programme_id = mentoring.add_programme(
            self.scope,
            self.programme_name.value,
            tab.need(self.programme_starts.value, "the day the programme starts"),
            tab.need(self.programme_ends.value, "the day the programme ends"),
            self.minutes.value,
            {criterion: box.value for criterion, box in self.weights.items()},
            self.programme_partner.value,
        )
        self.programme_name.value = ""
        self.state.changed()
        self.programme.value = programme_id
        self.status.ok("The programme is started: add its mentors and mentees.")

    def _add_mentor(self) -> None:
        mentoring.add_mentor(
            self.scope,
            self._programme_id(),
            self.mentor_name.value,
            tab.typed_list(self.mentor_interests.value),
            ticked(self.mentor_times),
            ticked(self.mentor_languages),
            self.cleared_on.value,
            self.expires_on.value,
            self.verified_by.value,
        )
        self.mentor_name.value = self.mentor_interests.value = self.verified_by.value = ""
        self.cleared_on.value = self.expires_on.value = None
        untick(self.mentor_times)
        untick(self.mentor_languages)
        self.state.changed()
        self.status.ok("The mentor is added.")

    def _set_clearance(self) -> None:
        mentoring.set_clearance(
            self.scope,
            tab.need(self.mentor.value, "a mentor"),
            self.cleared_on.value,
            self.expires_on.value,
            self.verified_by.value,
        )
        self.state.changed()
        self.status.ok("The clearance is recorded.")

    def _new_link(self) -> None:
        mentor_id = tab.need(self.mentor.value, "a mentor")
        name = next((m.name for m in self.mentor_list if m.id == mentor_id), "the mentor")
        code = mentoring.issue_mentor_link(self.scope, mentor_id)
        self.state.changed()
        self.mentor.value = mentor_id
        self.link_copy.value = links.mentor_link(code)
        self.link_said.value = f"<p><b>{html.escape(name)}'s new link</b></p>" + note_html(
            SHOWN_ONCE
        )
        set_shown(self.link_box, True)
        self.status.ok("The link is made: copy it now, it is shown once.")

    def _add_mentee(self) -> None:
        mentoring.add_mentee(
            self.scope,
            self._programme_id(),
            tab.need(self.student.value, "a student"),
            tab.typed_list(self.mentee_interests.value),
            ticked(self.mentee_times),
            ticked(self.mentee_languages),
        )
        self.mentee_interests.value = ""
        untick(self.mentee_times)
        untick(self.mentee_languages)
        self.state.changed()
        self.status.ok("The mentee is added.")

    def _suggest(self) -> None:
        found, left = mentoring.suggestions(self.scope, self._programme_id())
        self._draw_suggestions(found, left)
        self.status.info(
            f"{len(found)} matches suggested: confirm the ones you agree with."
            if found
            else "No match to suggest."
        )

    def _confirm(self, suggestion: Suggestion) -> None:
        mentoring.confirm_match(
            self.scope,
            self._programme_id(),
            suggestion.mentor_id,
            suggestion.mentee_id,
            "; ".join(suggestion.reasons) or "confirmed by the coordinator",
        )
        self.state.changed()
        self._draw_suggestions(*mentoring.suggestions(self.scope, self._programme_id()))
        self.status.ok("The match is confirmed: the mentor's page shows their mentee now.")

    def _close_match(self) -> None:
        match = self._shown_match()
        if match is None:
            tab.need(None, "a match")
        mentoring.close_match(self.scope, match.id, self.closing_note.value)
        self.closing_note.value = ""
        self.state.changed()
        self.status.ok("The match is closed.")
