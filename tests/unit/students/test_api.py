"""The students' light page and its JSON API, served by a real tornado server on a loopback
port (as inside ``collab serve``): signing in with the class code and a card's code; wrong,
rotated and other classes' codes refused plainly; wrong codes limited in the database;
what a student sees (their own page, their teammates' display names during an
evaluation, nobody else; released feedback with no rater in it); saving the survey and
the ratings; the body limit; the server's token; the page's policy; retention applied
when the service starts; and that the service stays light."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa

from collab_widgets.core import codes
from collab_widgets.core.light import handlers as light
from collab_widgets.core.light.handlers import content_security_policy
from collab_widgets.students import api
from collab_widgets.students import tables as s
from collab_widgets.students.api import (
    CARD_TRIES,
    NOT_READY,
    STUDENT_TRIES,
    TOO_LONG,
    PageHandler,
    StudentService,
)
from collab_widgets.students.evaluation import load_dimensions
from collab_widgets.students.model import Placement
from collab_widgets.students.rules import StudentRow
from collab_widgets.students.store import classes, evaluations, groupings
from collab_widgets.students.store.student import CHANGED, CLOSED, WRONG_CODES
from tests.unit.workshops.test_api import ApiServer

ROOT = Path(__file__).resolve().parents[3]
DIMENSIONS = [d.id for d in load_dimensions()]
# display name, full name (the teacher's), school id, a teacher's note
PEOPLE = [
    ("Maya R.", "Maya Rodriguez", "S-1001", "sits-near-door"),
    ("Omar K.", "Omar Khalil", "S-1002", "reading-support"),
    ("Lena P.", "Lena Petrova", "S-1003", "keep-from-theo"),
    ("Theo B.", "Theo Brandt", "S-1004", "eal-level-two"),
    ("Zara N.", "Zara Nwosu", "S-1005", "iep-on-file"),
    ("Ivan D.", "Ivan Dimitrov", "S-1006", "new-this-term"),
    ("Ruth E.", "Ruth Edwards", "S-1007", "left-handed-x"),
    ("Femi A.", "Femi Adeyemi", "S-1008", "twin-of-ruth"),
]


@dataclass
class Klass:
    """A class with cards, its groups, and an open evaluation of them."""

    team: object
    teacher: object
    class_id: int
    code: str
    cards: dict[int, str]  # student id -> card code
    people: dict[int, tuple[str, str, str, str]]  # student id -> PEOPLE's row
    pseudonyms: dict[int, str]
    groups: list[list[int]]
    grouping_id: int
    evaluation_id: int | None = None
    others: dict = field(default_factory=dict)

    def codes_of(self, student_id: int) -> dict:
        return {"class": self.code, "card": self.cards[student_id]}

    def group_of(self, student_id: int) -> list[int]:
        return next(g for g in self.groups if student_id in g)

    def secrets_of(self, student_id: int) -> list[str]:
        """What no page may show beside the student's own display name."""
        display, full, key, note = self.people[student_id]
        return [full, key, note, self.pseudonyms[student_id]]


def make_class(team, size: int, groups: int, *, evaluate: bool = True, name="7B Science"):
    teacher = team.member(0)
    class_id = classes.create_class(teacher, name)
    rows = PEOPLE[:size]
    classes.add_students(
        teacher,
        class_id,
        [StudentRow(key, full, display, {"note": note}) for display, full, key, note in rows],
    )
    roster = classes.roster(teacher, class_id)
    cards = classes.issue_student_codes(teacher, class_id)
    per = size // groups
    ids = [student.id for student in roster]
    placed = [ids[i * per : (i + 1) * per] for i in range(groups)]
    grouping_id = groupings.save(
        teacher,
        class_id,
        "groups",
        "Project teams",
        {},
        None,
        [Placement(sid, number + 1) for number, group in enumerate(placed) for sid in group],
    )
    klass = Klass(
        team=team,
        teacher=teacher,
        class_id=class_id,
        code=classes.class_info(teacher, class_id).code,
        cards=cards,
        people={student.id: row for student, row in zip(roster, rows, strict=True)},
        pseudonyms={student.id: student.pseudonym for student in roster},
        groups=placed,
        grouping_id=grouping_id,
    )
    if evaluate:
        klass.evaluation_id = evaluations.open_evaluation(
            teacher, class_id, grouping_id, "Teamwork check, unit 3"
        )
    return klass


