"""Getting in: typing a code, and taking your name once on a team link."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from collab_widgets.core.db import CoachScope, TeamScope
from collab_widgets.core.ui.browser_parts import CopyLink
from collab_widgets.core.ui.feedback import StatusLine, guarded
from collab_widgets.core.ui.layout import button, form_button, heading, note, side_by_side
from collab_widgets.team.access import Gate
from collab_widgets.team.store import members


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
        self.open_button = form_button(
            "Open", "Open the team (or coach page) for this code", [self.code], "primary", "open"
        )
        self.open_button.on_click(guarded(self.status)(self._open))
        super().__init__(
            [
                heading("Join your team"),
                note(
                    "Type the code your coach gave you. Capitals, spaces and dashes do not "
                    "matter. Coaches can type their coach code here too."
                ),
                side_by_side([self.code, self.open_button]),
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
    """On a team link: take your name once, or add yourself if you are new. Only names
    nobody has taken are offered, and the store refuses a taken one whatever the browser
    sends; ``on_taken`` gets the personal token handed out for the name."""

    def __init__(self, scope: TeamScope, on_taken: Callable[[str], None]):
        self.scope = scope
        self.on_taken = on_taken
        self.status = StatusLine()
        people = members.roster(scope)
        free = [m for m in people if not m.claimed]
        taken = [m.name for m in people if m.claimed]
        self.choice = widgets.Dropdown(
            description="I am",
            options=[(m.name, m.id) for m in free],
            value=free[0].id if free else None,
        )
        self.pick_button = button("That's me", "Take this name as yours", "primary", "pick")
        self.pick_button.on_click(guarded(self.status)(self._pick))
        self.new_name = widgets.Text(description="My name", placeholder="First name and initial")
        self.new_name.add_class("collab-new-name")
        self.add_button = form_button(
            "Add me to the team", "Put your name on the roster", [self.new_name], name="add-me"
        )
        self.add_button.on_click(guarded(self.status)(self._add_me))
        chooser = [side_by_side([self.choice, self.pick_button])] if free else []
        taken_note = (
            [
                note(
                    f"Already taken: {', '.join(taken)}. If one of these is you, open your "
                    "personal link, or ask your coach for a new one."
                )
            ]
            if taken
            else []
        )
        super().__init__(
            [
                heading(f"Welcome to {scope.team_name}"),
                note(
                    "Take your name once: this device then opens the team as you, and you "
                    "get your personal link for your other devices."
                ),
                *chooser,
                *taken_note,
                note("Not on the list yet?"),
                side_by_side([self.new_name, self.add_button]),
                self.status,
            ]
        )
        self.add_class("collab-pick")

    def _pick(self, _button=None) -> None:
        if self.choice.value is None:
            return
        self.on_taken(members.claim(self.scope, self.choice.value))

    def _add_me(self, _button=None) -> None:
        self.on_taken(members.join(self.scope, self.new_name.value).token)


class DeviceCard(widgets.VBox):
    """Shown to a member who came in on the team link: their personal link, and a way to
    make this device forget them (a shared computer)."""

    def __init__(self, personal_link: str, just_taken: bool, on_forget: Callable[[], None]):
        self.status = StatusLine()
        forget = button(
            "Forget me on this device",
            "The team link on this device will ask for a name again",
            name="forget-device",
        )
        forget.on_click(guarded(self.status)(lambda _b: on_forget()))
        if just_taken:
            about = note(
                "The name is yours now, and this device remembers you: the team link opens "
                "as you here. On any other device, open your personal link. Keep it to "
                "yourself: it opens the workbook as you."
            )
        else:
            about = note("Welcome back: this device remembered you.")
        super().__init__(
            [
                about,
                CopyLink(value=personal_link, description="Copy your personal link"),
                forget,
                self.status,
            ]
        )
        self.add_class("collab-device-card")
