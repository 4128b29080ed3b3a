"""A district's set-up, for real: JupyterHub (from PyPI) with its proxy (configurable-http-
proxy, from npm) and its test sign-in, in front of two `collab serve --require-hub` services
(collab-a, collab-b) on one fresh PostgreSQL database, started from the configuration the
project ships (deploy/jupyterhub/jupyterhub_config.py; see hub_harness.py).

Through the hub's login page, in Chromium:

- a coach signs in and reaches the coach's page through collab-b; a member signs in through
  collab-a and has their team page with no code in the address;
- the member's note on a live board, written on server A, appears on the coach's page served
  by server B (how long it took is printed, and bounded only generously);
- a workshop room spread over both servers: participants join and answer through either,
  answers sent through both are all kept, and wrong codes sent to both in turn meet the
  room's wrong-code limit exactly as on one server (counted for the address the proxy
  forwards);
- security: a signed-in member asking for another team sees nothing of it; team, personal
  and coach links open nothing without the hub's sign-in; a hub-linked member's personal
  link opened by another hub user does not open that member; the team export answers a
  member's own hub token for their own team only; users' servers get no database URL;
  removing a user from the hub ends their open page.

Nothing a page loads leaves the machine, and no dialog opens (conftest's PageWatch).
"""

from __future__ import annotations

import getpass
import os
import re
import time
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from traitlets.config.loader import PyFileConfigLoader

from collab_widgets.core.db import Store
from collab_widgets.protocols import runner
from collab_widgets.protocols import store as runs
from collab_widgets.protocols.library import load_library
from collab_widgets.team.store import members
from collab_widgets.workshops.api import ROOM_TRIES
from collab_widgets.workshops.store import trainer as workshops

from .conftest import READY, TIMEOUT_MS
from .hub_harness import (
    COACH_USER,
    CONFIG,
    HUB_CHECK_SECONDS,
    MEMBER_TEAM,
    MEMBERS,
    OTHER_TEAM,
    Hub,
    collab,
    request,
    running_hub,
)
from .test_every_view_browser import AXE_OPTIONS, BLOCKING

A, B = "collab-a", "collab-b"
MEMBER = "avery"  # on MEMBER_TEAM, signs in through collab-a
REMOVED = "jordan"  # on MEMBER_TEAM too: removed from the hub by the last test
STRANGER = "mallory"  # a hub user linked to nobody
LIVE_MS = 30_000  # the live board polls once a second; the machine is busy
NOTE_BOUND_S = 15  # generous: a note arrives within a few polls, not a benchmark
ENDED = re.compile(r"sign-in\b.*\bhas ended", re.IGNORECASE)  # "Your sign-in … has ended"
SIGN_IN_THROUGH_HUB = re.compile(r"sign in", re.IGNORECASE)
MESSAGE = ".collab-message"  # what a page says instead of opening


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    with running_hub(tmp_path_factory.mktemp("hub")) as running:
        yield running


# --- signing in ---------------------------------------------------------------------------


def sign_in(page: Page, hub: Hub, user: str) -> None:
    """On the hub's login page (where the service sent the browser): the test sign-in."""
    page.wait_for_selector("#username_input", timeout=TIMEOUT_MS)
    assert "/hub/login" in page.url, page.url
    page.locator("#username_input").fill(user)
    page.locator("#password_input").fill(hub.password)
    page.locator("#login_submit").click()


def signed_in(open_page, hub: Hub, user: str, url: str) -> Page:
    """``url`` opened in a fresh browser, through the hub's login as ``user``: the page,
    built."""
    page = open_page(url, wait_ready=False)
    sign_in(page, hub, user)
    page.wait_for_selector(READY, timeout=TIMEOUT_MS)
    return page


def no_code_in(url: str) -> None:
    """The address holds no code nor secret (a team's number, ``hub_team``, is no key)."""
    given = parse_qs(urlsplit(url).query)
    for name in ("team", "member", "coach", "token", "hub_session"):
        assert name not in given, f"a code in the address: {url}"


def axe_problems(page: Page, where: str) -> list[str]:
    found = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    return [f"{where}: axe {v['impact']} {v['id']}" for v in found if v["impact"] in BLOCKING]


# --- links made before a first sign-in ---------------------------------------------------


def test_users_linked_before_their_first_sign_in_keep_their_links(hub):
    """A district links its people (`collab hub link`) before they first sign in, when
    the hub has never heard of them: the servers' watch on removed users must not take
    those links away."""
    time.sleep(max(0.0, hub.serving_since + 3 * HUB_CHECK_SECONDS - time.monotonic()))
    listed = collab(hub.db_url, "hub", "list")
    for user in (COACH_USER, *hub.linked):
        assert f"{user}:" in listed, f"{user}'s link is gone before a first sign-in:\n{listed}"