@pytest.fixture
def api_server(team):
    server = ApiServer(StudentService(db_url=team.store.url))
    yield server
    server.stop()


@pytest.fixture
def six(team):
    """Six students in two groups of three, an evaluation open."""
    return make_class(team, 6, 2)


def _wrong_codes_stored(team) -> int:
    with team.store.reading() as conn:
        return conn.exec_driver_sql("SELECT count(*) FROM wrong_codes").scalar()


def _all_ratings(klass: Klass, rater: int, level: int = 4) -> list[dict]:
    return [
        {"ratee": ratee, "dimension": dimension, "level": level}
        for ratee in klass.group_of(rater)
        for dimension in DIMENSIONS
    ]


# --- signing in ------------------------------------------------------------------------------


def test_a_student_signs_in_with_the_two_codes_and_reads_their_own_page(api_server, six):
    maya = six.groups[0][0]
    typed = {"class": f" {six.code.lower()} ", "card": codes.display(six.cards[maya]).lower()}
    status, page = api_server.call("join", typed)
    assert status == 200, page
    assert set(page) == {"name", "class", "survey", "evaluation", "feedback"}
    assert page["name"] == "Maya R." and page["class"] == "7B Science"
    survey = page["survey"]
    assert survey["open"] is False and {q["id"] for q in survey["questions"]} >= {
        "interests",
        "schedule",
    }
    interests = next(q for q in survey["questions"] if q["id"] == "interests")
    assert interests["max"] == 3 and "Animals and nature" in interests["choices"]
    assert survey["answers"] == {q["id"]: [] for q in survey["questions"]}
    evaluation = page["evaluation"]
    assert evaluation["id"] == six.evaluation_id and evaluation["open"] is True
    assert evaluation["title"] == "Teamwork check, unit 3"
    assert [d["id"] for d in evaluation["dimensions"]] == DIMENSIONS
    levels = evaluation["dimensions"][0]["levels"]
    assert [lv["level"] for lv in levels] == [5, 4, 3, 2, 1]
    assert [lv["described"] for lv in levels] == [True, False, True, False, True]
    assert evaluation["dimensions"][0]["self_question"].startswith("How did I")
    assert evaluation["teammates"] == [
        {"id": maya, "name": "Maya R.", "self": True},
        {"id": six.groups[0][2], "name": "Lena P.", "self": False},
        {"id": six.groups[0][1], "name": "Omar K.", "self": False},
    ]
    assert evaluation["ratings"] == [] and evaluation["comments"] == []
    assert page["feedback"] is None
    # the page again, as the page polls it: the same, with the codes as typed
    assert api_server.call("page", typed) == (200, page)


def test_wrong_codes_and_another_classs_card_are_refused_plainly(api_server, six, team):
    other = make_class(team, 2, 1, evaluate=False, name="8A History")
    maya, stranger = six.groups[0][0], next(iter(other.cards))
    attempts = [
        {"class": "WRONG2", "card": six.cards[maya]},  # a wrong class code
        {"class": six.code, "card": "ABCD-EFGH-JK"},  # a wrong card
        {"class": six.code, "card": other.cards[stranger]},  # another class's card
        {"class": other.code, "card": six.cards[maya]},  # her card in another class
        {"class": six.code, "card": ""},
        {"class": "", "card": ""},
    ]
    for body in attempts:
        assert api_server.call("join", body) == (403, {"error": WRONG_CODES}), body
    assert _wrong_codes_stored(team) == len(attempts)
    assert api_server.call("join", other.codes_of(stranger))[1]["class"] == "8A History"
    assert api_server.call("join", six.codes_of(maya))[1]["class"] == "7B Science"


