"""The teamwork check: students rate themselves and each teammate in saved groups, from
their own page; the class's teacher opens it, sees who has answered as they answer,
reads each team's results with their flags, and releases to each student only their own
feedback. A coach or a visitor holding the team link sees how many answered, never a
rating or a name. The team's members read students under their pseudonyms unless one
chose "Show names" (on the Class tab: ``ClassState.show_names``)."""

from __future__ import annotations

import contextlib
import html

import ipywidgets as widgets

from collab_widgets.core.db import TeamScope
from collab_widgets.core.errors import CollabError, NotFound
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
from collab_widgets.live.rules import LiveLoop
from collab_widgets.students import evaluation as rules
from collab_widgets.students.model import EvaluationInfo
from collab_widgets.students.store import classes, evaluations, groupings
from collab_widgets.students.ui.state import PSEUDONYMS_HINT, ClassState

# a flag as a table cell says it; FLAGS explains it in the legend under the tables
FLAG_WORDS = {
    "above_peers": "rates self above teammates' view",
    "below_peers": "rates self below teammates' view",
    "low_by_all": "rated low by every teammate",
    "identical": "same rating for everyone",
    "disagree": "teammates disagree widely",
    "low_team": "low team average",
}
NO_CLASS = "Choose a class first."
MEMBERS_ONLY = (
    "Only the team's teachers see how students rated each other; here you see how many "
    "students have answered."
)
RELEASE_QUESTION = (
    "Release feedback? Each student will see, on their own page, only their own self "
    "rating, their teammates' average (only when at least 3 teammates rated them on every "
    "question) and their team's average. Never a comment, never a single rating, never "
    "who said what. Releasing closes the check if it is still open."
)
DEFAULT_TITLE = "Teamwork check"


def flag_words(flag: str) -> str:
    return FLAG_WORDS.get(flag, flag.replace("_", " "))


