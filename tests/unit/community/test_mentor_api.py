"""The mentor's page and its JSON API, served by a real tornado server on a loopback port
(as inside ``collab serve``), over a real store with the fixed clock: a mentor sees their
own mentee's first name and their own logs, nothing else about any student; a changed
link, a lapsed clearance and an ended mentoring are said plainly; bad numbers and dates
are refused and nothing is saved; wrong codes are limited; and the page runs only its own
script, keeps nothing on the device and stays light."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from collab_widgets.community import api
from collab_widgets.community.api import MentorService, PageHandler
from collab_widgets.community.store import mentoring
from collab_widgets.community.store.mentoring import (
    CHANGED,
    ENDED,
    NOT_CLEARED,
    TOO_MANY,
    WRONG_LINK,
)
from collab_widgets.core.light import handlers as light
from collab_widgets.core.light.handlers import content_security_policy
from collab_widgets.students.store import classes
from collab_widgets.team import links
from tests.unit.community.conftest import BOTH_DATABASES, EIGHT
from tests.unit.workshops.test_api import ApiServer

ROOT = Path(__file__).resolve().parents[3]
TODAY = dt.date(2026, 10, 15)  # the fixed clock's
CLEARED = (dt.date(2026, 8, 1), dt.date(2027, 7, 31), "Sam Office")
BEAS_NOTE = "Chidi told me about the science fair"  # Bea's log: Alex never reads it


class Mentoring:
    """A programme with Alex matched to the first student (Maya), Bea to the second
    (Chidi), Cy not matched yet; each with a link."""

    def __init__(self, school, classroom):
        self.school, self.classroom = school, classroom
        self.store = school.store
        self.programme_id = mentoring.add_programme(
            school, "Reading buddies", dt.date(2026, 9, 1), dt.date(2027, 6, 30), 60
        )
        self.mentor_ids, self.codes = {}, {}
        for name in ("Alex", "Bea", "Cy"):
            self.mentor_ids[name] = mentoring.add_mentor(
                school, self.programme_id, name, ["reading"], ["tue-pm"], ["en"], *CLEARED
            )
            self.codes[name] = mentoring.issue_mentor_link(school, self.mentor_ids[name])
        students = mentoring.students(school)
        self.pseudonyms = [s.pseudonym for s in students]
        self.mentee_ids = [
            mentoring.add_mentee(school, self.programme_id, student.id, ["reading"], ["tue-pm"])
            for student in students[:2]
        ]
        self.match_ids = {
            name: mentoring.confirm_match(
                school, self.programme_id, self.mentor_ids[name], mentee, "both like reading"
            )
            for name, mentee in zip(("Alex", "Bea"), self.mentee_ids, strict=True)
        }
        bea = mentoring.sign_in(self.store, self.codes["Bea"], "10.9.9.9", api.MENTOR_LIMIT)
        mentoring.log_meeting(self.store, bea, TODAY, 50, "Science fair poster", BEAS_NOTE, 4)


@pytest.fixture
def place(school, classroom) -> Mentoring:
    return Mentoring(school, classroom)


@pytest.fixture
def server(place):
    running = ApiServer(MentorService(db_url=place.store.url))
    yield running
    running.stop()


SEEN: list = []  # every answer of the test, for the privacy scan


def call(server: ApiServer, action: str, body=None, *, raw=None, token=""):
    """(status, answer) of ``POST mentors/api/<action>``."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"token {token}"
    request = urllib.request.Request(
        f"{server.base}mentors/api/{action}",
        data=raw if raw is not None else json.dumps(body).encode(),
        headers=headers,
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            answer = response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        answer = error.code, json.loads(error.read())
    SEEN.append(answer)
    return answer


def _log(place, name="Alex", **typed):
    values = {
        "met_on": "2026-10-15",
        "minutes": "45",
        "activity": "Read a chapter together",
        "note": "She chose the book",
        "check_in": 3,
    }
    return {"code": place.codes[name], **values, **typed}


def _wrong_codes_stored(place) -> int:
    with place.store.reading() as conn:
        return conn.exec_driver_sql("SELECT count(*) FROM wrong_codes").scalar()


def _logs_stored(place) -> int:
    with place.store.reading() as conn:
        return conn.exec_driver_sql("SELECT count(*) FROM mentor_logs").scalar()


# --- opening ----------------------------------------------------------------------------------


def test_the_link_opens_the_mentors_own_page_with_the_mentees_first_name_only(server, place):
    status, page = call(server, "open", {"code": place.codes["Alex"].lower()})
    assert status == 200, page
    assert page == {
        "mentor": "Alex",
        "programme": "Reading buddies",
        "mentee": "Maya",
        "minutes_a_week": 60,
        "ended": False,
        "today": "2026-10-15",
        "max_minutes": 600,
        "check_ins": [
            {"value": value, "words": words} for value, words in mentoring.CHECK_INS.items()
        ],
        "logs": [],
    }
    assert call(server, "page", {"code": place.codes["Alex"]}) == (200, page)
    assert links.mentor_link("ABCD").endswith("/mentors#code=ABCD")


@BOTH_DATABASES
def test_a_mentor_logs_a_meeting_and_reads_only_their_own_logs(server, place):
    status, page = call(server, "log", _log(place))
    assert status == 200, page
    (entry,) = page["logs"]
    assert entry == {
        "id": entry["id"],
        "met_on": "2026-10-15",
        "date": "Thursday 15 October 2026",
        "minutes": 45,
        "activity": "Read a chapter together",
        "note": "She chose the book",
        "check_in": "Going well",
    }
    (alex, bea) = mentoring.matches(place.school, place.programme_id)
    assert [log.minutes for log in alex.logs] == [45] and [log.minutes for log in bea.logs] == [50]
    assert BEAS_NOTE not in json.dumps(page)


def test_a_mentor_not_matched_yet_sees_no_mentee_and_cannot_log(server, place):
    status, page = call(server, "open", {"code": place.codes["Cy"]})
    assert status == 200 and (page["mentee"], page["logs"], page["ended"]) == ("", [], False)
    assert call(server, "log", _log(place, "Cy")) == (400, {"error": mentoring.NO_MENTEE})


def test_an_ended_mentoring_shows_it_has_ended_and_takes_no_log(server, place):
    mentoring.close_match(place.school, place.match_ids["Alex"], "A good term")
    status, page = call(server, "open", {"code": place.codes["Alex"]})
    assert status == 200 and page["ended"] is True and page["mentee"] == ""
    assert call(server, "log", _log(place)) == (400, {"error": ENDED})
    assert _logs_stored(place) == 1


# --- links and clearance ----------------------------------------------------------------------


def test_a_rotated_link_is_refused_and_ends_the_open_page(server, place):
    old = place.codes["Alex"]
    assert call(server, "open", {"code": old})[0] == 200
    new = mentoring.issue_mentor_link(place.school, place.mentor_ids["Alex"])
    for action, body in (("page", {"code": old}), ("log", _log(place, code=old))):
        assert call(server, action, body) == (410, {"error": CHANGED, "gone": True}), action
    assert call(server, "open", {"code": old}) == (403, {"error": WRONG_LINK})
    assert call(server, "open", {"code": new})[0] == 200
    mentoring.revoke_mentor_link(place.school, place.mentor_ids["Alex"])
    assert call(server, "page", {"code": new}) == (410, {"error": CHANGED, "gone": True})
    assert _logs_stored(place) == 1


@BOTH_DATABASES
def test_a_lapsed_clearance_closes_the_page_at_once_and_flags_the_match(server, place, fixed_clock):
    code = place.codes["Alex"]
    assert call(server, "open", {"code": code})[0] == 200
    mentoring.set_clearance(
        place.school, place.mentor_ids["Alex"], dt.date(2025, 9, 1), dt.date(2026, 10, 14), "Sam"
    )
    assert call(server, "page", {"code": code}) == (410, {"error": NOT_CLEARED, "gone": True})
    assert call(server, "log", _log(place)) == (410, {"error": NOT_CLEARED, "gone": True})
    assert call(server, "open", {"code": code}) == (403, {"error": NOT_CLEARED})
    assert _wrong_codes_stored(place) == 0  # a right code, refused for another reason
    alex = mentoring.matches(place.school, place.programme_id)[0]
    assert alex.flags == ("clearance lapsed on 14 October 2026",)
    # Bea's clearance lapses with the clock: refused the day after, with nothing saved
    fixed_clock.advance(days=300)
    assert call(server, "open", {"code": place.codes["Bea"]}) == (403, {"error": NOT_CLEARED})
    assert _logs_stored(place) == 1


# --- bad input ----------------------------------------------------------------------------------

MINUTES_WRONG = "Type how long you met in minutes, a whole number from 1 to 600."


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ({"minutes": "-5"}, MINUTES_WRONG),
        ({"minutes": "0"}, MINUTES_WRONG),
        ({"minutes": "601"}, MINUTES_WRONG),
        ({"minutes": 10**12}, MINUTES_WRONG),
        ({"minutes": "forty"}, MINUTES_WRONG),
        ({"minutes": "1e3"}, MINUTES_WRONG),
        ({"minutes": 45.5}, MINUTES_WRONG),
        ({"minutes": [45]}, MINUTES_WRONG),
        ({"minutes": ""}, MINUTES_WRONG),
        ({"met_on": "yesterday"}, "Choose the date you met, for example 2026-10-15."),
        ({"met_on": ""}, "Choose the date you met, for example 2026-10-15."),
        ({"met_on": "2026-10-16"}, "That date is after today: log a meeting once it has happened."),
        ({"met_on": "2026-10-14"}, "That date is before this mentoring began (15 October 2026)."),
        ({"activity": "  "}, "Say in a few words what you did together."),
        ({"check_in": 7}, "Choose how the mentoring is going."),
        ({"check_in": -1}, "Choose how the mentoring is going."),
        ({"check_in": None}, "Choose how the mentoring is going."),
        ({"check_in": "good"}, "Choose how the mentoring is going."),
        ({"check_in": True}, "Choose how the mentoring is going."),
    ],
)
def test_bad_numbers_and_dates_are_refused_plainly_and_nothing_is_saved(server, place, typed, said):
    assert call(server, "log", _log(place, **typed)) == (400, {"error": said})
    assert _logs_stored(place) == 1


