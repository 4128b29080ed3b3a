"""A member's own team, as the export file, for their JupyterLab under the district's hub.

A JupyterLab runs whatever code its user types, so it is given no database address: the
notebook asks this route for a team with the user's own hub token
(:func:`collab_widgets.lab.from_hub.team_from_hub`), and gets only a team they facilitate
or coach, as ``collab team export`` writes it. ``GET <server>/api/team-export`` lists their teams;
``?team=ID`` exports one. A server without a hub answers 404.
"""

from __future__ import annotations

import json

from collab_widgets.backup.store import export_team
from collab_widgets.core.db import Store
from collab_widgets.core.db import hub as hub_store
from collab_widgets.core.errors import AccessDenied
from collab_widgets.core.light import handlers as light
from collab_widgets.core.light.service import LightService
from collab_widgets.core.serving import hub_sign_in
from collab_widgets.team.store import teams


class TeamExportService(LightService):
    path = "api/team-export"

    def handlers(self, base: str) -> list[tuple]:
        return [(f"{base}{self.path}", TeamExportHandler, {"service": self})]


def _teams_or_team(store: Store, user: str, team_id: int | None) -> str:
    """As the hub user, through a session of its own that ends with the call: a coach's
    teams, or the teams they are a member of. The export itself is what ``collab team
    export`` writes, and as for that file, the facilitator's or the coach's: a member's
    votes and open marks are in it, which no other member's page shows."""
    secret = hub_store.start_session(store, user, "team-export")
    try:
        visitor = store.open_hub(secret)
        if visitor.is_coach():
            coach = visitor.open_coach()
            listed = [(t.id, t.name) for t in teams.coach_teams(coach)]
            open_team = coach.open_team_by_id
        else:
            listed = [(t.team_id, t.team_name) for t in visitor.teams()]
            open_team = visitor.open_member
        if team_id is None:
            return json.dumps({"teams": [{"id": i, "name": name} for i, name in listed]})
        return export_team(open_team(team_id))
    finally:
        hub_store.end_session(store, secret)


class TeamExportHandler(light.LightHandler):
    async def get(self) -> None:
        sign_in = hub_sign_in.active()
        if sign_in is None:
            self._answer(404, "This server does not sign in through a district hub.")
            return
        if not sign_in.auth.get_token(self, in_cookie=False):
            self._answer(403, "Send your own hub token: Authorization: token …")
            return
        user = await sign_in.visitor(self)
        # the token itself, never the browser's sign-in cookie behind a made-up token: a
        # page on the hub's site could otherwise export a signed-in visitor's team
        if user is None or not getattr(self, "_token_authenticated", False):
            self._answer(403, "That token is not known to the hub.")
            return
        wanted = self.get_query_argument("team", "")
        if wanted and not (wanted.isdigit() and int(wanted) <= light.LARGEST):
            self._answer(400, "Say which team by its number (leave it out for the list).")
            return
        team_id = int(wanted) if wanted else None
        try:
            text = await self.service.read(
                lambda: _teams_or_team(self.service.store, user, team_id)
            )
        except AccessDenied as exc:
            self._answer(403, str(exc))
            return
        self.set_header("Content-Type", "application/json; charset=UTF-8")
        self.finish(text)

    def _answer(self, status: int, message: str) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=UTF-8")
        self.finish(json.dumps({"error": message}))

    def write_error(self, status_code: int, **kwargs) -> None:
        # anything unforeseen: logged by tornado with its traceback, a plain message here
        self._answer(status_code, "The team could not be exported; try again in a moment.")
