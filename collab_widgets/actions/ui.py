"""Decisions and actions for a meeting: record a decision (a closed fist to five can
become one), add actions with an owner, a due date and what prompted them, follow every
open action (overdue ones marked), see each one's history, and export the plan as a
spreadsheet-safe CSV or a calendar of due dates."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

import ipywidgets as widgets

from collab_widgets.actions import store as actions
from collab_widgets.actions.model import ACTION_STATUSES, DECISION_METHODS, Action, Decision
from collab_widgets.actions.render import action_details, action_html
from collab_widgets.core.db import TeamScope
from collab_widgets.core.errors import InvalidInput
from collab_widgets.core.ui.autosave import SharedText
from collab_widgets.core.ui.feedback import SavedIndicator, StatusLine, guarded
from collab_widgets.core.ui.layout import (
    button,
    download_link,
    form_button,
    heading,
    note,
    refill,
    replace_children,
    set_shown,
    side_by_side,
    stacked,
    text_block,
)
from collab_widgets.live import store as live
from collab_widgets.live.rules import consensus_sentence, expected_hands, spread
from collab_widgets.meetings import store as meetings
from collab_widgets.protocols import store as runs
from collab_widgets.protocols.model import Run, RunStep
from collab_widgets.reports.exports import actions_csv, actions_ics
from collab_widgets.team.store import members

FIST = "fist-to-five"
NOBODY = ("(nobody yet)", None)
PROMPT_LABEL = 80  # characters of a decision shown in the "Prompted by" list


@dataclass(frozen=True)
class CheckOutcome:
    """A closed fist to five, as a decision can be made from it."""

    result: str  # what it came to (consensus_sentence)
    proposal: str  # the proposal the team checked, as written in the run's first step
    run_id: int


def proposal_checked(scope: TeamScope, run: Run, check: RunStep) -> str:
    """The proposal a fist to five checked: what was written in the run's first step
    (the fist-to-five protocol's "State the proposal"): the recorder's notes, else the
    notes on that step's board. Empty when the check is the first step itself."""
    first = run.steps[0]
    if first.position >= check.position:
        return ""
    if first.notes.strip():
        return first.notes.strip()
    if first.kind != "board":
        return ""
    notes = live.board(scope, first.prompt_id).notes
    return "\n".join(n.text.strip() for n in notes if n.text.strip())


def fist_to_five_checks(scope: TeamScope, meeting_id: int) -> list[tuple[str, CheckOutcome]]:
    """The meeting's closed fist-to-five checks: (label, what they came to)."""
    present = len(meetings.get(scope, meeting_id).present)
    hands = expected_hands(present, len(members.roster(scope)))
    found = []
    for run in runs.past_runs(scope, meeting_id=meeting_id):
        for step in run.steps:
            if step.kind != FIST:
                continue
            board = live.board(scope, step.prompt_id)
            if board.marks is None:
                continue
            low, high = board.prompt.mark_range
            result = consensus_sentence(spread(board.marks, low, high, fist=True), *hands)
            outcome = CheckOutcome(result, proposal_checked(scope, run, step), run.id)
            found.append((f"{run.title} — {step.title}", outcome))
    return found


class DecisionsPanel(widgets.VBox):
    def __init__(
        self,
        scope: TeamScope,
        status: StatusLine,
        indicator: SavedIndicator,
        chosen_meeting: Callable[[], int | None],
    ):
        self.scope = scope
        self.status = status
        self.indicator = indicator
        self.chosen_meeting = chosen_meeting  # the meeting chosen at the page's top
        self.text = widgets.Textarea(
            description="Decision",
            placeholder="What did the team decide?",
            layout=widgets.Layout(width="100%", height="60px"),
        )
        self.text.add_class("collab-decision-text")
        self.method = widgets.Dropdown(description="How", options=DECISION_METHODS)
        self.result = widgets.Text(
            description="Result",
            placeholder="e.g. 5 of 5 agreed",
            layout=widgets.Layout(width="100%"),
        )
        self.checks = widgets.Dropdown(
            description="From a check", layout=widgets.Layout(width="100%")
        )
        self.checks.add_class("collab-decision-check")
        self.filling = False  # while refresh refills the checks: choosing one is a click
        self.checks.observe(guarded(status)(self._check_chosen), "value")
        record = form_button(
            "Record the decision",
            "Add it to the decision log",
            [self.text, self.result],
            name="decide",
        )
        record.on_click(guarded(status)(lambda _b: self._decide()))
        self.decided = stacked()
        self.decided.add_class("collab-decisions")
        super().__init__(
            [
                heading("Decisions"),
                note("What was decided, how, and who was there (taken from attendance)."),
                self.checks,
                self.text,
                side_by_side([self.method, self.result]),
                record,
                self.decided,
            ]
        )

    def refresh(self) -> None:
        meeting_id = self.chosen_meeting()
        checks = [] if meeting_id is None else fist_to_five_checks(self.scope, meeting_id)
        self.filling = True
        try:
            refill(self.checks, [("(none)", "")] + checks)
        finally:
            self.filling = False
        set_shown(self.checks, checks)
        shown = actions.decisions(self.scope, meeting_id) if meeting_id is not None else []
        replace_children(
            self.decided,
            [self._decision(d) for d in shown] or [note("No decision recorded yet.")],
        )

    def _decision(self, decision: Decision) -> widgets.Widget:
        """A recorded decision: its wording editable by the team, how it was made not."""
        wording = SharedText(
            widgets.Textarea(
                value=decision.text,
                description="Decided",
                rows=1,
                layout=widgets.Layout(width="100%"),
            ),
            lambda typed, base, i=decision.id: actions.reword_decision(self.scope, i, typed, base),
            self.indicator,
            f"decision:{decision.id}",
        )
        wording.box.add_class("collab-decision-wording")
        how = text_block(
            f"<small>({html.escape(decision.method)}"
            f"{': ' + html.escape(decision.result) if decision.result else ''}; present: "
            f"{html.escape(', '.join(decision.present) or 'not recorded')})</small>"
        )
        return stacked([wording.view, how])

    def _check_chosen(self, _change) -> None:
        if self.filling:
            return
        outcome = self.checks.value
        if isinstance(outcome, CheckOutcome):
            self.method.value = "fist to five"
            self.result.value = outcome.result
            if not self.text.value.strip():
                self.text.value = outcome.proposal

    def _decide(self) -> None:
        outcome = self.checks.value
        # the decision keeps its check's run while its result is still the check's
        from_check = isinstance(outcome, CheckOutcome) and self.result.value == outcome.result
        actions.decide(
            self.scope,
            self.text.value,
            self.method.value,
            self.result.value,
            self.chosen_meeting(),
            run_id=outcome.run_id if from_check else None,
        )
        self.text.value = self.result.value = ""
        self.checks.value = ""
        self.refresh()
        self.status.ok("The decision is recorded.")


class ActionsPanel(widgets.VBox):
    def __init__(
        self,
        scope: TeamScope,
        status: StatusLine,
        indicator: SavedIndicator,
        chosen_meeting: Callable[[], int | None],
    ):
        self.scope = scope
        self.status = status
        self.indicator = indicator
        self.chosen_meeting = chosen_meeting  # the meeting chosen at the page's top
        self.text = widgets.Text(
            description="Action",
            placeholder="Who does what, e.g. reteach item 4 in small groups",
            layout=widgets.Layout(width="100%"),
        )
        self.text.add_class("collab-action-text")
        self.owner = widgets.Dropdown(description="Owner")
        self.owner.add_class("collab-action-owner")
        self.due = widgets.DatePicker(description="Due")
        self.due.add_class("collab-action-due")
        self.prompted = widgets.Dropdown(
            description="Prompted by", layout=widgets.Layout(width="100%")
        )
        add = form_button(
            "Add the action", "Add it to the action plan", [self.text], name="add-action"
        )
        add.on_click(guarded(status)(lambda _b: self._add()))
        self.carried = text_block()
        self.carried.add_class("collab-carried")
        self.plan = stacked()
        self.plan.add_class("collab-actions")
        self.history = text_block()
        self.exports = text_block()
        self.exports.add_class("collab-action-exports")
        super().__init__(
            [
                heading("Actions"),
                heading("Carried from earlier meetings", 4),
                self.carried,
                heading("Add an action", 4),
                self.text,
                side_by_side([self.owner, self.due]),
                self.prompted,
                add,
                heading("The action plan", 4),
                self.plan,
                self.history,
                self.exports,
            ]
        )

    def refresh(self) -> None:
        today = self.scope.store.clock.today()
        roster = members.roster(self.scope)
        self.owners = [NOBODY, *[(m.name, m.id) for m in roster]]
        refill(self.owner, self.owners)
        meeting_id = self.chosen_meeting()
        refill(self.prompted, self._prompts(meeting_id))
        carried = [] if meeting_id is None else actions.carried_into(self.scope, meeting_id)
        self.carried.value = (
            "<ul>" + "".join(action_html(a, today) for a in carried) + "</ul>"
            if carried
            else "<p class='collab-note'>Nothing open from earlier meetings.</p>"
        )
        every = actions.actions(self.scope)
        replace_children(
            self.plan, [self._row(a, today) for a in every] or [note("No action yet.")]
        )
        team = self.scope.team_name
        self.exports.value = (
            (
                download_link(
                    "Download the plan (CSV)",
                    "actions.csv",
                    "text/csv",
                    actions_csv(every, today).encode("utf-8-sig"),
                    "collab-export-csv",
                )
                + " · "
                + download_link(
                    "Due dates for your calendar (.ics)",
                    "actions.ics",
                    "text/calendar",
                    actions_ics(every, team),
                    "collab-export-ics",
                )
            )
            if every
            else ""
        )

    def _prompts(self, meeting_id: int | None) -> list[tuple[str, str]]:
        options = [("(nothing in particular)", "")]
        if meeting_id is None:
            return options
        for decision in actions.decisions(self.scope, meeting_id):
            # the list shows a short label; the action keeps the whole decision
            words = " ".join(decision.text.split())
            label = f"Decision: {actions.shortened(words, PROMPT_LABEL)}"
            options.append((label, f"Decision: {decision.text}"))
        for run in runs.past_runs(self.scope, meeting_id=meeting_id):
            for step in run.steps:
                label = f"{run.title}, step “{step.title}”"
                options.append((label, label))
        return options

    def _row(self, action: Action, today) -> widgets.Widget:
        wording = SharedText(
            widgets.Text(
                value=action.text, description="Action", layout=widgets.Layout(width="45%")
            ),
            lambda typed, base, i=action.id: actions.set_text(self.scope, i, typed, base),
            self.indicator,
            f"action:{action.id}",
        )
        wording.box.add_class("collab-action-wording")
        label = text_block(action_details(action, today))
        label.add_class("collab-action-line")
        if action.overdue(today):
            label.add_class("collab-action-overdue")
        status = widgets.Dropdown(
            options=ACTION_STATUSES,
            value=action.status,
            description="Status",
            layout=widgets.Layout(width="220px"),
        )
        status.add_class("collab-action-status")
        status.observe(
            guarded(self.status)(lambda change, i=action.id: self._set_status(i, change["new"])),
            "value",
        )
        past = button("History", "What changed, when and by whom", name="action-history")
        past.on_click(guarded(self.status)(lambda _b, i=action.id: self._show_history(i)))
        # wraps on a phone: the status and history stay on screen under the wording
        return widgets.HBox(
            [wording.view, label, status, past], layout=widgets.Layout(flex_flow="row wrap")
        )

    def _set_status(self, action_id: int, status: str) -> None:
        actions.update_action(self.scope, action_id, status=status)
        self.refresh()

    def _show_history(self, action_id: int) -> None:
        lines = "".join(
            f"<li><small>{c.at.astimezone():%d %b %Y %H:%M}</small> {html.escape(c.change)}"
            f" — {html.escape(c.who or 'coach')}</li>"
            for c in actions.history(self.scope, action_id)
        )
        self.history.value = f"<ul class='collab-action-history'>{lines}</ul>"

    def _add(self) -> None:
        meeting_id = self.chosen_meeting()
        if meeting_id is None:
            raise InvalidInput("Plan a meeting first (Start page, Next meeting).")
        actions.add_action(
            self.scope,
            self.text.value,
            owner_id=self.owner.value,
            due_on=self.due.value,
            meeting_id=meeting_id,
            prompted_by=self.prompted.value,
        )
        self.text.value = ""
        self.due.value = None
        self.refresh()
        self.status.ok("The action is on the plan.")