def test_unreadable_or_over_long_calls_are_refused_and_count_no_code(server, place):
    for raw in (b"not json", b"[1, 2]", b'{"code": 7}'):
        assert call(server, "open", raw=raw) == (400, {"error": light.UNREADABLE}), raw
    body = _log(place, code="WRONGCODE234", note=7)
    assert call(server, "log", body) == (400, {"error": light.UNREADABLE})
    long_note = _log(place, code="WRONGCODE234", note="x" * (mentoring.MAX_NOTE + 1))
    assert call(server, "log", long_note) == (400, {"error": api.TOO_LONG})
    huge = json.dumps(_log(place, note="x" * (api.MAX_BODY + 10))).encode()
    assert call(server, "log", raw=huge) == (413, {"error": api.TOO_LONG})
    assert _wrong_codes_stored(place) == 0 and _logs_stored(place) == 1


# --- wrong codes ----------------------------------------------------------------------------------


@BOTH_DATABASES
def test_wrong_codes_are_limited_and_the_right_code_still_opens(server, place):
    assert call(server, "open", {"code": ""}) == (403, {"error": WRONG_LINK})
    for i in range(api.MENTOR_TRIES - 1):
        assert call(server, "open", {"code": f"WRONG{i:07d}"}) == (403, {"error": WRONG_LINK})
    assert call(server, "open", {"code": "WRONGLAST234"}) == (403, {"error": TOO_MANY})
    assert _wrong_codes_stored(place) == api.MENTOR_TRIES
    # a mentor at the same office still opens their own page
    assert call(server, "open", {"code": place.codes["Alex"]})[0] == 200