def test_a_rotated_class_code_or_a_new_card_ends_the_page(api_server, six):
    maya, omar = six.groups[0][:2]
    assert api_server.call("join", six.codes_of(maya))[0] == 200
    new_code = classes.rotate_class_code(six.teacher, six.class_id)
    # the old class code: refused at the door, and a page open with it stops
    assert api_server.call("join", six.codes_of(maya)) == (403, {"error": WRONG_CODES})
    for action in ("page", "survey", "rate"):
        body = {**six.codes_of(maya), "evaluation": six.evaluation_id}
        assert api_server.call(action, body) == (410, {"error": CHANGED, "gone": True}), action
    assert api_server.call("join", {"class": new_code, "card": six.cards[maya]})[0] == 200
    # a new card for Omar: his old one stops; Maya's still opens
    fresh = classes.issue_student_codes(six.teacher, six.class_id, [omar])[omar]
    old = {"class": new_code, "card": six.cards[omar]}
    assert api_server.call("page", old) == (410, {"error": CHANGED, "gone": True})
    assert api_server.call("page", {"class": new_code, "card": fresh})[1]["name"] == "Omar K."
    assert api_server.call("page", {"class": new_code, "card": six.cards[maya]})[0] == 200


def test_wrong_codes_are_limited_per_network_and_per_card(api_server, six, fixed_clock):
    maya, omar = six.groups[0][:2]
    for n in range(STUDENT_TRIES - 1):
        body = {"class": six.code, "card": f"WRONGCARD{n:02d}"}
        assert api_server.call("join", body) == (403, {"error": WRONG_CODES})
    assert api_server.call("join", six.codes_of(maya))[0] == 200  # a class's typos are fine
    api_server.call("join", {"class": six.code, "card": "LASTWRONG2"})
    status, refused = api_server.call("join", {"class": six.code, "card": "ONEMORE234"})
    assert status == 403 and refused["error"] == (
        "Too many wrong codes from this network. Wait 601 seconds, then try again with the "
        "class code on the board and the code on your card."
    )
    # right codes still open: one student's wrong codes lock nobody else out
    assert api_server.call("join", six.codes_of(omar))[0] == 200
    fixed_clock.advance(minutes=10)
    assert api_server.call("join", {"class": six.code, "card": "ONEMORE234"}) == (
        403,
        {"error": WRONG_CODES},
    )
    # one card tried with many class codes: that card waits, the others still open
    for n in range(CARD_TRIES):
        body = {"class": f"WRNG{n:02d}", "card": six.cards[omar]}
        assert api_server.call("join", body) == (403, {"error": WRONG_CODES})
    status, refused = api_server.call("join", six.codes_of(omar))
    assert status == 403 and refused["error"].startswith("Too many wrong tries of that code.")
    assert api_server.call("join", six.codes_of(maya))[0] == 200


# --- what a student sees -------------------------------------------------------------------


