"""The agenda as the room sees it on the projector: the meeting, our norms, the items with
their time boxes and when each starts, the actions to follow up and who is here. Changing
any of it (and marking the norms check) opens the meeting's editor below, built only then."""

from __future__ import annotations

import html

import ipywidgets as widgets

from collab_widgets.actions import store as actions
from collab_widgets.actions.render import action_html
from collab_widgets.core.db import TeamScope
from collab_widgets.core.ui.feedback import SavedIndicator, StatusLine, guarded
from collab_widgets.core.ui.layout import LazyPanel, button, note_html, set_shown, text_block
from collab_widgets.meetings import store as meetings
from collab_widgets.meetings.model import Meeting
from collab_widgets.meetings.ui.meeting import MeetingPanel
from collab_widgets.team.store import members, norms

EDIT = "Change the agenda, who is here or the norms check"
STOP_EDITING = "Done changing: show the agenda only"


def agenda_html(meeting: Meeting, norm_texts: list[str], carried: str, present: list[str]) -> str:
    """The meeting for the room (everything typed is escaped; ``carried`` is HTML)."""
    items, start = [], 0
    for item in meeting.agenda:
        title = html.escape(item.title) or "<i>(no title yet)</i>"
        items.append(
            f"<li><div class='collab-agenda-row'><span class='collab-agenda-title'>{title}</span>"
            f"<span class='collab-agenda-time'>{item.minutes} min · from minute {start}</span>"
            "</div></li>"
        )
        start += item.minutes
    agenda = (
        f"<ol class='collab-agenda-list'>{''.join(items)}</ol>"
        f"<p><b>Total: {meeting.total_minutes} minutes</b></p>"
        if items
        else note_html("The agenda has no item yet.")
    )
    norm_list = (
        "<ul>" + "".join(f"<li>{html.escape(text)}</li>" for text in norm_texts) + "</ul>"
        if norm_texts
        else note_html("The team has no norm yet; Start here has the norms.")
    )
    here = ", ".join(html.escape(name) for name in present) or "Nobody is marked yet."
    return (
        f"<h3>{html.escape(meeting.title)} · {meeting.date:%A %d %B %Y}</h3>"
        f"<div class='collab-agenda-view'><section><h4>Agenda</h4>{agenda}</section>"
        f"<section><h4>Our norms</h4>{norm_list}</section>"
        f"<section><h4>Open actions to follow up</h4>{carried}</section>"
        f"<section><h4>Who is here</h4><p>{here}</p></section></div>"
    )


class AgendaView(widgets.VBox):
    """``meeting_id``: the meeting shown (the page's chosen one); None for the next."""

    def __init__(self, scope: TeamScope, status: StatusLine, indicator: SavedIndicator):
        self.scope = scope
        self._meeting_id: int | None = None
        self.shown = text_block()
        self.shown.add_class("collab-card")
        self.editor = LazyPanel(lambda: self._editor(scope, status, indicator))
        set_shown(self.editor, False)
        self.page_chose_another = False  # the editor shows it when it next draws
        self.edit = button(
            EDIT, "Edit the meeting, mark attendance and the norms check", "", "edit-agenda"
        )
        self.edit.on_click(guarded(status)(self._toggle_editor))
        super().__init__([self.shown, self.edit, self.editor])
        self.add_class("collab-agenda-step")

    @property
    def meeting_id(self) -> int | None:
        return self._meeting_id

    @meeting_id.setter
    def meeting_id(self, chosen: int | None) -> None:
        if chosen != self._meeting_id:
            self.page_chose_another = True
        self._meeting_id = chosen

    @property
    def editing(self) -> bool:
        return self.editor.layout.display != "none"

    def refresh(self) -> None:
        # while the editor is open it takes the agenda's place: the room never reads an
        # agenda older than the one being changed below it
        set_shown(self.shown, not self.editing)
        if self.editing:
            self.edit.description = STOP_EDITING
            if self.editor.built and self.page_chose_another:
                self.editor.panel.meeting_id = self.meeting_id
            self.page_chose_another = False  # else the meeting chosen in the editor stays
            self.editor.refresh()
            return
        chosen = self.meeting_id
        meeting = meetings.get(self.scope, chosen) if chosen else meetings.next_meeting(self.scope)
        if meeting is None:
            self.shown.value = note_html("No meeting is planned yet: plan one to see its agenda.")
            self.edit.description = "Plan the next meeting"
            return
        today = self.scope.store.clock.today()
        carried = [action_html(a, today) for a in actions.carried_into(self.scope, meeting.id)]
        names = {m.id: m.name for m in members.roster(self.scope)}
        self.shown.value = agenda_html(
            meeting,
            [n.text for n in norms.norms(self.scope, include_retired=False) if n.text.strip()],
            f"<ul>{''.join(carried)}</ul>" if carried else note_html("No open action."),
            [names[i] for i in sorted(meeting.present) if i in names],
        )
        self.edit.description = EDIT

    def _editor(self, scope: TeamScope, status: StatusLine, indicator: SavedIndicator):
        editor = MeetingPanel(scope, status, indicator)
        editor.meeting_id = self.meeting_id
        return editor

    def _toggle_editor(self, _button=None) -> None:
        set_shown(self.editor, not self.editing)
        self.refresh()