# --- sign-in, and a note from server A on a page from server B ----------------------------


def _start_chalk_talk(hub: Hub) -> None:
    """The member's team starts a chalk talk, on its board step (as its facilitator)."""
    store = Store(hub.db_url)
    try:
        scope = hub.coach(store).open_team_by_id(hub.team_ids[MEMBER_TEAM])
        held = members.current_roles(scope)
        protocol = load_library(folder="").get("chalk-talk")
        roles = {r: held[r].id for r in ("facilitator", "timekeeper") if r in held}
        leader = scope.as_member(roles["facilitator"])
        run_id = runs.start_run(leader, protocol, None, roles)
        runs.control(leader, run_id, runner.advance)  # "Write in silence": the board
    finally:
        store.close()


def test_a_coach_and_a_member_sign_in_and_a_note_crosses_servers(open_page, hub):
    # both sign in at once (each page's kernel starts on its own server meanwhile)
    coach, member = open_page(hub.url(B), wait_ready=False), open_page(hub.url(A), wait_ready=False)
    sign_in(coach, hub, COACH_USER)
    sign_in(member, hub, MEMBER)
    for page, service in ((coach, B), (member, A)):
        page.wait_for_selector(READY, timeout=TIMEOUT_MS)
        assert page.url.startswith(hub.service(service)), page.url
        no_code_in(page.url)
    dashboard = coach.locator(".collab-dashboard")
    expect(dashboard).to_contain_text(MEMBER_TEAM, timeout=LIVE_MS)
    expect(dashboard).to_contain_text(OTHER_TEAM)
    expect(member.locator(".collab-who")).to_contain_text(MEMBERS[MEMBER][1], timeout=LIVE_MS)
    expect(member.locator("body")).to_contain_text(MEMBER_TEAM)
    assert OTHER_TEAM not in member.locator("body").inner_text()

    # the team's live board: the member's page from A, the coach's from B
    _start_chalk_talk(hub)
    member.goto(hub.url(A, "01_protocols.ipynb"), wait_until="commit")
    coach.locator(".collab-teams > div", has_text=MEMBER_TEAM).get_by_role(
        "button", name="Open"
    ).click()
    expect(coach.locator(".collab-nav")).to_contain_text("Protocols", timeout=LIVE_MS)
    coach.locator(".collab-nav a", has_text="Protocols").click()
    coach.wait_for_url(re.compile(r"/01_protocols\.ipynb"), wait_until="commit")
    for page in (member, coach):
        page.wait_for_selector(READY, timeout=TIMEOUT_MS)
    assert member.url.startswith(hub.service(A)), member.url
    assert coach.url.startswith(hub.service(B)), coach.url
    no_code_in(member.url)
    no_code_in(coach.url)
    for page in (member, coach):
        expect(page.locator(".collab-run .collab-step-title")).to_contain_text(
            "Write in silence", timeout=LIVE_MS
        )
    text = "Written on server A, read on server B"
    member.get_by_role("button", name="New note").click()
    own = member.locator(".collab-board-own textarea")
    expect(own.last).to_be_focused(timeout=LIVE_MS)
    member.keyboard.type(text, delay=5)
    written = time.monotonic()
    expect(coach.locator(".collab-board-card", has_text=text)).to_have_count(1, timeout=LIVE_MS)
    took = time.monotonic() - written
    print(f"\nnote written through {A}, shown by {B}: {took:.1f} s")
    assert took < NOTE_BOUND_S, f"the note took {took:.1f} s to cross servers"


# --- a workshop room on both servers ---------------------------------------------------------


def _workshop(hub: Hub) -> tuple[int, str]:
    store = Store(hub.db_url)
    try:
        coach = hub.coach(store)
        workshop_id = workshops.create(coach, "District day")
        workshops.add_prompt(coach, workshop_id, "word", "One word for today")
        workshops.show(coach, workshop_id, 0)
        return workshop_id, workshops.get(coach, workshop_id).code
    finally:
        store.close()


def _answers(hub: Hub, workshop_id: int) -> list[tuple[str | None, str]]:
    store = Store(hub.db_url)
    try:
        _, rows = workshops.answers(hub.coach(store), workshop_id)
        return sorted((row.participant, row.value) for row in rows)
    finally:
        store.close()


def room_api(hub: Hub, service: str, action: str, body: dict, address: str = "") -> tuple:
    headers = {"X-Forwarded-For": address} if address else {}
    return request("POST", f"{hub.service(service)}/workshop/api/{action}", body, headers)


