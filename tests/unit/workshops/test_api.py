"""The workshop participants' light page and its JSON API, served by a real tornado server
on a loopback port (as inside ``collab serve``): joining, following the trainer, answering,
leaving; who sees what; wrong codes limited in the database per address and per code (a
class behind one school address still joins); the server's token; plain
messages for every failure; and that none of it loads pandas or matplotlib."""

from __future__ import annotations

import asyncio
import http.client
import json
import logging
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import psutil
import pytest
import tornado.httpserver
import tornado.netutil
import tornado.web

from collab_widgets.core.errors import AccessDenied
from collab_widgets.core.light.handlers import UNEXPECTED, content_security_policy
from collab_widgets.core.light.service import LightService
from collab_widgets.workshops.api import ROOM_LIMIT, ROOM_TRIES, PageHandler, WorkshopService
from collab_widgets.workshops.store import participant as participants
from collab_widgets.workshops.store import trainer as workshops

ROOT = Path(__file__).resolve().parents[3]


class ApiServer:
    """A light page and its API on a free loopback port, in a thread with its own event
    loop."""

    def __init__(self, service: LightService):
        self.service = service
        sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
        self.base = f"http://127.0.0.1:{sockets[0].getsockname()[1]}/"
        self.loop = asyncio.new_event_loop()
        ready = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(self.loop)

            async def listen() -> None:
                app = tornado.web.Application(service.handlers("/"))
                self.server = tornado.httpserver.HTTPServer(app)
                self.server.add_sockets(sockets)
                ready.set()

            self.loop.run_until_complete(listen())
            self.loop.run_forever()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        ready.wait(10)

    def call(self, action: str, body, *, token: str = "", raw: bytes | None = None):
        """(status, answer) of ``POST <page>/api/<action>``."""
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"token {token}"
        data = raw if raw is not None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.base}{self.service.path}/api/{action}",
            data=data,
            headers=headers,
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.server.stop)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.service.close()


@pytest.fixture
def api(room):
    team, workshop_id, code, first = room
    server = ApiServer(WorkshopService(db_url=team.store.url))
    yield server, team, workshop_id, code
    server.stop()


def _wrong_codes_stored(team) -> int:
    with team.store.reading() as conn:
        return conn.exec_driver_sql("SELECT count(*) FROM wrong_codes").scalar()


def _all_at_once(server: ApiServer, bodies: list[dict], monkeypatch) -> tuple[list, int, int]:
    """Every join sent while the writer is busy with something else, then let go: the
    answers, how many transactions saved them and how many room reads answered them."""
    transactions, rooms = [], []
    joining, room = participants.joining, participants.room

    def counted_joining(store, limit):
        transactions.append(store)
        return joining(store, limit)

    def counted_room(who):
        rooms.append(who)
        return room(who)

    monkeypatch.setattr(participants, "joining", counted_joining)
    monkeypatch.setattr(participants, "room", counted_room)
    busy = threading.Event()
    server.service._writer.submit(busy.wait, 30)
    try:
        with ThreadPoolExecutor(len(bodies)) as callers:
            calls = [callers.submit(server.call, "join", body) for body in bodies]
            deadline = time.monotonic() + 10
            while len(server.service._joins) < len(bodies) and time.monotonic() < deadline:
                time.sleep(0.01)
            busy.set()
            answers = [call.result() for call in calls]
    finally:
        busy.set()
        monkeypatch.setattr(participants, "joining", joining)
        monkeypatch.setattr(participants, "room", room)
    return answers, len(transactions), len(rooms)