def test_one_code_tried_from_many_addresses_is_stopped(place):
    said = []
    for i in range(api.CODE_TRIES + 2):
        with pytest.raises(mentoring.MentorRefused) as refused:
            mentoring.sign_in(place.store, "GUESS2345678", f"203.0.113.{i}", api.MENTOR_LIMIT)
        said.append(str(refused.value))
    assert said == [WRONG_LINK] * api.CODE_TRIES + [TOO_MANY] * 2
    session = mentoring.sign_in(place.store, place.codes["Alex"], "203.0.113.1", api.MENTOR_LIMIT)
    assert session.mentor_id == place.mentor_ids["Alex"]


# --- privacy ----------------------------------------------------------------------------------


PAGE_KEYS = {
    "mentor",
    "programme",
    "mentee",
    "minutes_a_week",
    "ended",
    "today",
    "max_minutes",
    "check_ins",
    "logs",
}
LOG_KEYS = {"id", "met_on", "date", "minutes", "activity", "note", "check_in"}


def test_no_answer_names_another_student_or_shows_an_id_pseudonym_or_class(server, place):
    SEEN.clear()
    for name in ("Alex", "Bea", "Cy"):
        call(server, "open", {"code": place.codes[name]})
        call(server, "log", _log(place, name))
        call(server, "log", _log(place, name, minutes="-1"))
        call(server, "page", {"code": place.codes[name]})
    call(server, "open", {"code": "WRONGCODE234"})
    mentees = {"Maya", "Chidi"}  # the first names of Alex's and Bea's mentees
    shown_names = [s.display_name for s in place.classroom.roster]  # "Maya R."
    assert "Maya R." in shown_names
    for status, answer in SEEN:
        text = json.dumps(answer)
        words = set(re.findall(r"[\w']+", text))
        for row in EIGHT:
            first, last = row.name.split()
            assert first in mentees or first not in words, (first, answer)
            assert last not in words, (last, answer)
            assert row.key not in words, (row.key, answer)
        for pseudonym in place.pseudonyms:
            assert pseudonym not in text
        for shown in shown_names:
            assert shown not in text
        assert "Room 12" not in text and "class" not in text and "student" not in text
        if status == 200:  # the page holds no field that could carry a student's id
            assert set(answer) == PAGE_KEYS
            assert all(set(entry) == LOG_KEYS for entry in answer["logs"])
            assert answer["mentee"] in ("Maya", "Chidi", "")
    # each mentor saw only their own mentee's first name and their own logs
    by_mentor = {a["mentor"]: json.dumps(a) for s, a in SEEN if s == 200}
    assert "Maya" in by_mentor["Alex"] and "Chidi" not in by_mentor["Alex"]
    assert "Chidi" in by_mentor["Bea"] and "Maya" not in by_mentor["Bea"]
    assert "Maya" not in by_mentor["Cy"] and "Chidi" not in by_mentor["Cy"]
    assert BEAS_NOTE in by_mentor["Bea"]
    assert BEAS_NOTE not in by_mentor["Alex"] + by_mentor["Cy"]


