"""Meetings: the next one by default, any other by choice; date, agenda with time boxes,
attendance and the norms check."""

from __future__ import annotations

import datetime as dt
import html

import ipywidgets as widgets

from collab_widgets.actions import store as actions
from collab_widgets.actions.render import action_html
from collab_widgets.core.db import Permission, TeamScope
from collab_widgets.core.ui.autosave import SharedText, autosave
from collab_widgets.core.ui.chart_view import ChartView
from collab_widgets.core.ui.confirm import Confirm
from collab_widgets.core.ui.feedback import SavedIndicator, StatusLine, guarded
from collab_widgets.core.ui.layout import (
    button,
    heading,
    note,
    replace_children,
    side_by_side,
    stacked,
    text_block,
)
from collab_widgets.meetings import store as meetings
from collab_widgets.team.model import CHECK_PHASES, NORM_RATINGS
from collab_widgets.team.norms_check import last_checked_meeting, meeting_chart
from collab_widgets.team.store import members, norms


class MeetingPanel(widgets.VBox):
    """Built empty; :meth:`refresh` fills it when the tab is first opened (charts are heavy)."""

    def __init__(self, scope: TeamScope, status: StatusLine, indicator: SavedIndicator):
        self.scope = scope
        self.status = status
        self.indicator = indicator
        self.meeting_id: int | None = None
        super().__init__()
        self.add_class("collab-meeting")

    def refresh(self) -> None:
        every = meetings.all_meetings(self.scope)
        if not every:
            plan = button(
                "Plan the next meeting",
                "Create a meeting with the usual agenda",
                "primary",
                "plan-meeting",
            )
            plan.on_click(guarded(self.status)(self._plan))
            replace_children(self, [heading("Next meeting"), note("No meeting planned yet."), plan])
            return
        chosen = [m for m in every if m.id == self.meeting_id]
        meeting = chosen[0] if chosen else meetings.next_meeting(self.scope)
        self.meeting_id = meeting.id
        picker = widgets.Dropdown(
            description="Meeting",
            options=[(f"{m.date:%a %d %b %Y} — {m.title}", m.id) for m in every],
            value=meeting.id,
            tooltip="Open another meeting (the next one is shown first)",
            layout=widgets.Layout(width="auto"),
        )
        picker.observe(guarded(self.status)(self._choose), "value")
        date = widgets.DatePicker(description="Date", value=meeting.date)
        date.observe(guarded(self.status)(self._set_date), "value")
        title = SharedText(
            widgets.Text(description="Title", value=meeting.title, continuous_update=True),
            lambda typed, base: meetings.set_details(
                self.scope, meeting.id, title=typed, base=base
            ),
            self.indicator,
            f"meeting:{meeting.id}:title",
        ).view
        another = button("Plan another meeting", "Create a further meeting", name="plan-meeting")
        another.on_click(guarded(self.status)(self._plan))
        actions = [another]
        if self.scope.allows(Permission.FACILITATE):
            actions.append(
                Confirm(
                    "Delete this meeting",
                    "Move this meeting to the trash (can be restored)",
                    "Delete this meeting, with its agenda? It goes to the trash, where it can "
                    "be restored.",
                    "Yes, delete it",
                    self._delete,
                    self.status,
                    name="delete-meeting",
                )
            )
        self.total = text_block()
        self.agenda = stacked()
        self.agenda.add_class("collab-agenda")
        add_item = button("Add agenda item", "Add a time-boxed item at the end", name="add-item")
        add_item.on_click(guarded(self.status)(self._add_item))
        self.checks = stacked()
        self.chart = ChartView("This meeting")
        self.earlier = ChartView()
        replace_children(
            self,
            [
                heading("Next meeting" if meeting.date >= self._today() else "Meeting"),
                picker,
                side_by_side([date, title, *actions]),
                heading("Agenda", 4),
                note("Each item has a time box in minutes; the timekeeper keeps us to it."),
                self.agenda,
                add_item,
                self.total,
                heading("Open actions to follow up", 4),
                self._carried(meeting),
                heading("Who is here", 4),
                self._attendance(meeting),
                heading("Norms check", 4),
                note(
                    "Mark how well we kept each norm: once at the start (last time) and once at "
                    "the end (today). Only the average is shown to the team."
                ),
                self.checks,
                self.chart,
                self.earlier,
            ],
        )
        self._show_agenda(meeting)
        self._show_checks()
        self._draw_chart()

    # --- agenda ---

    def _carried(self, meeting) -> widgets.HTML:
        """Open actions from earlier meetings: the agenda follows them up."""
        today = self._today()
        lines = [action_html(a, today) for a in actions.carried_into(self.scope, meeting.id)]
        shown = text_block(
            f"<ul>{''.join(lines)}</ul>"
            if lines
            else "<p class='collab-note'>No open action from earlier meetings.</p>"
        )
        shown.add_class("collab-carried")
        return shown

    def _show_agenda(self, meeting) -> None:
        rows = []
        for item in meeting.agenda:
            title = SharedText(
                widgets.Text(
                    value=item.title,
                    description=f"Item {item.position}",
                    continuous_update=True,
                    layout=widgets.Layout(width="55%"),
                ),
                lambda typed, base, i=item.id: meetings.set_agenda_item(
                    self.scope, i, title=typed, base=base
                ),
                self.indicator,
                f"agenda:{item.id}",
            ).view
            minutes = widgets.BoundedIntText(
                value=item.minutes,
                min=0,
                max=240,
                description="Minutes",
                continuous_update=True,
                layout=widgets.Layout(width="170px"),
            )
            autosave(minutes, lambda v, i=item.id: self._set_minutes(i, v), self.indicator)
            remove = Confirm(
                "Remove",
                "Move this agenda item to the trash",
                "Take this item off the agenda?",
                "Yes, remove it",
                lambda i=item.id: self._remove_item(i),
                self.status,
                name="remove-item",
            )
            rows.append(side_by_side([title, minutes, remove]))
        replace_children(self.agenda, rows)
        self._show_total(meeting.total_minutes)

    def _show_total(self, minutes: int) -> None:
        self.total.value = f"<p><b>Total: {minutes} minutes</b></p>"

    def _set_minutes(self, item_id: int, value: int) -> None:
        meetings.set_agenda_item(self.scope, item_id, minutes=value)
        self._show_total(meetings.get(self.scope, self.meeting_id).total_minutes)

    def _add_item(self, _button=None) -> None:
        meetings.add_agenda_item(self.scope, self.meeting_id, "", 5)
        self._show_agenda(meetings.get(self.scope, self.meeting_id))

    def _remove_item(self, item_id: int) -> None:
        meetings.delete_agenda_item(self.scope, item_id)
        self._show_agenda(meetings.get(self.scope, self.meeting_id))

    def _set_date(self, change) -> None:
        if change["new"] is None:
            self.status.error("Choose a date for the meeting; the date box is empty.")
            return
        meetings.set_details(self.scope, self.meeting_id, date=change["new"])
        self.indicator.saved()

    def _today(self) -> dt.date:
        return self.scope.store.clock.today()

    def _choose(self, change) -> None:
        self.meeting_id = change["new"]
        self.refresh()

    def _plan(self, _button=None) -> None:
        """A week after the latest meeting (or after today), shown at once."""
        every = meetings.all_meetings(self.scope)
        start = max([self._today(), *(m.date for m in every)])
        planned = meetings.create(self.scope, start + dt.timedelta(days=7))
        self.meeting_id = planned.id
        self.status.ok(
            f"Meeting planned for {planned.date:%A %d %B} with the usual agenda; change "
            "anything you like."
        )
        self.refresh()

    def _delete(self, _button=None) -> None:
        meetings.delete(self.scope, self.meeting_id)
        self.status.ok("Meeting moved to the trash. You can restore it from the Trash tab.")
        self.refresh()

    # --- attendance ---

    def _attendance(self, meeting) -> widgets.Widget:
        boxes = []
        for member in members.roster(self.scope):
            box = widgets.Checkbox(
                value=member.id in meeting.present,
                description=member.name,
                indent=False,
                layout=widgets.Layout(width="auto"),
            )
            box.observe(
                guarded(self.status)(lambda c, m=member.id: self._attend(m, c["new"])),
                "value",
            )
            boxes.append(box)
        return widgets.HBox(
            boxes or [note("Add people to the roster first.")],
            layout=widgets.Layout(flex_flow="row wrap"),
        )

    def _attend(self, member_id: int, present: bool) -> None:
        meetings.set_attendance(self.scope, self.meeting_id, member_id, present)
        self.indicator.saved()

    # --- norms check ---

    def _show_checks(self) -> None:
        active = [n for n in norms.norms(self.scope, include_retired=False) if n.text.strip()]
        if self.scope.member_id is None:
            replace_children(
                self.checks, [note("Members mark the norms check from their own personal link.")]
            )
            return
        mine = meetings.my_checks(self.scope, self.meeting_id)
        rows = []
        for norm in active:
            label = widgets.HTML(
                f"<div class='collab-check-norm'>{html.escape(norm.text)}</div>",
                layout=widgets.Layout(width="40%"),
            )
            pickers = []
            for phase in CHECK_PHASES:
                picker = widgets.ToggleButtons(
                    options=[(str(k), k) for k in NORM_RATINGS],
                    value=mine.get((norm.id, phase)),
                    description=phase.capitalize(),
                    tooltips=list(NORM_RATINGS.values()),
                    style={"button_width": "34px"},
                )
                picker.observe(
                    guarded(self.status)(lambda c, n=norm.id, p=phase: self._mark(n, p, c["new"])),
                    "value",
                )
                pickers.append(picker)
            rows.append(side_by_side([label, *pickers]))
        replace_children(self.checks, rows or [note("Write some norms first.")])

    def _mark(self, norm_id: int, phase: str, rating: int | None) -> None:
        if rating is None:
            return
        meetings.check_norm(self.scope, self.meeting_id, norm_id, phase, rating)
        self.indicator.saved()
        self._draw_chart()

    def _draw_chart(self) -> None:
        self.chart.show(meeting_chart(self.scope, self.meeting_id))
        earlier = last_checked_meeting(self.scope, before_id=self.meeting_id)
        if earlier is None:
            self.earlier.show(None, "No earlier meeting has a norms check yet.")
        else:
            self.earlier.title = f"Norms check of {earlier.title} ({earlier.date:%d %B %Y})"
            self.earlier.show(meeting_chart(self.scope, earlier.id))
