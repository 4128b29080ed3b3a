"""Getting in: typing a code, and picking your name on a team link."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from ..access import Gate
from ..store import CoachScope, TeamScope, members
from .feedback import StatusLine, guarded
from .layout import button, heading, note


class JoinScreen(widgets.VBox):
    """Asks for a team code (or a coach code) and hands the scope it opens to ``on_open``."""

    def __init__(
        self, gate: Gate, on_open: Callable[[TeamScope | CoachScope], None], message: str = ""
    ):
        self.gate = gate
        self.on_open = on_open
        self.status = StatusLine()
        self.code = widgets.Text(
            description="Code",
            placeholder="e.g. ABCD-EFGH-JKMN",
            tooltip="The team code from your coach, or your coach code",
        )
        self.code.add_class("collab-code")
        self.open_button = button(
            "Open", "Open the team (or coach page) for this code", "primary", "open"
        )
        self.open_button.on_click(guarded(self.status)(self._open))
        super().__init__(
            [
                heading("Join your team"),
                note(
                    "Type the code your coach gave you. Capitals, spaces and dashes do not "
                    "matter. Coaches can type their coach code here too."
                ),
                widgets.HBox([self.code, self.open_button]),
                self.status,
            ]
        )
        self.add_class("collab-join")
        if message:
            self.status.error(message)

    def _open(self, _button=None) -> None:
        scope = self.gate.open(self.code.value)
        self.status.clear()
        self.on_open(scope)


class PickNameScreen(widgets.VBox):
    """On a team link: "who are you?" once, or add yourself if you are new."""

    def __init__(self, scope: TeamScope, on_pick: Callable[[TeamScope], None]):
        self.scope = scope
        self.on_pick = on_pick
        self.status = StatusLine()
        people = members.roster(scope)
        self.choice = widgets.Dropdown(
            description="I am",
            options=[(m.name, m.id) for m in people],
            value=people[0].id if people else None,
        )
        self.pick_button = button("That's me", "Continue as this person", "primary", "pick")
        self.pick_button.on_click(guarded(self.status)(self._pick))
        self.new_name = widgets.Text(description="My name", placeholder="First name and initial")
        self.new_name.add_class("collab-new-name")
        self.add_button = button("Add me to the team", "Put your name on the roster", name="add-me")
        self.add_button.on_click(guarded(self.status)(self._add_me))
        chooser = [widgets.HBox([self.choice, self.pick_button])] if people else []
        super().__init__(
            [
                heading(f"Welcome to {scope.team_name}"),
                note(
                    "Pick your name so your notes and marks are yours. Next time, use your "
                    "personal link and the workbook will know you on any device."
                ),
                *chooser,
                note("Not on the list yet?"),
                widgets.HBox([self.new_name, self.add_button]),
                self.status,
            ]
        )
        self.add_class("collab-pick")

    def _pick(self, _button=None) -> None:
        if self.choice.value is None:
            return
        self.on_pick(self.scope.as_member(self.choice.value))

    def _add_me(self, _button=None) -> None:
        member = members.add(self.scope, self.new_name.value, is_self=True)
        self.on_pick(self.scope.as_member(member.id))
