"""Starting a protocol: which one, for how long, in which meeting, and who takes the roles."""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as widgets

from collab_widgets.core.db import TeamScope
from collab_widgets.core.ui.feedback import StatusLine, guarded
from collab_widgets.core.ui.layout import (
    button,
    heading,
    note,
    refill,
    replace_children,
    text_block,
)
from collab_widgets.meetings import store as meetings
from collab_widgets.protocols import store as runs
from collab_widgets.protocols.library import Library
from collab_widgets.protocols.runner import default_roles
from collab_widgets.protocols.schema import INPUT_NAMES, MAX_PROTOCOL_MINUTES, fitted
from collab_widgets.team.store import members, teams

NEW_MEETING = -1  # the meeting chooser's "a new meeting today"


class RunSetup(widgets.VBox):
    """Shown to whoever may facilitate the team while no protocol is running."""

    def __init__(
        self,
        scope: TeamScope,
        status: StatusLine,
        library: Library,
        on_started: Callable[[int], None],
        assessment_id: int | None = None,
    ):
        self.scope = scope
        self.status = status
        self.library = library
        self.on_started = on_started
        self.assessment_id = assessment_id  # the assessment a dialogue looks at
        self.people = members.roster(scope)
        choices = [(f"{p.title} ({p.minutes} min)", p.key) for p in library.sorted()]
        self.protocol = widgets.Dropdown(
            description="Protocol", options=choices, layout=widgets.Layout(width="auto")
        )
        self.protocol.add_class("collab-protocol-choice")
        self.minutes = widgets.BoundedIntText(
            description="Minutes we have",
            min=1,
            max=MAX_PROTOCOL_MINUTES,
            style={"description_width": "initial"},
            tooltip="The steps are shortened (or lengthened) in proportion",
        )
        self.minutes.add_class("collab-minutes")
        self.plan = text_block()
        self.meeting = widgets.Dropdown(description="Meeting", layout=widgets.Layout(width="auto"))
        self.roles = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap"))
        self.role_pickers: dict[str, widgets.Dropdown] = {}
        self.anonymous = widgets.Checkbox(
            description="Notes on every board are anonymous", indent=False
        )
        self.team_anonymous = widgets.Checkbox(
            value=teams.anonymous_board(scope),
            description="Make anonymous notes this team's default for every protocol",
            indent=False,
        )
        self.team_anonymous.observe(guarded(status)(self._set_team_default), "value")
        start = button(
            "Start the protocol", "Start now; every member's page follows", "success", "start-run"
        )
        start.on_click(guarded(status)(self._start))
        self.protocol.observe(guarded(status)(lambda _c: self._chose_protocol()), "value")
        self.minutes.observe(guarded(status)(lambda _c: self._show_plan()), "value")
        super().__init__(
            [
                heading("Start a protocol"),
                note(
                    "Choose a protocol and the time you have: its steps are fitted to it. "
                    "Everyone on the team sees it on this page as soon as you start."
                ),
                self.protocol,
                self.minutes,
                self.plan,
                self.meeting,
                self.roles,
                self.anonymous,
                self.team_anonymous,
                start,
            ]
        )
        self.add_class("collab-setup")
        self._chose_protocol()
        self._show_meetings()

    def _chose_protocol(self) -> None:
        protocol = self.library.get(self.protocol.value)
        self.minutes.min = len(protocol.steps)
        self.minutes.value = protocol.minutes
        self.anonymous.value = protocol.anonymous or teams.anonymous_board(self.scope)
        team_roles = {role: m.id for role, m in members.current_roles(self.scope).items()}
        chosen = default_roles(protocol.roles, team_roles, self.scope.member_id)
        self.role_pickers = {}
        for role, member in chosen.items():
            picker = widgets.Dropdown(
                description=role.capitalize(), layout=widgets.Layout(width="auto")
            )
            # "—" (no one) when the default is no one of the team: refill selects it
            refill(picker, [("—", None)] + [(m.name, m.id) for m in self.people], keep=member)
            self.role_pickers[role] = picker
        replace_children(self.roles, list(self.role_pickers.values()))
        self._show_plan()

    def _set_team_default(self, change) -> None:
        teams.set_anonymous_board(self.scope, change["new"])
        self.anonymous.value = change["new"] or self.library.get(self.protocol.value).anonymous
        state = "anonymous" if change["new"] else "signed with names"
        self.status.ok(f"Board notes are now {state} by default for this team.")

    def _show_plan(self) -> None:
        protocol = self.library.get(self.protocol.value)
        shaped = fitted(protocol, max(self.minutes.value, len(protocol.steps)))
        items = "".join(
            f"<li>{html.escape(s.title)} — {s.minutes} min "
            f"<small>({html.escape(INPUT_NAMES[s.input])})</small></li>"
            for s in shaped.steps
        )
        self.plan.value = f"<ol class='collab-plan'>{items}</ol>"

    def _show_meetings(self) -> None:
        every = meetings.all_meetings(self.scope)
        upcoming = meetings.next_meeting(self.scope)
        options = [(f"{m.date:%a %d %b %Y} — {m.title}", m.id) for m in every]
        options.append(("A new meeting today", NEW_MEETING))
        refill(self.meeting, options, keep=upcoming.id if upcoming else NEW_MEETING)

    def _start(self, _button=None) -> None:
        protocol = fitted(self.library.get(self.protocol.value), self.minutes.value)
        roles = {r: p.value for r, p in self.role_pickers.items() if p.value is not None}
        meeting_id = None if self.meeting.value == NEW_MEETING else self.meeting.value
        run_id = runs.start_run(
            self.scope, protocol, meeting_id, roles, self.anonymous.value, self.assessment_id
        )
        self.status.ok(f"“{protocol.title}” has started; the team's pages follow it now.")
        self.on_started(run_id)