def test_no_student_reads_anything_about_another_group_or_anyone_elses_details(
    api_server, six, team
):
    """Every call of every student, before, during and after the evaluation: the other
    group's names never; nobody's full name, school id, teacher's note or pseudonym."""
    classes.set_survey_open(six.teacher, six.class_id, True)
    heard: dict[int, list[str]] = {sid: [] for sid in six.cards}

    def call(sid: int, action: str, **body) -> dict:
        status, answer = api_server.call(action, {**six.codes_of(sid), **body})
        assert status == 200, answer
        heard[sid].append(json.dumps(answer, ensure_ascii=False))
        return answer

    evaluations.close(team.member(0), six.evaluation_id)  # nothing open at first
    for sid in six.cards:
        call(sid, "join")
        call(sid, "survey", answers={"interests": ["Art and design"], "schedule": ["At lunch"]})
    evaluation_id = evaluations.open_evaluation(six.teacher, six.class_id, six.grouping_id, "Now")
    for sid in six.cards:
        call(sid, "page")
        call(
            sid,
            "rate",
            evaluation=evaluation_id,
            ratings=_all_ratings(six, sid),
            comments=[{"ratee": r, "text": f"note by {sid}"} for r in six.group_of(sid)],
        )
    evaluations.release(six.teacher, evaluation_id)
    for sid in six.cards:
        call(sid, "page")
    for sid, answers in heard.items():
        text = "\n".join(answers)
        mine = six.group_of(sid)
        for other in six.cards:
            for secret in six.secrets_of(other):
                assert secret not in text, (sid, secret)
            if other not in mine:
                assert six.people[other][0] not in text, (sid, six.people[other][0])
                assert f"note by {other}" not in text
        # the teammates' names come with the evaluation only
        before = "\n".join(answers[:2])
        assert all(six.people[o][0] not in before for o in mine if o != sid)
        assert all(six.people[o][0] in text for o in mine)
        # the comments others wrote never come back; the student's own do
        assert all(f"note by {o}" not in text for o in mine if o != sid)
        assert f"note by {sid}" in text


def test_a_student_rates_in_parts_and_reads_their_own_ratings_back(api_server, six):
    maya, omar, lena = six.groups[0][0], six.groups[0][1], six.groups[0][2]
    theo = six.groups[1][0]
    body = {**six.codes_of(maya), "evaluation": six.evaluation_id}
    first = [{"ratee": maya, "dimension": DIMENSIONS[0], "level": 5}]
    status, page = api_server.call("rate", {**body, "ratings": first})
    assert status == 200 and page["evaluation"]["ratings"] == first
    more = [
        {"ratee": maya, "dimension": DIMENSIONS[0], "level": 3},  # changed
        {"ratee": omar, "dimension": DIMENSIONS[1], "level": 2},
    ]
    comments = [{"ratee": lena, "text": "  Lena <b>kept us going</b>\r\n "}]
    api_server.call("rate", {**body, "ratings": more, "comments": comments})
    page = api_server.call("page", six.codes_of(maya))[1]["evaluation"]
    assert sorted(page["ratings"], key=lambda r: r["ratee"]) == sorted(
        more, key=lambda r: r["ratee"]
    )
    assert page["comments"] == [{"ratee": lena, "text": "Lena <b>kept us going</b>"}]
    # a comment taken back
    api_server.call("rate", {**body, "comments": [{"ratee": lena, "text": ""}]})
    assert api_server.call("page", six.codes_of(maya))[1]["evaluation"]["comments"] == []
    # what cannot be saved, each with a plain message; nothing saved harmed
    refusals = [
        ({"ratings": [{"ratee": maya, "dimension": DIMENSIONS[0], "level": 6}]}, "from 1 to 5"),
        ({"ratings": [{"ratee": theo, "dimension": DIMENSIONS[0], "level": 3}]}, "your team"),
        ({"ratings": [{"ratee": maya, "dimension": "charm", "level": 3}]}, "not part of"),
        ({"comments": [{"ratee": theo, "text": "hi"}]}, "your own teammates"),
        ({"comments": [{"ratee": omar, "text": "x" * 501}]}, "at most 500"),
        ({"evaluation": six.evaluation_id + 99}, "closed"),
    ]
    for extra, message in refusals:
        status, refused = api_server.call("rate", {**body, **extra})
        assert status == 400 and message in refused["error"], (extra, refused)
    for unreadable in (
        {"ratings": {"a": 1}},
        {"ratings": [{"ratee": True, "dimension": DIMENSIONS[0], "level": 3}]},
        {"ratings": [{"ratee": maya, "dimension": DIMENSIONS[0], "level": "3"}]},
        {"comments": [{"ratee": lena}, 7]},
        {"evaluation": None},
    ):
        assert api_server.call("rate", {**body, **unreadable}) == (
            400,
            {"error": light.UNREADABLE},
        )
    assert (
        api_server.call("page", six.codes_of(maya))[1]["evaluation"]["ratings"] == page["ratings"]
    )
    evaluations.close(six.teacher, six.evaluation_id)
    assert api_server.call("rate", {**body, "ratings": first}) == (400, {"error": CLOSED})
    closed = api_server.call("page", six.codes_of(maya))[1]["evaluation"]
    assert closed is None  # closed and not released: nothing to show