# --- the server's token and the page -------------------------------------------------------


def test_the_server_token_is_needed_for_the_page_and_every_call(place):
    running = ApiServer(MentorService(db_url=place.store.url, server_token="s3cret"))
    try:
        for action in api.ACTIONS:
            status, refused = call(running, action, {"code": place.codes["Alex"]})
            assert (status, refused) == (403, {"error": light.NEEDS_TOKEN}), action
        assert call(running, "open", {"code": place.codes["Alex"]}, token="s3cret")[0] == 200
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{running.base}mentors", timeout=10)
        assert refused.value.code == 403 and "token=" in refused.value.read().decode()
        with urllib.request.urlopen(f"{running.base}mentors?token=s3cret", timeout=10) as page:
            assert page.status == 200
    finally:
        running.stop()


def test_the_page_runs_only_its_own_script_and_style_and_fetches_nothing(server):
    with urllib.request.urlopen(f"{server.base}mentors", timeout=10) as got:
        page = got.read().decode()
        policy = got.headers["Content-Security-Policy"]
        assert got.headers["Cache-Control"] == "no-store"
        assert got.headers["Referrer-Policy"] == "no-referrer"
    assert page == PageHandler.page and policy == content_security_policy(page)
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy
    assert "unsafe" not in policy and policy.count("'sha256-") == 2
    assert page.count("<script>") == 1 and page.count("<style>") == 1
    assert "http" not in page and "src=" not in page and "<link" not in page
    assert "url(" not in page and "@import" not in page
    assert ".innerHTML" not in page and "insertAdjacentHTML" not in page


def test_the_page_keeps_nothing_on_the_device_labels_every_field_and_offers_no_contact(server):
    page = PageHandler.page
    script = page.split("<script>")[1]
    for keeper in ("localStorage", "sessionStorage", "indexedDB", "document.cookie", "caches."):
        assert keeper not in script, keeper
    assert 'fragment.get("code")' in script and "history.replaceState" in script
    assert 'headers.Authorization = "token " + serverToken' in script
    for field_id in re.findall(r'<(?:input|select|textarea)[^>]* id="([^"]+)"', page):
        assert f'for="{field_id}"' in page, field_id
    assert "label.htmlFor = radio.id" in script  # the check-in choices, made by the script
    assert 'role="alert"' in page and 'role="status"' in page and 'aria-live="polite"' in page
    assert 'name="viewport"' in page and "min-height: 2.75rem" in page
    for contact in ("mailto:", "tel:", "sms:", "email", "phone"):
        assert contact not in page.casefold(), contact
    assert "has no way to contact your mentee" in page


# --- light --------------------------------------------------------------------------------------

HEAVY = ("matplotlib", "ipywidgets", "alembic", "pandas", "numpy")


def test_the_mentor_page_loads_no_plotting_widgets_pandas_or_migrations(place, tmp_path):
    check = (
        "import sys, json\n"
        "from collab_widgets.core.serving import voila_app\n"
        "before = set(sys.modules)\n"
        "from collab_widgets.community import api\n"
        f"service = api.MentorService({place.store.url!r})\n"
        f"session = service.sign_in({place.codes['Alex']!r}, '127.0.0.1', False)\n"
        "page = service.page(session)\n"
        "assert page['mentee'] == 'Maya', page\n"
        "print('MODULES', json.dumps(sorted(sys.modules)))\n"
    )
    env = {"HOME": str(tmp_path), "PATH": "", "COLLAB_TODAY": TODAY.isoformat()}
    result = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines() if " " in line)
    assert sorted(set(HEAVY) & set(json.loads(lines["MODULES"]))) == []


def test_the_mentee_deleted_with_their_class_leaves_the_mentor_nothing(server, place):
    classes.delete_class(place.classroom.teacher, place.classroom.class_id)
    status, page = call(server, "open", {"code": place.codes["Alex"]})
    assert status == 200 and page["mentee"] == "" and page["logs"] == []