def _post_declaring(server: ApiServer, size: int) -> tuple[int, dict]:
    """(status, answer) of an answer whose body is ``size`` bytes, sent as a client sends
    it: the headers, then the whole body, then the answer read."""
    address = urlsplit(server.base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    connection.putrequest("POST", "/workshop/api/answer")
    connection.putheader("Content-Type", "application/json")
    connection.putheader("Content-Length", str(size))
    connection.endheaders()
    chunk = b" " * 2**20
    try:
        for _ in range(size // len(chunk)):
            connection.send(chunk)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server may close the connection once it has answered
    response = connection.getresponse()
    try:
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def test_a_participant_joins_follows_answers_and_leaves(api):
    server, team, workshop_id, code = api
    status, joined = server.call("join", {"code": code.lower(), "name": " Dana  <b> "})
    assert status == 200 and joined["name"] == "Dana  <b>"  # trimmed at the ends only
    token, room = joined["token"], joined["room"]
    assert room["title"] == "PLC kickoff" and room["state"] == "Prompt 1 of 3"
    assert room["prompt"]["text"] == "Ready?" and room["prompt"]["kind"] == "choice"
    assert [c["value"] for c in room["prompt"]["choices"]] == ["Yes", "No"]
    assert room["own_answer"] == "" and room["results"] is None and not room["ended"]
    # polling: only the revision while nothing changed
    assert server.call("room", {"token": token, "seen": joined["revision"]}) == (
        200,
        {"revision": joined["revision"]},
    )
    prompt_id = room["prompt"]["id"]
    status, answered = server.call("answer", {"token": token, "prompt": prompt_id, "value": "No"})
    assert status == 200 and answered["room"]["own_answer"] == "No"
    assert workshops.results(team.coach, workshop_id)[1].rows == (("Yes", 0), ("No", 1))
    workshops.show(team.coach, workshop_id, 2)  # the open prompt
    status, polled = server.call("room", {"token": token, "seen": answered["revision"]})
    assert polled["room"]["prompt"]["text"] == "What do you hope for?"
    assert polled["room"]["prompt"]["limit"] == 2000
    typed = "  Two spaces, then <i>markup</i>\nand a line  "
    text_prompt = polled["room"]["prompt"]["id"]
    server.call("answer", {"token": token, "prompt": text_prompt, "value": typed})
    assert workshops.results(team.coach, workshop_id)[1].texts == (typed,)  # as typed
    assert server.call("leave", {"token": token}) == (200, {})
    status, refused = server.call("room", {"token": token, "seen": None})
    assert status == 410 and refused["gone"] and "Join again" in refused["error"]


def test_a_participant_sees_only_the_aggregate_and_only_once_revealed(api):
    server, team, workshop_id, code = api
    tokens = [server.call("join", {"code": code, "name": n})[1]["token"] for n in ("Ana", "Ben")]
    prompt_id = workshops.get(team.coach, workshop_id).current.id
    for token, pick in zip(tokens, ("Yes", "No"), strict=True):
        server.call("answer", {"token": token, "prompt": prompt_id, "value": pick})
    room = server.call("room", {"token": tokens[0], "seen": None})[1]["room"]
    assert room["results"] is None and room["own_answer"] == "Yes"
    workshops.show_results(team.coach, workshop_id, True)
    room = server.call("room", {"token": tokens[0], "seen": None})[1]["room"]
    assert room["results"] == {
        "sentence": "2 answers.",
        "rows": [{"label": "Yes", "count": 1}, {"label": "No", "count": 1}],
        "scale": 2,
        "texts": [],
    }
    assert "Ben" not in json.dumps(room)  # nobody's name, nobody else's answer by name


def test_an_ended_workshop_tells_the_page_and_takes_no_more_answers(api):
    server, team, workshop_id, code = api
    joined = server.call("join", {"code": code, "name": ""})[1]
    assert joined["name"] is None  # anonymous
    workshops.end(team.coach, workshop_id)
    room = server.call("room", {"token": joined["token"], "seen": joined["revision"]})[1]["room"]
    assert room["ended"] and room["state"] == "The workshop has ended." and room["prompt"] is None
    prompt_id = joined["room"]["prompt"]["id"]
    status, refused = server.call(
        "answer", {"token": joined["token"], "prompt": prompt_id, "value": "Yes"}
    )
    assert status == 400 and "ended" in refused["error"]
    status, refused = server.call("join", {"code": code, "name": "Late"})
    assert status == 400 and "ended" in refused["error"]


def test_wrong_codes_are_limited_per_address_and_a_right_code_does_not_reset_it(api, fixed_clock):
    server, _team, _workshop_id, code = api
    for _ in range(ROOM_TRIES - 1):
        status, refused = server.call("join", {"code": "WRONG1"})
        assert status == 403 and "No workshop has that code" in refused["error"]
    assert server.call("join", {"code": code})[0] == 200  # a room's typos are fine
    server.call("join", {"code": "WRONG1"})  # the last one the window allows
    status, refused = server.call("join", {"code": code})
    assert status == 403 and "Too many wrong codes from this network" in refused["error"]
    assert "Wait 601 seconds" in refused["error"]
    fixed_clock.advance(minutes=10)
    assert server.call("join", {"code": code})[0] == 200


def test_a_class_behind_one_school_address_all_join_though_five_mistype_twice(api):
    server, team, workshop_id, code = api
    typos = (code[:-1] + "0", "1" + code[1:])  # no code has a 0 or a 1

    def pupil(number: int) -> tuple[int, dict]:
        if number % 6 == 0:  # five of the thirty mistype twice first
            for typo in typos:
                status, refused = server.call("join", {"code": typo, "name": f"P{number}"})
                assert status == 403 and "No workshop has that code" in refused["error"]
        return server.call("join", {"code": code, "name": f"Pupil {number}"})

    with ThreadPoolExecutor(30) as class_at_once:  # all thirty from 127.0.0.1
        answers = list(class_at_once.map(pupil, range(30)))
    assert [status for status, _answer in answers] == [200] * 30
    assert len({answer["token"] for _status, answer in answers}) == 30
    assert workshops.get(team.coach, workshop_id).joined == 30
    assert _wrong_codes_stored(team) == 10  # the ten typos, counted in the database


def test_a_guessing_run_from_one_address_is_refused_plainly(api):
    server, _team, _workshop_id, code = api
    guesses = [f"GUES{n:02d}" for n in range(ROOM_TRIES + 5)]
    answers = [server.call("join", {"code": guess}) for guess in guesses]
    assert all("No workshop has that code" in a["error"] for _s, a in answers[:ROOM_TRIES])
    assert (
        answers[ROOM_TRIES:]
        == [
            (
                403,
                {
                    "error": "Too many wrong codes from this network. Wait 601 seconds, then try "
                    "again with the code on the trainer's screen."
                },
            )
        ]
        * 5
    )
    status, refused = server.call("join", {"code": code})  # the right code waits too
    assert status == 403 and "Too many wrong codes from this network" in refused["error"]


def test_several_servers_on_one_database_share_the_count(api, fixed_clock):
    first, team, _workshop_id, code = api
    second = ApiServer(WorkshopService(db_url=team.store.url))
    try:
        for n in range(ROOM_TRIES):  # ten wrong codes on each
            assert (first, second)[n % 2].call("join", {"code": f"GUES{n:02d}"})[0] == 403
        for server in (first, second):
            status, refused = server.call("join", {"code": code})
            assert status == 403 and "Wait 601 seconds" in refused["error"]
        fixed_clock.advance(minutes=10)
        assert second.call("join", {"code": code})[0] == 200
    finally:
        second.stop()


def test_a_room_spread_over_two_servers_loses_no_join_and_no_answer(api):
    """Two servers on one database (PostgreSQL in CI, as a district runs them): a room
    joining and answering through both at once keeps every participant and every answer."""
    first, team, workshop_id, code = api
    second = ApiServer(WorkshopService(db_url=team.store.url))
    servers = (first, second)
    try:
        with ThreadPoolExecutor(12) as callers:
            joins = list(
                callers.map(
                    lambda n: servers[n % 2].call("join", {"code": code, "name": f"P{n:02d}"}),
                    range(24),
                )
            )
            assert {status for status, _ in joins} == {200}
            prompt = joins[0][1]["room"]["prompt"]["id"]
            answers = list(
                callers.map(
                    lambda n: servers[(n + 1) % 2].call(
                        "answer",
                        {"token": joins[n][1]["token"], "prompt": prompt, "value": "Yes"},
                    ),
                    range(24),
                )
            )
        assert {status for status, _ in answers} == {200}
        assert workshops.results(team.coach, workshop_id)[1].rows == (("Yes", 24), ("No", 0))
        assert len({joined["name"] for _, joined in joins}) == 24
    finally:
        second.stop()


def test_many_addresses_on_one_code_are_refused_but_other_codes_still_open(room):
    team, _workshop_id, code, _first = room
    addresses = [f"198.51.100.{n}" for n in range(1, ROOM_TRIES + 3)]
    refusals = []
    with participants.joining(team.store, ROOM_LIMIT) as join_one:
        for address in addresses:
            with pytest.raises(AccessDenied) as refused:
                join_one("wrong-1", "Guess", address)  # "WRONG1" once normalised
            refusals.append(str(refused.value))
        ana = join_one(code, "Ana", addresses[-1])  # another code from the same address
    assert all("No workshop has that code" in r for r in refusals[:ROOM_TRIES])
    assert (
        refusals[ROOM_TRIES:]
        == [
            "Too many wrong tries of that code. Wait 601 seconds, then try again with the code "
            "on the trainer's screen."
        ]
        * 2
    )
    assert ana.name == "Ana"


def test_a_room_joining_at_once_is_saved_together_each_as_if_alone(api, monkeypatch):
    server, _team, _workshop_id, code = api
    names = [f"Participant {i}" for i in range(30)]
    answers, transactions, rooms = _all_at_once(
        server, [{"code": code, "name": name} for name in names], monkeypatch
    )
    assert (transactions, rooms) == (1, 1)
    assert [status for status, _answer in answers] == [200] * 30
    assert sorted(answer["name"] for _status, answer in answers) == sorted(names)
    assert len({answer["token"] for _status, answer in answers}) == 30
    assert {answer["room"]["prompt"]["text"] for _status, answer in answers} == {"Ready?"}
    status, room = server.call("room", {"token": answers[0][1]["token"]})
    assert status == 200 and room["revision"] == answers[0][1]["revision"]

    # right and wrong codes together: each wrong one is refused alone
    bodies = [{"code": code, "name": f"Late {i}"} for i in range(10)] + [{"code": "WRONG1"}] * 5
    answers, transactions, _rooms = _all_at_once(server, bodies, monkeypatch)
    assert transactions == 1
    assert [status for status, _answer in answers] == [200] * 10 + [403] * 5
    assert all("No workshop has that code" in answer["error"] for _s, answer in answers[10:])

    # wrong codes arriving together are counted one by one, as if they came in turn
    left = ROOM_TRIES - 5
    answers, transactions, _rooms = _all_at_once(
        server, [{"code": "WRONG1"}] * (left + 3), monkeypatch
    )
    assert transactions == 1
    refusals = sorted(answer["error"].split(".")[0] for _status, answer in answers)
    assert {status for status, _answer in answers} == {403}
    assert refusals.count("No workshop has that code") == left
    assert refusals.count("Too many wrong codes from this network") == 3


def test_text_no_database_can_store_is_refused_plainly(api):
    server, _team, _workshop_id, code = api
    status, refused = server.call(
        "join", None, raw=b'{"code": "%s", "name": "a\\ud800"}' % code.encode()
    )
    assert status == 400 and "does not read" in refused["error"]
    status, joined = server.call("join", {"code": code, "name": "Ana"})
    assert status == 200 and joined["name"] == "Ana"


def test_bad_requests_get_a_plain_message_and_no_traceback(api, monkeypatch):
    server, _team, _workshop_id, code = api
    for raw in (b"not json", b"[1, 2]", b'{"code": 7}'):
        status, refused = server.call("join", None, raw=raw)
        assert status == 400 and "does not read" in refused["error"]
    status, refused = server.call("answer", {"token": "made-up", "prompt": 1, "value": "x"})
    assert status == 410 and refused["gone"] and "Join again" in refused["error"]
    status, refused = server.call("answer", {"token": "x", "value": "x" * 20_000})
    assert status == 413 and "under 2000 characters" in refused["error"]
    joined = server.call("join", {"code": code})[1]
    status, refused = server.call(
        "answer", {"token": joined["token"], "prompt": joined["room"]["prompt"]["id"], "value": "?"}
    )
    assert status == 400 and "Pick one of the answers shown" in refused["error"]

    def broken(*_args):
        raise RuntimeError("a bug")

    monkeypatch.setattr(participants, "room", broken)
    status, refused = server.call("room", {"token": joined["token"], "seen": None})
    assert (status, refused) == (500, {"error": UNEXPECTED})  # and the page tries again


def test_a_server_token_is_needed_for_the_page_and_every_call(room):
    team, _workshop_id, code, _first = room
    server = ApiServer(WorkshopService(db_url=team.store.url, server_token="s3cret"))
    try:
        joined = server.call("join", {"code": code}, token="s3cret")[1]
        calls = {
            "join": {"code": code},
            "room": {"token": joined["token"], "seen": None},
            "answer": {"token": joined["token"], "prompt": 1, "value": "Yes"},
            "leave": {"token": joined["token"]},
        }
        for action, body in calls.items():
            for wrong in ("", "s3cre", "s3cret2"):
                status, refused = server.call(action, body, token=wrong)
                assert status == 403 and "needs its token" in refused["error"], action
        assert server.call("room", calls["room"], token="s3cret")[0] == 200
        with pytest.raises(urllib.error.HTTPError) as no_token:
            urllib.request.urlopen(f"{server.base}workshop?code={code}", timeout=10)
        assert no_token.value.code == 403
        with urllib.request.urlopen(f"{server.base}workshop?token=s3cret", timeout=10) as page:
            assert page.status == 200
    finally:
        server.stop()


def test_the_page_runs_only_its_own_script_and_style_and_talks_only_to_this_server(api):
    server = api[0]
    with urllib.request.urlopen(f"{server.base}workshop?code=ABC234", timeout=10) as response:
        page = response.read().decode()
        policy = response.headers["Content-Security-Policy"]
    assert page == PageHandler.page  # the same bytes for everyone: the link is read by script
    assert policy == content_security_policy(page)
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy
    assert policy.count("'sha256-") == 2 and "unsafe" not in policy
    assert ".innerHTML" not in page and "http" not in page.split("<script>")[1]


def test_participant_tokens_are_stored_only_as_hashes(room):
    team, _workshop_id, code, _first = room
    who = participants.join(team.store, code, "Ana")
    assert participants.participant(team.store, who.token).participant_id == who.participant_id
    with team.store.reading() as conn:
        stored = conn.exec_driver_sql("SELECT token_hash FROM workshop_participants").scalar()
    assert stored != who.token and len(stored) == 64
    participants.leave(who)
    with pytest.raises(AccessDenied, match="Join again"):
        participants.participant(team.store, who.token)


def test_the_participant_page_loads_neither_pandas_nor_matplotlib(sqlite_team, tmp_path):
    """What ``collab serve`` adds to Voilà for participants, in a fresh interpreter: a
    participant joins, answers and reads the revealed results, and the process stays as
    light as Voilà itself."""
    coach = sqlite_team.coach
    workshop_id = workshops.create(coach, "Light")
    workshops.add_prompt(coach, workshop_id, "fist", "Ready?")
    workshops.show(coach, workshop_id, 0)
    workshops.show_results(coach, workshop_id, True)
    code = workshops.get(coach, workshop_id).code
    check = (
        "import asyncio, sys\n"
        "from collab_widgets.core.serving import voila_app\n"
        "from collab_widgets.workshops import api as workshop_api\n"
        f"service = workshop_api.WorkshopService({sqlite_team.store.url!r})\n"
        f"joined = asyncio.run(service.join('127.0.0.1', {code!r}, 'Ana'))\n"
        "prompt = joined['room']['prompt']['id']\n"
        "room = service.answer(joined['token'], prompt, '4')['room']\n"
        "assert room['results']['sentence'].startswith('1 answer, average 4.0'), room\n"
        "heavy = sorted({'pandas', 'matplotlib', 'numpy', 'alembic', 'ipywidgets'}"
        " & set(sys.modules))\n"
        "print('HEAVY', heavy)\n"
    )
    env = {"HOME": str(tmp_path), "PATH": ""}
    result = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert "HEAVY []" in result.stdout


def test_a_body_over_the_limit_is_refused_before_it_is_read(api):
    server = api[0]
    size = 95 * 2**20
    assert server.call("room", {"token": "warm-up"})[0] == 410
    server_process = psutil.Process()  # the server runs in this process, on a thread
    before = server_process.memory_info().rss
    highest, sending = before, threading.Event()

    def watch() -> None:  # a body read whole is freed at once: the highest mark counts
        nonlocal highest
        while not sending.wait(0.005):
            highest = max(highest, server_process.memory_info().rss)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        answers = [_post_declaring(server, size) for _ in range(2)]
    finally:
        sending.set()
        watcher.join()
    grown = highest - before
    assert grown < size / 4, f"the server grew by {grown / 2**20:.0f} MB"
    for status, refused in answers:
        assert status == 413 and "under 2000 characters" in refused["error"]


def test_a_deeply_nested_body_gets_the_plain_message_and_no_error_in_the_log(api, caplog):
    server = api[0]
    with caplog.at_level(logging.WARNING):
        status, refused = server.call("room", None, raw=b"[" * 5000 + b"]" * 5000)
    assert status == 400 and "does not read" in refused["error"]
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