def test_released_feedback_shows_averages_and_nothing_attributable(api_server, team):
    eight = make_class(team, 8, 2)
    comments = {}
    for sid in eight.cards:
        level = 5 if sid == eight.groups[0][0] else 3  # one generous rater
        comments[sid] = f"secret remark {sid}"
        api_server.call(
            "rate",
            {
                **eight.codes_of(sid),
                "evaluation": eight.evaluation_id,
                "ratings": _all_ratings(eight, sid, level),
                "comments": [{"ratee": eight.group_of(sid)[-1], "text": comments[sid]}],
            },
        )
    maya = eight.groups[0][0]
    assert api_server.call("page", eight.codes_of(maya))[1]["feedback"] is None  # not yet
    evaluations.release(eight.teacher, eight.evaluation_id)
    status, page = api_server.call("page", eight.codes_of(maya))
    feedback = page["feedback"]
    assert set(feedback) == {"self", "teammates", "team", "note", "dimensions"}
    assert feedback["self"] == 5.0 and feedback["teammates"] == 3.0
    assert feedback["team"] == 3.5  # each other member's teammates' mean is (5+3+3)/3
    assert [set(d) for d in feedback["dimensions"]] == [
        {"name", "self", "teammates", "team"}
    ] * len(DIMENSIONS)
    assert feedback["dimensions"][0] == {
        "name": "Helping with the team's work",
        "self": 5.0,
        "teammates": 3.0,
        "team": 3.5,
    }
    assert "nobody's own answer is shown" in feedback["note"]
    text = json.dumps(feedback)
    assert "secret" not in text and "rater" not in text and "ratee" not in text
    # the others' comments are nowhere on the page; the evaluation shows it is closed
    whole = json.dumps(page)
    assert all(comments[sid] not in whole for sid in eight.cards if sid != maya)
    assert page["evaluation"]["open"] is False
    # a student of the other group sees their own team's figures only
    theo = eight.groups[1][0]
    other = api_server.call("page", eight.codes_of(theo))[1]["feedback"]
    assert other["self"] == 3.0 and other["teammates"] == 3.0 and other["team"] == 3.0


def test_a_team_of_three_gets_the_note_instead_of_a_teammates_mean(api_server, six):
    for sid in six.cards:
        api_server.call(
            "rate",
            {
                **six.codes_of(sid),
                "evaluation": six.evaluation_id,
                "ratings": _all_ratings(six, sid),
            },
        )
    evaluations.release(six.teacher, six.evaluation_id)
    feedback = api_server.call("page", six.codes_of(six.groups[0][0]))[1]["feedback"]
    assert feedback["self"] == 4.0 and feedback["teammates"] is None and feedback["team"] is None
    assert "too small" in feedback["note"]