def test_a_workshop_room_on_both_servers_keeps_every_answer_and_its_wrong_code_limit(
    open_page, hub
):
    workshop_id, code = _workshop(hub)
    # two participants in the browser, one on each server
    typed = {}
    for service, name in ((A, "Ana"), (B, "Bo")):
        page = open_page(f"{hub.service(service)}/workshop?code={code}", wait_ready=False)
        page.get_by_label("Your name").fill(name)
        page.get_by_role("button", name="Join").click()
        expect(page.locator(".collab-ws-prompt")).to_have_text("One word for today")
        typed[name] = f"{name} via {service}"
        page.get_by_label("Your answer").press_sequentially(typed[name], delay=5)
        expect(page.locator(".collab-saved")).to_contain_text("saved", timeout=LIVE_MS)

    # twelve more through the API, all at once: each joins on one server and answers
    # through the other (a participant's token is the database's, not a server's)
    def join_and_answer(number: int) -> None:
        joins, answers = (A, B) if number % 2 else (B, A)
        status, joined = room_api(hub, joins, "join", {"code": code, "name": f"P{number:02}"})
        assert status == 200, joined
        value = f"word {number:02} via {answers}"
        prompt = joined["room"]["prompt"]["id"]
        body = {"token": joined["token"], "prompt": prompt, "value": value}
        status, answered = room_api(hub, answers, "answer", body)
        assert status == 200, answered
        typed[f"P{number:02}"] = value

    with ThreadPoolExecutor(6) as pool:
        list(pool.map(join_and_answer, range(12)))
    assert _answers(hub, workshop_id) == sorted(typed.items())

    # wrong codes from one address (as the proxy forwards it), to both servers in turn:
    # the room's limit counts them together, as one server would
    guesser = "198.51.100.23"  # a documentation address: no real visitor's
    wrong = [f"ZZZZ-{n:04}" for n in range(ROOM_TRIES + 1)]
    answers = []
    for number, guess in enumerate(wrong):
        service = (A, B)[number % 2]
        answers.append(room_api(hub, service, "join", {"code": guess, "name": ""}, guesser))
    counted, refused = answers[:ROOM_TRIES], answers[ROOM_TRIES]
    assert all(status == 403 for status, _ in answers), answers
    assert len({answer["error"] for _, answer in counted}) == 1, counted  # "wrong code"
    assert refused[1]["error"] != counted[0][1]["error"], refused  # "too many: wait"
    # the address is refused on both servers now, even with the right code
    for service in (A, B):
        status, answer = room_api(hub, service, "join", {"code": code, "name": ""}, guesser)
        assert status == 403 and answer["error"] == refused[1]["error"], answer
    # and another address is not
    status, answer = room_api(hub, B, "join", {"code": code, "name": "Cy"}, "198.51.100.24")
    assert status == 200, answer


# --- what a signed-in member, and a visitor who is not, can open -----------------------------


def test_a_member_opens_only_their_team_and_codes_open_nothing_without_the_hub(open_page, hub):
    other_names = list(hub.member_tokens[OTHER_TEAM])
    team_code = hub.team_codes[MEMBER_TEAM]
    avery_token = hub.member_tokens[MEMBER_TEAM][MEMBERS[MEMBER][1]]
    problems = []
    # signed in at once (their kernels start meanwhile): the member asks for another team
    # by its number; another hub user, linked to nobody, brings the member's personal link
    member = open_page(hub.url(A, hub_team=hub.team_ids[OTHER_TEAM]), wait_ready=False)
    stranger = open_page(hub.url(B, team=team_code, member=avery_token), wait_ready=False)
    sign_in(member, hub, MEMBER)
    sign_in(stranger, hub, STRANGER)

    # a team link, a personal link and a coach link, without the hub's sign-in: the hub's
    # login page, or the server's page saying where to sign in; nothing of the team
    for service, params in (
        (A, {"team": team_code}),
        (B, {"team": team_code, "member": avery_token}),
        (A, {"coach": hub.coach_code}),
    ):
        page = open_page(hub.url(service, **params), wait_ready=False)
        page.wait_for_selector(f"#username_input, {MESSAGE}", timeout=TIMEOUT_MS)
        shown = page.locator("body").inner_text()
        for secret in (MEMBER_TEAM, OTHER_TEAM, MEMBERS[MEMBER][1]):
            assert secret not in shown, f"{params} without the hub showed {secret!r}"
        if "/hub/login" not in page.url:
            expect(page.locator(MESSAGE)).to_contain_text(SIGN_IN_THROUGH_HUB)
            problems += axe_problems(page, f"{params} without the hub")

    # the member: refused, and nothing of the other team
    expect(member.locator(MESSAGE)).to_be_visible(timeout=TIMEOUT_MS)
    shown = member.locator("body").inner_text()
    assert OTHER_TEAM not in shown
    assert [name for name in other_names if name in shown] == []
    problems += axe_problems(member, "another team's number")
    # the stranger: the personal link is not theirs to claim
    expect(stranger.locator(MESSAGE)).to_be_visible(timeout=TIMEOUT_MS)
    shown = stranger.locator("body").inner_text()
    assert MEMBERS[MEMBER][1] not in shown and MEMBER_TEAM not in shown
    listed = collab(hub.db_url, "hub", "list")
    assert STRANGER not in listed, listed  # not linked on the way either
    assert problems == [], "\n".join(problems)


