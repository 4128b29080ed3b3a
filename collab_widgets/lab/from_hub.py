"""A team in its facilitator's (or coach's) own JupyterLab, under the district's hub.

A JupyterLab runs whatever its user types, so under a hub it holds no database address
and no password: it holds the member's own hub token (``JUPYTERHUB_API_TOKEN``, which the
hub gives every user's server) and the workbook's address (``COLLAB_SERVICE_URL``, set by
the hub's configuration). :func:`team_from_hub` asks the workbook for a team with that
token, and the workbook answers only with a team the member facilitates (or a coach
coaches), as ``collab team export`` writes it; the copy goes into a database file of
their own, which the notebooks under ``lab/`` then read with
:func:`~collab_widgets.lab.team_data.team_data`. Nothing written there reaches the team.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from pathlib import Path

from platformdirs import user_data_dir

from collab_widgets.backup.store import import_team
from collab_widgets.core.db import Store, TeamScope, url_for
from collab_widgets.core.private_files import OWNER_ONLY_FOLDER
from collab_widgets.lab.team_data import NotebookMessage
from collab_widgets.team.store import teams

SERVICE_VARIABLE = "COLLAB_SERVICE_URL"
TIMEOUT_SECONDS = 60


def team_from_hub(
    team: int | None = None,
    *,
    service_url: str | None = None,
    token: str | None = None,
    folder: Path | None = None,
) -> TeamScope:
    """A fresh copy of the member's team (``team``: its number, when they are on several),
    for ``team_data``."""
    service_url = service_url or os.environ.get(SERVICE_VARIABLE, "")
    token = token or os.environ.get("JUPYTERHUB_API_TOKEN", "")
    if not service_url or not token:
        raise NotebookMessage(
            "This works in a JupyterLab started by the district's hub, which knows the "
            "workbook's address. Elsewhere, open your team in the app (the first cell)."
        )
    export = service_url.rstrip("/") + "/api/team-export"
    if team is None:
        on = json.loads(_get(export, token))["teams"]
        if not on:
            raise NotebookMessage("Your account is on no team in the workbook yet.")
        if len(on) > 1:
            listed = ", ".join(f"{t['name']} (team_from_hub({t['id']}))" for t in on)
            raise NotebookMessage(f"You are on several teams; say which: {listed}.")
        team = on[0]["id"]
    text = _get(f"{export}?team={int(team)}", token)
    return _copy_into_own_file(text, folder or Path(user_data_dir("collab-lab")), int(team))


def _get(url: str, token: str) -> str:
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310 - the workbook's own address
            return answer.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        try:
            message = json.loads(exc.read() or b"{}").get("error", "")
        except ValueError:
            message = ""
        raise NotebookMessage(message or f"The workbook refused ({exc.code}).") from None
    except (urllib.error.URLError, OSError) as exc:
        raise NotebookMessage(
            f"The workbook at {url} did not answer ({exc}). Try again in a moment."
        ) from None


def _copy_into_own_file(text: str, folder: Path, team: int) -> TeamScope:
    folder.mkdir(mode=OWNER_ONLY_FOLDER, parents=True, exist_ok=True)
    path = folder / f"team-{team}.sqlite"
    for stale in (path, *path.parent.glob(f"{path.name}-*")):  # a fresh copy each time
        stale.unlink(missing_ok=True)
    store = Store(url_for(path))
    _, code, _ = teams.first_coach_code(store)  # the copy's own coach, here only
    return import_team(store.open_coach(code, operator=True), text)