def test_the_survey_is_saved_and_read_back_and_refused_plainly(api_server, six):
    maya = six.groups[0][0]
    body = six.codes_of(maya)
    answers = {"interests": ["Art and design", "Animals and nature"], "schedule": ["At lunch"]}
    status, refused = api_server.call("survey", {**body, "answers": answers})
    assert status == 400 and "closed" in refused["error"]
    classes.set_survey_open(six.teacher, six.class_id, True)
    status, page = api_server.call("survey", {**body, "answers": answers})
    assert status == 200 and page["survey"]["open"] is True
    assert page["survey"]["answers"] == {
        "interests": ["Animals and nature", "Art and design"],  # in the survey's order
        "schedule": ["At lunch"],
    }
    too_many = {
        "interests": [
            "Animals and nature",
            "Art and design",
            "Science experiments",
            "Sports and health",
        ]
    }
    for bad, message in (
        (too_many, "Choose at most 3"),
        ({"interests": ["Juggling"]}, "is not a choice"),
        ({"favourite": ["x"]}, "no such question"),
    ):
        status, refused = api_server.call("survey", {**body, "answers": bad})
        assert status == 400 and message in refused["error"], refused
    for bad in ({"interests": "Art and design"}, {"interests": [1]}, ["x"]):
        status, refused = api_server.call("survey", {**body, "answers": bad})
        assert (status, refused) == (400, {"error": light.UNREADABLE})
    assert api_server.call("page", body)[1]["survey"]["answers"] == page["survey"]["answers"]
    # once closed, the page still shows what was answered
    classes.set_survey_open(six.teacher, six.class_id, False)
    closed = api_server.call("page", body)[1]["survey"]
    assert closed["open"] is False and closed["answers"]["schedule"] == ["At lunch"]


def test_a_body_over_the_limit_is_refused_before_it_is_read(api_server, six):
    maya = six.groups[0][0]
    huge = {
        **six.codes_of(maya),
        "evaluation": six.evaluation_id,
        "comments": [{"ratee": maya, "text": "\u2603" * 20_000}],
    }
    raw = json.dumps(huge).encode()  # escaped: six bytes a snowman
    assert len(raw) > api.MAX_BODY
    assert api_server.call("rate", None, raw=raw) == (413, {"error": TOO_LONG})
    # a whole team's comments at their longest, escaped, still fit
    fits = {**huge, "comments": [{"ratee": maya, "text": "\u2603" * 500}] * 8}
    assert len(json.dumps(fits).encode()) < api.MAX_BODY


def test_bad_requests_get_a_plain_message(api_server, six):
    for raw in (b"not json", b"[1, 2]", b'{"class": 7, "card": "x"}'):
        assert api_server.call("join", None, raw=raw) == (400, {"error": light.UNREADABLE})


def test_a_mistake_in_the_teachers_file_shows_students_a_plain_sentence(
    team, six, tmp_path, monkeypatch
):
    folder = tmp_path / "teamwork"
    folder.mkdir()
    (folder / "teamwork.yaml").write_text("title: Broken\ndimensions: 7\n")
    monkeypatch.setenv("COLLAB_TEAMWORK", str(folder))
    server = ApiServer(StudentService(db_url=team.store.url))
    try:
        status, refused = server.call("join", six.codes_of(six.groups[0][0]))
        assert (status, refused) == (400, {"error": NOT_READY})
        assert "teamwork.yaml" not in refused["error"]
    finally:
        server.stop()


# --- the server, the page, retention ---------------------------------------------------------


def test_a_server_token_is_needed_for_the_page_and_every_call(team, six):
    import urllib.error
    import urllib.request

    server = ApiServer(StudentService(db_url=team.store.url, server_token="s3cret"))
    maya = six.groups[0][0]
    try:
        for action in ("join", "page", "survey", "rate"):
            for wrong in ("", "s3cre", "s3cret2"):
                status, refused = server.call(action, six.codes_of(maya), token=wrong)
                assert status == 403 and "needs its token" in refused["error"], action
        assert server.call("join", six.codes_of(maya), token="s3cret")[0] == 200
        with pytest.raises(urllib.error.HTTPError) as no_token:
            urllib.request.urlopen(f"{server.base}students?class={six.code}", timeout=10)
        assert no_token.value.code == 403
        with urllib.request.urlopen(f"{server.base}students?token=s3cret", timeout=10) as page:
            assert page.status == 200
    finally:
        server.stop()


