"""The coach's page: the coach's teams, their links, and creating a team."""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as widgets

from collab_widgets.core.codes import display
from collab_widgets.core.db import CoachScope, TeamScope
from collab_widgets.core.errors import NotFound
from collab_widgets.core.model import plural
from collab_widgets.core.ui.browser_parts import CopyLink
from collab_widgets.core.ui.confirm import Confirm
from collab_widgets.core.ui.feedback import StatusLine, guarded
from collab_widgets.core.ui.layout import (
    button,
    form_button,
    heading,
    note,
    replace_children,
    side_by_side,
    stacked,
    text_block,
)
from collab_widgets.team import links
from collab_widgets.team.store import teams


class CoachPanel(widgets.VBox):
    def __init__(
        self,
        coach: CoachScope,
        status: StatusLine,
        on_open_team: Callable[[TeamScope], None],
        dashboard: widgets.Widget,
    ):
        """``dashboard`` is the coach's dashboard (a reports screen, given by the app); it
        is refreshed with the page."""
        self.coach = coach
        self.status = status
        self.on_open_team = on_open_team
        self.team_name = widgets.Text(
            description="Team name",
            placeholder="e.g. Grade 4 Math",
            tooltip="A name the team recognises",
        )
        self.team_name.add_class("collab-new-team")
        create = form_button(
            "Create team",
            "Create the team and its code",
            [self.team_name],
            "primary",
            "create-team",
        )
        create.on_click(guarded(status)(self._create))
        self.list = stacked()
        self.list.add_class("collab-teams")
        self.own_code = text_block()
        self.own_link = CopyLink(description="Copy your coach link")
        self.workshops_link = text_block()
        renew = Confirm(
            "Change my coach code",
            "Make a new coach code; the old coach link stops working",
            "Change your coach code? Your old coach link, and every bookmark of it, stops "
            "working at once.",
            "Yes, change it",
            self._rotate_code,
            status,
            style="warning",
            name="rotate-coach-code",
        )
        self.dashboard = dashboard
        super().__init__(
            [
                heading(f"Coach: {coach.name}"),
                note(
                    "Create a team, then share its team link with the team (or each member's "
                    "personal link from the team's page)."
                ),
                side_by_side([self.team_name, create]),
                self.dashboard,
                heading("Your teams"),
                self.list,
                heading("Your coach link"),
                note(
                    "Change your code if your coach link may have been seen by someone else. "
                    "Team codes and personal links are not affected."
                ),
                self.own_code,
                self.own_link,
                renew,
                heading("Workshops"),
                self.workshops_link,
            ]
        )
        self.add_class("collab-card")
        self.refresh()

    def refresh(self) -> None:
        rows = []
        for team in teams.coach_teams(self.coach):
            info = text_block(
                f"<b>{html.escape(team.name)}</b> — {plural(team.member_count, 'member')} — code "
                f"<code>{display(team.code)}</code>"
            )
            team_link = CopyLink(
                value=links.team_link(team.code), description=f"Copy the team link of {team.name}"
            )
            open_button = button("Open", f"Open {team.name} as coach", name="open-team")
            open_button.on_click(guarded(self.status)(lambda _b, i=team.id: self._open(i)))
            row = side_by_side([open_button, info, team_link])
            row.add_class("collab-team-row")
            rows.append(row)
        replace_children(self.list, rows or [note("No teams yet.")])
        self.dashboard.refresh()
        code = teams.coach_code(self.coach)
        self.own_code.value = f"<p>Code <code>{display(code)}</code></p>"
        self.own_link.value = links.coach_link(code)
        presenter = html.escape(links.presenter_link(code), quote=True)
        self.workshops_link.value = (
            f"<p>Run a live session for a room of teachers: <a href='{presenter}' "
            "target='_blank'>open the workshop presenter</a>.</p>"
        )

    def _create(self, _button=None) -> None:
        scope = teams.create_team(self.coach, self.team_name.value)
        self.team_name.value = ""
        self.status.ok(f"Team “{scope.team_name}” created.")
        self.refresh()

    def _rotate_code(self, _button=None) -> None:
        code = teams.rotate_coach_code(self.coach)
        self.status.ok(
            f"New coach code {display(code)}. The old coach link stops working now; bookmark "
            "the new one below (this page keeps working)."
        )
        self.refresh()

    def _open(self, team_id: int) -> None:
        # The team's code now, not when the list was drawn: a member may have changed it.
        # (The id is this kernel's own, from the list it drew; the browser only clicks.)
        current = [team for team in teams.coach_teams(self.coach) if team.id == team_id]
        if not current:
            self.refresh()
            raise NotFound("That team is no longer one of yours; the list is updated.")
        self.on_open_team(self.coach.open_team(current[0].code))