def test_the_team_export_answers_a_members_own_hub_token_for_their_own_team_only(hub, monkeypatch):
    """What a member's JupyterLab reads their team with (the export is the facilitator's,
    as a file to take away is)."""
    user = hub.facilitator_user
    ensure_user(hub, user)
    # the token a user's JupyterLab holds: the scopes the configuration gives it
    monkeypatch.setenv("COLLAB_DB_URL", hub.db_url)
    monkeypatch.setenv("COLLAB_HUB_STATE_DIR", str(hub.log_path.parent / "config-check"))
    config = PyFileConfigLoader(CONFIG.name, str(CONFIG.parent)).load_config()
    scopes = list(config.Spawner.server_token_scopes)
    mine = {"Authorization": f"token {hub.user_token(user, scopes)}"}
    export = f"{hub.service(B)}/api/team-export"
    own, other = hub.team_ids[MEMBER_TEAM], hub.team_ids[OTHER_TEAM]
    status, answer = request("GET", export, headers=mine)
    assert status == 200, answer
    assert [team["id"] for team in answer["teams"]] == [own], answer
    status, answer = request("GET", f"{export}?team={own}", headers=mine)
    assert status == 200, answer
    assert isinstance(answer, dict) and MEMBER_TEAM in str(answer)
    assert OTHER_TEAM not in str(answer)
    status, answer = request("GET", f"{export}?team={other}", headers=mine)
    assert status == 403, answer
    assert OTHER_TEAM not in str(answer)
    assert request("GET", f"{export}?team={own}")[0] == 403  # no token
    wrong = {"Authorization": f"token {'0' * 32}"}
    assert request("GET", f"{export}?team={own}", headers=wrong)[0] == 403


def ensure_user(hub: Hub, user: str) -> None:
    status, answer = hub.api("POST", f"users/{user}")
    assert status in (201, 409), answer  # made now, or signed in before


def test_users_servers_get_no_database_url(hub, monkeypatch):
    """A member's JupyterLab under this hub: its environment, as the hub's spawner makes it
    from the shipped configuration, holds no database URL nor its password."""
    from jupyterhub.spawner import LocalProcessSpawner
    from traitlets.config.loader import PyFileConfigLoader

    monkeypatch.setenv("COLLAB_DB_URL", hub.db_url)
    monkeypatch.setenv("COLLAB_HUB_STATE_DIR", str(hub.log_path.parent / "config-check"))
    config = PyFileConfigLoader(CONFIG.name, str(CONFIG.parent)).load_config()
    name = getpass.getuser()  # the local spawner looks its user up in the system
    user = SimpleNamespace(name=name, escaped_name=name, url=f"/user/{name}/", id=1)
    hub_there = SimpleNamespace(
        api_url="http://127.0.0.1:8081/hub/api", base_url="/hub/", public_host=""
    )
    spawner = LocalProcessSpawner(config=config, user=user, hub=hub_there, orm_spawner=None)
    spawner.api_token = "the user's own token"
    env = spawner.get_env()
    for key, value in env.items():
        assert hub.db_url not in value, key
        assert not re.search(r"://[^/@\s]+:[^/@\s]+@", value), key  # no address with a password
    assert not {"COLLAB_DB_URL", "DATABASE_URL", "PGPASSWORD"} & env.keys(), sorted(env)
    # what it holds instead: the workbook's address and the user's own token
    assert env["COLLAB_SERVICE_URL"].endswith("/services/collab-a/")
    assert env["JUPYTERHUB_API_TOKEN"] == "the user's own token"
    assert os.environ["COLLAB_DB_URL"] == hub.db_url  # the hub has it; the user does not


# --- removing a user from the hub -------------------------------------------------------------


def test_removing_a_user_from_the_hub_ends_their_open_page(open_page, hub):
    page = signed_in(open_page, hub, REMOVED, hub.url(A))
    expect(page.locator(".collab-who")).to_contain_text(MEMBERS[REMOVED][1], timeout=LIVE_MS)
    status, answer = hub.api("DELETE", f"users/{REMOVED}")
    assert status == 204, answer
    removed = time.monotonic()
    expect(page.locator("body")).to_contain_text(ENDED, timeout=LIVE_MS)
    print(f"\na page of a user removed from the hub ended in {time.monotonic() - removed:.1f} s")
    problems = axe_problems(page, "the page whose sign-in ended")
    assert problems == [], "\n".join(problems)