def test_the_page_runs_only_its_own_script_and_style_and_keeps_nothing(api_server):
    import urllib.request

    with urllib.request.urlopen(f"{api_server.base}students?class=ABC234", timeout=10) as got:
        page = got.read().decode()
        policy = got.headers["Content-Security-Policy"]
        assert got.headers["Referrer-Policy"] == "no-referrer"
    assert page == PageHandler.page  # the same bytes for everyone: the link is read by script
    assert policy == content_security_policy(page)
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy
    assert policy.count("'sha256-") == 2 and "unsafe" not in policy
    script = page.split("<script>")[1]
    assert ".innerHTML" not in page and "insertAdjacentHTML" not in page
    assert "http" not in script and "src=" not in page and "<link" not in page
    assert '<html lang="en">' in page
    # the codes live in the tab only, and the card's leaves the address bar once read
    assert "localStorage" not in script and "document.cookie" not in script
    assert "sessionStorage" in script and "history.replaceState" in script
    # every field has a label, and the status is announced
    for field_id in re.findall(r'<input id="([^"]+)"', page):
        assert f'for="{field_id}"' in page, field_id
    assert 'role="alert"' in page and 'role="status"' in page


def test_the_service_deletes_expired_classes_when_it_starts(team, six, fixed_clock):
    kept = make_class(team, 2, 1, evaluate=False, name="Next year")
    classes.set_retention(kept.teacher, kept.class_id, dt.date(2027, 11, 1))
    # past the first class's end (31 July 2027) and its grace period, before the second's
    fixed_clock.advance(days=375)
    server = ApiServer(StudentService(db_url=team.store.url))
    try:
        maya = six.groups[0][0]
        assert server.call("join", six.codes_of(maya)) == (403, {"error": WRONG_CODES})
        with team.store.reading() as conn:
            left = conn.execute(sa.select(s.classes.c.name)).scalars().all()
            students = conn.execute(sa.select(sa.func.count()).select_from(s.class_students))
            assert students.scalar() == 2
        assert left == ["Next year"]
        assert server.call("join", kept.codes_of(next(iter(kept.cards))))[0] == 200
    finally:
        server.stop()


HEAVY = ("matplotlib", "ipywidgets", "alembic")


def _modules_after_a_visit(team_store_url: str, klass: Klass, tmp_path) -> set[str]:
    maya = klass.groups[0][0]
    check = (
        "import asyncio, sys, json\n"
        "from collab_widgets.core.serving import voila_app\n"
        "from collab_widgets.students import api\n"
        f"service = api.StudentService({team_store_url!r})\n"
        f"session = service.sign_in({klass.code!r}, {klass.cards[maya]!r}, '127.0.0.1')\n"
        "page = service.page(session)\n"
        "assert page['evaluation']['teammates'][0]['self'], page\n"
        "print('MODULES', json.dumps(sorted(sys.modules)))\n"
    )
    env = {"HOME": str(tmp_path), "PATH": ""}
    result = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    line = next(x for x in result.stdout.splitlines() if x.startswith("MODULES "))
    return set(json.loads(line.removeprefix("MODULES ")))


def test_the_student_page_loads_no_plotting_widgets_or_migrations(sqlite_team, tmp_path):
    klass = make_class(sqlite_team, 3, 1)
    loaded = _modules_after_a_visit(sqlite_team.store.url, klass, tmp_path)
    assert sorted(set(HEAVY) & loaded) == []


def test_the_student_page_loads_no_pandas(sqlite_team, tmp_path):
    klass = make_class(sqlite_team, 3, 1)
    loaded = _modules_after_a_visit(sqlite_team.store.url, klass, tmp_path)
    assert sorted({"pandas", "numpy"} & loaded) == []
