"""A facilitator's or coach's JupyterLab under a hub reads their own team through the
workbook's team export, with their own hub token, and nothing else (backup/api.py,
lab/from_hub.py). A real JupyterHub checks the same in tests/browser/test_hub_browser.py."""

from __future__ import annotations

import asyncio
import json
import os
import stat
import threading
import urllib.request

import pytest
import tornado.web
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from collab_widgets.backup.api import TeamExportService
from collab_widgets.core.db import hub as hub_store
from collab_widgets.core.serving import hub_sign_in
from collab_widgets.lab.from_hub import team_from_hub
from collab_widgets.lab.team_data import NotebookMessage, team_data
from collab_widgets.team.store import members, norms, teams

TOKENS = {
    "ana-token": "ana",
    "ben-token": "ben",
    "eve-token": "eve",
    "dana-token": "dana",
}  # what the hub would say of each token


class FakeAuth:
    def get_token(self, handler, in_cookie=True):
        return handler.request.headers.get("Authorization", "").removeprefix("token ")


class FakeSignIn(hub_sign_in.HubSignIn):
    async def visitor(self, handler):
        user = TOKENS.get(self.auth.get_token(handler))
        handler._token_authenticated = user is not None  # as HubAuth marks a token's user
        return user


@pytest.fixture
def workbook(sqlite_team):
    """The workbook's export route on a loopback port, as under a hub: Ana is on the
    team; Eve is a hub user on no team; another team has its own norms."""
    # Ana facilitates: the export is the facilitator's or the coach's, as its file is
    members.assign_role(sqlite_team.as_coach, "facilitator", sqlite_team.people[0].id)
    norms.add(sqlite_team.member(0), "time", "We start on time.")
    other = teams.create_team(sqlite_team.coach, "Other team")
    norms.add(other, "listening", "The other team's secret norm.")
    members.add(other, "Zed")
    hub_store.link_member(sqlite_team.store, "ana", sqlite_team.code, "Ana")
    hub_store.link_member(sqlite_team.store, "ben", sqlite_team.code, "Ben")
    hub_store.link_coach(sqlite_team.store, "dana", sqlite_team.coach_code)
    sign_in = FakeSignIn(sqlite_team.store.url, auth=FakeAuth(), service="collab-a")
    hub_sign_in.activate(sign_in)
    service = TeamExportService(sqlite_team.store.url)
    [sock] = bind_sockets(0, "127.0.0.1")
    started = threading.Event()
    loop = asyncio.new_event_loop()

    def serve():
        asyncio.set_event_loop(loop)
        server = HTTPServer(tornado.web.Application(service.handlers("/services/collab-a/")))
        server.add_sockets([sock])
        started.set()
        loop.run_forever()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    started.wait()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/services/collab-a/", sqlite_team, other
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    service.close()
    sign_in.close()
    hub_sign_in._active.clear()


def _status(url: str, token: str | None) -> tuple[int, dict]:
    headers = {"Authorization": f"token {token}"} if token else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_a_member_gets_their_own_team_and_no_other(workbook):
    url, team, other = workbook
    export = url + "api/team-export"
    assert _status(export, "ana-token") == (
        200,
        {"teams": [{"id": team.as_coach.team_id, "name": "Grade 4 Math"}]},
    )
    status, body = _status(f"{export}?team={team.as_coach.team_id}", "ana-token")
    assert status == 200 and "We start on time." in json.dumps(body)
    status, body = _status(f"{export}?team={team.as_coach.team_id}", "ben-token")
    assert status == 403 and "only the facilitator or the coach" in body["error"]
    status, body = _status(f"{export}?team={other.team_id}", "dana-token")  # the coach's
    assert status == 200 and "secret norm" in json.dumps(body)
    for token, team_id in (
        ("ana-token", other.team_id),
        ("eve-token", team.as_coach.team_id),
        ("made-up", team.as_coach.team_id),
        (None, team.as_coach.team_id),
    ):
        status, body = _status(f"{export}?team={team_id}", token)
        assert status == 403 and "secret" not in json.dumps(body) and body["error"]
    assert _status(f"{export}?team=x", "ana-token")[0] == 400
    # the export's sessions end with each call
    assert hub_store.signed_in_users(team.store, "team-export") == []


def test_the_lab_copies_the_members_team_into_a_file_of_their_own(workbook, tmp_path):
    url, team, _ = workbook
    scope = team_from_hub(service_url=url, token="ana-token", folder=tmp_path / "lab")
    data = team_data(scope)
    assert data.team == "Grade 4 Math"
    assert [n.text for n in data.norms()] == ["We start on time."]
    copy = tmp_path / "lab" / f"team-{team.as_coach.team_id}.sqlite"
    assert stat.S_IMODE(os.stat(copy).st_mode) == 0o600
    assert "Other team" not in copy.read_bytes().decode("latin-1")
    again = team_from_hub(service_url=url, token="ana-token", folder=tmp_path / "lab")
    assert [n.text for n in team_data(again).norms()] == ["We start on time."]  # fresh, not doubled


def test_the_lab_says_plainly_what_is_wrong(workbook, tmp_path, monkeypatch):
    url, team, other = workbook
    with pytest.raises(NotebookMessage, match="not on that team"):
        team_from_hub(other.team_id, service_url=url, token="ana-token", folder=tmp_path)
    with pytest.raises(NotebookMessage, match="on no team"):
        team_from_hub(service_url=url, token="eve-token", folder=tmp_path)
    monkeypatch.delenv("COLLAB_SERVICE_URL", raising=False)
    monkeypatch.delenv("JUPYTERHUB_API_TOKEN", raising=False)
    with pytest.raises(NotebookMessage, match="started by the district's hub"):
        team_from_hub(folder=tmp_path)
    with pytest.raises(NotebookMessage, match="did not answer"):
        team_from_hub(service_url="http://127.0.0.1:9/", token="ana-token", folder=tmp_path)