def _number(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "—"
    if round(value, 1) == 0:
        return "0.0"  # never "-0.0" or "+0.0"
    return f"{value:+.1f}" if signed else f"{value:.1f}"


class EvaluationPanel(widgets.VBox):
    """``refresh()`` draws the open class's checks; ``close_live()`` stops the polling
    (the page goes, or the visitor leaves the team)."""

    def __init__(
        self,
        scope: TeamScope,
        state: ClassState,
        status: StatusLine,
        indicator: SavedIndicator,
    ):
        self.scope, self.state, self.status, self.indicator = scope, state, status, indicator
        self.filling = False
        self.keep: int | None = None  # the check to show after the next refresh
        self.shown: EvaluationInfo | None = None
        guard = guarded(status)
        redraw = guarded(status, flush=False)
        try:
            self.dimensions = {d.id: d.name for d in rules.load_dimensions()}
        except CollabError:  # a mistake in the teacher's file: ids stand in for names
            self.dimensions = {}
        # opening a check (the class's teacher)
        self.groups = widgets.Dropdown(
            description="Groups",
            options=[],
            tooltip="The saved groups whose members rate each other",
            layout=widgets.Layout(width="auto"),
        )
        self.title = widgets.Text(
            description="Title",
            value=DEFAULT_TITLE,
            placeholder="e.g. Science fair project, week 3",
            layout=widgets.Layout(width="auto"),
        )
        opener = form_button(
            "Open the teamwork check",
            "Students of these groups then see it on their own page",
            [self.title],
            "primary",
            "open-teamwork-check",
        )
        opener.on_click(guard(lambda _b: self._open()))
        self.no_groups = note(
            "Save groups for this class first (on the groups tab): students rate the "
            "teammates of their saved group."
        )
        self.opener = stacked(
            [
                heading("Open a teamwork check", 4),
                note(
                    "Students sign in on their own page with the class code and their card, "
                    "rate themselves and each teammate, and may write a comment for you. "
                    "Opening a new check closes the one still open in this class."
                ),
                self.no_groups,
                side_by_side([self.groups, self.title]),
                opener,
            ]
        )
        # one check
        self.choice = widgets.Dropdown(
            description="Check", options=[], layout=widgets.Layout(width="auto")
        )
        self.choice.observe(redraw(lambda _c: None if self.filling else self._show()), "value")
        self.none = note("No teamwork check in this class yet.")
        self.count = text_block()
        self.count.add_class("collab-evaluation-count")
        self.close_check = Confirm(
            "Close the teamwork check",
            "Students can no longer answer",
            "Close it? Students can no longer answer or change their answers; what they "
            "gave is kept. A closed check cannot be opened again (open a new one).",
            "Yes, close it",
            lambda: self._close(),
            status,
            name="close-teamwork-check",
        )
        self.release = Confirm(
            "Release feedback to students",
            "Each student sees only their own feedback",
            RELEASE_QUESTION,
            "Yes, release it",
            lambda: self._release(True),
            status,
            style="info",
            name="release-feedback",
        )
        self.take_back = button(
            "Take feedback back",
            "Students no longer see their feedback",
            name="take-feedback-back",
        )
        self.take_back.on_click(guard(lambda _b: self._release(False)))
        self.delete = Confirm(
            "Delete this teamwork check",
            "Delete it with every rating and comment",
            "Delete this teamwork check and every rating and comment in it, for good?",
            "Yes, delete it",
            lambda: self._delete(),
            status,
            name="delete-teamwork-check",
        )
        self.actions = side_by_side(
            [self.close_check, self.release, self.take_back, self.delete],
            flex_flow="row wrap",
        )
        self.results = text_block()
        self.results.add_class("collab-evaluation-results")
        self.comments = text_block()
        self.comments.add_class("collab-evaluation-comments")
        self.legend = text_block(self._legend())
        self.outsiders = note(MEMBERS_ONLY)
        self.pseudonyms_hint = note(PSEUDONYMS_HINT)
        self.pseudonyms_hint.add_class("collab-pseudonyms-hint")
        self.detail = stacked(
            [
                self.count,
                self.actions,
                self.outsiders,
                self.pseudonyms_hint,
                self.results,
                self.comments,
                self.legend,
            ]
        )
        self.no_class = note(NO_CLASS)
        self.body = stacked(
            [self.opener, heading("Teamwork checks", 4), self.choice, self.none, self.detail]
        )
        super().__init__(
            [
                heading("Teamwork check"),
                note(
                    "Students rate themselves and each teammate on how they worked as a "
                    "team. The flags are prompts to look and talk with the team, never "
                    "verdicts."
                ),
                self.no_class,
                self.body,
            ]
        )
        self.add_class("collab-evaluation")
        self.loop = LiveLoop(self._revision, redraw(lambda: self.refresh()), on_error=status.error)
        self.watching = [
            (redraw(lambda _c: self._class_changed()), "class_id"),
            (redraw(lambda _c: self.refresh()), "revision"),
            (redraw(lambda _c: self._show()), "show_names"),  # students named again
        ]
        for handler, name in self.watching:
            state.observe(handler, name)

    # --- drawing --------------------------------------------------------------------------

    def _revision(self) -> int:
        if self.state.class_id is None:
            return 0
        return classes.revision(self.scope, self.state.class_id)

    def _class_changed(self) -> None:
        self.keep = None
        self.title.value = DEFAULT_TITLE
        self.refresh()

    def refresh(self) -> None:
        class_id = self.state.class_id
        set_shown(self.no_class, class_id is None)
        set_shown(self.body, class_id is not None)
        if class_id is None:
            self.shown = None
            self.loop.stop()
            return
        self.loop.seen = self._revision()  # before reading: a change meanwhile is noticed
        yours = self.state.yours
        set_shown(self.opener, yours)
        checks = evaluations.evaluations(self.scope, class_id)
        self.filling = True
        try:
            if yours:
                saved = groupings.groupings(self.scope, class_id, "groups")
                refill(self.groups, [(self._group_label(g), g.id) for g in saved])
                set_shown(self.no_groups, not saved)
            keep = self.keep if self.keep is not None else self.choice.value
            refill(self.choice, [(self._label(e), e.id) for e in checks], keep=keep)
        finally:
            self.filling = False
        self.keep = None
        self._show(checks)

    @staticmethod
    def _group_label(info) -> str:
        made = f"{info.made_at.astimezone():%d %b %Y}"
        return f"{info.name} ({plural(info.groups, 'group')}, {made})"

    @staticmethod
    def _label(check: EvaluationInfo) -> str:
        if check.released_at is not None:
            state = "feedback released"
        elif check.open:
            state = "open"
        else:
            state = "closed"
        return f"{check.title} ({check.opened_at.astimezone():%d %b %Y}, {state})"

    def _show(self, checks: list[EvaluationInfo] | None = None) -> None:
        class_id = self.state.class_id
        if class_id is None:
            return
        if checks is None:
            checks = evaluations.evaluations(self.scope, class_id)
        self.shown = check = next((e for e in checks if e.id == self.choice.value), None)
        set_shown(self.none, check is None)
        set_shown(self.detail, check is not None)
        if check is None:
            self.loop.stop()
            return
        self._draw_count(check)
        yours = self.state.yours
        set_shown(self.actions, yours)
        set_shown(self.close_check, check.open)
        set_shown(self.release, check.may_release)
        set_shown(self.take_back, check.released_at is not None)
        members = self.state.names
        set_shown(self.outsiders, not members)
        set_shown(self.pseudonyms_hint, members and not self.state.show_names)
        set_shown(self.legend, members)
        if members:
            self._draw_results(class_id, check)
        else:
            self.results.value = ""
        self.comments.value = self._comments(class_id, check) if yours and members else ""
        if check.open:
            self.loop.start()
        else:
            self.loop.stop()

    def _draw_count(self, check: EvaluationInfo) -> None:
        counted = f"{check.answered} of {check.students} students have answered."
        if check.released_at is not None:
            when = f"Feedback released on {check.released_at.astimezone():%d %B %Y}."
        elif check.withdrawn_at is not None:
            when = (
                "Feedback taken back for good: a student in it left the class, and released "
                "again it would let their teammates work out what they gave."
            )
        elif check.open:
            when = "Open: students see it on their own page. This count updates as they answer."
        else:
            when = f"Closed on {check.closed_at.astimezone():%d %B %Y}."
        self.count.value = f"<p><b>{html.escape(counted)}</b></p>" + note_html(when)

    def _names(self, class_id: int) -> dict[str, str]:
        """Each student as the page names them now: the pseudonym unless names are shown."""
        return self.state.shown_names(classes.roster(self.scope, class_id))

    def _draw_results(self, class_id: int, check: EvaluationInfo) -> None:
        teams = evaluations.results(self.scope, check.id)
        names = self._names(class_id)
        if not any(team.answered for team in teams):
            self.results.value = note_html("No ratings yet.")
            return
        parts = []
        for index, team in enumerate(teams, 1):
            rows = [
                [
                    names.get(s.student, "(no longer in the class)"),
                    _number(s.self_rating),
                    _number(s.teammates_mean),
                    str(s.raters),
                    _number(s.gap, signed=True),
                    "; ".join(flag_words(f) for f in s.flags) or "—",
                ]
                for s in team.students
            ]
            table = html_table(
                ["Student", "Self rating", "Teammates' mean", "Raters", "Gap", "Flags"],
                rows,
                "collab-table collab-evaluation-table",
            )
            said = (
                "Team flags: " + "; ".join(flag_words(f) for f in team.flags) + "."
                if team.flags
                else "No team flag."
            )
            summary = (
                f"{team.answered} of {len(team.members)} answered; team average "
                f"{_number(team.team_mean)}. {said}"
            )
            parts.append(
                f"<div class='collab-card collab-evaluation-team'><h5>Group {index}</h5>"
                f"{table}{note_html(summary)}{self._by_dimension(index, team, names)}</div>"
            )
        self.results.value = "".join(parts)

    def _by_dimension(self, index: int, team: rules.TeamResult, names: dict[str, str]) -> str:
        rated = list(dict.fromkeys(d for s in team.students for d in s.by_dimension))
        order = [d for d in self.dimensions if d in rated]  # the file's order
        order += [d for d in rated if d not in self.dimensions]
        if not order:
            return ""
        columns = ["Student", *(self.dimensions.get(d, d) for d in order)]
        rows = [
            [names.get(s.student, "(no longer in the class)")]
            + [
                f"self {_number(s.by_dimension.get(d, (None, None))[0])} · teammates "
                f"{_number(s.by_dimension.get(d, (None, None))[1])}"
                for d in order
            ]
            for s in team.students
        ]
        return (
            f"<details class='collab-evaluation-dimensions'><summary>Each question, group "
            f"{index}</summary>{html_table(columns, rows)}</details>"
        )

    def _comments(self, class_id: int, check: EvaluationInfo) -> str:
        written = evaluations.comments(self.scope, check.id)
        if not written:
            return note_html("No comments. (Comments are for you only, never shown to students.)")
        names = self._names(class_id)
        gone = "(no longer in the class)"
        items = "".join(
            f"<li><b>About {html.escape(names.get(str(ratee), gone))}</b> "
            f"(from {html.escape(names.get(str(rater), gone))}): {html.escape(text)}</li>"
            for rater, ratee, text in written
        )
        return (
            f"<details class='collab-evaluation-comment-list'><summary>Comments "
            f"({len(written)}): for you only, never shown to students</summary>"
            f"<ul>{items}</ul></details>"
        )

    @staticmethod
    def _legend() -> str:
        items = "".join(
            f"<li><b>{html.escape(flag_words(flag))}</b>: {html.escape(text)}</li>"
            for flag, text in rules.FLAGS.items()
        )
        return (
            "<div class='collab-evaluation-legend'><p class='collab-note'>What the flags "
            f"mean (prompts to look and talk, never verdicts):</p><ul>{items}</ul></div>"
        )

    # --- actions --------------------------------------------------------------------------

    def _open(self) -> None:
        class_id = self.state.class_id
        if class_id is None:
            self.status.error(NO_CLASS)
            return
        if self.groups.value is None:
            self.status.error("Choose the saved groups whose members rate each other.")
            return
        check_id = evaluations.open_evaluation(
            self.scope, class_id, self.groups.value, self.title.value
        )
        self.keep = check_id
        self.state.changed()
        self.status.ok(
            "The teamwork check is open: students see it on their own page (the class code "
            "and their card)."
        )

    def _check_id(self) -> int:
        if self.shown is None:
            raise NotFound("Choose a teamwork check first.")
        return self.shown.id

    def _close(self) -> None:
        evaluations.close(self.scope, self._check_id())
        self.state.changed()
        self.status.ok("Closed. The ratings given are kept; students can no longer answer.")

    def _release(self, released: bool) -> None:
        evaluations.release(self.scope, self._check_id(), released)
        self.state.changed()
        if released:
            self.status.ok("Released: each student sees only their own feedback on their page.")
        else:
            self.status.ok("Taken back: students no longer see their feedback.")

    def _delete(self) -> None:
        evaluations.delete(self.scope, self._check_id())
        self.state.changed()
        self.status.ok("The teamwork check and its ratings and comments are deleted.")

    # --- going away -----------------------------------------------------------------------

    def close_live(self) -> None:
        self.loop.stop()

    def close(self) -> None:
        self.loop.stop()
        for handler, name in getattr(self, "watching", []):
            with contextlib.suppress(ValueError):  # the page let go of every observer
                self.state.unobserve(handler, name)
        self.watching = []
        super().close()
